/**
 * The budget formulas of the evaluation (domain.md, Performance reporting), over integer fen.
 * The initial budget (年初预算) is the total the budget document states.
 */
export interface BudgetFigures {
  statedTotalFen: number;
  carryOverFen: number;
  additionsFen: number;
  yearEndBalanceFen: number;
}

/** 预算完成率 = (carry-over + initial + additions − year-end balance) / (carry-over + initial + additions); null with nothing available. */
export function completionRate(b: BudgetFigures): number | null {
  const available = b.carryOverFen + b.statedTotalFen + b.additionsFen;
  return available > 0 ? (available - b.yearEndBalanceFen) / available : null;
}

/** 预算控制率 = additions / initial; null without an initial budget. */
export function controlRate(b: BudgetFigures): number | null {
  return b.statedTotalFen > 0 ? b.additionsFen / b.statedTotalFen : null;
}

/** executed / budgeted; null without a budgeted amount. */
export function executionRate(executedFen: number, budgetedFen: number | null): number | null {
  return budgetedFen !== null && budgetedFen > 0 ? executedFen / budgetedFen : null;
}
