import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { v7 as uuidv7 } from 'uuid';
import {
  CharityEvents,
  DomainError,
  actorCoversDivision,
  charitySummarySchema,
  createCharityCampaignSchema,
  divisionLikePatterns,
  listCharityCampaignsSchema,
  parseOrThrow,
  recordCharityActivitySchema,
  recordCharityDonationSchema,
  type Actor,
  type CharityActivityKind,
  type CharityActivityRecordedV1,
  type CharityActivityView,
  type CharityCampaignCreatedV1,
  type CharityCampaignKind,
  type CharityCampaignView,
  type CharityDonationKind,
  type CharityDonationReceivedV1,
  type CharityDonationView,
  type CharityDonorKind,
  type CharitySummaryInput,
  type CharitySummaryView,
  type CreateCharityCampaignInput,
  type ListCharityCampaignsInput,
  type RecordCharityActivityInput,
  type RecordCharityDonationInput,
} from '@civil/contracts';
import { Outbox } from '@civil/platform';
import type { DataSource, EntityManager } from 'typeorm';
import {
  GENERAL_FUND_NAME,
  ancestorsOf,
  checkActivityFigures,
  checkCampaignDates,
  checkDonation,
  checkHeldWithinCampaign,
  checkPoolCovers,
  checkWithinCampaignDivision,
  requireReader,
  requireRecorder,
  requireScope,
  summarise,
  yearRange,
  type CampaignBounds,
  type PoolTotals,
} from './charity.domain';

interface CampaignRow {
  id: string;
  name: string;
  kind: CharityCampaignKind;
  division_code: string;
  starts_on: string;
  ends_on: string | null;
  created_by: string;
  created_at: Date;
}
interface DonationRow {
  id: string;
  campaign_id: string | null;
  division_code: string;
  donor_name: string | null;
  donor_kind: CharityDonorKind;
  kind: CharityDonationKind;
  amount_fen: string | null;
  goods_description: string | null;
  quantity: number | null;
  value_fen: string | null;
  receipt_number: string;
  received_on: string;
  recorded_by: string;
  recorded_at: Date;
}
interface ActivityRow {
  id: string;
  campaign_id: string | null;
  kind: CharityActivityKind;
  title: string;
  division_code: string;
  held_on: string;
  households_visited: number;
  persons_served: number;
  funds_distributed_fen: string;
  goods_distributed_value_fen: string;
  recorded_by: string;
  recorded_at: Date;
}
interface SummaryRow {
  campaign_id: string | null;
  name: string | null;
  kind: CharityCampaignKind | null;
  funds_in: string;
  goods_in: string;
  donations: string;
  funds_out: string;
  goods_out: string;
  activities: string;
  households: string;
  persons: string;
}

const CAMPAIGN_COLUMNS = `id, name, kind, division_code, to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(ends_on, 'YYYY-MM-DD') AS ends_on, created_by, created_at`;
const DONATION_COLUMNS = `id, campaign_id, division_code, donor_name, donor_kind, kind, amount_fen, goods_description, quantity, value_fen, receipt_number,
  to_char(received_on, 'YYYY-MM-DD') AS received_on, recorded_by, recorded_at`;
const ACTIVITY_COLUMNS = `id, campaign_id, kind, title, division_code, to_char(held_on, 'YYYY-MM-DD') AS held_on, households_visited, persons_served,
  funds_distributed_fen, goods_distributed_value_fen, recorded_by, recorded_at`;

const UNIQUE_VIOLATION = '23505';
/** Serialises distributions from the general fund, which has no row to lock. */
const GENERAL_FUND_LOCK = `SELECT pg_advisory_xact_lock(hashtext('social-assistance.charity.general-fund'))`;

/**
 * 慈善: campaigns, the money and goods received (per campaign, or for the general fund) and the
 * activities that visit households, serve people and hand money and goods out. Both ledgers are
 * append-only; an activity may hand out only what its pool has left, checked under the pool's lock
 * (the campaign's row, or an advisory lock for the general fund) so concurrent distributions cannot
 * overdraw it. Every write emits its event through the outbox in the same transaction.
 */
@Injectable()
export class CharityService {
  constructor(
    private readonly outbox: Outbox,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async createCampaign(input: CreateCharityCampaignInput, actor: Actor): Promise<CharityCampaignView> {
    requireRecorder(actor, 'create charity campaigns');
    const data = parseOrThrow(createCharityCampaignSchema, input);
    checkCampaignDates(data);
    requireScope(actor, data.divisionCode, 'a campaign');
    return this.outbox.transaction(async (tx) => {
      const [row] = await tx.manager.query<CampaignRow[]>(
        `INSERT INTO charity_campaign (id, name, kind, division_code, starts_on, ends_on, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${CAMPAIGN_COLUMNS}`,
        [uuidv7(), data.name, data.kind, data.divisionCode, data.startsOn, data.endsOn ?? null, actor.userId],
      );
      const campaign = toCampaignView(inserted(row));
      await tx.emit<CharityCampaignCreatedV1>(actor, [
        {
          type: CharityEvents.campaignCreated,
          subject: `charity-campaign/${campaign.id}`,
          divisionCode: campaign.divisionCode,
          data: { campaignId: campaign.id, name: campaign.name, kind: campaign.kind, startsOn: campaign.startsOn, endsOn: campaign.endsOn },
        },
      ]);
      return campaign;
    });
  }

  /**
   * Campaigns the caller can record under: organised within their divisions, or by a division
   * above theirs (a district-wide 中华慈善日 is visible to its townships). Optionally one year's.
   */
  async listCampaigns(input: ListCharityCampaignsInput, actor: Actor): Promise<CharityCampaignView[]> {
    requireReader(actor);
    const { year } = parseOrThrow(listCharityCampaignsSchema, input);
    const range = year === undefined ? null : yearRange(year);
    const rows = await this.dataSource.query<CampaignRow[]>(
      `SELECT ${CAMPAIGN_COLUMNS} FROM charity_campaign
        WHERE (division_code LIKE ANY ($1::text[]) OR division_code = ANY ($2::text[]))
          AND ($3::date IS NULL OR (starts_on < $4::date AND (ends_on IS NULL OR ends_on >= $3::date)))
        ORDER BY starts_on, name, id`,
      [this.scopePatterns(actor), [...new Set(actor.divisions.flatMap(ancestorsOf))], range?.from ?? null, range?.to ?? null],
    );
    return rows.map(toCampaignView);
  }

  /** Money or goods received, for a campaign or the general fund. A receipt number is used once. */
  async recordDonation(input: RecordCharityDonationInput, actor: Actor): Promise<CharityDonationView> {
    requireRecorder(actor, 'record charity donations');
    const data = parseOrThrow(recordCharityDonationSchema, input);
    checkDonation(data);
    let divisionCode = data.divisionCode;
    if (data.campaignId !== undefined) {
      const campaign = await this.campaign(this.dataSource.manager, data.campaignId, false);
      if (divisionCode === undefined) divisionCode = campaign.divisionCode;
      else checkWithinCampaignDivision(divisionCode, campaign);
    }
    if (divisionCode === undefined) throw new DomainError('INTERNAL', 'a general-fund donation without a division passed the checks');
    requireScope(actor, divisionCode, 'a donation');
    const receivingDivision = divisionCode;
    try {
      return await this.outbox.transaction(async (tx) => {
        const [row] = await tx.manager.query<DonationRow[]>(
          `INSERT INTO charity_donation (id, campaign_id, division_code, donor_name, donor_kind, kind, amount_fen, goods_description, quantity, value_fen,
                                         receipt_number, received_on, recorded_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING ${DONATION_COLUMNS}`,
          [
            uuidv7(),
            data.campaignId ?? null,
            receivingDivision,
            data.donorName ?? null,
            data.donorKind,
            data.kind,
            data.amountFen ?? null,
            data.goodsDescription ?? null,
            data.quantity ?? null,
            data.valueFen ?? null,
            data.receiptNumber,
            data.receivedOn,
            actor.userId,
          ],
        );
        const donation = toDonationView(inserted(row));
        await tx.emit<CharityDonationReceivedV1>(actor, [
          {
            type: CharityEvents.donationReceived,
            subject: `charity-donation/${donation.id}`,
            divisionCode: donation.divisionCode,
            data: {
              donationId: donation.id,
              campaignId: donation.campaignId,
              kind: donation.kind,
              fundsInFen: donation.amountFen ?? 0,
              goodsInValueFen: donation.valueFen ?? 0,
              receivedOn: donation.receivedOn,
            },
          },
        ]);
        return donation;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('CONFLICT', `receipt number ${data.receiptNumber} is already recorded`);
      throw error;
    }
  }

  /**
   * An activity: households visited, persons served, money and goods handed out. Under a campaign
   * it lies within the campaign's division and dates; what it hands out comes from its pool (the
   * campaign, or the general fund) and may not exceed what the pool has left.
   */
  async recordActivity(input: RecordCharityActivityInput, actor: Actor): Promise<CharityActivityView> {
    requireRecorder(actor, 'record charity activities');
    const data = parseOrThrow(recordCharityActivitySchema, input);
    checkActivityFigures(data);
    requireScope(actor, data.divisionCode, 'an activity');
    return this.outbox.transaction(async (tx) => {
      const campaignId = data.campaignId ?? null;
      let poolName = GENERAL_FUND_NAME;
      if (campaignId === null) {
        await tx.manager.query(GENERAL_FUND_LOCK);
      } else {
        const campaign = await this.campaign(tx.manager, campaignId, true);
        checkWithinCampaignDivision(data.divisionCode, campaign);
        checkHeldWithinCampaign(data.heldOn, campaign);
        poolName = `campaign ${campaign.name}`;
      }
      if (data.fundsDistributedFen > 0 || data.goodsDistributedValueFen > 0) {
        checkPoolCovers(await this.poolTotals(tx.manager, campaignId), data, poolName);
      }
      const [row] = await tx.manager.query<ActivityRow[]>(
        `INSERT INTO charity_activity (id, campaign_id, kind, title, division_code, held_on, households_visited, persons_served,
                                       funds_distributed_fen, goods_distributed_value_fen, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${ACTIVITY_COLUMNS}`,
        [
          uuidv7(),
          campaignId,
          data.kind,
          data.title,
          data.divisionCode,
          data.heldOn,
          data.householdsVisited,
          data.personsServed,
          data.fundsDistributedFen,
          data.goodsDistributedValueFen,
          actor.userId,
        ],
      );
      const activity = toActivityView(inserted(row));
      await tx.emit<CharityActivityRecordedV1>(actor, [
        {
          type: CharityEvents.activityRecorded,
          subject: `charity-activity/${activity.id}`,
          divisionCode: activity.divisionCode,
          data: {
            activityId: activity.id,
            campaignId: activity.campaignId,
            kind: activity.kind,
            heldOn: activity.heldOn,
            householdsVisited: activity.householdsVisited,
            personsServed: activity.personsServed,
            fundsOutFen: activity.fundsDistributedFen,
            goodsValueFen: activity.goodsDistributedValueFen,
          },
        },
      ]);
      return activity;
    });
  }

  /**
   * The year's charity figures per pool and in total, within the caller's divisions (or one
   * division inside them): donations by the date received and the division that received them,
   * activities by the date held and the division where they were held.
   */
  async summary(input: CharitySummaryInput, actor: Actor): Promise<CharitySummaryView> {
    requireReader(actor);
    const { year, divisionCode } = parseOrThrow(charitySummarySchema, input);
    let patterns = this.scopePatterns(actor);
    if (divisionCode !== undefined) {
      if (actor.kind !== 'system' && !actorCoversDivision(actor, divisionCode)) {
        throw new DomainError('OUT_OF_DIVISION_SCOPE', `division ${divisionCode} is outside your divisions`);
      }
      patterns = divisionLikePatterns({ ...actor, kind: 'staff', divisions: [divisionCode] }) ?? [];
    }
    const { from, to } = yearRange(year);
    const rows = await this.dataSource.query<SummaryRow[]>(
      `WITH entry AS (
         SELECT campaign_id, coalesce(amount_fen, 0) AS funds_in, coalesce(value_fen, 0) AS goods_in, 1 AS donations,
                0::bigint AS funds_out, 0::bigint AS goods_out, 0 AS activities, 0 AS households, 0 AS persons
           FROM charity_donation
          WHERE received_on >= $1::date AND received_on < $2::date AND division_code LIKE ANY ($3::text[])
         UNION ALL
         SELECT campaign_id, 0, 0, 0, funds_distributed_fen, goods_distributed_value_fen, 1, households_visited, persons_served
           FROM charity_activity
          WHERE held_on >= $1::date AND held_on < $2::date AND division_code LIKE ANY ($3::text[]))
       SELECT e.campaign_id, c.name, c.kind,
              sum(e.funds_in)::text AS funds_in, sum(e.goods_in)::text AS goods_in, sum(e.donations)::text AS donations,
              sum(e.funds_out)::text AS funds_out, sum(e.goods_out)::text AS goods_out, sum(e.activities)::text AS activities,
              sum(e.households)::text AS households, sum(e.persons)::text AS persons
         FROM entry e LEFT JOIN charity_campaign c ON c.id = e.campaign_id
        GROUP BY e.campaign_id, c.name, c.kind, c.starts_on
        ORDER BY c.starts_on NULLS LAST, c.name, e.campaign_id`,
      [from, to, patterns],
    );
    return summarise(
      year,
      divisionCode ?? null,
      rows.map((r) => ({
        campaignId: r.campaign_id,
        name: r.name,
        kind: r.kind,
        fundsReceivedFen: Number(r.funds_in),
        fundsDistributedFen: Number(r.funds_out),
        goodsReceivedValueFen: Number(r.goods_in),
        goodsDistributedValueFen: Number(r.goods_out),
        donations: Number(r.donations),
        activities: Number(r.activities),
        householdsVisited: Number(r.households),
        personsServed: Number(r.persons),
      })),
    );
  }

  /**
   * The campaign; NOT_FOUND if absent. With `lock` its row is locked for the rest of the
   * transaction against other distributions (FOR NO KEY UPDATE: donations, whose foreign key only
   * takes a key-share lock, are not held up).
   */
  private async campaign(manager: EntityManager, id: string, lock: boolean): Promise<CampaignBounds> {
    const [row] = await manager.query<CampaignRow[]>(`SELECT ${CAMPAIGN_COLUMNS} FROM charity_campaign WHERE id = $1${lock ? ' FOR NO KEY UPDATE' : ''}`, [id]);
    if (!row) throw new DomainError('NOT_FOUND', `charity campaign ${id} does not exist`);
    return { name: row.name, divisionCode: row.division_code, startsOn: row.starts_on, endsOn: row.ends_on };
  }

  /** All-time totals of a pool (every division: a pool is shared by all who draw on it). */
  private async poolTotals(manager: EntityManager, campaignId: string | null): Promise<PoolTotals> {
    const pool = campaignId === null ? 'campaign_id IS NULL' : 'campaign_id = $1';
    const params = campaignId === null ? [] : [campaignId];
    const [row] = await manager.query<{ funds_in: string; goods_in: string; funds_out: string; goods_out: string }[]>(
      `SELECT (SELECT coalesce(sum(amount_fen), 0) FROM charity_donation WHERE ${pool})::text AS funds_in,
              (SELECT coalesce(sum(value_fen), 0) FROM charity_donation WHERE ${pool})::text AS goods_in,
              (SELECT coalesce(sum(funds_distributed_fen), 0) FROM charity_activity WHERE ${pool})::text AS funds_out,
              (SELECT coalesce(sum(goods_distributed_value_fen), 0) FROM charity_activity WHERE ${pool})::text AS goods_out`,
      params,
    );
    return {
      fundsReceivedFen: Number(row?.funds_in ?? 0),
      goodsReceivedValueFen: Number(row?.goods_in ?? 0),
      fundsDistributedFen: Number(row?.funds_out ?? 0),
      goodsDistributedValueFen: Number(row?.goods_out ?? 0),
    };
  }

  /** LIKE patterns of the caller's divisions; the system actor is unrestricted. */
  private scopePatterns(actor: Actor): string[] {
    return divisionLikePatterns(actor) ?? ['%'];
  }
}

function inserted<T>(row: T | undefined): T {
  if (row === undefined) throw new DomainError('INTERNAL', 'the insert returned no row');
  return row;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === UNIQUE_VIOLATION;
}

function toCampaignView(row: CampaignRow): CharityCampaignView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    divisionCode: row.division_code,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

function toDonationView(row: DonationRow): CharityDonationView {
  return {
    id: row.id,
    campaignId: row.campaign_id,
    divisionCode: row.division_code,
    donorName: row.donor_name,
    donorKind: row.donor_kind,
    kind: row.kind,
    amountFen: row.amount_fen === null ? null : Number(row.amount_fen),
    goodsDescription: row.goods_description,
    quantity: row.quantity,
    valueFen: row.value_fen === null ? null : Number(row.value_fen),
    receiptNumber: row.receipt_number,
    receivedOn: row.received_on,
    recordedBy: row.recorded_by,
    recordedAt: new Date(row.recorded_at).toISOString(),
  };
}

function toActivityView(row: ActivityRow): CharityActivityView {
  return {
    id: row.id,
    campaignId: row.campaign_id,
    kind: row.kind,
    title: row.title,
    divisionCode: row.division_code,
    heldOn: row.held_on,
    householdsVisited: row.households_visited,
    personsServed: row.persons_served,
    fundsDistributedFen: Number(row.funds_distributed_fen),
    goodsDistributedValueFen: Number(row.goods_distributed_value_fen),
    recordedBy: row.recorded_by,
    recordedAt: new Date(row.recorded_at).toISOString(),
  };
}
