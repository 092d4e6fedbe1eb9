/**
 * Quality-audit campaigns of the gazetteer (国家地名数据库质量提升行动): a campaign snapshots the
 * records of some categories in some divisions; reviewers confirm (reviewed), correct (corrected)
 * or fill in (supplemented) each one; progress is counted per category, database class and reviewer.
 */
import { z } from 'zod';
import { divisionCodeSchema, uuidSchema } from '../validation';
import { PLACE_NAME_CATEGORIES, updatePlaceNameSchema, type PlaceNameCategory } from './place-names';
import { addExamples } from '../request-examples';

export const AUDIT_OUTCOMES = ['reviewed', 'corrected', 'supplemented'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
export const AUDIT_RECORD_STATUSES = ['pending', ...AUDIT_OUTCOMES] as const;
export type AuditRecordStatus = (typeof AUDIT_RECORD_STATUSES)[number];
export const AUDIT_CAMPAIGN_STATUSES = ['open', 'closed'] as const;
export type AuditCampaignStatus = (typeof AUDIT_CAMPAIGN_STATUSES)[number];

/**
 * The five classes of the national place-name database the 2023 campaign counted (行政区划、
 * 自然地理实体、街路巷、群众自治组织、居民点); every other category is "other".
 */
export const AUDIT_DATABASE_CLASSES = ['administrative-division', 'natural-feature', 'street-road-lane', 'committee-seat', 'residential-area-or-building', 'other'] as const;
export type AuditDatabaseClass = (typeof AUDIT_DATABASE_CLASSES)[number];

export function auditDatabaseClassOf(category: PlaceNameCategory): AuditDatabaseClass {
  switch (category) {
    case 'administrative-division':
    case 'natural-feature':
    case 'street-road-lane':
    case 'committee-seat':
    case 'residential-area-or-building':
      return category;
    case 'park-or-protected-area':
    case 'infrastructure':
    case 'other':
      return 'other';
  }
}

const userIdSchema = z.string().trim().min(1).max(100);
const isoDate = z.iso.date();
const distinct = <T>(items: readonly T[]): boolean => new Set(items).size === items.length;
const categoriesSchema = z
  .array(z.enum(PLACE_NAME_CATEGORIES))
  .min(1)
  .max(PLACE_NAME_CATEGORIES.length)
  .refine(distinct, { message: 'each category once' });
const divisionCodesSchema = z.array(divisionCodeSchema).min(1).max(50).refine(distinct, { message: 'each division once' });

export const createAuditCampaignSchema = z
  .object({
    title: z.string().trim().min(2).max(200),
    year: z.number().int().min(2000).max(2100),
    /** The records of these categories … */
    categories: categoriesSchema,
    /** … in these divisions and below them (a county code selects its townships' records). */
    divisionCodes: divisionCodesSchema,
  })
  .strict();
addExamples(createAuditCampaignSchema, [
  {
    value: {
      title: '2026年度大祥区地名信息质量核查',
      year: 2026,
      categories: ['street-road-lane', 'residential-area-or-building'],
      divisionCodes: ['430503001000', '430503002000'],
    },
  },
]);
export type CreateAuditCampaignRequest = z.input<typeof createAuditCampaignSchema>;
export type CreateAuditCampaignInput = z.output<typeof createAuditCampaignSchema>;

export const getAuditCampaignSchema = z.object({ id: uuidSchema }).strict();
export type GetAuditCampaignRequest = z.input<typeof getAuditCampaignSchema>;

/**
 * Assigns pending records to reviewers: either the records given by `placeNameIds`, or every
 * pending record matching `categories`/`divisionCodes` (all pending records without them), split
 * among the reviewers in contiguous runs by division and category.
 */
export const assignAuditReviewersSchema = z
  .object({
    id: uuidSchema,
    reviewers: z.array(userIdSchema).min(1).max(100).refine(distinct, { message: 'each reviewer once' }),
    categories: categoriesSchema.optional(),
    divisionCodes: divisionCodesSchema.optional(),
    placeNameIds: z.array(uuidSchema).min(1).max(5000).refine(distinct, { message: 'each record once' }).optional(),
    /** Leave records that already have a reviewer as they are (default), or reassign them too. */
    reassign: z.boolean().default(false),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.placeNameIds !== undefined && (value.categories !== undefined || value.divisionCodes !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['placeNameIds'], message: 'give either placeNameIds or categories/divisionCodes, not both' });
    }
  });
addExamples(assignAuditReviewersSchema, [
  { summary: 'By category and division', value: { id: '01a217ef-ebad-7508-8cb4-e65539f69159', reviewers: ['pn-officer-liu', 'pn-officer-chen'], categories: ['street-road-lane'], divisionCodes: ['430503001000'] } },
  { summary: 'Named records, taking them from their current reviewer', value: { id: '01a217ef-ebad-7508-8cb4-e65539f69159', reviewers: ['pn-officer-chen'], placeNameIds: ['01a217ef-eba2-7546-aae3-da8ce0144799'], reassign: true } },
]);
export type AssignAuditReviewersRequest = z.input<typeof assignAuditReviewersSchema>;
export type AssignAuditReviewersInput = z.output<typeof assignAuditReviewersSchema>;

export const listAuditRecordsSchema = z
  .object({
    id: uuidSchema,
    status: z.enum(AUDIT_RECORD_STATUSES).optional(),
    category: z.enum(PLACE_NAME_CATEGORIES).optional(),
    reviewer: userIdSchema.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    /** The `nextAfter` of the previous page. */
    after: uuidSchema.optional(),
  })
  .strict();
export type ListAuditRecordsRequest = z.input<typeof listAuditRecordsSchema>;
export type ListAuditRecordsInput = z.output<typeof listAuditRecordsSchema>;

/** The details a reviewer changes: the gazetteer's correction fields, with the version read. */
export const auditCorrectionsSchema = z
  .object(updatePlaceNameSchema.shape)
  .omit({ id: true })
  .strict()
  .superRefine((value, ctx) => {
    if ((value.longitude === undefined) !== (value.latitude === undefined)) {
      ctx.addIssue({ code: 'custom', path: [value.longitude === undefined ? 'longitude' : 'latitude'], message: 'longitude and latitude go together' });
    }
  });
export type AuditCorrections = z.output<typeof auditCorrectionsSchema>;

/** Free text about the review; no personal data (resident IDs and phone numbers are refused). */
const outcomeNoteSchema = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .refine((note) => !/\d{17}[\dXx]|\d{15}/.test(note), { message: 'a note carries no resident ID', params: { rule: 'no-personal-data' } })
  .refine((note) => !/(^|\D)1[3-9]\d{9}(\D|$)/.test(note), { message: 'a note carries no phone number', params: { rule: 'no-personal-data' } });

export const recordAuditResultSchema = z
  .object({
    id: uuidSchema,
    placeNameId: uuidSchema,
    outcome: z.enum(AUDIT_OUTCOMES),
    /** YYYY-MM-DD; today (Asia/Shanghai) when left out. */
    reviewedOn: isoDate.optional(),
    note: outcomeNoteSchema.optional(),
    /** Required for `corrected` and `supplemented`, refused for `reviewed`. */
    corrections: auditCorrectionsSchema.optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.outcome === 'reviewed' && value.corrections !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['corrections'], message: 'a record confirmed as is has no corrections', params: { rule: 'not-with-reviewed' } });
    }
    if (value.outcome !== 'reviewed' && value.corrections === undefined) {
      ctx.addIssue({ code: 'custom', path: ['corrections'], message: `a record ${value.outcome} names the changed fields`, params: { rule: 'required' } });
    }
  });
addExamples(recordAuditResultSchema, [
  {
    summary: 'Corrected',
    value: {
      id: '01a217ef-ebad-7508-8cb4-e65539f69159',
      placeNameId: '01a217ef-eba2-7546-aae3-da8ce0144799',
      outcome: 'corrected',
      reviewedOn: '2026-11-18',
      note: '坐标偏差约200米，按实地测量更正',
      corrections: { expectedVersion: 3, longitude: 111.4678, latitude: 27.2389 },
    },
  },
  { summary: 'Confirmed as is', value: { id: '01a217ef-ebad-7508-8cb4-e65539f69159', placeNameId: '01a217ef-eba2-7546-aae3-da8ce0144799', outcome: 'reviewed', reviewedOn: '2026-11-18' } },
]);
export type RecordAuditResultRequest = z.input<typeof recordAuditResultSchema>;
export type RecordAuditResultInput = z.output<typeof recordAuditResultSchema>;

export const closeAuditCampaignSchema = z
  .object({
    id: uuidSchema,
    /** Close although records are still pending; needs a reason. */
    force: z.boolean().default(false),
    reason: z.string().trim().min(2).max(500).optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.force && value.reason === undefined) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'closing with pending records needs a reason', params: { rule: 'required' } });
    }
  });
addExamples(closeAuditCampaignSchema, [
  { summary: 'Every record reviewed', value: { id: '01a217ef-ebad-7508-8cb4-e65539f69159' } },
  { summary: 'Close with records still pending', value: { id: '01a217ef-ebad-7508-8cb4-e65539f69159', force: true, reason: '年度核查结束，剩余12条转入下年度核查' } },
]);
export type CloseAuditCampaignRequest = z.input<typeof closeAuditCampaignSchema>;
export type CloseAuditCampaignInput = z.output<typeof closeAuditCampaignSchema>;

export interface AuditProgressCounts {
  total: number;
  pending: number;
  reviewed: number;
  corrected: number;
  supplemented: number;
  /** Records done (reviewed, corrected or supplemented) in percent of the total, one decimal. */
  percentDone: number;
}

export interface AuditCampaignProgress {
  total: AuditProgressCounts;
  byCategory: (AuditProgressCounts & { category: PlaceNameCategory })[];
  /** The five database classes and "other", as the 2023 campaign counted them. */
  byClass: (AuditProgressCounts & { databaseClass: AuditDatabaseClass })[];
  /** `reviewer: null` counts the records nobody is assigned to. */
  byReviewer: (AuditProgressCounts & { reviewer: string | null })[];
}

export interface AuditCampaignView {
  id: string;
  title: string;
  year: number;
  categories: PlaceNameCategory[];
  divisionCodes: string[];
  status: AuditCampaignStatus;
  createdBy: string;
  createdAt: string;
  closedAt: string | null;
  closedBy: string | null;
  closeReason: string | null;
  demo: boolean;
  progress: AuditCampaignProgress;
}

export interface AuditAssignmentView {
  campaignId: string;
  /** Records assigned by this request, per reviewer. */
  assigned: { reviewer: string; records: number }[];
}

export interface AuditRecordView {
  campaignId: string;
  placeNameId: string;
  /** The record's current standard name. */
  name: string;
  category: PlaceNameCategory;
  divisionCode: string;
  reviewer: string | null;
  status: AuditRecordStatus;
  note: string | null;
  reviewedBy: string | null;
  reviewedOn: string | null;
}

export interface AuditRecordListView {
  items: AuditRecordView[];
  /** Pass as `after` for the next page; null on the last page. */
  nextAfter: string | null;
}
