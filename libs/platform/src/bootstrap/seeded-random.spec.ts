import { seededRng } from './seeded-random';

describe('seededRng', () => {
  it('gives the same sequence for the same seed and another for another seed, within [0, 1)', () => {
    const a = Array.from({ length: 5 }, seededRng(2023));
    expect(Array.from({ length: 5 }, seededRng(2023))).toEqual(a);
    expect(Array.from({ length: 5 }, seededRng(2024))).not.toEqual(a);
    const many = Array.from({ length: 10_000 }, seededRng(7));
    expect(Math.min(...many)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...many)).toBeLessThan(1);
    expect(many.reduce((x, y) => x + y, 0) / many.length).toBeCloseTo(0.5, 1);
  });

  it('keeps the sequence the demo data sets were generated with', () => {
    expect(seededRng(2023)().toFixed(12)).toBe(seededRng(2023)().toFixed(12));
    expect(seededRng(1)()).toBeCloseTo(0.6270739405881613, 12);
  });
});
