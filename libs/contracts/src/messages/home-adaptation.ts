/**
 * 居家适老化改造 (home adaptation for older people in special difficulty). A household that is
 * 特困 分散供养, 低保 or 脱贫, with an older member who is very old, dependent (失能/半失能) or
 * disabled, has its home adapted once per period: application (eligibility checked) → assessment
 * (needs found) → plan (basic items subsidised, optional items self-paid; the subsidy within the
 * rule table's range) → works → acceptance (验收) → payment. The subsidy range, the age threshold
 * and the period are a rule table by division and effective date; a yearly target per county.
 */
import { z } from 'zod';
import { divisionCodeSchema, residentIdSchema, uuidSchema } from '../validation';
import { disabilityCertificateSchema } from './allowances';
import { addExamples } from '../request-examples';

const isoDate = z.iso.date();
const reference = z.string().trim().min(1).max(200);

export const HOME_ADAPTATION_STATUSES = ['applied', 'assessed', 'approved', 'works-completed', 'accepted', 'completed', 'refused'] as const;
export type HomeAdaptationStatus = (typeof HOME_ADAPTATION_STATUSES)[number];

/** Why the household qualifies: 特困 分散供养 and 低保 from social assistance's events; 脱贫 as declared by staff. */
export const HOME_ADAPTATION_HOUSEHOLD_BASES = ['dispersed-tekun', 'dibao', 'formerly-poor'] as const;
export type HomeAdaptationHouseholdBasis = (typeof HOME_ADAPTATION_HOUSEHOLD_BASES)[number];
/** Why the older member qualifies: very old (the rule's age), dependent (失能/半失能) or disabled. */
export const HOME_ADAPTATION_PERSON_BASES = ['very-old', 'dependent', 'disabled'] as const;
export type HomeAdaptationPersonBasis = (typeof HOME_ADAPTATION_PERSON_BASES)[number];

/** 半失能 (partly dependent) or 失能 (fully dependent), as the care-needs assessment found. */
export const DEPENDENCY_LEVELS = ['partial', 'full'] as const;
export type DependencyLevel = (typeof DEPENDENCY_LEVELS)[number];

/** 基础类 items are subsidised; 可选类 items are paid by the household. */
export const ADAPTATION_ITEM_CATEGORIES = ['basic', 'optional'] as const;
export type AdaptationItemCategory = (typeof ADAPTATION_ITEM_CATEGORIES)[number];

export const applyHomeAdaptationSchema = z
  .object({
    /** The older member the adaptation is for. */
    residentId: residentIdSchema,
    name: z.string().trim().min(1).max(50),
    /** Where the home is (twelve-digit division code, village level). */
    divisionCode: divisionCodeSchema,
    address: z.string().trim().min(1).max(200),
    /** 脱贫 status comes from outside the bureau: recorded as declared, with the document's reference. */
    formerlyPoor: z.object({ evidence: reference }).strict().optional(),
    /** 失能/半失能 as assessed, with the assessment's reference. */
    dependency: z.object({ level: z.enum(DEPENDENCY_LEVELS), evidence: reference }).strict().optional(),
    /** The 残疾人证 number (the resident ID, category and grade digits). */
    disabilityCertificateNumber: disabilityCertificateSchema.optional(),
    appliedOn: isoDate,
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.disabilityCertificateNumber !== undefined && !input.disabilityCertificateNumber.startsWith(input.residentId)) {
      ctx.addIssue({ code: 'custom', path: ['disabilityCertificateNumber'], message: 'the certificate number begins with the holder’s resident ID', params: { rule: 'matches-resident-id' } });
    }
  });
addExamples(applyHomeAdaptationSchema, [
  {
    value: {
      residentId: '430503194012250483',
      name: '黄秀珍',
      divisionCode: '430503202203',
      address: '邵阳市大祥区蔡锷乡蔡锷示例村三5组12号',
      dependency: { level: 'partial', evidence: '老年人能力评估报告（2026年10月28日，中度失能）' },
      appliedOn: '2026-11-02',
    },
  },
]);
export type ApplyHomeAdaptationInput = z.output<typeof applyHomeAdaptationSchema>;

export const getHomeAdaptationSchema = z.object({ id: uuidSchema }).strict();

export const listHomeAdaptationsSchema = z
  .object({
    year: z.coerce.number().int().min(2000).max(2100),
    status: z.enum(HOME_ADAPTATION_STATUSES).optional(),
    /** Within this division (a township or village); defaults to every division of the caller. */
    divisionCode: divisionCodeSchema.optional(),
  })
  .strict();
export type ListHomeAdaptationsInput = z.output<typeof listHomeAdaptationsSchema>;

export const assessHomeAdaptationSchema = z
  .object({
    id: uuidSchema,
    assessedOn: isoDate,
    /** The needs found at the home visit, e.g. "卫生间无扶手", "门槛高差 8cm". */
    needs: z.array(z.string().trim().min(1).max(200)).min(1).max(30),
    assessor: z.string().trim().min(1).max(100),
  })
  .strict();
addExamples(assessHomeAdaptationSchema, [
  { value: { id: '01a217ef-ebb3-7662-86e0-29908806195e', assessedOn: '2026-11-10', needs: ['卫生间安装扶手', '淋浴区地面防滑处理', '床边护栏'], assessor: '邵阳市康健适老化评估中心' } },
]);
export type AssessHomeAdaptationInput = z.output<typeof assessHomeAdaptationSchema>;

export const adaptationItemSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    category: z.enum(ADAPTATION_ITEM_CATEGORIES),
    amountFen: z.int().min(1).max(10_000_000),
  })
  .strict();
export type AdaptationItem = z.output<typeof adaptationItemSchema>;

/** The plan, approved by the officer: the basic items' total is the subsidy, within the rule's range. */
export const planHomeAdaptationSchema = z
  .object({
    id: uuidSchema,
    approvedOn: isoDate,
    items: z.array(adaptationItemSchema).min(1).max(50),
  })
  .strict();
addExamples(planHomeAdaptationSchema, [
  {
    value: {
      id: '01a217ef-ebb3-7662-86e0-29908806195e',
      approvedOn: '2026-11-16',
      items: [
        { name: '卫生间扶手', category: 'basic', amountFen: 120000 },
        { name: '地面防滑处理', category: 'basic', amountFen: 150000 },
        { name: '床边护栏', category: 'basic', amountFen: 80000 },
        { name: '智能烟感报警器', category: 'optional', amountFen: 30000 },
      ],
    },
  },
]);
export type PlanHomeAdaptationInput = z.output<typeof planHomeAdaptationSchema>;

export const recordHomeAdaptationWorksSchema = z
  .object({
    id: uuidSchema,
    contractor: z.string().trim().min(1).max(200),
    startedOn: isoDate,
    completedOn: isoDate,
  })
  .strict()
  .refine((v) => v.completedOn >= v.startedOn, { message: 'completedOn cannot be before startedOn', path: ['completedOn'] });
addExamples(recordHomeAdaptationWorksSchema, [
  { value: { id: '01a217ef-ebb3-7662-86e0-29908806195e', contractor: '邵阳市安居适老化工程有限公司', startedOn: '2026-11-18', completedOn: '2026-11-21' } },
]);
export type RecordHomeAdaptationWorksInput = z.output<typeof recordHomeAdaptationWorksSchema>;

/** 验收: passed moves on to payment; failed sends the works back (recorded in the status log). */
export const acceptHomeAdaptationSchema = z
  .object({
    id: uuidSchema,
    inspectedOn: isoDate,
    result: z.enum(['passed', 'failed']),
    inspector: z.string().trim().min(1).max(100),
    remarks: z.string().trim().max(2000).default(''),
  })
  .strict()
  .refine((v) => v.result === 'passed' || v.remarks.length > 0, { message: 'say what failed', path: ['remarks'] });
addExamples(acceptHomeAdaptationSchema, [
  { summary: 'Passed', value: { id: '01a217ef-ebb3-7662-86e0-29908806195e', inspectedOn: '2026-11-24', result: 'passed', inspector: '蔡锷乡民政办' } },
  { summary: 'Failed, saying what', value: { id: '01a217ef-ebb3-7662-86e0-29908806195e', inspectedOn: '2026-11-24', result: 'failed', inspector: '蔡锷乡民政办', remarks: '卫生间扶手安装不牢固，需返工' } },
]);
export type AcceptHomeAdaptationInput = z.output<typeof acceptHomeAdaptationSchema>;

export const payHomeAdaptationSchema = z
  .object({
    id: uuidSchema,
    paidOn: isoDate,
    /** The payment voucher's reference (拨付凭证). */
    voucher: reference,
  })
  .strict();
addExamples(payHomeAdaptationSchema, [
  { value: { id: '01a217ef-ebb3-7662-86e0-29908806195e', paidOn: '2026-11-30', voucher: '大祥民政支付凭证2026-11-0457' } },
]);
export type PayHomeAdaptationInput = z.output<typeof payHomeAdaptationSchema>;

export const refuseHomeAdaptationSchema = z
  .object({
    id: uuidSchema,
    refusedOn: isoDate,
    reason: z.string().trim().min(1).max(2000),
  })
  .strict();
addExamples(refuseHomeAdaptationSchema, [
  { value: { id: '01a217ef-ebb3-7662-86e0-29908806195e', refusedOn: '2026-11-12', reason: '申请人家庭不属于特困分散供养、低保或脱贫户，不符合补贴条件' } },
]);
export type RefuseHomeAdaptationInput = z.output<typeof refuseHomeAdaptationSchema>;

export const homeAdaptationProgressSchema = z
  .object({
    year: z.coerce.number().int().min(2000).max(2100),
    /** The county whose target is reported (six or twelve digits); defaults to the district. */
    divisionCode: divisionCodeSchema.optional(),
  })
  .strict();
export type HomeAdaptationProgressInput = z.output<typeof homeAdaptationProgressSchema>;

export const setHomeAdaptationTargetSchema = z
  .object({
    year: z.coerce.number().int().min(2000).max(2100),
    /** A county (six or twelve digits). */
    divisionCode: divisionCodeSchema.refine((code) => code.endsWith('000000'), { message: 'a target is set for a county', params: { rule: 'county' } }),
    households: z.int().min(0).max(100_000),
  })
  .strict();
addExamples(setHomeAdaptationTargetSchema, [
  { value: { year: 2026, divisionCode: '430503000000', households: 70 } },
]);
export type SetHomeAdaptationTargetInput = z.output<typeof setHomeAdaptationTargetSchema>;

/** One condition of eligibility, with the basis it rests on. */
export interface HomeAdaptationFinding {
  condition: 'older-person' | 'household-status' | 'older-member-condition';
  met: boolean;
  basis: string;
}

export interface HomeAdaptationView {
  id: string;
  /** Masked. */
  residentId: string;
  name: string;
  divisionCode: string;
  townshipCode: string;
  address: string;
  year: number;
  status: HomeAdaptationStatus;
  householdBases: HomeAdaptationHouseholdBasis[];
  personBases: HomeAdaptationPersonBasis[];
  findings: HomeAdaptationFinding[];
  appliedOn: string;
  assessment: { assessedOn: string; assessor: string; needs: string[] } | null;
  plan: { approvedOn: string; items: AdaptationItem[]; subsidyFen: number; selfPaidFen: number } | null;
  works: { contractor: string; startedOn: string; completedOn: string } | null;
  acceptance: { inspectedOn: string; inspector: string; remarks: string } | null;
  payment: { paidOn: string; voucher: string; amountFen: number } | null;
  refusal: { refusedOn: string; reason: string } | null;
  log: { from: HomeAdaptationStatus | null; to: HomeAdaptationStatus; onDate: string; by: string; note: string }[];
}

export interface HomeAdaptationSummaryView {
  id: string;
  name: string;
  townshipCode: string;
  status: HomeAdaptationStatus;
  appliedOn: string;
  subsidyFen: number | null;
}

/** Completed households (paid) against the year's target, by township. */
export interface HomeAdaptationProgress {
  year: number;
  divisionCode: string;
  target: number | null;
  completed: number;
  /** Applied, not yet paid nor refused. */
  inProgress: number;
  subsidyFen: number;
  /** Completed ÷ target in per cent (one decimal); null without a target. */
  percent: number | null;
  byTownship: { townshipCode: string; completed: number; inProgress: number; subsidyFen: number }[];
}

export interface HomeAdaptationTargetView {
  year: number;
  divisionCode: string;
  households: number;
}

export const HomeAdaptationEvents = {
  applied: 'civil.elderly-care.home-adaptation.applied.v1',
  approved: 'civil.elderly-care.home-adaptation.approved.v1',
  refused: 'civil.elderly-care.home-adaptation.refused.v1',
  completed: 'civil.elderly-care.home-adaptation.completed.v1',
} as const;

/** An eligible application was recorded (no resident IDs in events). */
export interface HomeAdaptationAppliedV1 {
  caseId: string;
  year: number;
  townshipCode: string;
  householdBases: HomeAdaptationHouseholdBasis[];
  personBases: HomeAdaptationPersonBasis[];
  appliedOn: string;
}

/** The plan was approved: the subsidy is fixed. */
export interface HomeAdaptationApprovedV1 {
  caseId: string;
  townshipCode: string;
  subsidyFen: number;
  selfPaidFen: number;
  approvedOn: string;
}

export interface HomeAdaptationRefusedV1 {
  caseId: string;
  townshipCode: string;
  statusBefore: HomeAdaptationStatus;
  reason: string;
  refusedOn: string;
}

/** The works passed acceptance and the subsidy was paid: one household adapted. */
export interface HomeAdaptationCompletedV1 {
  caseId: string;
  subsidyFen: number;
  /** The day the subsidy was paid, completing the case. */
  completedOn: string;
  townshipCode: string;
}
