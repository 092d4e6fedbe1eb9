import { Injectable } from '@nestjs/common';
import { RpcHandler, requireActor, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import { Patterns, applyDivorceSchema, getDivorceSchema, lapseDivorcesSchema, registerDivorceSchema, withdrawDivorceSchema, type DivorceApplicationView } from '@civil/contracts';
import { DivorceService } from './divorce.service';

@Injectable()
export class DivorceHandlers {
  constructor(private readonly divorces: DivorceService) {}

  @RpcHandler(Patterns.socialAffairs.applyDivorce, { schema: applyDivorceSchema })
  async apply(input: z.output<typeof applyDivorceSchema>, ctx: RpcContext): Promise<DivorceApplicationView> {
    return this.divorces.apply(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.withdrawDivorce, { schema: withdrawDivorceSchema })
  async withdraw(input: z.output<typeof withdrawDivorceSchema>, ctx: RpcContext): Promise<DivorceApplicationView> {
    return this.divorces.withdraw(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.registerDivorce, { schema: registerDivorceSchema })
  async register(input: z.output<typeof registerDivorceSchema>, ctx: RpcContext): Promise<DivorceApplicationView> {
    return this.divorces.register(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.getDivorce, { schema: getDivorceSchema })
  async get(input: z.output<typeof getDivorceSchema>, ctx: RpcContext): Promise<DivorceApplicationView> {
    return this.divorces.get(input.applicationId, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.lapseDivorces, { schema: lapseDivorcesSchema })
  async lapse(input: z.output<typeof lapseDivorcesSchema>, ctx: RpcContext): Promise<{ lapsed: number }> {
    return this.divorces.lapse(requireActor(ctx), input.today);
  }
}
