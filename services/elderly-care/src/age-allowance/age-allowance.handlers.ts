import { Injectable } from '@nestjs/common';
import { RpcHandler, requireActor, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import {
  Patterns,
  ageAllowancePayrollKeySchema,
  ageAllowanceSweepSchema,
  ageAllowanceYearSchema,
  getOlderResidentSchema,
  recordOlderResidentDeathSchema,
  recordOlderResidentMoveAwaySchema,
  registerOlderResidentSchema,
  type AgeAllowancePayrollView,
  type AgeAllowanceSweepView,
  type AgeAllowanceYearSummary,
  type OlderResidentView,
} from '@civil/contracts';
import { AgeAllowancePayrollService } from './age-allowance-payroll.service';
import { AgeAllowanceSweepService } from './age-allowance-sweep.service';
import { OlderResidentsService } from './older-residents.service';

@Injectable()
export class AgeAllowanceHandlers {
  constructor(
    private readonly residents: OlderResidentsService,
    private readonly sweeps: AgeAllowanceSweepService,
    private readonly payrolls: AgeAllowancePayrollService,
  ) {}

  @RpcHandler(Patterns.elderlyCare.registerOlderResident, { schema: registerOlderResidentSchema })
  async register(input: z.output<typeof registerOlderResidentSchema>, ctx: RpcContext): Promise<OlderResidentView> {
    return this.residents.register(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.getOlderResident, { schema: getOlderResidentSchema })
  async get(input: z.output<typeof getOlderResidentSchema>, ctx: RpcContext): Promise<OlderResidentView> {
    return this.residents.get(input.id, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.recordOlderResidentDeath, { schema: recordOlderResidentDeathSchema })
  async recordDeath(input: z.output<typeof recordOlderResidentDeathSchema>, ctx: RpcContext): Promise<OlderResidentView> {
    return this.residents.recordDeath(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.recordOlderResidentMoveAway, { schema: recordOlderResidentMoveAwaySchema })
  async recordMoveAway(input: z.output<typeof recordOlderResidentMoveAwaySchema>, ctx: RpcContext): Promise<OlderResidentView> {
    return this.residents.recordMoveAway(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.runAgeAllowanceSweep, { schema: ageAllowanceSweepSchema })
  async sweep(input: z.output<typeof ageAllowanceSweepSchema>, ctx: RpcContext): Promise<AgeAllowanceSweepView> {
    return this.sweeps.sweep(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.runAgeAllowancePayroll, { schema: ageAllowancePayrollKeySchema })
  async runPayroll(input: z.output<typeof ageAllowancePayrollKeySchema>, ctx: RpcContext): Promise<AgeAllowancePayrollView> {
    return this.payrolls.runPayroll(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.getAgeAllowancePayroll, { schema: ageAllowancePayrollKeySchema })
  async getPayroll(input: z.output<typeof ageAllowancePayrollKeySchema>, ctx: RpcContext): Promise<AgeAllowancePayrollView> {
    return this.payrolls.getPayroll(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.ageAllowanceYearSummary, { schema: ageAllowanceYearSchema })
  async yearSummary(input: z.output<typeof ageAllowanceYearSchema>, ctx: RpcContext): Promise<AgeAllowanceYearSummary> {
    return this.payrolls.yearSummary(input.year, requireActor(ctx));
  }
}
