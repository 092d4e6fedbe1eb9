import { DomainError, type AdaptationItem } from '@civil/contracts';
import {
  assessEligibility,
  failedConditions,
  percentOf,
  planTotals,
  requireStep,
  requireStepDate,
  scopePrefix,
  townshipOf,
  yuan,
  type HomeAdaptationRule,
  type HouseholdFacts,
} from './home-adaptation.domain';

const rule: HomeAdaptationRule = { divisionCode: '430503000000', effectiveFrom: '2023-01-01', minSubsidyFen: 300000, maxSubsidyFen: 400000, olderAge: 60, veryOldAge: 80, periodYears: 1 };
const none: HouseholdFacts = { tekun: null, dibao: null, formerlyPoorEvidence: null };
const dibao: HouseholdFacts = { ...none, dibao: { householdId: 'h-1', since: '2023-02' } };
const dispersedTekun: HouseholdFacts = { ...none, tekun: { careMode: 'dispersed', selfCareLevel: 'full', since: '2023-01' } };
const member = { ageYears: 82, dependency: null, disabilityCertificate: null };

function errorOf(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('assessEligibility', () => {
  it('accepts a very old member of a 低保 household, with the bases', () => {
    const result = assessEligibility(rule, dibao, member);
    expect(result).toMatchObject({ eligible: true, householdBases: ['dibao'], personBases: ['very-old'] });
    expect(result.findings.map((f) => [f.condition, f.met])).toEqual([
      ['older-person', true],
      ['household-status', true],
      ['older-member-condition', true],
    ]);
  });

  it.each([
    ['特困 分散供养', dispersedTekun, ['dispersed-tekun']],
    ['脱贫 as declared', { ...none, formerlyPoorEvidence: '脱贫户档案 2020-17' }, ['formerly-poor']],
    ['低保 and 脱贫', { ...dibao, formerlyPoorEvidence: '档案' }, ['dibao', 'formerly-poor']],
  ])('accepts a household that is %s', (_name, facts, bases) => {
    expect(assessEligibility(rule, facts, member)).toMatchObject({ eligible: true, householdBases: bases });
  });

  it('refuses a household that is none of 特困 分散, 低保 or 脱贫, saying so', () => {
    const result = assessEligibility(rule, none, member);
    expect(result.eligible).toBe(false);
    expect(failedConditions(result.findings)).toBe(
      "household-status: not 特困 分散供养, not in a 低保 household, no 脱贫 declaration in social assistance's events on the application month",
    );
  });

  it('refuses 特困 集中供养: the person lives in an institution', () => {
    const result = assessEligibility(rule, { ...none, tekun: { careMode: 'centralized', selfCareLevel: 'none', since: '2023-01' } }, member);
    expect(result.eligible).toBe(false);
    expect(failedConditions(result.findings)).toContain('特困 集中供养');
  });

  it('refuses a member under the age threshold who is neither dependent nor disabled, naming each fact', () => {
    const result = assessEligibility(rule, dibao, { ...member, ageYears: 72 });
    expect(failedConditions(result.findings)).toBe('older-member-condition: aged 72 (80 or over is very old); not dependent; no disability certificate');
  });

  it('takes a younger member who is dependent (declared, or as 特困 records the self-care level) or disabled', () => {
    expect(assessEligibility(rule, dibao, { ...member, ageYears: 70, dependency: 'partial' }).personBases).toEqual(['dependent']);
    const tekun: HouseholdFacts = { ...none, tekun: { careMode: 'dispersed', selfCareLevel: 'none', since: '2023-01' } };
    const fromTekun = assessEligibility(rule, tekun, { ...member, ageYears: 70 });
    expect(fromTekun.personBases).toEqual(['dependent']);
    expect(fromTekun.findings[2]?.basis).toContain('失能 (特困 self-care level)');
    expect(assessEligibility(rule, dibao, { ...member, ageYears: 65, disabilityCertificate: '43050319580101001X42' }).personBases).toEqual(['disabled']);
  });

  it('refuses a person under the older-person age whatever else is true', () => {
    const result = assessEligibility(rule, dibao, { ageYears: 59, dependency: 'full', disabilityCertificate: null });
    expect(result.eligible).toBe(false);
    expect(failedConditions(result.findings)).toBe('older-person: aged 59 (60 or over needed)');
  });

  it('reads the thresholds from the rule', () => {
    expect(assessEligibility({ ...rule, veryOldAge: 75 }, dibao, { ...member, ageYears: 76 }).personBases).toEqual(['very-old']);
  });
});

describe('planTotals', () => {
  const item = (category: 'basic' | 'optional', amountFen: number): AdaptationItem => ({ name: category === 'basic' ? '扶手' : '智能呼叫器', category, amountFen });

  it('subsidises the basic items and leaves the optional ones to the household', () => {
    expect(planTotals([item('basic', 200000), item('basic', 150000), item('optional', 80000)], rule)).toEqual({ subsidyFen: 350000, selfPaidFen: 80000 });
  });

  it.each([[300000], [400000]])('accepts the bound %p fen', (fen) => {
    expect(planTotals([item('basic', fen)], rule).subsidyFen).toBe(fen);
  });

  it.each([
    [299999, '2,999.99元'],
    [400001, '4,000.01元'],
    [0, '0.00元'],
  ])('refuses a subsidy of %p fen, naming the field and the range', (fen, shown) => {
    const items = fen === 0 ? [item('optional', 50000)] : [item('basic', fen)];
    const error = errorOf(() => planTotals(items, rule));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.fields).toEqual([
      {
        field: 'items',
        rule: 'subsidy-range',
        message: `the subsidy (the basic items' total) is ${shown}; it must be between 3,000.00元 and 4,000.00元 per household (rule of 430503000000 from 2023-01-01)`,
      },
    ]);
  });
});

describe('the workflow order', () => {
  it.each([
    ['assess', 'applied'],
    ['plan', 'assessed'],
    ['record-works', 'approved'],
    ['accept', 'works-completed'],
    ['pay', 'accepted'],
    ['refuse', 'works-completed'],
  ] as const)('allows %s from %s', (action, status) => {
    expect(() => requireStep(action, status)).not.toThrow();
  });

  it('refuses payment before acceptance, saying what it needs', () => {
    const error = errorOf(() => requireStep('pay', 'works-completed'));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe('the payment needs acceptance (验收) passed (accepted); this case is works-completed');
  });

  it.each([
    ['plan', 'applied'],
    ['record-works', 'assessed'],
    ['accept', 'approved'],
    ['pay', 'completed'],
    ['refuse', 'accepted'],
    ['assess', 'refused'],
  ] as const)('refuses %s from %s', (action, status) => {
    expect(errorOf(() => requireStep(action, status)).code).toBe('CONFLICT');
  });

  it('refuses a step dated in the future or before the previous step', () => {
    expect(errorOf(() => requireStepDate('paidOn', '2023-12-02', '2023-11-01', '2023-12-01')).fields?.[0]).toMatchObject({ field: 'paidOn', rule: 'not-in-future' });
    expect(errorOf(() => requireStepDate('paidOn', '2023-10-31', '2023-11-01', '2023-12-01')).fields?.[0]).toMatchObject({ field: 'paidOn', rule: 'not-before-previous-step' });
    expect(() => requireStepDate('paidOn', '2023-11-01', '2023-11-01', '2023-12-01')).not.toThrow();
  });
});

describe('helpers', () => {
  it('formats fen as yuan', () => {
    expect([yuan(0), yuan(5), yuan(300000), yuan(123456789)]).toEqual(['0.00元', '0.05元', '3,000.00元', '1,234,567.89元']);
  });

  it('finds the township and the covering prefix of a division', () => {
    expect(townshipOf('430503101203')).toBe('430503101000');
    expect([scopePrefix('430503101000'), scopePrefix('430503000000'), scopePrefix('430000000000'), scopePrefix('430503101203')]).toEqual(['430503101', '430503', '43', '430503101203']);
  });

  it('gives progress in per cent with one decimal, null without a target', () => {
    expect([percentOf(66, 66), percentOf(22, 66), percentOf(0, 66), percentOf(3, null), percentOf(3, 0)]).toEqual([100, 33.3, 0, null, null]);
  });
});
