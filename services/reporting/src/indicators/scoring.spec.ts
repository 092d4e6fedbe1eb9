import type { ScoringRule } from '@civil/contracts';
import { achievement, gradeOf, meets, round2, scoreIndicator, totalOf } from './scoring';

const proportional = (floor = 0, tolerance = 0): ScoringRule => ({ kind: 'proportional', floor, tolerance });

describe('gradeOf', () => {
  it.each<[number, string]>([
    [100, '优'],
    [90, '优'],
    [89.99, '良'],
    [80, '良'],
    [79.99, '中'],
    [60, '中'],
    [59.99, '差'],
    [0, '差'],
  ])('grades %p as %s', (total, grade) => {
    expect(gradeOf(total)).toBe(grade);
  });

  it('grades on the total rounded to 0.01, half-up: 89.995 is 90.00 and 优, 89.994 is 良', () => {
    expect(gradeOf(89.995)).toBe('优');
    expect(gradeOf(89.994)).toBe('良');
  });
});

describe('round2 and totalOf', () => {
  it('rounds half-up despite binary fractions', () => {
    expect(round2(1.005)).toBe(1.01);
    expect(round2(44.995)).toBe(45);
    expect(round2(2.675)).toBe(2.68);
    expect(round2(-1.005)).toBe(-1.01);
  });

  it('sums rounded scores in hundredths: no binary drift across the grade boundary', () => {
    // 0.1 + 0.2 ≠ 0.3 in floating point; nine scores of 10 and two of 0.1 + … must be exactly 90.
    expect(totalOf([10, 10, 10, 10, 10, 10, 10, 10, 9.7, 0.1, 0.2])).toBe(90);
    expect(gradeOf(totalOf([10, 10, 10, 10, 10, 10, 10, 10, 9.7, 0.1, 0.2]))).toBe('优');
    expect(totalOf([44.995, 45])).toBe(90);
    expect(totalOf([44.994, 45])).toBe(89.99);
  });
});

describe('meets and achievement', () => {
  it('reads the direction', () => {
    expect(meets('higher-better', 100, 100, 0)).toBe(true);
    expect(meets('higher-better', 99.5, 100, 0)).toBe(false);
    expect(meets('higher-better', 99.5, 100, 0.5)).toBe(true);
    expect(meets('lower-better', 8, 10, 0)).toBe(true);
    expect(meets('lower-better', 12, 10, 0)).toBe(false);
    expect(meets('equal', 395.96, 395.96, 0)).toBe(true);
    expect(meets('equal', 396, 395.96, 0.01)).toBe(false);
  });

  it('is the share of the target achieved, capped at 1', () => {
    expect(achievement('higher-better', 80, 100)).toBeCloseTo(0.8);
    expect(achievement('higher-better', 120, 100)).toBe(1);
    expect(achievement('higher-better', 5, 0)).toBe(1);
    expect(achievement('lower-better', 20, 10)).toBeCloseTo(0.5);
    expect(achievement('lower-better', 20, 0)).toBe(0);
    expect(achievement('equal', 90, 100)).toBeCloseTo(0.9);
    expect(achievement('equal', 300, 100)).toBe(0);
  });
});

describe('scoreIndicator', () => {
  it('gives full marks when the target is met, proportional marks below, nothing under the floor', () => {
    expect(scoreIndicator(proportional(0.6), 'higher-better', 100, 100, 10)).toEqual({ met: true, score: 10 });
    expect(scoreIndicator(proportional(0.6), 'higher-better', 4331, 4000, 5)).toEqual({ met: true, score: 5 });
    expect(scoreIndicator(proportional(0.6), 'higher-better', 85, 100, 10)).toEqual({ met: false, score: 8.5 });
    expect(scoreIndicator(proportional(0.6), 'higher-better', 60, 100, 10)).toEqual({ met: false, score: 6 });
    expect(scoreIndicator(proportional(0.6), 'higher-better', 59.9, 100, 10)).toEqual({ met: false, score: 0 });
  });

  it('rounds each score to 0.01', () => {
    expect(scoreIndicator(proportional(), 'higher-better', 2, 3, 5).score).toBe(3.33);
  });

  it('scores a lower-better indicator (预算控制率) by target over actual', () => {
    expect(scoreIndicator(proportional(), 'lower-better', 0, 10, 5)).toEqual({ met: true, score: 5 });
    expect(scoreIndicator(proportional(), 'lower-better', 12.5, 10, 5)).toEqual({ met: false, score: 4 });
  });

  it('scores all-or-nothing rules', () => {
    expect(scoreIndicator({ kind: 'all-or-nothing', tolerance: 0 }, 'higher-better', 100, 100, 6)).toEqual({ met: true, score: 6 });
    expect(scoreIndicator({ kind: 'all-or-nothing', tolerance: 0 }, 'higher-better', 99.9, 100, 6)).toEqual({ met: false, score: 0 });
    expect(scoreIndicator({ kind: 'all-or-nothing', tolerance: 0.1 }, 'higher-better', 99.9, 100, 6)).toEqual({ met: true, score: 6 });
  });

  it('scores nothing without an actual (a survey not yet entered, a zero denominator)', () => {
    expect(scoreIndicator(proportional(), 'higher-better', null, 90, 10)).toEqual({ met: false, score: 0 });
  });
});
