import { Injectable } from '@nestjs/common';
import { RpcHandler, requireActor, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import { Patterns, recordSocialWorkActivitySchema, socialWorkSummarySchema, type SocialWorkActivityView, type SocialWorkSummary } from '@civil/contracts';
import { SocialWorkService } from './social-work.service';

@Injectable()
export class SocialWorkHandlers {
  constructor(private readonly socialWork: SocialWorkService) {}

  @RpcHandler(Patterns.socialAffairs.recordSocialWorkActivity, { schema: recordSocialWorkActivitySchema })
  async record(input: z.output<typeof recordSocialWorkActivitySchema>, ctx: RpcContext): Promise<SocialWorkActivityView> {
    return this.socialWork.record(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.socialWorkSummary, { schema: socialWorkSummarySchema })
  async summary(input: z.output<typeof socialWorkSummarySchema>, ctx: RpcContext): Promise<SocialWorkSummary> {
    return this.socialWork.summary(input.year, requireActor(ctx));
  }
}
