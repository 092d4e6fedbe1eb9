import type { Grade, IndicatorDirection, ScoringRule } from '@civil/contracts';

/**
 * Indicator scoring, pure. Each indicator's score is rounded half-up to 0.01 first; the total is
 * the sum of those rounded scores (kept in whole hundredths, so no binary drift) and the grade is
 * read from that total: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差 — 90.00 is 优 and 89.99 is 良.
 */

/** Half-up to 0.01, immune to binary representation (1.005 → 1.01, 44.995 → 45). */
export function round2(value: number): number {
  const hundredths = Number((Math.abs(value) * 100).toPrecision(12));
  return (Math.sign(value) * Math.round(hundredths)) / 100;
}

export function gradeOf(totalScore: number): Grade {
  const hundredths = Math.round(round2(totalScore) * 100);
  if (hundredths >= 9000) return '优';
  if (hundredths >= 8000) return '良';
  if (hundredths >= 6000) return '中';
  return '差';
}

/** The sum of scores already rounded to 0.01, computed in whole hundredths. */
export function totalOf(scores: readonly number[]): number {
  return scores.reduce((sum, s) => sum + Math.round(round2(s) * 100), 0) / 100;
}

/** Whether the actual meets the target, within the rule's tolerance. */
export function meets(direction: IndicatorDirection, actual: number, target: number, tolerance: number): boolean {
  switch (direction) {
    case 'higher-better':
      return actual >= target - tolerance;
    case 'lower-better':
      return actual <= target + tolerance;
    case 'equal':
      return Math.abs(actual - target) <= tolerance;
  }
}

/** How much of the target was achieved, as a fraction in [0, 1] (1 when met). */
export function achievement(direction: IndicatorDirection, actual: number, target: number): number {
  let ratio: number;
  switch (direction) {
    case 'higher-better':
      ratio = actual >= target ? 1 : target > 0 ? actual / target : 0;
      break;
    case 'lower-better':
      ratio = actual <= target ? 1 : actual > 0 ? Math.max(target, 0) / actual : 0;
      break;
    case 'equal':
      ratio = target === actual ? 1 : target !== 0 ? 1 - Math.abs(actual - target) / Math.abs(target) : 0;
      break;
  }
  return Math.min(1, Math.max(0, ratio));
}

export interface Scored {
  met: boolean;
  score: number;
}

/** The score out of `weight`; an indicator without an actual scores nothing. */
export function scoreIndicator(rule: ScoringRule, direction: IndicatorDirection, actual: number | null, target: number, weight: number): Scored {
  if (actual === null) return { met: false, score: 0 };
  const met = meets(direction, actual, target, rule.tolerance);
  if (met) return { met, score: round2(weight) };
  switch (rule.kind) {
    case 'all-or-nothing':
      return { met, score: 0 };
    case 'proportional': {
      const ratio = achievement(direction, actual, target);
      return { met, score: ratio < rule.floor ? 0 : round2(weight * ratio) };
    }
  }
}
