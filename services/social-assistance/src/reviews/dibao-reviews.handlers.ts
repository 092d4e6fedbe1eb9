import { Injectable } from '@nestjs/common';
import { Patterns, decideReviewSchema, listDueReviewsSchema, scheduleReviewsSchema, type DibaoReviewView } from '@civil/contracts';
import { RpcHandler, requireActor, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import { DibaoReviewsService } from './dibao-reviews.service';

@Injectable()
export class DibaoReviewsHandlers {
  constructor(private readonly reviews: DibaoReviewsService) {}

  @RpcHandler(Patterns.socialAssistance.scheduleReviews, { schema: scheduleReviewsSchema })
  async schedule(input: z.output<typeof scheduleReviewsSchema>, ctx: RpcContext): Promise<{ scheduled: number }> {
    const actor = requireActor(ctx);
    return this.reviews.schedule(input.dueBy, actor);
  }

  @RpcHandler(Patterns.socialAssistance.listDueReviews, { schema: listDueReviewsSchema })
  async due(input: z.output<typeof listDueReviewsSchema>, ctx: RpcContext): Promise<{ items: DibaoReviewView[] }> {
    const actor = requireActor(ctx);
    return this.reviews.listDue(input.dueBy, actor);
  }

  @RpcHandler(Patterns.socialAssistance.decideReview, { schema: decideReviewSchema })
  async decide(input: z.output<typeof decideReviewSchema>, ctx: RpcContext): Promise<DibaoReviewView> {
    const actor = requireActor(ctx);
    return this.reviews.decide(input, actor);
  }
}

