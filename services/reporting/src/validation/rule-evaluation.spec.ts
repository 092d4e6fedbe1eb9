import type { FigureRef, SaveValidationRuleInput } from '@civil/contracts';
import { evaluateRule, holds, labelOf, type Resolve } from './rule-evaluation';

const S = (code: string): FigureRef => ({ kind: 'stated', code });
const sum = (...refs: FigureRef[]) => refs.map((r) => ({ coefficient: 1, factors: [r] }));
const rule = (more: Partial<SaveValidationRuleInput>): SaveValidationRuleInput => ({
  code: 'r',
  message: '部分之和应等于总数',
  left: sum(S('total')),
  operator: '=',
  right: sum(S('a'), S('b')),
  tolerance: 0,
  relativeTolerance: 0,
  enabled: true,
  ...more,
});
const figures =
  (values: Record<string, number>): Resolve =>
  async (ref) => {
    const key = ref.kind === 'stated' ? ref.code : labelOf(ref);
    const value = values[key];
    return value === undefined ? { missing: `no ${key}` } : { value };
  };

describe('holds', () => {
  it('applies each operator with its tolerance', () => {
    expect(holds('=', 10, 10, 0)).toBe(true);
    expect(holds('=', 10, 10.5, 0)).toBe(false);
    expect(holds('=', 10, 10.5, 0.5)).toBe(true);
    expect(holds('<=', 10, 9, 0)).toBe(false);
    expect(holds('<=', 9, 10, 0)).toBe(true);
    expect(holds('>=', 9, 10, 0)).toBe(false);
    expect(holds('>=', 9, 10, 1)).toBe(true);
  });

  it('forgives binary noise but not a hundredth', () => {
    expect(holds('=', 0.1 + 0.2, 0.3, 0)).toBe(true);
    expect(holds('=', 233.58 + 4468.85, 4702.42, 0)).toBe(false);
  });
});

describe('evaluateRule', () => {
  it('flags 133 organisations against 27 + 108 with the figures involved', async () => {
    const outcome = await evaluateRule(rule({ code: 'organisations' }), figures({ total: 133, a: 27, b: 108 }));
    expect(outcome).toEqual({
      kind: 'violated',
      finding: {
        rule: 'organisations',
        message: '部分之和应等于总数',
        operator: '=',
        left: 133,
        right: 135,
        difference: -2,
        tolerance: 0,
        figures: [
          { label: 'stated total', value: 133 },
          { label: 'stated a', value: 27 },
          { label: 'stated b', value: 108 },
        ],
      },
    });
  });

  it('flags 4702.42 against 233.58 + 4468.85 with a clean difference of −0.01', async () => {
    const outcome = await evaluateRule(rule({}), figures({ total: 4702.42, a: 233.58, b: 4468.85 }));
    expect(outcome.kind).toBe('violated');
    if (outcome.kind === 'violated') expect([outcome.finding.left, outcome.finding.right, outcome.finding.difference]).toEqual([4702.42, 4702.43, -0.01]);
  });

  it('holds when the parts add up', async () => {
    expect(await evaluateRule(rule({}), figures({ total: 866, a: 147, b: 719 }))).toEqual({ kind: 'holds' });
  });

  it('multiplies factors and applies a relative tolerance: level × person-months × 100 ≈ paid', async () => {
    const perCapita = rule({
      left: [{ coefficient: 100, factors: [S('level'), S('months')] }],
      right: sum(S('paid')),
      relativeTolerance: 0.001,
    });
    // 2339.7293万元 / 395.96 元 ≈ 59090 person-months.
    expect(await evaluateRule(perCapita, figures({ level: 395.96, months: 59090, paid: 2_339_729_300 }))).toEqual({ kind: 'holds' });
    const far = await evaluateRule(perCapita, figures({ level: 395.96, months: 50000, paid: 2_339_729_300 }));
    expect(far.kind).toBe('violated');
    if (far.kind === 'violated') expect(far.finding.tolerance).toBeCloseTo(2_339_729.3, 3);
  });

  it('takes a term without factors as a constant: weights sum to 100', async () => {
    const weights = rule({ left: [{ coefficient: 1, factors: [{ kind: 'indicator-weights' }] }], right: [{ coefficient: 100, factors: [] }] });
    const resolve = (w: number): Resolve => async () => ({ value: w });
    expect(await evaluateRule(weights, resolve(100))).toEqual({ kind: 'holds' });
    const off = await evaluateRule(weights, resolve(95));
    expect(off.kind === 'violated' && off.finding.difference).toBe(-5);
  });

  it('skips a rule whose figure is missing, naming why', async () => {
    expect(await evaluateRule(rule({}), figures({ total: 1, a: 1 }))).toEqual({ kind: 'skipped', reason: 'no b' });
  });

  it('checks <= and >=', async () => {
    expect((await evaluateRule(rule({ operator: '<=' }), figures({ total: 10, a: 4, b: 5 }))).kind).toBe('violated');
    expect((await evaluateRule(rule({ operator: '>=' }), figures({ total: 10, a: 4, b: 5 }))).kind).toBe('holds');
  });
});
