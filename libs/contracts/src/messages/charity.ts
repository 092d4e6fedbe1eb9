/**
 * Messages and events of 慈善 (charity): campaigns and activities (e.g. 中华慈善日 on 9-5), money
 * and goods received, what was distributed and whom it reached. Money is integer fen everywhere.
 */
import { z } from 'zod';
import { divisionCodeSchema, uuidSchema } from '../validation';
import { addExamples } from '../request-examples';

const isoDate = z.iso.date();
const text = (max: number) => z.string().trim().min(1).max(max);
const positiveFen = z.int().positive().max(Number.MAX_SAFE_INTEGER);
const fenOrZero = z.int().min(0).max(Number.MAX_SAFE_INTEGER);

export const CHARITY_CAMPAIGN_KINDS = ['charity-day', 'festival-visit', 'disaster-relief', 'education-aid', 'other'] as const;
/** 中华慈善日 (charity-day), 节日走访慰问 (festival-visit), 救灾 (disaster-relief), 助学 (education-aid). */
export type CharityCampaignKind = (typeof CHARITY_CAMPAIGN_KINDS)[number];

export const CHARITY_DONOR_KINDS = ['person', 'organisation', 'anonymous'] as const;
export type CharityDonorKind = (typeof CHARITY_DONOR_KINDS)[number];

export const CHARITY_DONATION_KINDS = ['money', 'goods'] as const;
export type CharityDonationKind = (typeof CHARITY_DONATION_KINDS)[number];

export const CHARITY_ACTIVITY_KINDS = ['visit', 'distribution', 'volunteer-service', 'fundraising'] as const;
/** 走访慰问 (visit), 发放 (distribution), 志愿服务 (volunteer-service), 募捐活动 (fundraising). */
export type CharityActivityKind = (typeof CHARITY_ACTIVITY_KINDS)[number];

export const createCharityCampaignSchema = z
  .object({
    name: text(200),
    kind: z.enum(CHARITY_CAMPAIGN_KINDS),
    /** The organising division (a township, or the district for district-wide campaigns). */
    divisionCode: divisionCodeSchema,
    startsOn: isoDate,
    /** Absent: open-ended. Not before `startsOn`. */
    endsOn: isoDate.optional(),
  })
  .strict();
addExamples(createCharityCampaignSchema, [
  { value: { name: '2026年“中华慈善日”主题活动', kind: 'charity-day', divisionCode: '430503000000', startsOn: '2026-09-05', endsOn: '2026-09-30' } },
]);
export type CreateCharityCampaignInput = z.input<typeof createCharityCampaignSchema>;

export const listCharityCampaignsSchema = z
  .object({
    /** Campaigns running at some point in that year; absent: all. */
    year: z.coerce.number().int().min(2000).max(2100).optional(),
  })
  .strict();
export type ListCharityCampaignsInput = z.input<typeof listCharityCampaignsSchema>;

/**
 * Money or goods received. Money carries `amountFen`; goods carry `goodsDescription`, `quantity`
 * and `valueFen` (their value in fen); the service checks the combination and names every field
 * that does not fit the kind.
 */
export const recordCharityDonationSchema = z
  .object({
    /** Absent: the general charity fund (慈善资金池). */
    campaignId: uuidSchema.optional(),
    /** Where it was received: defaults to the campaign's division; required for the general fund. */
    divisionCode: divisionCodeSchema.optional(),
    /** Required for a person or an organisation; absent for an anonymous donor. */
    donorName: text(200).optional(),
    donorKind: z.enum(CHARITY_DONOR_KINDS),
    kind: z.enum(CHARITY_DONATION_KINDS),
    amountFen: positiveFen.optional(),
    goodsDescription: text(500).optional(),
    quantity: z.int().min(1).max(1_000_000).optional(),
    valueFen: positiveFen.optional(),
    /** 票据号: the receipt issued for it, unique across all donations. */
    receiptNumber: text(64),
    receivedOn: isoDate,
  })
  .strict();
addExamples(recordCharityDonationSchema, [
  {
    summary: 'Money from an organisation',
    value: { campaignId: '01a217ef-ebb2-7647-bfde-3584ff50610f', divisionCode: '430503000000', donorName: '大祥区个体劳动者协会', donorKind: 'organisation', kind: 'money', amountFen: 5000000, receiptNumber: 'HNCS2026-000312', receivedOn: '2026-09-05' },
  },
  {
    summary: 'Goods from a person, by value',
    value: { campaignId: '01a217ef-ebb2-7647-bfde-3584ff50610f', donorName: '李明', donorKind: 'person', kind: 'goods', goodsDescription: '冬被（1.5米）', quantity: 200, valueFen: 3000000, receiptNumber: 'HNCS2026-000318', receivedOn: '2026-09-08' },
  },
]);
export type RecordCharityDonationInput = z.input<typeof recordCharityDonationSchema>;

/** What was done: at least one of the four figures must be above zero. */
export const recordCharityActivitySchema = z
  .object({
    /** Absent: drawn from the general charity fund. */
    campaignId: uuidSchema.optional(),
    kind: z.enum(CHARITY_ACTIVITY_KINDS),
    title: text(200),
    /** Where it was held; within the campaign's division when there is a campaign. */
    divisionCode: divisionCodeSchema,
    /** Within the campaign's dates when there is a campaign. */
    heldOn: isoDate,
    householdsVisited: z.int().min(0).max(1_000_000).default(0),
    personsServed: z.int().min(0).max(1_000_000).default(0),
    /** Money handed out; never more than the pool has left. */
    fundsDistributedFen: fenOrZero.default(0),
    /** Value of the goods handed out; never more than the pool's goods value has left. */
    goodsDistributedValueFen: fenOrZero.default(0),
  })
  .strict();
addExamples(recordCharityActivitySchema, [
  {
    value: {
      campaignId: '01a217ef-ebb2-7647-bfde-3584ff50610f',
      kind: 'visit',
      title: '重阳节走访慰问困难老人',
      divisionCode: '430503101000',
      heldOn: '2026-10-18',
      householdsVisited: 120,
      personsServed: 150,
      fundsDistributedFen: 3600000,
      goodsDistributedValueFen: 480000,
    },
  },
]);
export type RecordCharityActivityInput = z.input<typeof recordCharityActivitySchema>;

export const charitySummarySchema = z
  .object({
    year: z.coerce.number().int().min(2000).max(2100),
    /** Narrow to one division within the caller's scope; absent: the caller's whole scope. */
    divisionCode: divisionCodeSchema.optional(),
  })
  .strict();
export type CharitySummaryInput = z.input<typeof charitySummarySchema>;

export interface CharityCampaignView {
  id: string;
  name: string;
  kind: CharityCampaignKind;
  divisionCode: string;
  startsOn: string;
  endsOn: string | null;
  createdBy: string;
  createdAt: string;
}

export interface CharityDonationView {
  id: string;
  campaignId: string | null;
  divisionCode: string;
  donorName: string | null;
  donorKind: CharityDonorKind;
  kind: CharityDonationKind;
  amountFen: number | null;
  goodsDescription: string | null;
  quantity: number | null;
  valueFen: number | null;
  receiptNumber: string;
  receivedOn: string;
  recordedBy: string;
  recordedAt: string;
}

export interface CharityActivityView {
  id: string;
  campaignId: string | null;
  kind: CharityActivityKind;
  title: string;
  divisionCode: string;
  heldOn: string;
  householdsVisited: number;
  personsServed: number;
  fundsDistributedFen: number;
  goodsDistributedValueFen: number;
  recordedBy: string;
  recordedAt: string;
}

/** One year's figures of a pool (a campaign or the general fund), or their total. */
export interface CharityFigures {
  fundsReceivedFen: number;
  fundsDistributedFen: number;
  /** Received minus distributed in the year; negative when earlier years' money was spent. */
  balanceFen: number;
  goodsReceivedValueFen: number;
  goodsDistributedValueFen: number;
  donations: number;
  activities: number;
  householdsVisited: number;
  personsServed: number;
}

export interface CharityCampaignFigures extends CharityFigures {
  /** Null: the general charity fund. */
  campaignId: string | null;
  name: string;
  kind: CharityCampaignKind | null;
}

/** The charity lines of the annual report, within the caller's divisions. */
export interface CharitySummaryView {
  year: number;
  /** The division asked for, or null for the caller's whole scope. */
  divisionCode: string | null;
  byCampaign: CharityCampaignFigures[];
  total: CharityFigures;
}

export const CharityEvents = {
  campaignCreated: 'civil.social-assistance.charity.campaign-created.v1',
  donationReceived: 'civil.social-assistance.charity.donation-received.v1',
  activityRecorded: 'civil.social-assistance.charity.activity-recorded.v1',
} as const;

/** A campaign was set up; the organising division is the envelope's. */
export interface CharityCampaignCreatedV1 {
  campaignId: string;
  name: string;
  kind: CharityCampaignKind;
  startsOn: string;
  endsOn: string | null;
}

/** Money or goods received; the receiving division is the envelope's. No donor details. */
export interface CharityDonationReceivedV1 {
  donationId: string;
  /** Null: the general charity fund. */
  campaignId: string | null;
  kind: CharityDonationKind;
  /** The amount for money, 0 for goods. */
  fundsInFen: number;
  /** The goods' value, 0 for money. */
  goodsInValueFen: number;
  /** YYYY-MM-DD. */
  receivedOn: string;
}

/** An activity was held; its division is the envelope's. */
export interface CharityActivityRecordedV1 {
  activityId: string;
  /** Null: drawn from the general charity fund. */
  campaignId: string | null;
  kind: CharityActivityKind;
  /** YYYY-MM-DD. */
  heldOn: string;
  householdsVisited: number;
  personsServed: number;
  fundsOutFen: number;
  goodsValueFen: number;
}
