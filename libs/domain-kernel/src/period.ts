import { InvalidValueError } from './errors';
import { lastDayOfMonth, parseLocalDate } from './local-date';

const CODE = 'PERIOD_INVALID';
const MIN_YEAR = 1900;
const MAX_YEAR = 2999;

/** A calendar month, 'YYYY-MM': the unit of monthly benefit payments and statistical reports. */
export class Period {
  private constructor(
    readonly year: number,
    readonly month: number,
  ) {}

  static parse(s: string): Period {
    if (typeof s !== 'string') {
      throw new InvalidValueError(CODE, 'format', `period must be a 'YYYY-MM' string, got ${typeof s}`);
    }
    const match = /^(\d{4})-(\d{2})$/.exec(s);
    if (!match) throw new InvalidValueError(CODE, 'format', `period "${s}" is not in the format YYYY-MM`);
    return Period.of(Number(match[1]), Number(match[2]));
  }

  static of(year: number, month: number): Period {
    if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
      throw new InvalidValueError(CODE, 'format', `period year must be from ${MIN_YEAR} to ${MAX_YEAR}, got ${year}`);
    }
    if (!Number.isInteger(month) || month < 1 || month > 12) {
      throw new InvalidValueError(CODE, 'format', `period month must be from 01 to 12, got ${month}`);
    }
    return new Period(year, month);
  }

  static fromDate(date: string): Period {
    parseLocalDate(date);
    return Period.of(Number(date.slice(0, 4)), Number(date.slice(5, 7)));
  }

  static isValid(input: unknown): boolean {
    if (typeof input !== 'string') return false;
    try {
      Period.parse(input);
      return true;
    } catch (error) {
      if (error instanceof InvalidValueError) return false;
      throw error;
    }
  }

  /** Every period from `from` to `to`, both included; empty when `to` is before `from`. */
  static range(from: Period, to: Period): Period[] {
    const result: Period[] = [];
    for (let i = from.index(); i <= to.index(); i++) result.push(Period.fromIndex(i));
    return result;
  }

  private static fromIndex(index: number): Period {
    return Period.of(Math.floor(index / 12), (index % 12) + 1);
  }

  get quarter(): 1 | 2 | 3 | 4 {
    return Math.ceil(this.month / 3) as 1 | 2 | 3 | 4;
  }

  next(): Period {
    return this.plusMonths(1);
  }

  previous(): Period {
    return this.plusMonths(-1);
  }

  plusMonths(n: number): Period {
    if (!Number.isSafeInteger(n)) throw new RangeError(`plusMonths needs a whole number of months, got ${n}`);
    return Period.fromIndex(this.index() + n);
  }

  firstDay(): string {
    return `${this.toString()}-01`;
  }

  lastDay(): string {
    return `${this.toString()}-${String(lastDayOfMonth(this.year, this.month)).padStart(2, '0')}`;
  }

  /** Whether a 'YYYY-MM-DD' date falls in this month. */
  includes(date: string): boolean {
    return Period.fromDate(date).equals(this);
  }

  /** other − this in months: 2024-11 → 2025-02 is 3. */
  monthsUntil(other: Period): number {
    return other.index() - this.index();
  }

  compare(other: Period): -1 | 0 | 1 {
    const diff = this.index() - other.index();
    return diff < 0 ? -1 : diff > 0 ? 1 : 0;
  }

  equals(other: Period): boolean {
    return this.index() === other.index();
  }

  isBefore(other: Period): boolean {
    return this.index() < other.index();
  }

  isAfter(other: Period): boolean {
    return this.index() > other.index();
  }

  toString(): string {
    return `${this.year}-${String(this.month).padStart(2, '0')}`;
  }

  toJSON(): string {
    return this.toString();
  }

  // Months since year 0 turn calendar arithmetic into integer arithmetic.
  private index(): number {
    return this.year * 12 + this.month - 1;
  }
}
