import { InvalidValueError } from './errors';

/**
 * Calendar dates in Asia/Shanghai as 'YYYY-MM-DD' strings. All arithmetic works on day numbers
 * (days since 1970-01-01, proleptic Gregorian) computed with integer formulas, so neither the host
 * time zone nor the two-digit-year quirks of `Date.UTC` can change a result.
 */

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;
// China has observed UTC+8 all year round since 1991, so a fixed offset is exact for the dates we handle.
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function lastDayOfMonth(year: number, month: number): number {
  if (!Number.isInteger(year) || !Number.isInteger(month) || month < 1 || month > 12) {
    throw new InvalidValueError('DATE_INVALID', 'format', `no such month: year ${year}, month ${month}`);
  }
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function splitDate(s: string): CivilDate | null {
  const match = DATE_PATTERN.exec(s);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > lastDayOfMonth(year, month)) return null;
  return { year, month, day };
}

function toCivil(s: string): CivilDate {
  if (typeof s !== 'string') {
    throw new InvalidValueError('DATE_INVALID', 'format', `date must be a 'YYYY-MM-DD' string, got ${typeof s}`);
  }
  const parts = splitDate(s);
  if (parts) return parts;
  const message = DATE_PATTERN.test(s)
    ? `date "${s}" does not exist in the calendar`
    : `date "${s}" is not in the format YYYY-MM-DD`;
  throw new InvalidValueError('DATE_INVALID', 'format', message);
}

export function isValidLocalDate(s: unknown): boolean {
  return typeof s === 'string' && splitDate(s) !== null;
}

/** Returns the date unchanged when it names a real calendar day; throws DATE_INVALID otherwise. */
export function parseLocalDate(s: string): string {
  toCivil(s);
  return s;
}

// Howard Hinnant's days_from_civil: shifting the year to start in March puts the leap day last,
// which turns month lengths into a closed-form expression.
function dayNumber({ year, month, day }: CivilDate): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const shiftedMonth = month > 2 ? month - 3 : month + 9;
  const dayOfYear = Math.floor((153 * shiftedMonth + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function fromDayNumber(n: number): string {
  const z = n + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) {
    throw new InvalidValueError('DATE_INVALID', 'format', `date arithmetic left the years 0000-9999 (day ${n})`);
  }
  return formatDate(year, month, day);
}

function formatDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The calendar date in Shanghai at the given instant; no Intl, so it behaves the same on any host. */
export function todayInShanghai(now: Date = new Date()): string {
  const ms = now.getTime();
  if (Number.isNaN(ms)) throw new InvalidValueError('DATE_INVALID', 'format', 'cannot take the date of an invalid Date');
  return fromDayNumber(Math.floor((ms + SHANGHAI_OFFSET_MS) / MS_PER_DAY));
}

export function addDays(date: string, n: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`addDays needs a whole number of days, got ${n}`);
  return fromDayNumber(dayNumber(toCivil(date)) + n);
}

/** b − a in days: positive when b is later. */
export function daysBetween(a: string, b: string): number {
  return dayNumber(toCivil(b)) - dayNumber(toCivil(a));
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function dayOfWeek(date: string): number {
  // Day 0 (1970-01-01) was a Thursday, ISO weekday 4.
  const n = dayNumber(toCivil(date));
  return ((((n + 3) % 7) + 7) % 7) + 1;
}

/** Negative, zero or positive like a sort comparator; validates both dates first. */
export function compareDates(a: string, b: string): number {
  toCivil(a);
  toCivil(b);
  // Fixed-width ISO dates sort lexicographically in calendar order.
  return a < b ? -1 : a > b ? 1 : 0;
}
