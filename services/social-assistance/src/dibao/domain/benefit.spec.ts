import { DomainError } from '@civil/contracts';
import { computeDibaoBenefit, perCapitaMonthlyLevel, type BenefitInput, type BenefitResult, type Classification, type DibaoRule } from './benefit';

/** 620元 standard, floor 20 % (124元), top-ups: severely disabled 30 %, minor 10 %, seriously ill 20 %. */
const RULE: DibaoRule = {
  monthlyStandardFen: 62000,
  floorBp: 2000,
  topUpsBp: { 'severely-disabled': 3000, minor: 1000, 'seriously-ill': 2000 },
};

const members = (...lists: Classification[][]) => lists.map((classifications) => ({ classifications }));
const plain = (n: number) => members(...Array.from({ length: n }, () => []));

function input(overrides: Partial<BenefitInput>): BenefitInput {
  return { rule: RULE, householdMonthlyIncomeFen: 0, householdSize: 1, coveredMembers: plain(1), ...overrides };
}

function validationFieldsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError && error.code === 'VALIDATION_FAILED') return (error.fields ?? []).map((f) => f.field).sort();
    throw error;
  }
  throw new Error('expected VALIDATION_FAILED, nothing was thrown');
}

describe('computeDibaoBenefit', () => {
  it.each<[string, Partial<BenefitInput>, BenefitResult]>([
    [
      'zero income: the whole standard per person',
      { householdMonthlyIncomeFen: 0, householdSize: 2, coveredMembers: plain(2) },
      { eligible: true, reason: 'eligible', perCapitaIncomeFen: 0, gapPerPersonFen: 62000, floorPerPersonFen: 12400, basePerPersonFen: 62000, topUpsFen: 0, monthlyAmountFen: 124000 },
    ],
    [
      'gap above the floor: the gap',
      { householdMonthlyIncomeFen: 90000, householdSize: 3, coveredMembers: plain(3) },
      { eligible: true, reason: 'eligible', perCapitaIncomeFen: 30000, gapPerPersonFen: 32000, floorPerPersonFen: 12400, basePerPersonFen: 32000, topUpsFen: 0, monthlyAmountFen: 96000 },
    ],
    [
      'gap below the floor: the floor applies',
      { householdMonthlyIncomeFen: 150000, householdSize: 3, coveredMembers: plain(3) },
      { eligible: true, reason: 'eligible', perCapitaIncomeFen: 50000, gapPerPersonFen: 12000, floorPerPersonFen: 12400, basePerPersonFen: 12400, topUpsFen: 0, monthlyAmountFen: 37200 },
    ],
    [
      'gap equal to the floor',
      { householdMonthlyIncomeFen: 99200, householdSize: 2, coveredMembers: plain(2) },
      { eligible: true, reason: 'eligible', perCapitaIncomeFen: 49600, gapPerPersonFen: 12400, floorPerPersonFen: 12400, basePerPersonFen: 12400, topUpsFen: 0, monthlyAmountFen: 24800 },
    ],
    [
      'one fen below the standard: eligible, the floor applies',
      { householdMonthlyIncomeFen: 123998, householdSize: 2, coveredMembers: plain(2) },
      { eligible: true, reason: 'eligible', perCapitaIncomeFen: 61999, gapPerPersonFen: 1, floorPerPersonFen: 12400, basePerPersonFen: 12400, topUpsFen: 0, monthlyAmountFen: 24800 },
    ],
    [
      'exactly at the standard: not eligible',
      { householdMonthlyIncomeFen: 124000, householdSize: 2, coveredMembers: members(['minor'], []) },
      { eligible: false, reason: 'income-at-or-above-standard', perCapitaIncomeFen: 62000, gapPerPersonFen: 0, floorPerPersonFen: 12400, basePerPersonFen: 0, topUpsFen: 0, monthlyAmountFen: 0 },
    ],
    [
      'above the standard: no gap, nothing paid',
      { householdMonthlyIncomeFen: 300000, householdSize: 2, coveredMembers: plain(2) },
      { eligible: false, reason: 'income-at-or-above-standard', perCapitaIncomeFen: 150000, gapPerPersonFen: 0, floorPerPersonFen: 12400, basePerPersonFen: 0, topUpsFen: 0, monthlyAmountFen: 0 },
    ],
    [
      'nobody covered',
      { householdMonthlyIncomeFen: 0, householdSize: 2, coveredMembers: [] },
      { eligible: false, reason: 'no-covered-members', perCapitaIncomeFen: 0, gapPerPersonFen: 62000, floorPerPersonFen: 12400, basePerPersonFen: 0, topUpsFen: 0, monthlyAmountFen: 0 },
    ],
    [
      'above the standard and nobody covered: income is reported first',
      { householdMonthlyIncomeFen: 200000, householdSize: 2, coveredMembers: [] },
      { eligible: false, reason: 'income-at-or-above-standard', perCapitaIncomeFen: 100000, gapPerPersonFen: 0, floorPerPersonFen: 12400, basePerPersonFen: 0, topUpsFen: 0, monthlyAmountFen: 0 },
    ],
    [
      '单人保: single-person household, severely disabled',
      { householdMonthlyIncomeFen: 10000, householdSize: 1, coveredMembers: members(['severely-disabled']) },
      { eligible: true, reason: 'eligible', perCapitaIncomeFen: 10000, gapPerPersonFen: 52000, floorPerPersonFen: 12400, basePerPersonFen: 52000, topUpsFen: 18600, monthlyAmountFen: 70600 },
    ],
    [
      '单人保 in a larger household: per capita over everyone, paid for one',
      { householdMonthlyIncomeFen: 90000, householdSize: 3, coveredMembers: members(['severely-disabled']) },
      { eligible: true, reason: 'eligible', perCapitaIncomeFen: 30000, gapPerPersonFen: 32000, floorPerPersonFen: 12400, basePerPersonFen: 32000, topUpsFen: 18600, monthlyAmountFen: 50600 },
    ],
    [
      'top-ups for several members',
      { householdMonthlyIncomeFen: 90000, householdSize: 3, coveredMembers: members(['severely-disabled'], ['minor'], []) },
      { eligible: true, reason: 'eligible', perCapitaIncomeFen: 30000, gapPerPersonFen: 32000, floorPerPersonFen: 12400, basePerPersonFen: 32000, topUpsFen: 24800, monthlyAmountFen: 120800 },
    ],
    [
      'two classifications: the larger top-up, not both',
      { householdMonthlyIncomeFen: 0, householdSize: 1, coveredMembers: members(['minor', 'severely-disabled']) },
      { eligible: true, reason: 'eligible', perCapitaIncomeFen: 0, gapPerPersonFen: 62000, floorPerPersonFen: 12400, basePerPersonFen: 62000, topUpsFen: 18600, monthlyAmountFen: 80600 },
    ],
    [
      'a classification the rule has no top-up for adds nothing',
      { householdMonthlyIncomeFen: 0, householdSize: 1, coveredMembers: members(['elderly-alone']) },
      { eligible: true, reason: 'eligible', perCapitaIncomeFen: 0, gapPerPersonFen: 62000, floorPerPersonFen: 12400, basePerPersonFen: 62000, topUpsFen: 0, monthlyAmountFen: 62000 },
    ],
    [
      'top-ups also on top of the floor',
      { householdMonthlyIncomeFen: 110000, householdSize: 2, coveredMembers: members(['seriously-ill'], []) },
      { eligible: true, reason: 'eligible', perCapitaIncomeFen: 55000, gapPerPersonFen: 7000, floorPerPersonFen: 12400, basePerPersonFen: 12400, topUpsFen: 12400, monthlyAmountFen: 37200 },
    ],
  ])('%s', (_label, overrides, expected) => {
    expect(computeDibaoBenefit(input(overrides))).toEqual(expected);
  });

  describe('rounding', () => {
    it.each([
      // 100001 / 3 = 33333.67: per capita rounds down to 33333, so the gap is 28667 (exact: 28666.33).
      [100001, 3, 33333, 28667],
      // 100000 / 3 = 33333.33 → 33333.
      [100000, 3, 33333, 28667],
      // 123999 / 2 = 61999.5 → 61999, the applicant's side of the half.
      [123999, 2, 61999, 1],
      [7, 7, 1, 61999],
    ])('income %i over %i persons: per capita %i, gap %i', (income, size, perCapita, gap) => {
      const result = computeDibaoBenefit(input({ householdMonthlyIncomeFen: income, householdSize: size, coveredMembers: plain(1) }));
      expect(result.perCapitaIncomeFen).toBe(perCapita);
      expect(result.gapPerPersonFen).toBe(gap);
    });

    it('rounding down never changes eligibility: 62000.5 per capita is still not below 620元', () => {
      const result = computeDibaoBenefit(input({ householdMonthlyIncomeFen: 124001, householdSize: 2, coveredMembers: plain(2) }));
      expect(result).toMatchObject({ eligible: false, perCapitaIncomeFen: 62000, monthlyAmountFen: 0 });
    });

    it('per-capita income is the largest whole fen not above the exact quotient', () => {
      for (let income = 0; income < 400; income++) {
        for (let size = 1; size <= 7; size++) {
          const { perCapitaIncomeFen } = computeDibaoBenefit(input({ householdMonthlyIncomeFen: income, householdSize: size, coveredMembers: [] }));
          expect(perCapitaIncomeFen * size).toBeLessThanOrEqual(income);
          expect((perCapitaIncomeFen + 1) * size).toBeGreaterThan(income);
        }
      }
    });

    it('rounds each member’s top-up half-up before adding', () => {
      // 620.05元 × 10 % = 62.005元 → 6201 fen per minor; two minors 12402 (rounding the total would give 12401).
      const rule: DibaoRule = { monthlyStandardFen: 62005, floorBp: 1000, topUpsBp: { minor: 1000, 'seriously-ill': 999 } };
      const two = computeDibaoBenefit({ rule, householdMonthlyIncomeFen: 0, householdSize: 2, coveredMembers: members(['minor'], ['minor']) });
      expect(two.topUpsFen).toBe(12402);
      expect(two.floorPerPersonFen).toBe(6201); // the floor rounds half-up too
      expect(two.monthlyAmountFen).toBe(62005 * 2 + 12402);
      // 62005 × 9.99 % = 6194.2995 → 6194.
      const ill = computeDibaoBenefit({ rule, householdMonthlyIncomeFen: 0, householdSize: 1, coveredMembers: members(['seriously-ill']) });
      expect(ill.topUpsFen).toBe(6194);
    });

    it('a zero floor leaves the gap alone', () => {
      const rule: DibaoRule = { ...RULE, floorBp: 0 };
      expect(computeDibaoBenefit({ rule, householdMonthlyIncomeFen: 123998, householdSize: 2, coveredMembers: plain(1) })).toMatchObject({
        floorPerPersonFen: 0,
        basePerPersonFen: 1,
        monthlyAmountFen: 1,
      });
    });
  });

  it('stays exact for large amounts', () => {
    const rule: DibaoRule = { monthlyStandardFen: 1_000_000_000_000, floorBp: 2000, topUpsBp: { minor: 3333 } };
    const result = computeDibaoBenefit({ rule, householdMonthlyIncomeFen: 1, householdSize: 3, coveredMembers: members(['minor'], ['minor'], ['minor']) });
    expect(result.perCapitaIncomeFen).toBe(0);
    expect(result.topUpsFen).toBe(3 * 333_300_000_000);
    expect(result.monthlyAmountFen).toBe(3 * 1_000_000_000_000 + 3 * 333_300_000_000);
  });

  it.each<[string, Partial<BenefitInput>, string[]]>([
    ['negative income', { householdMonthlyIncomeFen: -1 }, ['householdMonthlyIncomeFen']],
    ['fractional income', { householdMonthlyIncomeFen: 100.5 }, ['householdMonthlyIncomeFen']],
    ['unsafe income', { householdMonthlyIncomeFen: 2 ** 53 }, ['householdMonthlyIncomeFen']],
    ['no persons', { householdSize: 0, coveredMembers: [] }, ['householdSize']],
    ['fractional size', { householdSize: 1.5 }, ['householdSize']],
    ['more covered than members', { householdSize: 2, coveredMembers: plain(3) }, ['coveredMembers']],
    ['zero standard', { rule: { ...RULE, monthlyStandardFen: 0 } }, ['rule.monthlyStandardFen']],
    ['fractional standard', { rule: { ...RULE, monthlyStandardFen: 620.5 } }, ['rule.monthlyStandardFen']],
    ['floor above 100 %', { rule: { ...RULE, floorBp: 10001 } }, ['rule.floorBp']],
    ['negative top-up', { rule: { ...RULE, topUpsBp: { minor: -1 } } }, ['rule.topUpsBp.minor']],
    ['unknown classification', { coveredMembers: [{ classifications: ['veteran' as Classification] }] }, ['coveredMembers[0].classifications[0]']],
    [
      'several at once',
      { householdMonthlyIncomeFen: -5, householdSize: 0, rule: { ...RULE, floorBp: 1.5 } },
      ['householdMonthlyIncomeFen', 'householdSize', 'rule.floorBp'],
    ],
  ])('refuses %s, naming the field', (_label, overrides, fields) => {
    expect(validationFieldsOf(() => computeDibaoBenefit(input(overrides)))).toEqual(fields);
  });
});

describe('perCapitaMonthlyLevel (月人均救助水平)', () => {
  it.each([
    // Urban 2023: 2339.7293万元 over 59 090 person-months = 39 596.03 fen → 395.96元.
    [2_339_729_300, 59_090, 39_596],
    // One person-month fewer tips it to 39 596.70 → 39 597.
    [2_339_729_300, 59_089, 39_597],
    // Rural 2023: 836.7596万元 over 31 370 person-months = 26 673.88 fen → 266.74元.
    [836_759_600, 31_370, 26_674],
    [5, 2, 3],
    [7, 2, 4],
    [1, 3, 0],
    [2, 3, 1],
    [0, 12, 0],
  ])('%i fen over %i person-months = %i fen', (total, personMonths, expected) => {
    expect(perCapitaMonthlyLevel(total, personMonths)).toBe(expected);
  });

  it.each([
    [100, 0, ['personMonths']],
    [100, 2.5, ['personMonths']],
    [-1, 10, ['totalPaidFen']],
    [0.5, -1, ['personMonths', 'totalPaidFen']],
  ])('refuses %p over %p', (total, personMonths, fields) => {
    expect(validationFieldsOf(() => perCapitaMonthlyLevel(total, personMonths))).toEqual(fields);
  });
});
