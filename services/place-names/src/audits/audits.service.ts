import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { DataSource, EntityManager } from 'typeorm';
import { todayInShanghai } from '@civil/domain-kernel';
import {
  DomainError,
  PlaceNameAuditEvents,
  assignAuditReviewersSchema,
  closeAuditCampaignSchema,
  createAuditCampaignSchema,
  divisionLikePatterns,
  getAuditCampaignSchema,
  listAuditRecordsSchema,
  parseOrThrow,
  recordAuditResultSchema,
  type Actor,
  type AssignAuditReviewersRequest,
  type AuditAssignmentView,
  type AuditCampaignProgress,
  type AuditCampaignStatus,
  type AuditCampaignView,
  type AuditProgressCounts,
  type AuditRecordListView,
  type AuditRecordReviewedV1,
  type AuditRecordStatus,
  type AuditRecordView,
  type CloseAuditCampaignRequest,
  type CreateAuditCampaignRequest,
  type GetAuditCampaignRequest,
  type ListAuditRecordsRequest,
  type PlaceNameCategory,
  type RecordAuditResultInput,
  type RecordAuditResultRequest,
} from '@civil/contracts';
import { Outbox, type Transaction } from '@civil/platform';
import { GazetteerService } from '../gazetteer/gazetteer.service';
import { divisionScopePattern } from '../gazetteer/search.service';
import {
  addCount,
  checkClosable,
  checkOutcomeMatches,
  checkReviewedOn,
  classifyCorrections,
  countsByClass,
  delegatedWriter,
  emptyCounts,
  readAccess,
  recordingAgain,
  requireManager,
  requireManagerOf,
  requireMayRecord,
  requireOpen,
  type CorrectableDetails,
} from './audits.domain';

export interface CreateCampaignOptions {
  /** A demo campaign selects only demo records (and is flagged demo itself). */
  demo?: boolean;
}

interface CampaignRow {
  id: string;
  title: string;
  year: number;
  categories: PlaceNameCategory[];
  division_codes: string[];
  status: AuditCampaignStatus;
  demo: boolean;
  created_by: string;
  created_at: Date;
  closed_at: Date | null;
  closed_by: string | null;
  close_reason: string | null;
}

interface RecordRow {
  campaign_id: string;
  place_name_id: string;
  name: string;
  category: PlaceNameCategory;
  division_code: string;
  reviewer: string | null;
  status: AuditRecordStatus;
  note: string | null;
  reviewed_by: string | null;
  reviewed_on: string | null;
}

interface DetailsRow {
  type: string | null;
  pinyin: string;
  location_description: string | null;
  longitude: string | null;
  latitude: string | null;
  approving_authority: string | null;
  approval_date: string | null;
  origin: string | null;
}

const CAMPAIGN_COLUMNS = `id, title, year, categories, division_codes, status, demo, created_by, created_at, closed_at, closed_by, close_reason`;
const RECORD_COLUMNS = `r.campaign_id, r.place_name_id, p.name, r.category, r.division_code, r.reviewer, r.status, r.note, r.reviewed_by,
  to_char(r.reviewed_on, 'YYYY-MM-DD') AS reviewed_on`;

/**
 * Quality-audit campaigns (国家地名数据库质量提升行动): a campaign snapshots the gazetteer records of
 * some categories in some divisions with one INSERT … SELECT; officers assign them to reviewers;
 * each result (confirmed, corrected, supplemented) is recorded with its event in one transaction,
 * a correction changing the gazetteer record in that same transaction.
 */
@Injectable()
export class AuditsService {
  constructor(
    private readonly outbox: Outbox,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly gazetteer: GazetteerService,
  ) {}
  async create(input: CreateAuditCampaignRequest, actor: Actor, options: CreateCampaignOptions = {}): Promise<AuditCampaignView> {
    const data = parseOrThrow(createAuditCampaignSchema, input);
    requireManagerOf(actor, data.divisionCodes, 'open audit campaigns');
    const id = uuidv7();
    await this.outbox.transaction(async (tx) => {
      await tx.manager.query(
        `INSERT INTO audit_campaign (id, title, year, categories, division_codes, demo, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, data.title, data.year, data.categories, data.divisionCodes, options.demo ?? false, actor.userId],
      );
      const [selected] = await tx.manager.query<{ n: number }[]>(
        `WITH snapshot AS (
           INSERT INTO audit_record (campaign_id, place_name_id, category, division_code)
           SELECT $1, p.id, p.category, p.division_code FROM place_name p
            WHERE p.status = 'in-use' AND p.category = ANY ($2::text[]) AND p.division_code LIKE ANY ($3::text[]) AND (NOT $4 OR p.demo)
           RETURNING 1)
         SELECT count(*)::int AS n FROM snapshot`,
        [id, data.categories, data.divisionCodes.map(divisionScopePattern), options.demo ?? false],
      );
      if ((selected?.n ?? 0) === 0) {
        throw DomainError.validation([{ field: 'categories', rule: 'selects-nothing', message: 'no record in use of these categories in these divisions' }]);
      }
    });
    return this.view(this.dataSource.manager, await this.campaign(this.dataSource.manager, id), 'all', actor);
  }

  async get(input: GetAuditCampaignRequest, actor: Actor): Promise<AuditCampaignView> {
    const { id } = parseOrThrow(getAuditCampaignSchema, input);
    const row = await this.campaign(this.dataSource.manager, id);
    const access = readAccess(actor, row.division_codes, await this.hasOwnRecords(id, actor));
    return this.view(this.dataSource.manager, row, access, actor);
  }

  /** The campaign opened for a title and year, if any (the demo data set finds its own this way). */
  async findByTitle(title: string, year: number): Promise<string | null> {
    const [row] = await this.dataSource.query<{ id: string }[]>(`SELECT id FROM audit_campaign WHERE title = $1 AND year = $2 ORDER BY created_at LIMIT 1`, [title, year]);
    return row?.id ?? null;
  }

  /** Splits pending records among reviewers in contiguous runs by division and category, in one statement. */
  async assign(input: AssignAuditReviewersRequest, actor: Actor): Promise<AuditAssignmentView> {
    const data = parseOrThrow(assignAuditReviewersSchema, input);
    requireManager(actor, 'assign audit reviewers');
    return this.outbox.transaction(async (tx) => {
      const campaign = await this.campaign(tx.manager, data.id, 'FOR SHARE');
      requireOpen(campaign);
      if (data.placeNameIds !== undefined) {
        const [found] = await tx.manager.query<{ missing: string[] }[]>(
          `SELECT coalesce(array_agg(i), '{}') AS missing FROM unnest($2::uuid[]) AS i
            WHERE NOT EXISTS (SELECT 1 FROM audit_record r WHERE r.campaign_id = $1 AND r.place_name_id = i)`,
          [data.id, data.placeNameIds],
        );
        const missing = found?.missing ?? [];
        if (missing.length > 0) {
          throw DomainError.validation([{ field: 'placeNameIds', rule: 'in-campaign', message: `not in the campaign: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}` }]);
        }
      }
      const rows = await tx.manager.query<{ reviewer: string; n: number }[]>(
        `WITH chosen AS (
           SELECT place_name_id, ntile(cardinality($2::text[])) OVER (ORDER BY division_code, category, place_name_id) AS bucket
             FROM audit_record
            WHERE campaign_id = $1 AND status = 'pending' AND ($3 OR reviewer IS NULL)
              AND ($4::uuid[] IS NULL OR place_name_id = ANY ($4::uuid[]))
              AND ($5::text[] IS NULL OR category = ANY ($5::text[]))
              AND ($6::text[] IS NULL OR division_code LIKE ANY ($6::text[]))
              AND ($7::text[] IS NULL OR division_code LIKE ANY ($7::text[]))),
         assigned AS (
           UPDATE audit_record r SET reviewer = ($2::text[])[c.bucket] FROM chosen c
            WHERE r.campaign_id = $1 AND r.place_name_id = c.place_name_id
           RETURNING r.reviewer)
         SELECT reviewer, count(*)::int AS n FROM assigned GROUP BY reviewer`,
        [
          data.id,
          data.reviewers,
          data.reassign,
          data.placeNameIds ?? null,
          data.categories ?? null,
          data.divisionCodes?.map(divisionScopePattern) ?? null,
          divisionLikePatterns(actor),
        ],
      );
      const counts = new Map(rows.map((r) => [r.reviewer, r.n]));
      return { campaignId: data.id, assigned: data.reviewers.map((reviewer) => ({ reviewer, records: counts.get(reviewer) ?? 0 })) };
    });
  }

  async listRecords(input: ListAuditRecordsRequest, actor: Actor): Promise<AuditRecordListView> {
    const data = parseOrThrow(listAuditRecordsSchema, input);
    const campaign = await this.campaign(this.dataSource.manager, data.id);
    const access = readAccess(actor, campaign.division_codes, await this.hasOwnRecords(data.id, actor));
    if (access === 'own' && data.reviewer !== undefined && data.reviewer !== actor.userId) {
      throw new DomainError('FORBIDDEN', 'a reviewer lists their own records only');
    }
    const reviewer = access === 'own' ? actor.userId : (data.reviewer ?? null);
    const rows = await this.dataSource.query<RecordRow[]>(
      `SELECT ${RECORD_COLUMNS} FROM audit_record r JOIN place_name p ON p.id = r.place_name_id
        WHERE r.campaign_id = $1 AND ($2::text IS NULL OR r.status = $2) AND ($3::text IS NULL OR r.category = $3)
          AND ($4::text IS NULL OR r.reviewer = $4) AND ($5::uuid IS NULL OR r.place_name_id > $5)
          AND ($6::text[] IS NULL OR r.division_code LIKE ANY ($6::text[]) OR r.reviewer = $7)
        ORDER BY r.place_name_id LIMIT $8`,
      [data.id, data.status ?? null, data.category ?? null, reviewer, data.after ?? null, divisionLikePatterns(actor), actor.userId, data.limit + 1],
    );
    const page = rows.slice(0, data.limit);
    return { items: page.map(toRecordView), nextAfter: rows.length > data.limit ? (page[page.length - 1]?.place_name_id ?? null) : null };
  }

  async record(input: RecordAuditResultRequest, actor: Actor, today = todayInShanghai()): Promise<AuditRecordView> {
    const data = parseOrThrow(recordAuditResultSchema, input);
    return this.outbox.transaction((tx) => this.recordWithin(tx, data, actor, today));
  }

  /**
   * Records one result inside the caller's transaction (the demo data set records hundreds per
   * transaction). The same outcome recorded again returns the record unchanged and emits nothing.
   */
  async recordWithin(tx: Transaction, data: RecordAuditResultInput, actor: Actor, today = todayInShanghai()): Promise<AuditRecordView> {
    // One statement reads and locks both: the campaign shared (closing waits), the record for update.
    const [found] = await tx.manager.query<(RecordRow & { year: number; campaign_status: AuditCampaignStatus })[]>(
      `SELECT ${RECORD_COLUMNS}, c.year, c.status AS campaign_status
         FROM audit_campaign c JOIN audit_record r ON r.campaign_id = c.id JOIN place_name p ON p.id = r.place_name_id
        WHERE c.id = $1 AND r.place_name_id = $2 FOR SHARE OF c FOR UPDATE OF r`,
      [data.id, data.placeNameId],
    );
    if (!found) {
      await this.campaign(tx.manager, data.id);
      throw new DomainError('NOT_FOUND', `place name ${data.placeNameId} is not in audit campaign ${data.id}`);
    }
    const campaign = { id: data.id, year: found.year, status: found.campaign_status };
    const current: RecordRow = found;
    requireMayRecord(actor, { reviewer: current.reviewer, divisionCode: current.division_code, placeNameId: data.placeNameId });
    if (recordingAgain(current.status, data.outcome, data.placeNameId) === 'already-recorded') return toRecordView(current);
    requireOpen(campaign);
    const reviewedOn = data.reviewedOn ?? today;
    checkReviewedOn(reviewedOn, campaign.year, today);
    if (data.outcome !== 'reviewed') {
      if (data.corrections === undefined) throw DomainError.validation([{ field: 'corrections', rule: 'required', message: `a record ${data.outcome} names the changed fields` }]);
      const [details] = await tx.manager.query<DetailsRow[]>(
        `SELECT type, pinyin, location_description, longitude::text, latitude::text, approving_authority, to_char(approval_date, 'YYYY-MM-DD') AS approval_date, origin
           FROM place_name WHERE id = $1`,
        [data.placeNameId],
      );
      if (!details) throw new DomainError('NOT_FOUND', `place name ${data.placeNameId} does not exist`);
      checkOutcomeMatches(data.outcome, classifyCorrections(detailsOf(details), data.corrections));
      await this.gazetteer.updateWithin(tx, { id: data.placeNameId, ...data.corrections }, delegatedWriter(actor, current.division_code));
    }
    await tx.manager.query(
      `UPDATE audit_record SET status = $3, note = $4, reviewed_by = $5, reviewed_on = $6, recorded_at = now() WHERE campaign_id = $1 AND place_name_id = $2`,
      [data.id, data.placeNameId, data.outcome, data.note ?? null, actor.userId, reviewedOn],
    );
    await tx.emit<AuditRecordReviewedV1>(actor, [
      {
        type: PlaceNameAuditEvents.recordReviewed,
        subject: `audit-campaign/${data.id}`,
        divisionCode: current.division_code,
        data: {
          campaignId: data.id,
          year: campaign.year,
          nameId: data.placeNameId,
          category: current.category,
          divisionCode: current.division_code,
          outcome: data.outcome,
          reviewedOn,
        },
      },
    ]);
    return toRecordView({ ...current, status: data.outcome, note: data.note ?? null, reviewed_by: actor.userId, reviewed_on: reviewedOn });
  }

  async close(input: CloseAuditCampaignRequest, actor: Actor): Promise<AuditCampaignView> {
    const data = parseOrThrow(closeAuditCampaignSchema, input);
    requireManager(actor, 'close audit campaigns');
    return this.outbox.transaction(async (tx) => {
      const campaign = await this.campaign(tx.manager, data.id, 'FOR UPDATE');
      requireManagerOf(actor, campaign.division_codes, 'close audit campaigns');
      requireOpen(campaign);
      const [pending] = await tx.manager.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM audit_record WHERE campaign_id = $1 AND status = 'pending'`, [data.id]);
      checkClosable(pending?.n ?? 0, data.force, data.id);
      await tx.manager.query(
        `UPDATE audit_campaign SET status = 'closed', closed_at = now(), closed_by = $2, close_reason = $3, updated_at = now() WHERE id = $1`,
        [data.id, actor.userId, data.reason ?? null],
      );
      return this.view(tx.manager, await this.campaign(tx.manager, data.id), 'all', actor);
    });
  }

  private async hasOwnRecords(campaignId: string, actor: Actor): Promise<boolean> {
    const [row] = await this.dataSource.query<{ own: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM audit_record WHERE campaign_id = $1 AND reviewer = $2) AS own`,
      [campaignId, actor.userId],
    );
    return row?.own === true;
  }

  private async campaign(manager: EntityManager, id: string, lock: '' | 'FOR SHARE' | 'FOR UPDATE' = ''): Promise<CampaignRow> {
    const [row] = await manager.query<CampaignRow[]>(`SELECT ${CAMPAIGN_COLUMNS} FROM audit_campaign WHERE id = $1 ${lock}`, [id]);
    if (!row) throw new DomainError('NOT_FOUND', `audit campaign ${id} does not exist`);
    return row;
  }

  private async view(manager: EntityManager, row: CampaignRow, access: 'all' | 'own', actor: Actor): Promise<AuditCampaignView> {
    const counts = await manager.query<{ category: PlaceNameCategory; reviewer: string | null; status: AuditRecordStatus; n: number }[]>(
      `SELECT category, reviewer, status, count(*)::int AS n FROM audit_record WHERE campaign_id = $1 AND ($2::text IS NULL OR reviewer = $2)
        GROUP BY category, reviewer, status ORDER BY category, reviewer NULLS FIRST`,
      [row.id, access === 'own' ? actor.userId : null],
    );
    const total = emptyCounts();
    const byCategory = new Map<PlaceNameCategory, AuditProgressCounts>();
    const byReviewer = new Map<string | null, AuditProgressCounts>();
    for (const c of counts) {
      addCount(total, c.status, c.n);
      addCount(getOrAdd(byCategory, c.category), c.status, c.n);
      addCount(getOrAdd(byReviewer, c.reviewer), c.status, c.n);
    }
    const categories = [...byCategory].map(([category, c]) => ({ category, ...c }));
    const progress: AuditCampaignProgress = {
      total,
      byCategory: categories,
      byClass: countsByClass(categories),
      byReviewer: [...byReviewer].map(([reviewer, c]) => ({ reviewer, ...c })),
    };
    return {
      id: row.id,
      title: row.title,
      year: row.year,
      categories: row.categories,
      divisionCodes: row.division_codes,
      status: row.status,
      createdBy: row.created_by,
      createdAt: row.created_at.toISOString(),
      closedAt: row.closed_at?.toISOString() ?? null,
      closedBy: row.closed_by,
      closeReason: row.close_reason,
      demo: row.demo,
      progress,
    };
  }
}

function getOrAdd<K>(map: Map<K, AuditProgressCounts>, key: K): AuditProgressCounts {
  let counts = map.get(key);
  if (!counts) {
    counts = emptyCounts();
    map.set(key, counts);
  }
  return counts;
}

function detailsOf(row: DetailsRow): CorrectableDetails {
  return {
    type: row.type,
    pinyin: row.pinyin,
    locationDescription: row.location_description,
    longitude: row.longitude,
    latitude: row.latitude,
    approvingAuthority: row.approving_authority,
    approvalDate: row.approval_date,
    origin: row.origin,
  };
}

function toRecordView(row: RecordRow): AuditRecordView {
  return {
    campaignId: row.campaign_id,
    placeNameId: row.place_name_id,
    name: row.name,
    category: row.category,
    divisionCode: row.division_code,
    reviewer: row.reviewer,
    status: row.status,
    note: row.note,
    reviewedBy: row.reviewed_by,
    reviewedOn: row.reviewed_on,
  };
}
