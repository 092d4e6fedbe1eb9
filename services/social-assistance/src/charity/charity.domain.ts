/**
 * 慈善 (charity) as pure rules: who may record and read, how a donation's fields must fit its
 * kind, what an activity must record, where and when it may be held, and that no pool (a campaign,
 * or the general fund 慈善资金池) ever hands out more money or goods value than it received. No I/O:
 * the service loads the campaign and the pool's totals under a lock and calls these checks.
 */
import { DivisionCode } from '@civil/domain-kernel';
import {
  DomainError,
  actorCoversDivision,
  type Actor,
  type CharityCampaignFigures,
  type CharityCampaignKind,
  type CharityDonationKind,
  type CharityDonorKind,
  type CharityFigures,
  type CharitySummaryView,
  type FieldError,
  type Role,
} from '@civil/contracts';

/** May create campaigns and record donations and activities. */
export const CHARITY_RECORDERS: readonly Role[] = ['clerk', 'township-reviewer', 'district-approver', 'admin'];
/** May read campaigns and the summary: the recorders, and finance, audit and leadership. */
export const CHARITY_READERS: readonly Role[] = [...CHARITY_RECORDERS, 'finance-officer', 'auditor', 'leader'];

/** What the annual report calls the pool of donations not given to a campaign. */
export const GENERAL_FUND_NAME = '慈善资金池';

export function mayRecordCharity(actor: Pick<Actor, 'kind' | 'roles'>): boolean {
  return actor.kind !== 'citizen' && actor.roles.some((r) => CHARITY_RECORDERS.includes(r));
}

export function mayReadCharity(actor: Pick<Actor, 'kind' | 'roles'>): boolean {
  return actor.kind !== 'citizen' && actor.roles.some((r) => CHARITY_READERS.includes(r));
}

/** Throws FORBIDDEN unless the actor may record charity work. */
export function requireRecorder(actor: Actor, what: string): void {
  if (!mayRecordCharity(actor)) throw new DomainError('FORBIDDEN', `only ${CHARITY_RECORDERS.join(', ')} may ${what}`);
}

/** Throws FORBIDDEN unless the actor may read charity figures. */
export function requireReader(actor: Actor): void {
  if (!mayReadCharity(actor)) throw new DomainError('FORBIDDEN', `only ${CHARITY_READERS.join(', ')} may read charity records`);
}

/** Throws OUT_OF_DIVISION_SCOPE unless the actor covers the division. */
export function requireScope(actor: Actor, divisionCode: string, what: string): void {
  if (!actorCoversDivision(actor, divisionCode)) throw new DomainError('OUT_OF_DIVISION_SCOPE', `${what} in ${divisionCode} is outside your divisions`);
}

/** The division's ancestors (county, city, province for a township), nearest first. */
export function ancestorsOf(divisionCode: string): string[] {
  const out: string[] = [];
  for (let d = DivisionCode.parse(divisionCode).parent(); d; d = d.parent()) out.push(d.value);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Campaigns

export function checkCampaignDates(campaign: { startsOn: string; endsOn?: string | null | undefined }): void {
  if (campaign.endsOn && campaign.endsOn < campaign.startsOn) {
    throw DomainError.validation([{ field: 'endsOn', rule: 'after-start', message: `must not be before startsOn (${campaign.startsOn})` }]);
  }
}

export interface CampaignBounds {
  name: string;
  divisionCode: string;
  startsOn: string;
  endsOn: string | null;
}

/** A donation or activity under a campaign lies within the campaign's (organising) division. */
export function checkWithinCampaignDivision(divisionCode: string, campaign: CampaignBounds): void {
  if (!DivisionCode.parse(campaign.divisionCode).contains(DivisionCode.parse(divisionCode))) {
    throw DomainError.validation([
      { field: 'divisionCode', rule: 'within-campaign', message: `must lie within the campaign's division ${campaign.divisionCode}` },
    ]);
  }
}

/** An activity under a campaign is held within its dates (an open-ended campaign has no end). */
export function checkHeldWithinCampaign(heldOn: string, campaign: CampaignBounds): void {
  if (heldOn < campaign.startsOn || (campaign.endsOn !== null && heldOn > campaign.endsOn)) {
    const range = campaign.endsOn === null ? `from ${campaign.startsOn}` : `${campaign.startsOn} to ${campaign.endsOn}`;
    throw DomainError.validation([{ field: 'heldOn', rule: 'within-campaign', message: `must fall within the campaign ${campaign.name} (${range})` }]);
  }
}

// ---------------------------------------------------------------------------------------------
// Donations

export interface DonationShape {
  campaignId?: string | undefined;
  divisionCode?: string | undefined;
  donorName?: string | undefined;
  donorKind: CharityDonorKind;
  kind: CharityDonationKind;
  amountFen?: number | undefined;
  goodsDescription?: string | undefined;
  quantity?: number | undefined;
  valueFen?: number | undefined;
}

const MONEY_FIELDS = ['amountFen'] as const;
const GOODS_FIELDS = ['goodsDescription', 'quantity', 'valueFen'] as const;

/** Every field that does not fit the donation's kind, donor or pool; empty when it all fits. */
export function donationFieldErrors(d: DonationShape): FieldError[] {
  const errors: FieldError[] = [];
  const required = (field: string, why: string): void => {
    errors.push({ field, rule: 'required', message: `is required ${why}` });
  };
  const notAllowed = (field: string, why: string): void => {
    errors.push({ field, rule: 'not-allowed', message: `must be absent ${why}` });
  };

  if (d.donorKind === 'anonymous') {
    if (d.donorName !== undefined) notAllowed('donorName', 'for an anonymous donor');
  } else if (d.donorName === undefined) {
    required('donorName', `for a donor of kind ${d.donorKind}`);
  }
  const [needed, foreign] = d.kind === 'money' ? [MONEY_FIELDS, GOODS_FIELDS] : [GOODS_FIELDS, MONEY_FIELDS];
  for (const field of needed) if (d[field] === undefined) required(field, `for a ${d.kind} donation`);
  for (const field of foreign) if (d[field] !== undefined) notAllowed(field, `for a ${d.kind} donation`);
  if (d.campaignId === undefined && d.divisionCode === undefined) required('divisionCode', 'for a donation to the general fund');
  return errors;
}

/** Throws VALIDATION_FAILED naming every field that does not fit. */
export function checkDonation(d: DonationShape): void {
  const errors = donationFieldErrors(d);
  if (errors.length > 0) throw DomainError.validation(errors);
}

// ---------------------------------------------------------------------------------------------
// Activities

export interface ActivityFigures {
  householdsVisited: number;
  personsServed: number;
  fundsDistributedFen: number;
  goodsDistributedValueFen: number;
}

const ACTIVITY_FIGURES = ['householdsVisited', 'personsServed', 'fundsDistributedFen', 'goodsDistributedValueFen'] as const;

/** An activity records something: households visited, persons served, money or goods handed out. */
export function checkActivityFigures(a: ActivityFigures): void {
  if (ACTIVITY_FIGURES.some((field) => a[field] > 0)) return;
  throw DomainError.validation(
    ACTIVITY_FIGURES.map((field) => ({ field, rule: 'at-least-one', message: 'at least one of householdsVisited, personsServed, fundsDistributedFen, goodsDistributedValueFen must be above zero' })),
  );
}

/** All-time totals of one pool: a campaign, or the general fund. */
export interface PoolTotals {
  fundsReceivedFen: number;
  fundsDistributedFen: number;
  goodsReceivedValueFen: number;
  goodsDistributedValueFen: number;
}

export function poolRemaining(pool: PoolTotals): { fundsFen: number; goodsValueFen: number } {
  return { fundsFen: pool.fundsReceivedFen - pool.fundsDistributedFen, goodsValueFen: pool.goodsReceivedValueFen - pool.goodsDistributedValueFen };
}

/**
 * Throws CONFLICT, naming the figure(s) concerned, when the activity would hand out more money or
 * goods value than the pool has left. The service calls it under the pool's lock.
 */
export function checkPoolCovers(pool: PoolTotals, activity: Pick<ActivityFigures, 'fundsDistributedFen' | 'goodsDistributedValueFen'>, poolName: string): void {
  const left = poolRemaining(pool);
  const fields: FieldError[] = [];
  if (activity.fundsDistributedFen > left.fundsFen) {
    fields.push({ field: 'fundsDistributedFen', rule: 'pool-balance', message: `${poolName} has ${left.fundsFen} fen left, ${activity.fundsDistributedFen} fen asked` });
  }
  if (activity.goodsDistributedValueFen > left.goodsValueFen) {
    fields.push({
      field: 'goodsDistributedValueFen',
      rule: 'pool-balance',
      message: `${poolName} has goods worth ${left.goodsValueFen} fen left, ${activity.goodsDistributedValueFen} fen asked`,
    });
  }
  if (fields.length > 0) throw new DomainError('CONFLICT', `more than ${poolName} has left: ${fields.map((f) => f.message).join('; ')}`, fields);
}

// ---------------------------------------------------------------------------------------------
// Summary

/** The first day of the year and of the next, for `date >= from AND date < to`. */
export function yearRange(year: number): { from: string; to: string } {
  const pad = (y: number): string => String(y).padStart(4, '0');
  return { from: `${pad(year)}-01-01`, to: `${pad(year + 1)}-01-01` };
}

/** One pool's sums over the year, as the service reads them (any numeric type). */
export interface PoolYearRow {
  campaignId: string | null;
  name: string | null;
  kind: CharityCampaignKind | null;
  fundsReceivedFen: number;
  fundsDistributedFen: number;
  goodsReceivedValueFen: number;
  goodsDistributedValueFen: number;
  donations: number;
  activities: number;
  householdsVisited: number;
  personsServed: number;
}

function withBalance(row: Omit<CharityFigures, 'balanceFen'>): CharityFigures {
  return {
    fundsReceivedFen: row.fundsReceivedFen,
    fundsDistributedFen: row.fundsDistributedFen,
    balanceFen: row.fundsReceivedFen - row.fundsDistributedFen,
    goodsReceivedValueFen: row.goodsReceivedValueFen,
    goodsDistributedValueFen: row.goodsDistributedValueFen,
    donations: row.donations,
    activities: row.activities,
    householdsVisited: row.householdsVisited,
    personsServed: row.personsServed,
  };
}

/** The year's figures per pool (in the given order) and their total. */
export function summarise(year: number, divisionCode: string | null, rows: readonly PoolYearRow[]): CharitySummaryView {
  const byCampaign: CharityCampaignFigures[] = rows.map((r) => ({
    campaignId: r.campaignId,
    name: r.campaignId === null ? GENERAL_FUND_NAME : (r.name ?? ''),
    kind: r.campaignId === null ? null : r.kind,
    ...withBalance(r),
  }));
  const zero: Omit<CharityFigures, 'balanceFen'> = {
    fundsReceivedFen: 0,
    fundsDistributedFen: 0,
    goodsReceivedValueFen: 0,
    goodsDistributedValueFen: 0,
    donations: 0,
    activities: 0,
    householdsVisited: 0,
    personsServed: 0,
  };
  const sum = rows.reduce(
    (acc, r) => ({
      fundsReceivedFen: acc.fundsReceivedFen + r.fundsReceivedFen,
      fundsDistributedFen: acc.fundsDistributedFen + r.fundsDistributedFen,
      goodsReceivedValueFen: acc.goodsReceivedValueFen + r.goodsReceivedValueFen,
      goodsDistributedValueFen: acc.goodsDistributedValueFen + r.goodsDistributedValueFen,
      donations: acc.donations + r.donations,
      activities: acc.activities + r.activities,
      householdsVisited: acc.householdsVisited + r.householdsVisited,
      personsServed: acc.personsServed + r.personsServed,
    }),
    zero,
  );
  return { year, divisionCode, byCampaign, total: withBalance(sum) };
}
