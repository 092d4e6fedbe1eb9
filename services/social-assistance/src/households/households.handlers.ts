import { Injectable } from '@nestjs/common';
import { DomainError, Patterns, getHouseholdSchema, registerHouseholdSchema, type HouseholdView } from '@civil/contracts';
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
}
