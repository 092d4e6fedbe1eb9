/**
 * Messages and events of care institutions (养老机构): public care homes (公办敬老院) and private
 * ones (民办, with their licence/备案 number); beds by type with a dated history; residents admitted
 * and discharged; occupancy on any date; inspections (消防 fire, 食品 food, 院感 infection control)
 * with findings, each with a severity and a rectification deadline (整改期限), rectified on a date
 * and verified by someone, or overdue once the deadline passed without it.
 */
import { z } from 'zod';
import { divisionCodeSchema, residentIdSchema, uuidSchema } from '../validation';
import { addExamples } from '../request-examples';

const isoDate = z.iso.date();
const text = (max: number) => z.string().trim().min(1).max(max);

export const CARE_INSTITUTION_OWNERSHIPS = ['public', 'private'] as const;
/** `public`: 公办 (e.g. 敬老院); `private`: 民办, which needs its licence/备案 number. */
export type CareInstitutionOwnership = (typeof CARE_INSTITUTION_OWNERSHIPS)[number];

export const CARE_BED_TYPES = ['self-care', 'semi-dependent', 'dependent'] as const;
/** `self-care` 自理, `semi-dependent` 半失能, `dependent` 失能. */
export type CareBedType = (typeof CARE_BED_TYPES)[number];

/** Beds of each type; the total is their sum. */
export type CareBedCounts = Record<CareBedType, number>;

export const CARE_FUNDING_KINDS = ['tekun-centralized', 'self-paying', 'other'] as const;
/** `tekun-centralized`: 特困人员集中供养; `self-paying`: 自费; `other`. */
export type CareFunding = (typeof CARE_FUNDING_KINDS)[number];

export const CARE_DISCHARGE_REASONS = ['death', 'home', 'transfer', 'other'] as const;
export type CareDischargeReason = (typeof CARE_DISCHARGE_REASONS)[number];

export const CARE_INSPECTION_KINDS = ['fire', 'food', 'infection-control'] as const;
/** `fire` 消防, `food` 食品, `infection-control` 院感. */
export type CareInspectionKind = (typeof CARE_INSPECTION_KINDS)[number];

export const CARE_FINDING_SEVERITIES = ['minor', 'major', 'critical'] as const;
/** 一般, 较大, 重大. */
export type CareFindingSeverity = (typeof CARE_FINDING_SEVERITIES)[number];

/**
 * A finding on a date: `open` (not rectified, deadline not passed), `overdue` (the deadline passed
 * without a rectification), `rectified` (by the deadline), `rectified-late` (after it).
 */
export type CareFindingStatus = 'open' | 'overdue' | 'rectified' | 'rectified-late';

export const MAX_BEDS_PER_TYPE = 10_000;

const bedCount = z.int().min(0).max(MAX_BEDS_PER_TYPE);
const bedCountsSchema = z.object({ 'self-care': bedCount, 'semi-dependent': bedCount, dependent: bedCount }).strict();

/** The sum of the bed counts. */
export function totalBedsOf(beds: CareBedCounts): number {
  return CARE_BED_TYPES.reduce((n, t) => n + beds[t], 0);
}

type BedsInput = { beds: CareBedCounts; totalBeds?: number | undefined };
function checkBeds(value: BedsInput, ctx: z.RefinementCtx): void {
  const total = totalBedsOf(value.beds);
  if (total < 1) ctx.addIssue({ code: 'custom', path: ['beds'], message: 'an institution has at least one bed', params: { rule: 'min-total' } });
  if (value.totalBeds !== undefined && value.totalBeds !== total) {
    ctx.addIssue({ code: 'custom', path: ['totalBeds'], message: `must equal the sum of the beds by type (${total})`, params: { rule: 'sum-of-types' } });
  }
}

/** Registers an institution (elderly-care officers, admins within the division). */
export const registerCareInstitutionSchema = z
  .object({
    name: text(200),
    ownership: z.enum(CARE_INSTITUTION_OWNERSHIPS),
    /** Where it is: a division within the officer's scope. */
    divisionCode: divisionCodeSchema,
    address: text(500),
    /** 设立许可/备案 number: required for a private institution, optional for a public one. */
    licenceNumber: text(64).optional(),
    /** Not in the future; the first bed configuration is in force from this date. */
    openedOn: isoDate,
    beds: bedCountsSchema,
    /** Optional check: when given, it must equal the sum of `beds`. */
    totalBeds: z.int().min(1).max(3 * MAX_BEDS_PER_TYPE).optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.ownership === 'private' && value.licenceNumber === undefined) {
      ctx.addIssue({ code: 'custom', path: ['licenceNumber'], message: 'a private institution is registered with its licence/备案 number', params: { rule: 'required' } });
    }
    checkBeds(value, ctx);
  });
addExamples(registerCareInstitutionSchema, [
  {
    summary: 'A public 敬老院',
    value: {
      name: '大祥区罗市镇敬老院',
      ownership: 'public',
      divisionCode: '430503101000',
      address: '邵阳市大祥区罗市镇罗市示例村一8号',
      openedOn: '2009-10-01',
      beds: { 'self-care': 40, 'semi-dependent': 20, dependent: 10 },
      totalBeds: 70,
    },
  },
  {
    summary: 'A private institution with its licence/备案 number',
    value: {
      name: '邵阳市大祥区康乐颐养院',
      ownership: 'private',
      divisionCode: '430503009000',
      address: '邵阳市大祥区学院路街道学院路116号',
      licenceNumber: '湘邵民养备字2026第0012号',
      openedOn: '2026-03-18',
      beds: { 'self-care': 30, 'semi-dependent': 40, dependent: 50 },
    },
  },
]);
export type RegisterCareInstitutionInput = z.output<typeof registerCareInstitutionSchema>;

export const listCareInstitutionsSchema = z
  .object({
    divisionCode: divisionCodeSchema.optional(),
    ownership: z.enum(CARE_INSTITUTION_OWNERSHIPS).optional(),
    status: z.enum(['open', 'closed', 'all']).default('all'),
  })
  .strict();
export type ListCareInstitutionsInput = z.output<typeof listCareInstitutionsSchema>;

export const getCareInstitutionSchema = z.object({ id: uuidSchema }).strict();
export type GetCareInstitutionInput = z.output<typeof getCareInstitutionSchema>;

/** A new bed configuration from a date after the last one (the history is kept). */
export const changeCareBedsSchema = z
  .object({
    id: uuidSchema,
    effectiveFrom: isoDate,
    beds: bedCountsSchema,
    totalBeds: z.int().min(1).max(3 * MAX_BEDS_PER_TYPE).optional(),
    reason: text(500),
  })
  .strict()
  .superRefine(checkBeds);
addExamples(changeCareBedsSchema, [
  {
    value: {
      id: '01a217ef-ebb3-7662-86e0-1c038b7b8ec9',
      effectiveFrom: '2026-12-01',
      beds: { 'self-care': 40, 'semi-dependent': 20, dependent: 30 },
      totalBeds: 90,
      reason: '新建护理楼投入使用，增设失能护理床位20张',
    },
  },
]);
export type ChangeCareBedsInput = z.output<typeof changeCareBedsSchema>;

/** Closes an institution from a date: every resident has been discharged by then; no admissions after. */
export const closeCareInstitutionSchema = z
  .object({
    id: uuidSchema,
    closedOn: isoDate,
    reason: text(500),
  })
  .strict();
addExamples(closeCareInstitutionSchema, [
  { value: { id: '01a217ef-ebb3-7662-86e0-1c038b7b8ec9', closedOn: '2026-12-31', reason: '并入罗市镇中心敬老院，在院老人全部转入' } },
]);
export type CloseCareInstitutionInput = z.output<typeof closeCareInstitutionSchema>;

export const admitCareResidentSchema = z
  .object({
    institutionId: uuidSchema,
    /** The birth date is taken from the resident ID. */
    residentId: residentIdSchema,
    residentName: text(100),
    admittedOn: isoDate,
    bedType: z.enum(CARE_BED_TYPES),
    funding: z.enum(CARE_FUNDING_KINDS),
  })
  .strict();
addExamples(admitCareResidentSchema, [
  { value: { institutionId: '01a217ef-ebb3-7662-86e0-1c038b7b8ec9', residentId: '430503194201300355', residentName: '孙福生', admittedOn: '2026-11-18', bedType: 'semi-dependent', funding: 'tekun-centralized' } },
]);
export type AdmitCareResidentInput = z.output<typeof admitCareResidentSchema>;

export const dischargeCareResidentSchema = z
  .object({
    institutionId: uuidSchema,
    admissionId: uuidSchema,
    /** Not before the admission, not in the future; the resident no longer occupies the bed that day. */
    dischargedOn: isoDate,
    reason: z.enum(CARE_DISCHARGE_REASONS),
    /** Required when the reason is `other`; e.g. where a transfer went. */
    note: text(500).optional(),
  })
  .strict()
  .refine((v) => v.reason !== 'other' || v.note !== undefined, { path: ['note'], message: 'say why when the reason is other', params: { rule: 'required' } });
addExamples(dischargeCareResidentSchema, [
  { summary: 'Home', value: { institutionId: '01a217ef-ebb3-7662-86e0-1c038b7b8ec9', admissionId: '01a217ef-ebb3-7662-86e0-23560343f088', dischargedOn: '2026-11-25', reason: 'home', note: '子女接回家中照料' } },
  { summary: 'Other, saying why', value: { institutionId: '01a217ef-ebb3-7662-86e0-1c038b7b8ec9', admissionId: '01a217ef-ebb3-7662-86e0-23560343f088', dischargedOn: '2026-11-25', reason: 'other', note: '转入医院长期住院治疗' } },
]);
export type DischargeCareResidentInput = z.output<typeof dischargeCareResidentSchema>;

/** An institution's stays: all of them, or those in care on `inCareOn`. */
export const listCareAdmissionsSchema = z
  .object({
    institutionId: uuidSchema,
    inCareOn: isoDate.optional(),
  })
  .strict();
export type ListCareAdmissionsInput = z.output<typeof listCareAdmissionsSchema>;

export const careInstitutionOccupancySchema = z
  .object({
    id: uuidSchema,
    /** Defaults to today (Shanghai). */
    date: isoDate.optional(),
  })
  .strict();
export type CareInstitutionOccupancyInput = z.output<typeof careInstitutionOccupancySchema>;

/** District (or division) totals on a date, by ownership, over the institutions open that day. */
export const careOccupancySummarySchema = z
  .object({
    date: isoDate.optional(),
    divisionCode: divisionCodeSchema.optional(),
  })
  .strict();
export type CareOccupancySummaryInput = z.output<typeof careOccupancySummarySchema>;

export const recordCareInspectionSchema = z
  .object({
    institutionId: uuidSchema,
    kind: z.enum(CARE_INSPECTION_KINDS),
    inspectedOn: isoDate,
    /** Who inspected (names or unit). */
    inspector: text(200),
    summary: text(2000).optional(),
    /** None for a clean inspection. */
    findings: z
      .array(
        z
          .object({
            description: text(1000),
            severity: z.enum(CARE_FINDING_SEVERITIES),
            /** 整改期限: not before the inspection. */
            deadline: isoDate,
          })
          .strict(),
      )
      .max(100)
      .default([]),
  })
  .strict();
addExamples(recordCareInspectionSchema, [
  {
    value: {
      institutionId: '01a217ef-ebb3-7662-86e0-1c038b7b8ec9',
      kind: 'fire',
      inspectedOn: '2026-11-10',
      inspector: '大祥区消防救援大队',
      summary: '消防设施基本完好，发现问题2处，限期整改',
      findings: [
        { description: '二楼东侧疏散通道堆放杂物', severity: 'major', deadline: '2026-11-17' },
        { description: '厨房灭火器压力不足', severity: 'minor', deadline: '2026-11-24' },
      ],
    },
  },
]);
export type RecordCareInspectionInput = z.output<typeof recordCareInspectionSchema>;

export const listCareInspectionsSchema = z
  .object({
    institutionId: uuidSchema,
    /** Finding statuses as on this date; defaults to today. */
    asOf: isoDate.optional(),
  })
  .strict();
export type ListCareInspectionsInput = z.output<typeof listCareInspectionsSchema>;

export const rectifyCareFindingSchema = z
  .object({
    institutionId: uuidSchema,
    findingId: uuidSchema,
    /** Not before the inspection, not in the future. */
    rectifiedOn: isoDate,
    /** Who verified the rectification. */
    verifiedBy: text(200),
    note: text(1000).optional(),
  })
  .strict();
addExamples(rectifyCareFindingSchema, [
  { value: { institutionId: '01a217ef-ebb3-7662-86e0-1c038b7b8ec9', findingId: '01a217ef-ebb3-7662-86e0-262c5114d641', rectifiedOn: '2026-11-15', verifiedBy: '大祥区民政局养老服务股', note: '杂物已清理，疏散通道畅通' } },
]);
export type RectifyCareFindingInput = z.output<typeof rectifyCareFindingSchema>;

export const listOverdueCareFindingsSchema = z
  .object({
    /** Defaults to today: findings whose deadline passed before this date without a rectification by it. */
    asOf: isoDate.optional(),
    divisionCode: divisionCodeSchema.optional(),
    kind: z.enum(CARE_INSPECTION_KINDS).optional(),
  })
  .strict();
export type ListOverdueCareFindingsInput = z.output<typeof listOverdueCareFindingsSchema>;

// ---------------------------------------------------------------------------------------------
// Views

export interface CareBedChangeView {
  effectiveFrom: string;
  beds: CareBedCounts;
  totalBeds: number;
  reason: string | null;
  recordedBy: string;
}

export interface CareInstitutionView {
  id: string;
  name: string;
  ownership: CareInstitutionOwnership;
  divisionCode: string;
  address: string;
  licenceNumber: string | null;
  openedOn: string;
  closedOn: string | null;
  closeReason: string | null;
  /** The latest bed configuration (it may start in the future). */
  beds: CareBedCounts;
  totalBeds: number;
  /** Residents in care now (not discharged). */
  inCare: number;
  /** Every bed configuration, oldest first; the first is from the opening date. */
  bedHistory: CareBedChangeView[];
}

export interface CareInstitutionListView {
  items: Omit<CareInstitutionView, 'bedHistory'>[];
}

export interface CareAdmissionView {
  id: string;
  institutionId: string;
  /** Masked: 430503********123X. */
  residentId: string;
  residentName: string;
  ageOnAdmission: number;
  bedType: CareBedType;
  funding: CareFunding;
  admittedOn: string;
  dischargedOn: string | null;
  dischargeReason: CareDischargeReason | null;
  dischargeNote: string | null;
}

export interface CareAdmissionListView {
  institutionId: string;
  inCareOn: string | null;
  items: CareAdmissionView[];
}

/** Beds, residents occupying them, free beds and the occupancy rate (occupied ÷ beds, 4 decimals; null without beds). */
export interface CareOccupancyFigures {
  beds: number;
  occupied: number;
  free: number;
  rate: number | null;
}

export interface CareInstitutionOccupancyView {
  institutionId: string;
  name: string;
  ownership: CareInstitutionOwnership;
  divisionCode: string;
  date: string;
  /** Open on the date (opened by then, not closed); a closed or not yet opened institution has no beds that day. */
  open: boolean;
  byBedType: ({ bedType: CareBedType } & CareOccupancyFigures)[];
  total: CareOccupancyFigures;
}

export interface CareOccupancySummaryView {
  date: string;
  /** The division asked for, or null for everything in the caller's scope. */
  divisionCode: string | null;
  institutions: number;
  byOwnership: ({ ownership: CareInstitutionOwnership; institutions: number } & CareOccupancyFigures)[];
  total: CareOccupancyFigures;
}

export interface CareFindingView {
  id: string;
  description: string;
  severity: CareFindingSeverity;
  deadline: string;
  rectifiedOn: string | null;
  verifiedBy: string | null;
  rectificationNote: string | null;
  /** As on the list's `asOf` date (today for a reply to a write). */
  status: CareFindingStatus;
}

export interface CareInspectionView {
  id: string;
  institutionId: string;
  kind: CareInspectionKind;
  inspectedOn: string;
  inspector: string;
  summary: string | null;
  findings: CareFindingView[];
}

export interface CareInspectionListView {
  institutionId: string;
  asOf: string;
  items: CareInspectionView[];
}

export interface OverdueCareFindingView {
  findingId: string;
  inspectionId: string;
  institutionId: string;
  institutionName: string;
  divisionCode: string;
  kind: CareInspectionKind;
  inspectedOn: string;
  description: string;
  severity: CareFindingSeverity;
  deadline: string;
  daysOverdue: number;
}

export interface OverdueCareFindingListView {
  asOf: string;
  items: OverdueCareFindingView[];
}

// ---------------------------------------------------------------------------------------------
// Events (the institution's division is the envelope's; never a resident ID or name)

export const CareInstitutionEvents = {
  registered: 'civil.elderly-care.institution.registered.v1',
  bedsChanged: 'civil.elderly-care.institution.beds-changed.v1',
  closed: 'civil.elderly-care.institution.closed.v1',
  residentAdmitted: 'civil.elderly-care.institution-resident.admitted.v1',
  residentDischarged: 'civil.elderly-care.institution-resident.discharged.v1',
  inspectionRecorded: 'civil.elderly-care.institution-inspection.recorded.v1',
  findingRectified: 'civil.elderly-care.institution-finding.rectified.v1',
} as const;

export interface CareInstitutionRegisteredV1 {
  institutionId: string;
  ownership: CareInstitutionOwnership;
  openedOn: string;
  beds: CareBedCounts;
  totalBeds: number;
}

export interface CareInstitutionBedsChangedV1 {
  institutionId: string;
  ownership: CareInstitutionOwnership;
  effectiveFrom: string;
  beds: CareBedCounts;
  totalBeds: number;
  previousBeds: CareBedCounts;
  previousTotalBeds: number;
}

export interface CareInstitutionClosedV1 {
  institutionId: string;
  ownership: CareInstitutionOwnership;
  openedOn: string;
  closedOn: string;
  /** The beds in force the day before closing. */
  beds: CareBedCounts;
  totalBeds: number;
}

export interface CareResidentAdmittedV1 {
  admissionId: string;
  institutionId: string;
  ownership: CareInstitutionOwnership;
  bedType: CareBedType;
  funding: CareFunding;
  admittedOn: string;
}

export interface CareResidentDischargedV1 {
  admissionId: string;
  institutionId: string;
  ownership: CareInstitutionOwnership;
  bedType: CareBedType;
  admittedOn: string;
  dischargedOn: string;
  reason: CareDischargeReason;
}

export interface CareInspectionRecordedV1 {
  inspectionId: string;
  institutionId: string;
  kind: CareInspectionKind;
  inspectedOn: string;
  findings: { findingId: string; severity: CareFindingSeverity; deadline: string }[];
}

export interface CareFindingRectifiedV1 {
  findingId: string;
  inspectionId: string;
  institutionId: string;
  kind: CareInspectionKind;
  deadline: string;
  rectifiedOn: string;
  /** Rectified after the deadline. */
  late: boolean;
}
