import { Injectable } from '@nestjs/common';
import { DomainError, type Actor } from '@civil/contracts';
import { RpcHandler, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import {
  TemporaryAssistancePatterns,
  applyTemporaryAssistanceSchema,
  getTemporaryAssistanceSchema,
  grantEmergencyAssistanceSchema,
  temporaryAssistanceActionRequestSchema,
  type TemporaryAssistanceCaseView,
} from './temporary-assistance.contracts';
import { TemporaryAssistanceService } from './temporary-assistance.service';

@Injectable()
export class TemporaryAssistanceHandlers {
  constructor(private readonly cases: TemporaryAssistanceService) {}

  @RpcHandler(TemporaryAssistancePatterns.grantEmergency, { schema: grantEmergencyAssistanceSchema })
  async grantEmergency(input: z.output<typeof grantEmergencyAssistanceSchema>, ctx: RpcContext): Promise<TemporaryAssistanceCaseView> {
    return this.cases.grantEmergency(input, requireActor(ctx));
  }

  @RpcHandler(TemporaryAssistancePatterns.apply, { schema: applyTemporaryAssistanceSchema })
  async apply(input: z.output<typeof applyTemporaryAssistanceSchema>, ctx: RpcContext): Promise<TemporaryAssistanceCaseView> {
    return this.cases.apply(input, requireActor(ctx));
  }

  @RpcHandler(TemporaryAssistancePatterns.act, { schema: temporaryAssistanceActionRequestSchema })
  async act(input: z.output<typeof temporaryAssistanceActionRequestSchema>, ctx: RpcContext): Promise<TemporaryAssistanceCaseView> {
    return this.cases.act(input.caseId, input.action, input.payload, requireActor(ctx));
  }

  @RpcHandler(TemporaryAssistancePatterns.get, { schema: getTemporaryAssistanceSchema })
  async get(input: z.output<typeof getTemporaryAssistanceSchema>, ctx: RpcContext): Promise<TemporaryAssistanceCaseView> {
    return this.cases.get(input.id, requireActor(ctx));
  }
}

function requireActor(ctx: RpcContext): Actor {
  if (!ctx.actor) throw new DomainError('UNAUTHENTICATED', 'an actor is required');
  return ctx.actor;
}
