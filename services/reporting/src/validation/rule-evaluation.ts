import type { FigureRef, FigureValueView, RuleExpression, RuleOperator, SaveValidationRuleInput, ValidationFindingView } from '@civil/contracts';

/**
 * Validation rules evaluated over resolved figures, pure: each side is Σ coefficient × Π factors;
 * the rule holds when left op right within max(tolerance, relativeTolerance × |right|).
 */

/** A figure's value, or why it cannot be had (the rule is then skipped, not failed). */
export type Resolved = { value: number } | { missing: string };
export type Resolve = (ref: FigureRef) => Promise<Resolved>;

export function labelOf(ref: FigureRef): string {
  switch (ref.kind) {
    case 'element':
      return `element ${ref.element}${ref.urbanRural ? ` (${ref.urbanRural})` : ''}`;
    case 'budget':
      return `budget ${ref.figure}`;
    case 'stated':
      return `stated ${ref.code}`;
    case 'indicator-weights':
      return 'indicator weights';
  }
}

export function holds(operator: RuleOperator, left: number, right: number, tolerance: number): boolean {
  // A hair of slack for binary fractions, far below any figure's precision.
  const slack = tolerance + 1e-9 * Math.max(1, Math.abs(left), Math.abs(right));
  switch (operator) {
    case '=':
      return Math.abs(left - right) <= slack;
    case '<=':
      return left <= right + slack;
    case '>=':
      return left >= right - slack;
  }
}

export type RuleOutcome = { kind: 'holds' } | { kind: 'violated'; finding: ValidationFindingView } | { kind: 'skipped'; reason: string };

export async function evaluateRule(rule: SaveValidationRuleInput, resolve: Resolve): Promise<RuleOutcome> {
  const figures = new Map<string, FigureValueView>();
  const side = async (expression: RuleExpression): Promise<number | string> => {
    let sum = 0;
    for (const term of expression) {
      let product = term.coefficient;
      for (const factor of term.factors) {
        const resolved = await resolve(factor);
        const label = labelOf(factor);
        if ('missing' in resolved) {
          figures.set(label, { label, value: null });
          return resolved.missing;
        }
        figures.set(label, { label, value: resolved.value });
        product *= resolved.value;
      }
      sum += product;
    }
    return Number(sum.toPrecision(15));
  };
  const left = await side(rule.left);
  if (typeof left === 'string') return { kind: 'skipped', reason: left };
  const right = await side(rule.right);
  if (typeof right === 'string') return { kind: 'skipped', reason: right };
  const tolerance = Math.max(rule.tolerance, rule.relativeTolerance * Math.abs(right));
  if (holds(rule.operator, left, right, tolerance)) return { kind: 'holds' };
  return {
    kind: 'violated',
    finding: { rule: rule.code, message: rule.message, operator: rule.operator, left, right, difference: cleanDifference(left - right), tolerance, figures: [...figures.values()] },
  };
}

/** left − right without binary noise (4702.42 − 4702.43 is −0.01, not −0.0100000000002): figures carry no more than 9 decimals. */
function cleanDifference(value: number): number {
  return Number(value.toFixed(9));
}
