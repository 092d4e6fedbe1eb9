/**
 * How a figure is written in the report. Values are exact rationals (fen and counts are integers,
 * per-capita levels are quotients of integers), so rounding never suffers from binary floating
 * point: 0.005 rounds up, 1e12 fen keeps its last digit.
 *
 * Formats (the last option of a placeholder):
 *   (none)   a count as an integer; an amount as 万元2; a per-capita amount as 元2; a ratio as %2
 *   万元N    fen shown in 万元 with N decimals (N = 0…4), half up: 31764889 00 fen → 3176.4889
 *   万元     fen in 万元 with up to four decimals, trailing zeros dropped: 9.0000 → 9
 *   元N      fen shown in 元 with N decimals (N = 0…2), half up
 *   万余N    fen, approximately, in 万元 floored to N decimals and marked 余 (N = 0…2):
 *            3,031,234.56 元 → 303万余, 15,300 元 with 万余1 → 1.5万余. Below one step it reads
 *            不足1万 (不足0.1万 …), as “余” would overstate it.
 *   余S      a count, approximately, floored to a multiple of S (10, 100, 1000, 10000) and marked
 *            余: 4733 with 余100 → 4700余, 23 with 余10 → 20余. Below one step the exact count is
 *            shown (7, not 0余). An exact multiple still reads 4700余, as the bureau writes it.
 *   %N       a ratio as a percentage with N decimals (N = 0…2), half up: 1 → 100
 */
export type FigureFormat =
  | { kind: 'integer' }
  | { kind: 'wan-yuan'; decimals: number | null }
  | { kind: 'yuan'; decimals: number }
  | { kind: 'wan-approx'; decimals: number }
  | { kind: 'approx'; step: number }
  | { kind: 'percent'; decimals: number };

/** What a format applies to: an amount in fen, a count, or a ratio. */
export type FigureSource = 'fen' | 'count' | 'ratio';

/** A non-negative or negative exact fraction. */
export interface Rational {
  num: bigint;
  den: bigint;
}

export function rational(value: number): Rational {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  if (Number.isInteger(value)) return { num: BigInt(value), den: 1n };
  // The shortest decimal that round-trips is what the number means (0.1 is 1/10, not 0.1000000000000000055…).
  const text = Math.abs(value).toString();
  const exp = /e-(\d+)$/.exec(text);
  if (exp) {
    const [mantissa = '0'] = text.split('e');
    const [int = '0', frac = ''] = mantissa.split('.');
    const digits = BigInt(int + frac);
    const den = 10n ** BigInt(frac.length + Number(exp[1]));
    return { num: value < 0 ? -digits : digits, den };
  }
  const [int = '0', frac = ''] = text.split('.');
  const num = BigInt(int + frac);
  return { num: value < 0 ? -num : num, den: 10n ** BigInt(frac.length) };
}

export function divide(a: Rational, b: Rational): Rational {
  if (b.num === 0n) throw new Error('division by zero');
  const num = a.num * b.den;
  const den = a.den * b.num;
  return den < 0n ? { num: -num, den: -den } : { num, den };
}

/** round(n / d) half away from zero, d > 0. */
function roundHalfUp(num: bigint, den: bigint): bigint {
  if (num < 0n) return -roundHalfUp(-num, den);
  return (2n * num + den) / (2n * den);
}

/** floor(n / d) for n ≥ 0; towards zero for n < 0 (an approximate figure never overstates). */
function floorDiv(num: bigint, den: bigint): bigint {
  return num / den;
}

/** An integer of 10^-decimals units as a decimal string: (314159, 2) → 3141.59. */
function withDecimals(units: bigint, decimals: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(decimals + 1, '0');
  const text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return negative ? `-${text}` : text;
}

/** value / divisor at `decimals` places, half up. */
function fixed(value: Rational, divisor: bigint, decimals: number): string {
  return withDecimals(roundHalfUp(value.num * 10n ** BigInt(decimals), value.den * divisor), decimals);
}

const FEN_PER_WAN_YUAN = 1_000_000n;
const FEN_PER_YUAN = 100n;

export function formatFigure(value: Rational, format: FigureFormat): string {
  switch (format.kind) {
    case 'integer':
      return fixed(value, 1n, 0);
    case 'wan-yuan':
      if (format.decimals !== null) return fixed(value, FEN_PER_WAN_YUAN, format.decimals);
      return fixed(value, FEN_PER_WAN_YUAN, 4).replace(/0+$/, '').replace(/\.$/, '');
    case 'yuan':
      return fixed(value, FEN_PER_YUAN, format.decimals);
    case 'wan-approx': {
      const steps = floorDiv(value.num * 10n ** BigInt(format.decimals), value.den * FEN_PER_WAN_YUAN);
      if (steps === 0n) return `不足${format.decimals === 0 ? '1' : `0.${'0'.repeat(format.decimals - 1)}1`}万`;
      return `${withDecimals(steps, format.decimals)}万余`;
    }
    case 'approx': {
      const step = BigInt(format.step);
      const steps = floorDiv(value.num, value.den * step);
      if (steps === 0n) return fixed(value, 1n, 0);
      return `${(steps * step).toString()}余`;
    }
    case 'percent':
      return fixed({ num: value.num * 100n, den: value.den }, 1n, format.decimals);
  }
}

/** Parses a format option (`万元4`, `余100`, `%0` …); null when the text is not a format. */
export function parseFormat(text: string): FigureFormat | null {
  let m: RegExpExecArray | null;
  if (text === '万元') return { kind: 'wan-yuan', decimals: null };
  if ((m = /^万元([0-4])$/.exec(text))) return { kind: 'wan-yuan', decimals: Number(m[1]) };
  if ((m = /^元([0-2])$/.exec(text))) return { kind: 'yuan', decimals: Number(m[1]) };
  if ((m = /^万余([0-2])?$/.exec(text))) return { kind: 'wan-approx', decimals: Number(m[1] ?? 0) };
  if ((m = /^余(10|100|1000|10000)$/.exec(text))) return { kind: 'approx', step: Number(m[1]) };
  if ((m = /^%([0-2])$/.exec(text))) return { kind: 'percent', decimals: Number(m[1]) };
  if (text === '整数') return { kind: 'integer' };
  return null;
}

/** Whether a format is written for this kind of value (no 万元 of a household count). */
export function formatFits(format: FigureFormat, source: FigureSource): boolean {
  switch (format.kind) {
    case 'integer':
    case 'approx':
      return source === 'count';
    case 'wan-yuan':
    case 'yuan':
    case 'wan-approx':
      return source === 'fen';
    case 'percent':
      return source === 'ratio';
  }
}

export function defaultFormat(source: FigureSource, perCapita: boolean): FigureFormat {
  if (source === 'count') return { kind: 'integer' };
  if (source === 'ratio') return { kind: 'percent', decimals: 2 };
  return perCapita ? { kind: 'yuan', decimals: 2 } : { kind: 'wan-yuan', decimals: 2 };
}
