/**
 * The 2023 demo data set of place names, generated through the service's own classes (so every
 * record has its events in the outbox exactly as in real use): the planned gazetteer records
 * through GazetteerService.recordWithin (flagged demo), then the 2023 quality-audit campaign over
 * all of them through AuditsService, every record reviewed, corrected or supplemented. Idempotent:
 * what is already there (records, the campaign, assignments, results) is not made again.
 */
import type { Outbox, Transaction } from '@civil/platform';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import {
  PlaceNameEvents,
  AUDIT_DATABASE_CLASSES,
  PLACE_NAME_CATEGORIES,
  PlaceNameAuditEvents,
  auditDatabaseClassOf,
  type Actor,
  type AuditDatabaseClass,
  type AuditOutcome,
  type PlaceNameCategory,
} from '@civil/contracts';
import { AuditsService } from '../audits/audits.service';
import { DivisionsService } from '../divisions/divisions.service';
import { GazetteerService } from '../gazetteer/gazetteer.service';
import { NamingProposalsService } from '../naming-proposals/naming-proposals.service';
import { NamingRulesService } from '../naming-rules/naming-rules.service';
import { APPROVING_AUTHORITY, COUNTY, DEMO_APPROVER, DEMO_OFFICER, DEMO_REVIEWING_OFFICER, DEMO_REVIEWERS, RENAMING_HOOK, placeKey, planPlaceNamesDemo, type DemoPlanOptions, type PlannedPlace } from './demo-plan';
import { SEED_2023 } from './seed-2023';

/** Records per transaction: big enough to be quick, small enough to keep locks and memory short. */
const BATCH = 500;
/** Transactions in flight at once (the command's pool has four connections). */
const CONCURRENCY = 2;

function batchesOf<T>(items: readonly T[]): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH) batches.push(items.slice(i, i + BATCH));
  return batches;
}

/** Runs `work` over `items` with at most CONCURRENCY in flight. */
async function inPool<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) await work(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
}

export interface PlaceNamesDemoFigures {
  /** Demo gazetteer records by database class (the five classes and "other"). */
  records: Record<AuditDatabaseClass, number>;
  /** Reviews recorded in the campaign's year, from the record-reviewed events in the outbox, by class. */
  reviewed: Record<AuditDatabaseClass, number>;
  outcomes: Record<AuditOutcome, number>;
  campaign: { id: string | null; status: 'open' | 'closed' | 'missing'; pending: number };
  /** Renamings announced in the year, from the renamed events in the outbox: "old → new". */
  renamings: string[];
}

export interface PlaceNamesDemoResult extends PlaceNamesDemoFigures {
  created: { records: number; results: number };
}

export class PlaceNamesDemoGenerator {
  private readonly gazetteer: GazetteerService;
  private readonly audits: AuditsService;
  private readonly proposals: NamingProposalsService;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly logger: Logger,
    private readonly options: DemoPlanOptions = {},
  ) {
    this.gazetteer = new GazetteerService(outbox, dataSource, new DivisionsService(outbox, dataSource));
    this.audits = new AuditsService(outbox, dataSource, this.gazetteer);
    this.proposals = new NamingProposalsService(outbox, dataSource, this.gazetteer, new NamingRulesService(dataSource));
  }

  async generate(): Promise<PlaceNamesDemoResult> {
    const started = Date.now();
    const plan = planPlaceNamesDemo(this.options);
    const records = await this.recordPlaces(plan);
    this.logger.info({ records, seconds: (Date.now() - started) / 1000 }, 'demo: gazetteer records done; the 2023 campaign next');
    const campaignId = await this.openCampaign();
    const [unassigned] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM audit_record WHERE campaign_id = $1 AND status = 'pending' AND reviewer IS NULL`,
      [campaignId],
    );
    if ((unassigned?.n ?? 0) > 0) await this.audits.assign({ id: campaignId, reviewers: DEMO_REVIEWERS.map((r) => r.userId) }, DEMO_OFFICER);
    const results = await this.recordResults(campaignId, plan);
    const [pending] = await this.dataSource.query<{ n: number; status: string }[]>(
      `SELECT (SELECT count(*) FROM audit_record WHERE campaign_id = $1 AND status = 'pending')::int AS n, (SELECT status FROM audit_campaign WHERE id = $1) AS status`,
      [campaignId],
    );
    if (pending?.n === 0 && pending.status === 'open') await this.audits.close({ id: campaignId }, DEMO_OFFICER);
    this.logger.info({ results, seconds: (Date.now() - started) / 1000 }, 'demo: 2023 campaign done');
    const renamed = await this.renameSeedPlaces();
    this.logger.info({ renamed }, 'demo: the 2023 renamings announced');
    return { ...(await placeNamesDemoFigures(this.dataSource, SEED_2023.year)), created: { records, results } };
  }

  /**
   * The report's two renamings (东方威尼斯小区 → 东方华庭, 大顺米兰豪苑 → 文庭雅苑) through the naming
   * workflow: proposal, review by another officer, approval, announcement. A place already renamed
   * is skipped, and a proposal left half-way by an interrupted run is taken up where it stopped.
   */
  private async renameSeedPlaces(): Promise<number> {
    let renamed = 0;
    for (const [index, renaming] of RENAMING_HOOK.entries()) {
      const [place] = await this.dataSource.query<{ id: string; name: string }[]>(
        `SELECT id, name FROM place_name WHERE demo AND status = 'in-use' AND division_code = $1 AND name IN ($2, $3)`,
        [renaming.divisionCode, renaming.oldName, renaming.newName],
      );
      if (!place || place.name === renaming.newName) continue;
      const [open] = await this.dataSource.query<{ id: string; status: string }[]>(
        `SELECT id, status FROM naming_proposal WHERE place_name_id = $1 AND status IN ('submitted', 'reviewed', 'approved') ORDER BY created_at DESC LIMIT 1`,
        [place.id],
      );
      const step = renaming.steps;
      let proposal = open ?? {
        id: (
          await this.proposals.submit(
            {
              kind: 'renaming',
              placeNameId: place.id,
              name: renaming.newName,
              origin: renaming.origin,
              reason: '清理整治不规范地名：原名含外国地名译名（“洋地名”）',
              documents: [{ title: '不规范地名更名申请', reference: `祥民地〔${SEED_2023.year}〕${index + 11}号` }],
            },
            DEMO_OFFICER,
            step.submittedOn,
          )
        ).id,
        status: 'submitted',
      };
      if (proposal.status === 'submitted') {
        await this.proposals.review({ id: proposal.id, decision: 'forward', opinion: '符合地名命名规则，同意报批' }, DEMO_REVIEWING_OFFICER);
        proposal = { ...proposal, status: 'reviewed' };
      }
      if (proposal.status === 'reviewed') {
        await this.proposals.approve(
          { id: proposal.id, decision: 'approve', approvingAuthority: APPROVING_AUTHORITY, approvalDate: step.approvedOn, documentNumber: `祥政地名〔${SEED_2023.year}〕${index + 3}号` },
          DEMO_APPROVER,
        );
      }
      await this.proposals.announce({ id: proposal.id, announcementNumber: `大祥区地名公告〔${SEED_2023.year}〕${index + 1}号`, announcedOn: step.announcedOn }, DEMO_OFFICER);
      renamed += 1;
    }
    return renamed;
  }

  /** The planned records not there yet, in batches of one transaction each. */
  private async recordPlaces(plan: readonly PlannedPlace[]): Promise<number> {
    // Under any of their names: a place renamed by an earlier run is there under its former name.
    const existing = await this.dataSource.query<{ division_code: string; name: string }[]>(
      `SELECT p.division_code, v.name FROM place_name p JOIN place_name_version v ON v.place_name_id = p.id WHERE p.demo`,
    );
    const there = new Set(existing.map((r) => placeKey(r.division_code, r.name)));
    const missing = plan.filter((p) => !there.has(placeKey(p.input.divisionCode, p.input.name)));
    await inPool(batchesOf(missing), (batch) =>
      this.outbox.transaction(async (tx) => {
        for (const place of batch) await this.gazetteer.recordWithin(tx, place.input, DEMO_OFFICER, { demo: true });
      }),
    );
    return missing.length;
  }

  private async openCampaign(): Promise<string> {
    const found = await this.audits.findByTitle(SEED_2023.campaignTitle, SEED_2023.year);
    if (found) return found;
    const campaign = await this.audits.create(
      { title: SEED_2023.campaignTitle, year: SEED_2023.year, categories: [...PLACE_NAME_CATEGORIES], divisionCodes: [COUNTY.code] },
      DEMO_OFFICER,
      { demo: true },
    );
    return campaign.id;
  }

  /** Each pending record's planned result, recorded by its assigned reviewer, a batch per transaction. */
  private async recordResults(campaignId: string, plan: readonly PlannedPlace[]): Promise<number> {
    const planned = new Map(plan.map((p) => [placeKey(p.input.divisionCode, p.input.name), p.result]));
    const reviewers = new Map<string, Actor>(DEMO_REVIEWERS.map((r) => [r.userId, r]));
    const pending = await this.dataSource.query<{ place_name_id: string; name: string; division_code: string; reviewer: string | null; version: number }[]>(
      `SELECT r.place_name_id, p.name, r.division_code, r.reviewer, p.version FROM audit_record r JOIN place_name p ON p.id = r.place_name_id
        WHERE r.campaign_id = $1 AND r.status = 'pending' ORDER BY r.place_name_id`,
      [campaignId],
    );
    await inPool(batchesOf(pending), (batch) =>
      this.outbox.transaction(async (tx: Transaction) => {
        for (const row of batch) {
          const result = planned.get(placeKey(row.division_code, row.name)) ?? { outcome: 'reviewed' as const, reviewedOn: `${SEED_2023.year}-12-01`, note: '与实地及档案一致' };
          const actor = (row.reviewer === null ? undefined : reviewers.get(row.reviewer)) ?? DEMO_OFFICER;
          await this.audits.recordWithin(
            tx,
            {
              id: campaignId,
              placeNameId: row.place_name_id,
              outcome: result.outcome,
              reviewedOn: result.reviewedOn,
              note: result.note,
              ...(result.outcome === 'reviewed' ? {} : { corrections: { expectedVersion: row.version, ...result.corrections } }),
            },
            actor,
          );
        }
      }),
    );
    return pending.length;
  }
}

function byClass(): Record<AuditDatabaseClass, number> {
  return Object.fromEntries(AUDIT_DATABASE_CLASSES.map((c) => [c, 0])) as Record<AuditDatabaseClass, number>;
}

/** The figures as reporting would count them: demo records, and the review events of the year in the outbox. */
export async function placeNamesDemoFigures(dataSource: DataSource, year: number): Promise<PlaceNamesDemoFigures> {
  const records = byClass();
  const reviewed = byClass();
  const outcomes: Record<AuditOutcome, number> = { reviewed: 0, corrected: 0, supplemented: 0 };
  const recordRows = await dataSource.query<{ category: PlaceNameCategory; n: number }[]>(`SELECT category, count(*)::int AS n FROM place_name WHERE demo GROUP BY category`);
  for (const r of recordRows) records[auditDatabaseClassOf(r.category)] += r.n;
  const eventRows = await dataSource.query<{ category: PlaceNameCategory; outcome: AuditOutcome; n: number }[]>(
    `SELECT envelope->'data'->>'category' AS category, envelope->'data'->>'outcome' AS outcome, count(*)::int AS n FROM outbox
      WHERE type = $1 AND (envelope->'data'->>'year')::int = $2
        AND envelope->'data'->>'campaignId' IN (SELECT id::text FROM audit_campaign WHERE demo)
      GROUP BY 1, 2`,
    [PlaceNameAuditEvents.recordReviewed, year],
  );
  for (const r of eventRows) {
    reviewed[auditDatabaseClassOf(r.category)] += r.n;
    outcomes[r.outcome] += r.n;
  }
  const [campaign] = await dataSource.query<{ id: string; status: 'open' | 'closed'; pending: number }[]>(
    `SELECT c.id, c.status, (SELECT count(*) FROM audit_record r WHERE r.campaign_id = c.id AND r.status = 'pending')::int AS pending
       FROM audit_campaign c WHERE c.demo AND c.title = $1 AND c.year = $2 ORDER BY c.created_at LIMIT 1`,
    [SEED_2023.campaignTitle, year],
  );
  const renamings = await dataSource.query<{ renaming: string }[]>(
    `SELECT (envelope->'data'->>'oldName') || ' → ' || (envelope->'data'->>'newName') AS renaming FROM outbox
      WHERE type = $1 AND left(envelope->'data'->>'effectiveDate', 4)::int = $2 ORDER BY envelope->'data'->>'effectiveDate'`,
    [PlaceNameEvents.renamed, year],
  );
  return { records, reviewed, outcomes, campaign: campaign ?? { id: null, status: 'missing', pending: 0 }, renamings: renamings.map((r) => r.renaming) };
}
