import { Injectable } from '@nestjs/common';
import { Patterns, getVerificationSchema, requestVerificationSchema } from '@civil/contracts';
import { RpcHandler, requireActor, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import { VerificationService, type VerificationReport } from './verification.service';

@Injectable()
export class VerificationHandlers {
  constructor(private readonly verification: VerificationService) {}

  @RpcHandler(Patterns.socialAssistance.requestVerification, { schema: requestVerificationSchema })
  async request(input: z.output<typeof requestVerificationSchema>, ctx: RpcContext): Promise<VerificationReport> {
    const actor = requireActor(ctx);
    return this.verification.verify(input.householdId, actor);
  }

  @RpcHandler(Patterns.socialAssistance.getVerification, { schema: getVerificationSchema })
  async get(input: z.output<typeof getVerificationSchema>, ctx: RpcContext): Promise<VerificationReport> {
    const actor = requireActor(ctx);
    return this.verification.get(input.id, actor);
  }
}

