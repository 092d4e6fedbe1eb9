import { Injectable } from '@nestjs/common';
import { RpcHandler, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import {
  DomainError,
  Patterns,
  applyTemporaryAssistanceSchema,
  getTemporaryAssistanceSchema,
  grantEmergencyAssistanceSchema,
  temporaryAssistanceActionRequestSchema,
  type Actor,
  type TemporaryAssistanceCaseView,
} from '@civil/contracts';
import { TemporaryAssistanceService } from './temporary-assistance.service';

@Injectable()
export class TemporaryAssistanceHandlers {
  constructor(private readonly cases: TemporaryAssistanceService) {}

  @RpcHandler(Patterns.socialAssistance.grantEmergencyAssistance, { schema: grantEmergencyAssistanceSchema })
  async grantEmergency(input: z.output<typeof grantEmergencyAssistanceSchema>, ctx: RpcContext): Promise<TemporaryAssistanceCaseView> {
    return this.cases.grantEmergency(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAssistance.applyTemporaryAssistance, { schema: applyTemporaryAssistanceSchema })
  async apply(input: z.output<typeof applyTemporaryAssistanceSchema>, ctx: RpcContext): Promise<TemporaryAssistanceCaseView> {
    return this.cases.apply(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAssistance.actOnTemporaryAssistance, { schema: temporaryAssistanceActionRequestSchema })
  async act(input: z.output<typeof temporaryAssistanceActionRequestSchema>, ctx: RpcContext): Promise<TemporaryAssistanceCaseView> {
    return this.cases.act(input.caseId, input.action, input.payload, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAssistance.getTemporaryAssistance, { schema: getTemporaryAssistanceSchema })
  async get(input: z.output<typeof getTemporaryAssistanceSchema>, ctx: RpcContext): Promise<TemporaryAssistanceCaseView> {
    return this.cases.get(input.id, requireActor(ctx));
  }
}

function requireActor(ctx: RpcContext): Actor {
  if (!ctx.actor) throw new DomainError('UNAUTHENTICATED', 'an actor is required');
  return ctx.actor;
}
