import { Injectable } from '@nestjs/common';
import { DomainError, Patterns, decideReviewSchema, listDueReviewsSchema, scheduleReviewsSchema, type Actor, type DibaoReviewView } from '@civil/contracts';
import { RpcHandler, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import { DibaoReviewsService } from './dibao-reviews.service';

@Injectable()
export class DibaoReviewsHandlers {
  constructor(private readonly reviews: DibaoReviewsService) {}

  @RpcHandler(Patterns.socialAssistance.scheduleReviews, { schema: scheduleReviewsSchema })
  async schedule(input: z.output<typeof scheduleReviewsSchema>, ctx: RpcContext): Promise<{ scheduled: number }> {
    return this.reviews.schedule(input.dueBy, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAssistance.listDueReviews, { schema: listDueReviewsSchema })
  async due(input: z.output<typeof listDueReviewsSchema>, ctx: RpcContext): Promise<{ items: DibaoReviewView[] }> {
    return this.reviews.listDue(input.dueBy, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAssistance.decideReview, { schema: decideReviewSchema })
  async decide(input: z.output<typeof decideReviewSchema>, ctx: RpcContext): Promise<DibaoReviewView> {
    return this.reviews.decide(input, requireActor(ctx));
  }
}

function requireActor(ctx: RpcContext): Actor {
  if (!ctx.actor) throw new DomainError('UNAUTHENTICATED', 'an actor is required');
  return ctx.actor;
}
