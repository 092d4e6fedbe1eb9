import { completionRate, controlRate, executionRate } from './budget-formulas';

describe('预算完成率 and 预算控制率', () => {
  const budget = { statedTotalFen: 4_702_420_000, carryOverFen: 100_000_000, additionsFen: 300_000_000, yearEndBalanceFen: 51_024_200 };

  it('预算完成率 = (carry-over + initial + additions − year-end balance) / (carry-over + initial + additions)', () => {
    // (1 + 47.0242 + 3 − 0.510242) / (1 + 47.0242 + 3) in 百万: 50.513958 / 51.0242 = 0.99
    expect(completionRate(budget)).toBeCloseTo(0.99, 12);
    expect(completionRate({ ...budget, yearEndBalanceFen: 0 })).toBe(1);
    expect(completionRate({ statedTotalFen: 0, carryOverFen: 0, additionsFen: 0, yearEndBalanceFen: 0 })).toBeNull();
  });

  it('预算控制率 = additions / initial', () => {
    expect(controlRate({ ...budget, statedTotalFen: 3_000_000_000 })).toBeCloseTo(0.1, 12);
    expect(controlRate({ ...budget, additionsFen: 0 })).toBe(0);
    expect(controlRate({ ...budget, statedTotalFen: 0 })).toBeNull();
  });

  it('the execution rate is executed over budgeted, null without an amount', () => {
    expect(executionRate(750, 1000)).toBe(0.75);
    expect(executionRate(1200, 1000)).toBe(1.2);
    expect(executionRate(10, null)).toBeNull();
    expect(executionRate(10, 0)).toBeNull();
  });
});
