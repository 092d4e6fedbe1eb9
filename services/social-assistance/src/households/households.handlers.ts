import { Injectable } from '@nestjs/common';
import {
  DomainError,
  Patterns,
  getHouseholdSchema,
  recordAssetSchema,
  recordIncomeSchema,
  registerHouseholdSchema,
  type Actor,
  type AssetView,
  type HouseholdFinancesView,
  type HouseholdView,
  type IncomeView,
} from '@civil/contracts';
import { RpcHandler, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import { HouseholdsService } from './households.service';

@Injectable()
export class HouseholdsHandlers {
  constructor(private readonly households: HouseholdsService) {}

  @RpcHandler(Patterns.socialAssistance.registerHousehold, { schema: registerHouseholdSchema })
  async register(input: z.output<typeof registerHouseholdSchema>, ctx: RpcContext): Promise<HouseholdView> {
    if (!ctx.actor) throw new DomainError('UNAUTHENTICATED', 'an actor is required');
    return this.households.register(input, ctx.actor);
  }

  @RpcHandler(Patterns.socialAssistance.getHousehold, { schema: getHouseholdSchema })
  async get(input: z.output<typeof getHouseholdSchema>, ctx: RpcContext): Promise<HouseholdView> {
    if (!ctx.actor) throw new DomainError('UNAUTHENTICATED', 'an actor is required');
    return this.households.get(input.id, ctx.actor);
  }

  @RpcHandler(Patterns.socialAssistance.recordIncome, { schema: recordIncomeSchema })
  async recordIncome(input: z.output<typeof recordIncomeSchema>, ctx: RpcContext): Promise<IncomeView> {
    return this.households.recordIncome(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAssistance.recordAsset, { schema: recordAssetSchema })
  async recordAsset(input: z.output<typeof recordAssetSchema>, ctx: RpcContext): Promise<AssetView> {
    return this.households.recordAsset(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAssistance.getFinances, { schema: getHouseholdSchema })
  async finances(input: z.output<typeof getHouseholdSchema>, ctx: RpcContext): Promise<HouseholdFinancesView> {
    return this.households.finances(input.id, requireActor(ctx));
  }
}

function requireActor(ctx: RpcContext): Actor {
  if (!ctx.actor) throw new DomainError('UNAUTHENTICATED', 'an actor is required');
  return ctx.actor;
}
