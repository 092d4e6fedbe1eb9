/**
 * The monthly 低保 benefit (差额补助): the gap between the local standard and the household's
 * per-capita income, paid per covered member, never below a floor, plus 分类施保 top-ups for
 * members in listed situations. Pure integer-fen arithmetic through Money; rates are basis points
 * (1 bp = 0.01 %), so nothing passes through binary floating point.
 */
import { z } from 'zod';
import { Money } from '@civil/domain-kernel';
import { DomainError, fieldErrorsOf } from '@civil/contracts';

export const CLASSIFICATIONS = ['severely-disabled', 'minor', 'seriously-ill', 'elderly-alone'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

const BP_PER_WHOLE = 10_000;

export interface DibaoRule {
  /** Local monthly standard per person, in fen, for the household's urban/rural class. */
  monthlyStandardFen: number;
  /** Minimum benefit per covered person, in basis points of the standard: 2000 = 20 %. */
  floorBp: number;
  /** Extra per covered member in that situation, in basis points of the standard. */
  topUpsBp: Partial<Record<Classification, number>>;
}

export interface BenefitInput {
  rule: DibaoRule;
  /** Sum of all members' monthly income, in fen. */
  householdMonthlyIncomeFen: number;
  /** Persons the per-capita income is computed over. */
  householdSize: number;
  /** Members the benefit is paid for (all of the household, or one person under 单人保). */
  coveredMembers: { classifications: Classification[] }[];
}

export type BenefitReason = 'eligible' | 'income-at-or-above-standard' | 'no-covered-members';

export interface BenefitResult {
  eligible: boolean;
  reason: BenefitReason;
  perCapitaIncomeFen: number;
  /** standard − per-capita income, never negative. */
  gapPerPersonFen: number;
  floorPerPersonFen: number;
  /** max(gap, floor) when eligible, else 0. */
  basePerPersonFen: number;
  /** Sum of each covered member's largest top-up, each rounded half-up to the fen; 0 when ineligible. */
  topUpsFen: number;
  /** basePerPerson × covered members + top-ups; 0 when ineligible. */
  monthlyAmountFen: number;
}

const fen = z.int().min(0);
const basisPoints = z.int().min(0).max(BP_PER_WHOLE);

const benefitInputSchema = z
  .strictObject({
    rule: z.strictObject({
      monthlyStandardFen: z.int().positive(),
      floorBp: basisPoints,
      topUpsBp: z.strictObject({
        'severely-disabled': basisPoints.optional(),
        minor: basisPoints.optional(),
        'seriously-ill': basisPoints.optional(),
        'elderly-alone': basisPoints.optional(),
      }),
    }),
    householdMonthlyIncomeFen: fen,
    householdSize: z.int().min(1),
    coveredMembers: z.array(z.strictObject({ classifications: z.array(z.enum(CLASSIFICATIONS)) })),
  })
  .superRefine((input, ctx) => {
    if (input.coveredMembers.length > input.householdSize) {
      ctx.addIssue({
        code: 'custom',
        path: ['coveredMembers'],
        message: `${input.coveredMembers.length} covered members in a household of ${input.householdSize}`,
        params: { rule: 'max-household-size' },
      });
    }
  });

/**
 * Computes the monthly benefit. Eligible only when per-capita income < standard and at least one
 * member is covered (income is checked first, so a household above the standard is reported as
 * such even with nobody covered). Refuses bad input with VALIDATION_FAILED naming each field.
 *
 * Per-capita income is household income ÷ household size rounded DOWN to the fen. Rounding can
 * then only lower the per-capita income, i.e. enlarge the gap by less than a fen, so the applicant
 * never loses by it; and since the standard is a whole number of fen, floor(x) < standard exactly
 * when x < standard, so rounding never changes eligibility either.
 * The floor (standard × floorBp) and each top-up (standard × bp) are rounded half-up (四舍五入).
 */
export function computeDibaoBenefit(input: BenefitInput): BenefitResult {
  const parsed = benefitInputSchema.safeParse(input);
  if (!parsed.success) throw DomainError.validation(fieldErrorsOf(parsed.error));
  const { rule, householdMonthlyIncomeFen, householdSize, coveredMembers } = parsed.data;

  const standard = Money.fen(rule.monthlyStandardFen);
  const perCapita = Money.fen(householdMonthlyIncomeFen).multiplyBy(1, householdSize, 'down');
  const gap = Money.max(standard.subtract(perCapita), Money.zero());
  const floor = standard.multiplyBy(rule.floorBp, BP_PER_WHOLE, 'half-up');

  const reason: BenefitReason =
    perCapita.compare(standard) >= 0 ? 'income-at-or-above-standard' : coveredMembers.length === 0 ? 'no-covered-members' : 'eligible';
  const eligible = reason === 'eligible';

  const base = eligible ? Money.max(gap, floor) : Money.zero();
  const topUps = eligible
    ? Money.sum(coveredMembers.map((member) => standard.multiplyBy(largestTopUpBp(rule.topUpsBp, member.classifications), BP_PER_WHOLE, 'half-up')))
    : Money.zero();
  const monthly = base.multiplyBy(coveredMembers.length).add(topUps);

  return {
    eligible,
    reason,
    perCapitaIncomeFen: perCapita.fen,
    gapPerPersonFen: gap.fen,
    floorPerPersonFen: floor.fen,
    basePerPersonFen: base.fen,
    topUpsFen: topUps.fen,
    monthlyAmountFen: monthly.fen,
  };
}

/** A member in several situations gets the largest applicable top-up, not their sum. */
function largestTopUpBp(topUpsBp: Partial<Record<Classification, number>>, classifications: readonly Classification[]): number {
  return classifications.reduce((largest, c) => Math.max(largest, topUpsBp[c] ?? 0), 0);
}

const levelInputSchema = z.strictObject({ totalPaidFen: fen, personMonths: z.int().positive() });

/**
 * 月人均救助水平 (monthly assistance level per person), as the annual report states it:
 * total paid in the year ÷ person-months, where person-months = Σ over the twelve months of the
 * persons covered that month; in fen, rounded half-up. E.g. urban 2023: 2339.7293万元 =
 * 2 339 729 300 fen over 59 090 person-months = 39 596 fen = 395.96元. Dividing by person-months
 * rather than by year-end persons × 12 keeps households that joined or left mid-year from
 * distorting the level.
 */
export function perCapitaMonthlyLevel(totalPaidFen: number, personMonths: number): number {
  const parsed = levelInputSchema.safeParse({ totalPaidFen, personMonths });
  if (!parsed.success) throw DomainError.validation(fieldErrorsOf(parsed.error));
  return Money.fen(parsed.data.totalPaidFen).multiplyBy(1, parsed.data.personMonths, 'half-up').fen;
}
