/** A source of numbers in [0, 1). */
export type Rng = () => number;

/**
 * Mulberry32: small, fast, and the same sequence on every machine — for demo data sets and tests
 * that must be reproducible from a seed.
 */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
