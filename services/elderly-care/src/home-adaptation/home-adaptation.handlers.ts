import { Injectable } from '@nestjs/common';
import { RpcHandler, requireActor, type RpcContext } from '@civil/platform';
import {
  Patterns,
  acceptHomeAdaptationSchema,
  applyHomeAdaptationSchema,
  assessHomeAdaptationSchema,
  getHomeAdaptationSchema,
  homeAdaptationProgressSchema,
  listHomeAdaptationsSchema,
  payHomeAdaptationSchema,
  planHomeAdaptationSchema,
  recordHomeAdaptationWorksSchema,
  refuseHomeAdaptationSchema,
  setHomeAdaptationTargetSchema,
  type HomeAdaptationProgress,
  type HomeAdaptationSummaryView,
  type HomeAdaptationTargetView,
  type HomeAdaptationView,
} from '@civil/contracts';
import { HomeAdaptationService } from './home-adaptation.service';

/** 居家适老化改造 over NATS; the service checks the input again, so it is safe to call directly. */
@Injectable()
export class HomeAdaptationHandlers {
  constructor(private readonly homeAdaptation: HomeAdaptationService) {}

  @RpcHandler(Patterns.elderlyCare.applyHomeAdaptation, { schema: applyHomeAdaptationSchema })
  async apply(input: unknown, ctx: RpcContext): Promise<HomeAdaptationView> {
    return this.homeAdaptation.apply(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.getHomeAdaptation, { schema: getHomeAdaptationSchema })
  async get(input: unknown, ctx: RpcContext): Promise<HomeAdaptationView> {
    return this.homeAdaptation.get(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.listHomeAdaptations, { schema: listHomeAdaptationsSchema })
  async list(input: unknown, ctx: RpcContext): Promise<{ items: HomeAdaptationSummaryView[] }> {
    return this.homeAdaptation.list(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.assessHomeAdaptation, { schema: assessHomeAdaptationSchema })
  async assess(input: unknown, ctx: RpcContext): Promise<HomeAdaptationView> {
    return this.homeAdaptation.assess(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.planHomeAdaptation, { schema: planHomeAdaptationSchema })
  async plan(input: unknown, ctx: RpcContext): Promise<HomeAdaptationView> {
    return this.homeAdaptation.plan(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.recordHomeAdaptationWorks, { schema: recordHomeAdaptationWorksSchema })
  async recordWorks(input: unknown, ctx: RpcContext): Promise<HomeAdaptationView> {
    return this.homeAdaptation.recordWorks(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.acceptHomeAdaptation, { schema: acceptHomeAdaptationSchema })
  async accept(input: unknown, ctx: RpcContext): Promise<HomeAdaptationView> {
    return this.homeAdaptation.accept(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.payHomeAdaptation, { schema: payHomeAdaptationSchema })
  async pay(input: unknown, ctx: RpcContext): Promise<HomeAdaptationView> {
    return this.homeAdaptation.pay(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.refuseHomeAdaptation, { schema: refuseHomeAdaptationSchema })
  async refuse(input: unknown, ctx: RpcContext): Promise<HomeAdaptationView> {
    return this.homeAdaptation.refuse(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.homeAdaptationProgress, { schema: homeAdaptationProgressSchema })
  async progress(input: unknown, ctx: RpcContext): Promise<HomeAdaptationProgress> {
    return this.homeAdaptation.progress(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.setHomeAdaptationTarget, { schema: setHomeAdaptationTargetSchema })
  async setTarget(input: unknown, ctx: RpcContext): Promise<HomeAdaptationTargetView> {
    return this.homeAdaptation.setTarget(input, requireActor(ctx));
  }
}
