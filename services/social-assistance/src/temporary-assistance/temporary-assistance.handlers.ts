import { Injectable } from '@nestjs/common';
import { RpcHandler, requireActor, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import {
  Patterns,
  applyTemporaryAssistanceSchema,
  getTemporaryAssistanceSchema,
  grantEmergencyAssistanceSchema,
  temporaryAssistanceActionRequestSchema,
  type TemporaryAssistanceCaseView,
} from '@civil/contracts';
import { TemporaryAssistanceService } from './temporary-assistance.service';

@Injectable()
export class TemporaryAssistanceHandlers {
  constructor(private readonly cases: TemporaryAssistanceService) {}

  @RpcHandler(Patterns.socialAssistance.grantEmergencyAssistance, { schema: grantEmergencyAssistanceSchema })
  async grantEmergency(input: z.output<typeof grantEmergencyAssistanceSchema>, ctx: RpcContext): Promise<TemporaryAssistanceCaseView> {
    const actor = requireActor(ctx);
    return this.cases.grantEmergency(input, actor);
  }

  @RpcHandler(Patterns.socialAssistance.applyTemporaryAssistance, { schema: applyTemporaryAssistanceSchema })
  async apply(input: z.output<typeof applyTemporaryAssistanceSchema>, ctx: RpcContext): Promise<TemporaryAssistanceCaseView> {
    const actor = requireActor(ctx);
    return this.cases.apply(input, actor);
  }

  @RpcHandler(Patterns.socialAssistance.actOnTemporaryAssistance, { schema: temporaryAssistanceActionRequestSchema })
  async act(input: z.output<typeof temporaryAssistanceActionRequestSchema>, ctx: RpcContext): Promise<TemporaryAssistanceCaseView> {
    const actor = requireActor(ctx);
    return this.cases.act(input.caseId, input.action, input.payload, actor);
  }

  @RpcHandler(Patterns.socialAssistance.getTemporaryAssistance, { schema: getTemporaryAssistanceSchema })
  async get(input: z.output<typeof getTemporaryAssistanceSchema>, ctx: RpcContext): Promise<TemporaryAssistanceCaseView> {
    const actor = requireActor(ctx);
    return this.cases.get(input.id, actor);
  }
}

