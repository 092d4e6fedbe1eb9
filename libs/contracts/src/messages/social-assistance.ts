import { z } from 'zod';
import { divisionCodeSchema, residentIdSchema, uuidSchema } from '../validation';

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

/** One workflow action; the service validates the action name and its payload against its rules. */
export const dibaoActionRequestSchema = z
  .object({
    applicationId: uuidSchema,
    action: z.string().min(1).max(50),
    payload: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

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
