import { Injectable } from '@nestjs/common';
import {
  Patterns,
  assignAuditReviewersSchema,
  closeAuditCampaignSchema,
  createAuditCampaignSchema,
  getAuditCampaignSchema,
  listAuditRecordsSchema,
  recordAuditResultSchema,
  type AuditAssignmentView,
  type AuditCampaignView,
  type AuditRecordListView,
  type AuditRecordView,
} from '@civil/contracts';
import { RpcHandler, requireActor, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import { AuditsService } from './audits.service';

/** NATS request handlers of the quality-audit campaigns: every request needs an actor; the service holds the rules. */
@Injectable()
export class AuditsHandlers {
  constructor(private readonly audits: AuditsService) {}

  @RpcHandler(Patterns.placeNameAudits.create, { schema: createAuditCampaignSchema })
  async create(input: z.output<typeof createAuditCampaignSchema>, ctx: RpcContext): Promise<AuditCampaignView> {
    return this.audits.create(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.placeNameAudits.get, { schema: getAuditCampaignSchema })
  async get(input: z.output<typeof getAuditCampaignSchema>, ctx: RpcContext): Promise<AuditCampaignView> {
    return this.audits.get(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.placeNameAudits.assign, { schema: assignAuditReviewersSchema })
  async assign(input: z.output<typeof assignAuditReviewersSchema>, ctx: RpcContext): Promise<AuditAssignmentView> {
    return this.audits.assign(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.placeNameAudits.listRecords, { schema: listAuditRecordsSchema })
  async listRecords(input: z.output<typeof listAuditRecordsSchema>, ctx: RpcContext): Promise<AuditRecordListView> {
    return this.audits.listRecords(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.placeNameAudits.recordResult, { schema: recordAuditResultSchema })
  async recordResult(input: z.output<typeof recordAuditResultSchema>, ctx: RpcContext): Promise<AuditRecordView> {
    return this.audits.record(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.placeNameAudits.close, { schema: closeAuditCampaignSchema })
  async close(input: z.output<typeof closeAuditCampaignSchema>, ctx: RpcContext): Promise<AuditCampaignView> {
    return this.audits.close(input, requireActor(ctx));
  }
}
