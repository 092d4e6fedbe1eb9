import { Injectable } from '@nestjs/common';
import { RpcHandler, requireActor, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import {
  Patterns,
  allowancePayrollKeySchema,
  allowanceYearSchema,
  assessChildSchema,
  endAllowanceSchema,
  enrolChildSchema,
  enrolDisabilitySchema,
  getAllowanceEnrolmentSchema,
  type AllowanceEnrolmentView,
  type AllowancePayrollView,
  type AllowanceYearSummary,
  type ChildAssessmentView,
} from '@civil/contracts';
import { AllowancesService } from './allowances.service';

@Injectable()
export class AllowancesHandlers {
  constructor(private readonly allowances: AllowancesService) {}

  @RpcHandler(Patterns.socialAffairs.assessChild, { schema: assessChildSchema })
  assessChild(input: z.output<typeof assessChildSchema>, ctx: RpcContext): ChildAssessmentView {
    return this.allowances.assessChild(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.enrolChild, { schema: enrolChildSchema })
  async enrolChild(input: z.output<typeof enrolChildSchema>, ctx: RpcContext): Promise<AllowanceEnrolmentView> {
    return this.allowances.enrolChild(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.enrolDisability, { schema: enrolDisabilitySchema })
  async enrolDisability(input: z.output<typeof enrolDisabilitySchema>, ctx: RpcContext): Promise<AllowanceEnrolmentView> {
    return this.allowances.enrolDisability(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.endAllowance, { schema: endAllowanceSchema })
  async end(input: z.output<typeof endAllowanceSchema>, ctx: RpcContext): Promise<AllowanceEnrolmentView> {
    return this.allowances.end(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.getAllowanceEnrolment, { schema: getAllowanceEnrolmentSchema })
  async get(input: z.output<typeof getAllowanceEnrolmentSchema>, ctx: RpcContext): Promise<AllowanceEnrolmentView> {
    return this.allowances.get(input.id, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.runAllowancePayroll, { schema: allowancePayrollKeySchema })
  async runPayroll(input: z.output<typeof allowancePayrollKeySchema>, ctx: RpcContext): Promise<AllowancePayrollView> {
    return this.allowances.runPayroll(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.getAllowancePayroll, { schema: allowancePayrollKeySchema })
  async getPayroll(input: z.output<typeof allowancePayrollKeySchema>, ctx: RpcContext): Promise<AllowancePayrollView> {
    return this.allowances.getPayroll(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.allowanceYearSummary, { schema: allowanceYearSchema })
  async yearSummary(input: z.output<typeof allowanceYearSchema>, ctx: RpcContext): Promise<AllowanceYearSummary> {
    return this.allowances.yearSummary(input.year, requireActor(ctx));
  }
}
