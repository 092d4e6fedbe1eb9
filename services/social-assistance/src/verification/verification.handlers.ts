import { Injectable } from '@nestjs/common';
import { DomainError, Patterns, getVerificationSchema, requestVerificationSchema, type Actor } from '@civil/contracts';
import { RpcHandler, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import { VerificationService, type VerificationReport } from './verification.service';


@Injectable()
export class VerificationHandlers {
  constructor(private readonly verification: VerificationService) {}

  @RpcHandler(Patterns.socialAssistance.requestVerification, { schema: requestVerificationSchema })
  async request(input: z.output<typeof requestVerificationSchema>, ctx: RpcContext): Promise<VerificationReport> {
    return this.verification.verify(input.householdId, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAssistance.getVerification, { schema: getVerificationSchema })
  async get(input: z.output<typeof getVerificationSchema>, ctx: RpcContext): Promise<VerificationReport> {
    return this.verification.get(input.id, requireActor(ctx));
  }
}

function requireActor(ctx: RpcContext): Actor {
  if (!ctx.actor) throw new DomainError('UNAUTHENTICATED', 'an actor is required');
  return ctx.actor;
}
