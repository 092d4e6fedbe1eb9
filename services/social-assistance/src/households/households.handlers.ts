import { Injectable } from '@nestjs/common';
import {
  Patterns,
  getHouseholdSchema,
  recordAssetSchema,
  recordIncomeSchema,
  registerHouseholdSchema,
  type AssetView,
  type HouseholdFinancesView,
  type HouseholdView,
  type IncomeView,
} from '@civil/contracts';
import { RpcHandler, requireActor, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import { HouseholdsService } from './households.service';

@Injectable()
export class HouseholdsHandlers {
  constructor(private readonly households: HouseholdsService) {}

  @RpcHandler(Patterns.socialAssistance.registerHousehold, { schema: registerHouseholdSchema })
  async register(input: z.output<typeof registerHouseholdSchema>, ctx: RpcContext): Promise<HouseholdView> {
    const actor = requireActor(ctx);
    return this.households.register(input, actor);
  }

  @RpcHandler(Patterns.socialAssistance.getHousehold, { schema: getHouseholdSchema })
  async get(input: z.output<typeof getHouseholdSchema>, ctx: RpcContext): Promise<HouseholdView> {
    const actor = requireActor(ctx);
    return this.households.get(input.id, actor);
  }

  @RpcHandler(Patterns.socialAssistance.recordIncome, { schema: recordIncomeSchema })
  async recordIncome(input: z.output<typeof recordIncomeSchema>, ctx: RpcContext): Promise<IncomeView> {
    const actor = requireActor(ctx);
    return this.households.recordIncome(input, actor);
  }

  @RpcHandler(Patterns.socialAssistance.recordAsset, { schema: recordAssetSchema })
  async recordAsset(input: z.output<typeof recordAssetSchema>, ctx: RpcContext): Promise<AssetView> {
    const actor = requireActor(ctx);
    return this.households.recordAsset(input, actor);
  }

  @RpcHandler(Patterns.socialAssistance.getFinances, { schema: getHouseholdSchema })
  async finances(input: z.output<typeof getHouseholdSchema>, ctx: RpcContext): Promise<HouseholdFinancesView> {
    const actor = requireActor(ctx);
    return this.households.finances(input.id, actor);
  }
}

