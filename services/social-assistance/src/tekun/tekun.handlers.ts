import { Injectable } from '@nestjs/common';
import { RpcHandler, requireActor, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import {
  Patterns,
  assessTekunEligibilitySchema,
  changeTekunCareSchema,
  endTekunSchema,
  enrolTekunSchema,
  getTekunPersonSchema,
  recordCareInsuranceSchema,
  tekunCensusSchema,
  type TekunCensus,
  type TekunEligibilityReport,
  type TekunPersonView,
} from '@civil/contracts';
import { TekunService } from './tekun.service';

@Injectable()
export class TekunHandlers {
  constructor(private readonly tekun: TekunService) {}

  @RpcHandler(Patterns.socialAssistance.assessTekun, { schema: assessTekunEligibilitySchema })
  async assess(input: z.output<typeof assessTekunEligibilitySchema>, ctx: RpcContext): Promise<TekunEligibilityReport> {
    return this.tekun.assess(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAssistance.enrolTekun, { schema: enrolTekunSchema })
  async enrol(input: z.output<typeof enrolTekunSchema>, ctx: RpcContext): Promise<TekunPersonView> {
    return this.tekun.enrol(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAssistance.changeTekunCare, { schema: changeTekunCareSchema })
  async changeCare(input: z.output<typeof changeTekunCareSchema>, ctx: RpcContext): Promise<TekunPersonView> {
    return this.tekun.changeCare(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAssistance.recordTekunCareInsurance, { schema: recordCareInsuranceSchema })
  async recordCareInsurance(input: z.output<typeof recordCareInsuranceSchema>, ctx: RpcContext): Promise<TekunPersonView> {
    return this.tekun.recordCareInsurance(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAssistance.endTekun, { schema: endTekunSchema })
  async end(input: z.output<typeof endTekunSchema>, ctx: RpcContext): Promise<TekunPersonView> {
    return this.tekun.end(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAssistance.getTekun, { schema: getTekunPersonSchema })
  async get(input: z.output<typeof getTekunPersonSchema>, ctx: RpcContext): Promise<TekunPersonView> {
    return this.tekun.get(input.personId, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAssistance.tekunCensus, { schema: tekunCensusSchema })
  async census(input: z.output<typeof tekunCensusSchema>, ctx: RpcContext): Promise<TekunCensus> {
    return this.tekun.census(input.period, requireActor(ctx));
  }
}
