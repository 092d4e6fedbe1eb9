import { Injectable } from '@nestjs/common';
import { RpcHandler, requireActor, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import {
  Patterns,
  charitySummarySchema,
  createCharityCampaignSchema,
  listCharityCampaignsSchema,
  recordCharityActivitySchema,
  recordCharityDonationSchema,
  type CharityActivityView,
  type CharityCampaignView,
  type CharityDonationView,
  type CharitySummaryView,
} from '@civil/contracts';
import { CharityService } from './charity.service';

@Injectable()
export class CharityHandlers {
  constructor(private readonly charity: CharityService) {}

  @RpcHandler(Patterns.socialAssistance.createCharityCampaign, { schema: createCharityCampaignSchema })
  async createCampaign(input: z.output<typeof createCharityCampaignSchema>, ctx: RpcContext): Promise<CharityCampaignView> {
    const actor = requireActor(ctx);
    return this.charity.createCampaign(input, actor);
  }

  @RpcHandler(Patterns.socialAssistance.listCharityCampaigns, { schema: listCharityCampaignsSchema })
  async listCampaigns(input: z.output<typeof listCharityCampaignsSchema>, ctx: RpcContext): Promise<CharityCampaignView[]> {
    const actor = requireActor(ctx);
    return this.charity.listCampaigns(input, actor);
  }

  @RpcHandler(Patterns.socialAssistance.recordCharityDonation, { schema: recordCharityDonationSchema })
  async recordDonation(input: z.output<typeof recordCharityDonationSchema>, ctx: RpcContext): Promise<CharityDonationView> {
    const actor = requireActor(ctx);
    return this.charity.recordDonation(input, actor);
  }

  @RpcHandler(Patterns.socialAssistance.recordCharityActivity, { schema: recordCharityActivitySchema })
  async recordActivity(input: z.output<typeof recordCharityActivitySchema>, ctx: RpcContext): Promise<CharityActivityView> {
    const actor = requireActor(ctx);
    return this.charity.recordActivity(input, actor);
  }

  @RpcHandler(Patterns.socialAssistance.charitySummary, { schema: charitySummarySchema })
  async summary(input: z.output<typeof charitySummarySchema>, ctx: RpcContext): Promise<CharitySummaryView> {
    const actor = requireActor(ctx);
    return this.charity.summary(input, actor);
  }
}
