import { z } from 'zod';
import { divisionCodeSchema, residentIdSchema, uuidSchema } from '../validation';
import { addExamples } from '../request-examples';

export const RELATIONSHIPS = ['head', 'spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'other'] as const;

export const registerHouseholdSchema = z
  .object({
    divisionCode: divisionCodeSchema,
    urbanRural: z.enum(['urban', 'rural']),
    address: z.string().trim().min(2).max(200),
    members: z
      .array(
        z
          .object({
            name: z.string().trim().min(1).max(50),
            residentId: residentIdSchema,
            relationship: z.enum(RELATIONSHIPS),
          })
          .strict(),
      )
      .min(1)
      .max(30),
  })
  .strict()
  .superRefine((household, ctx) => {
    const heads = household.members.filter((m) => m.relationship === 'head').length;
    if (heads !== 1) {
      ctx.addIssue({ code: 'custom', path: ['members'], message: `a household has exactly one head, found ${heads}`, params: { rule: 'one-head' } });
    }
    const seen = new Set<string>();
    household.members.forEach((m, i) => {
      if (seen.has(m.residentId)) {
        ctx.addIssue({ code: 'custom', path: ['members', i, 'residentId'], message: 'the same person is listed twice', params: { rule: 'unique' } });
      }
      seen.add(m.residentId);
    });
  });
addExamples(registerHouseholdSchema, [
  {
    value: {
      divisionCode: '430503001001',
      urbanRural: 'urban',
      address: '邵阳市大祥区中心路街道中心路示例社区一红旗路128号3栋402室',
      members: [
        { name: '王建国', residentId: '43050319680412031X', relationship: 'head' },
        { name: '李秀英', residentId: '430503197009030424', relationship: 'spouse' },
        { name: '王浩', residentId: '430503200511200171', relationship: 'child' },
      ],
    },
  },
]);
export type RegisterHouseholdRequest = z.input<typeof registerHouseholdSchema>;

export const getHouseholdSchema = z.object({ id: uuidSchema }).strict();

export interface HouseholdMemberView {
  id: string;
  name: string;
  /** Masked (430503********123X) unless the caller may see it. */
  residentId: string;
  relationship: (typeof RELATIONSHIPS)[number];
  birthDate: string;
  sex: 'male' | 'female';
}

export interface HouseholdView {
  id: string;
  divisionCode: string;
  urbanRural: 'urban' | 'rural';
  address: string;
  members: HouseholdMemberView[];
  createdAt: string;
}

const isoDate = z.iso.date();
const nonNegativeFen = z.number().int('must be whole fen').min(0, 'must not be negative').max(Number.MAX_SAFE_INTEGER);

export const INCOME_KINDS = ['wages', 'business', 'property', 'transfer', 'pension', 'other'] as const;
export const ASSET_KINDS = ['deposit', 'vehicle', 'residential-property', 'non-residential-property', 'business-capital', 'securities', 'other'] as const;

/** A member's income as a clerk records it: the amount, where the fact comes from, and as of when. */
export const recordIncomeSchema = z
  .object({
    householdId: uuidSchema,
    memberId: uuidSchema,
    kind: z.enum(INCOME_KINDS),
    monthlyAmountFen: nonNegativeFen,
    source: z.string().trim().min(1).max(200),
    asOf: isoDate,
  })
  .strict();
addExamples(recordIncomeSchema, [
  { value: { householdId: '01a217ef-ebb1-7044-aa87-066eeef13af6', memberId: '01a217ef-ebb1-7044-aa87-09580edd2984', kind: 'wages', monthlyAmountFen: 120000, source: '灵活就业收入（社区入户调查）', asOf: '2026-10-31' } },
]);

export const recordAssetSchema = z
  .object({
    householdId: uuidSchema,
    memberId: uuidSchema,
    kind: z.enum(ASSET_KINDS),
    valueFen: nonNegativeFen,
    source: z.string().trim().min(1).max(200),
    asOf: isoDate,
  })
  .strict();
addExamples(recordAssetSchema, [
  { value: { householdId: '01a217ef-ebb1-7044-aa87-066eeef13af6', memberId: '01a217ef-ebb1-7044-aa87-0ca2e70a4d21', kind: 'deposit', valueFen: 850000, source: '中国农业银行邵阳大祥支行存款核对', asOf: '2026-10-31' } },
]);

export interface IncomeView {
  id: string;
  memberId: string;
  kind: (typeof INCOME_KINDS)[number];
  monthlyAmountFen: number;
  source: string;
  asOf: string;
}

export interface AssetView {
  id: string;
  memberId: string;
  kind: (typeof ASSET_KINDS)[number];
  valueFen: number;
  source: string;
  asOf: string;
}

export interface HouseholdHistoryEntry {
  change: string;
  detail: Record<string, unknown>;
  actorId: string;
  at: string;
}

export interface HouseholdFinancesView {
  householdId: string;
  incomes: IncomeView[];
  assets: AssetView[];
  history: HouseholdHistoryEntry[];
}

/** A 低保 application is opened for a registered household; a citizen applies for their own. */
export const submitDibaoApplicationSchema = z.object({ householdId: uuidSchema }).strict();
addExamples(submitDibaoApplicationSchema, [
  { value: { householdId: '01a217ef-ebb1-7044-aa87-066eeef13af6' } },
]);

/** One workflow action; the service validates the action name and its payload against its rules. */
export const dibaoActionRequestSchema = z
  .object({
    applicationId: uuidSchema,
    action: z.string().min(1).max(50),
    payload: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
addExamples(dibaoActionRequestSchema, [
  {
    summary: 'Record the household survey (at least two investigators)',
    value: { applicationId: '01a217ef-ebb1-7044-aa87-10f8dbc32d7f', action: 'record-survey', payload: { investigators: ['刘红梅', '陈志刚'], findings: '户主王建国灵活就业，收入不稳定；配偶李秀英患慢性病需长期服药；住房为单位旧公房，无车辆' } },
  },
  { summary: 'Return as incomplete, listing everything missing', value: { applicationId: '01a217ef-ebb1-7044-aa87-10f8dbc32d7f', action: 'return-incomplete', payload: { missing: ['户口簿复印件', '李秀英的病历和诊断证明'] } } },
  { summary: 'Approve with the monthly benefit', value: { applicationId: '01a217ef-ebb1-7044-aa87-10f8dbc32d7f', action: 'approve', payload: { monthlyAmountFen: 98000, coveredPersons: 3 } } },
]);

export const getDibaoApplicationSchema = z.object({ id: uuidSchema }).strict();
export const listOverdueApplicationsSchema = z.object({ today: z.iso.date().optional() }).strict();

export interface DibaoApplicationView {
  id: string;
  householdId: string;
  divisionCode: string;
  urbanRural: 'urban' | 'rural';
  status: string;
  submittedOn: string;
  deadline: string;
  /** True while a year the deadline runs through has no holiday arrangement loaded yet. */
  deadlineProvisional: boolean;
  overdue: boolean;
  missing: string[];
  rejectionReason: string | null;
  benefitStartPeriod: string | null;
  /** What the caller may do next, from the service's permission table. */
  allowedActions: string[];
  actions: { seq: number; action: string; role: string; actorId: string; date: string; payload: Record<string, unknown> }[];
}

/** Household economic verification: ask every data source about the household's members. */
export const requestVerificationSchema = z.object({ householdId: uuidSchema }).strict();
addExamples(requestVerificationSchema, [
  { value: { householdId: '01a217ef-ebb1-7044-aa87-066eeef13af6' } },
]);
export const getVerificationSchema = z.object({ id: uuidSchema }).strict();

export const previewDibaoBenefitSchema = z.object({ id: uuidSchema, onDate: isoDate.optional() }).strict();

/** The monthly 低保 a household would receive, with every input behind the figure. */
export interface DibaoBenefitPreview {
  applicationId: string;
  onDate: string;
  standardFen: number;
  floorBp: number;
  householdSize: number;
  householdMonthlyIncomeFen: number;
  incomes: { memberId: string; kind: string; monthlyAmountFen: number; source: string; asOf: string }[];
  members: { memberId: string; name: string; classifications: string[] }[];
  /** The asset test on the latest asset records of each kind per member. */
  assets: {
    passed: boolean;
    financialFen: number;
    financialPerCapitaFen: number;
    financialLimitPerCapitaFen: number;
    largestVehicleFen: number;
    vehicleExemptValueFen: number;
    nonResidentialPropertyFen: number;
    businessCapitalFen: number;
    businessCapitalCapFen: number;
    failures: string[];
  };
  /** Both tests: income below the standard and assets within the limits. */
  eligible: boolean;
  /** 'eligible', 'income-at-or-above-standard', 'assets-above-limits' or 'no-covered-members'. */
  reason: string;
  perCapitaIncomeFen: number;
  gapPerPersonFen: number;
  floorPerPersonFen: number;
  basePerPersonFen: number;
  topUpsFen: number;
  monthlyAmountFen: number;
}

/** Creates the reviews that fall due by a date, for every open 低保 case without one (set-based). */
export const scheduleReviewsSchema = z.object({ dueBy: isoDate }).strict();
addExamples(scheduleReviewsSchema, [
  { value: { dueBy: '2026-12-31' } },
]);
export const listDueReviewsSchema = z.object({ dueBy: isoDate }).strict();
export const decideReviewSchema = z
  .object({
    reviewId: uuidSchema,
    outcome: z.enum(['continue', 'adjust', 'stop']),
    reason: z.string().trim().min(2).max(1000),
    monthlyAmountFen: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    coveredPersons: z.number().int().min(1).max(30).optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.outcome === 'adjust' && d.monthlyAmountFen === undefined && d.coveredPersons === undefined) {
      ctx.addIssue({ code: 'custom', path: ['monthlyAmountFen'], message: 'an adjustment changes the amount or the covered persons', params: { rule: 'required' } });
    }
    if (d.outcome !== 'adjust' && (d.monthlyAmountFen !== undefined || d.coveredPersons !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['outcome'], message: 'only an adjustment changes the amount or the covered persons', params: { rule: 'adjust-only' } });
    }
  });
addExamples(decideReviewSchema, [
  { summary: 'Continue', value: { reviewId: '01a217ef-ebb1-7044-aa87-15560998bdec', outcome: 'continue', reason: '家庭收入和财产状况无明显变化，继续保障' } },
  { summary: 'Adjust', value: { reviewId: '01a217ef-ebb1-7044-aa87-15560998bdec', outcome: 'adjust', reason: '子女王浩已稳定就业，家庭人均收入增加，调减保障人数和金额', monthlyAmountFen: 52000, coveredPersons: 2 } },
  { summary: 'Stop', value: { reviewId: '01a217ef-ebb1-7044-aa87-15560998bdec', outcome: 'stop', reason: '家庭人均收入连续三个月超过城市低保标准' } },
]);

export interface DibaoReviewView {
  id: string;
  caseId: string;
  householdId: string;
  divisionCode: string;
  cadence: 'yearly' | 'half-yearly';
  dueOn: string;
  outcome: 'continue' | 'adjust' | 'stop' | null;
  reason: string | null;
  decidedOn: string | null;
  effectivePeriod: string | null;
}
