import { InvalidValueError } from './errors';

const CODE = 'MONEY_INVALID';
const MAX = BigInt(Number.MAX_SAFE_INTEGER);
const MIN = -MAX;
const FEN_PER_WAN_YUAN = 1_000_000n;

/**
 * Rounding of a result that falls between two fen. The names follow java.math.RoundingMode, the
 * vocabulary most finance software shares, and so treat negatives symmetrically: 'half-up' rounds
 * halves away from zero (四舍五入), 'down' truncates toward zero, 'up' rounds away from zero.
 */
export type Rounding = 'half-up' | 'down' | 'up';

/**
 * An amount in whole fen (分). Fen fit a JS number exactly up to 2^53 − 1 (about 90 trillion yuan),
 * far beyond any budget line, so amounts stay plain numbers in JSON while every operation that
 * could exceed that range or lose a fraction is checked.
 */
export class Money {
  private static readonly ZERO = new Money(0);

  private constructor(private readonly amount: number) {}

  /** Every result passes through here, so no Money can hold an unsafe integer. */
  private static fromBigInt(fen: bigint): Money {
    if (fen > MAX || fen < MIN) {
      throw new InvalidValueError(CODE, 'range', `${fen} fen is outside the safe integer range`);
    }
    // Bigints have no negative zero, so passing through one also turns -0 into 0.
    return new Money(Number(fen));
  }

  static fen(n: number | bigint | string): Money {
    if (typeof n === 'number') {
      if (!Number.isInteger(n)) throw new InvalidValueError(CODE, 'integer', `fen must be a whole number, got ${n}`);
      return Money.fromBigInt(BigInt(n));
    }
    if (typeof n === 'bigint') return Money.fromBigInt(n);
    if (typeof n === 'string' && /^-?\d+$/.test(n)) return Money.fromBigInt(BigInt(n));
    throw new InvalidValueError(CODE, 'format', `fen must be an integer string, got "${String(n)}"`);
  }

  /**
   * Parses a decimal yuan amount such as '123.45' digit by digit, so nothing goes through binary
   * floating point. A number is accepted only if its shortest decimal form has at most two decimals
   * (0.1 + 0.2 is refused rather than silently rounded).
   */
  static yuan(s: string | number): Money {
    if (typeof s === 'number' && !Number.isFinite(s)) {
      throw new InvalidValueError(CODE, 'format', `yuan amount must be finite, got ${s}`);
    }
    if (typeof s !== 'string' && typeof s !== 'number') {
      throw new InvalidValueError(CODE, 'format', `yuan amount must be a string or number, got ${typeof s}`);
    }
    const text = typeof s === 'number' ? String(s) : s.trim();
    const match = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(text);
    if (!match) throw new InvalidValueError(CODE, 'format', `"${text}" is not a decimal yuan amount`);
    const [, sign = '', whole = '0', fraction = ''] = match;
    if (fraction.length > 2) {
      throw new InvalidValueError(CODE, 'precision', `"${text}" has more than 2 decimals; yuan amounts stop at fen`);
    }
    const fen = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
    return Money.fromBigInt(sign === '-' ? -fen : fen);
  }

  static zero(): Money {
    return Money.ZERO;
  }

  static sum(list: Iterable<Money>): Money {
    let total = 0n;
    for (const m of list) total += BigInt(m.amount);
    return Money.fromBigInt(total);
  }

  static max(first: Money, ...rest: Money[]): Money {
    return rest.reduce((best, m) => (m.amount > best.amount ? m : best), first);
  }

  static min(first: Money, ...rest: Money[]): Money {
    return rest.reduce((best, m) => (m.amount < best.amount ? m : best), first);
  }

  get fen(): number {
    return this.amount;
  }

  add(other: Money): Money {
    return Money.fromBigInt(BigInt(this.amount) + BigInt(other.amount));
  }

  subtract(other: Money): Money {
    return Money.fromBigInt(BigInt(this.amount) - BigInt(other.amount));
  }

  negate(): Money {
    return Money.fromBigInt(-BigInt(this.amount));
  }

  /**
   * Multiplies by numerator/denominator exactly and rounds once at the end. Rates are given as
   * integer fractions (80% → (80, 100)) because a float like 0.07 is already inexact.
   */
  multiplyBy(numerator: number | bigint, denominator: number | bigint = 1, rounding: Rounding = 'half-up'): Money {
    const num = toBigIntFactor(numerator, 'numerator');
    let den = toBigIntFactor(denominator, 'denominator');
    if (den === 0n) throw new RangeError('multiplyBy: denominator cannot be 0');
    let product = BigInt(this.amount) * num;
    if (den < 0n) {
      product = -product;
      den = -den;
    }
    return Money.fromBigInt(divideRounded(product, den, rounding));
  }

  isNegative(): boolean {
    return this.amount < 0;
  }

  isPositive(): boolean {
    return this.amount > 0;
  }

  isZero(): boolean {
    return this.amount === 0;
  }

  compare(other: Money): -1 | 0 | 1 {
    return this.amount < other.amount ? -1 : this.amount > other.amount ? 1 : 0;
  }

  equals(other: Money): boolean {
    return this.amount === other.amount;
  }

  /** '2339.73', '-0.05': always two decimals, no grouping, so the result parses back with `yuan`. */
  toYuan(): string {
    return formatScaled(BigInt(this.amount), 2);
  }

  /** Amount in 万元 (10 000 yuan), the unit of budget and performance reports, rounded half-up. */
  toWanYuan(decimals = 4): string {
    if (!Number.isInteger(decimals) || decimals < 0 || decimals > 20) {
      throw new RangeError(`toWanYuan: decimals must be an integer from 0 to 20, got ${decimals}`);
    }
    const scale = 10n ** BigInt(decimals);
    return formatScaled(divideRounded(BigInt(this.amount) * scale, FEN_PER_WAN_YUAN, 'half-up'), decimals);
  }

  /** Yuan rather than fen, so logs and error messages show an amount a person can read. */
  toString(): string {
    return this.toYuan();
  }

  /** Fen as a number: the wire format every service and the database agree on. */
  toJSON(): number {
    return this.amount;
  }
}

function toBigIntFactor(value: number | bigint, name: string): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`multiplyBy: ${name} must be a safe integer (express rates as fractions), got ${value}`);
  }
  return BigInt(value);
}

function divideRounded(dividend: bigint, divisor: bigint, rounding: Rounding): bigint {
  const negative = dividend < 0n;
  const magnitude = negative ? -dividend : dividend;
  const quotient = magnitude / divisor;
  const remainder = magnitude % divisor;
  let rounded: bigint;
  switch (rounding) {
    case 'down':
      rounded = quotient;
      break;
    case 'up':
      rounded = remainder > 0n ? quotient + 1n : quotient;
      break;
    case 'half-up':
      rounded = remainder * 2n >= divisor ? quotient + 1n : quotient;
      break;
    default:
      throw new RangeError(`unknown rounding mode: ${String(rounding)}`);
  }
  return negative ? -rounded : rounded;
}

function formatScaled(value: bigint, decimals: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals);
  return `${negative ? '-' : ''}${whole}${decimals > 0 ? `.${fraction}` : ''}`;
}

export interface MoneyColumnTransformer {
  to(value: Money | null | undefined): string | null;
  from(value: string | number | null | undefined): Money | null;
}

/**
 * Maps a PostgreSQL bigint column (which node-postgres returns as a string) to Money and back.
 * It has TypeORM's ValueTransformer shape without importing TypeORM, keeping the kernel dependency-free.
 */
export const moneyColumnTransformer: MoneyColumnTransformer = {
  to(value: Money | null | undefined): string | null {
    return value === null || value === undefined ? null : String(value.fen);
  },
  from(value: string | number | null | undefined): Money | null {
    return value === null || value === undefined ? null : Money.fen(value);
  },
};
