import { Period, isLeapYear } from '@civil/domain-kernel';
import type { AgeAllowanceBand } from '@civil/contracts';

/** 高龄生活补贴 from 90, 长寿保健金 from 100; the register is for residents of 60 and over (老年人权益保障法). */
export const HIGH_AGE = 90;
export const LONGEVITY_AGE = 100;
export const OLDER_RESIDENT_AGE = 60;

/**
 * The date of the `age`-th birthday, by ResidentId.ageOn's rule: a 29 February birthday falls on
 * 1 March in common years.
 */
export function birthdayAt(birthDate: string, age: number): string {
  const year = Number(birthDate.slice(0, 4)) + age;
  const monthDay = birthDate.slice(5);
  if (monthDay === '02-29' && !isLeapYear(year)) return `${String(year).padStart(4, '0')}-03-01`;
  return `${String(year).padStart(4, '0')}-${monthDay}`;
}

/**
 * The first month of each band: the month AFTER the birthday, whatever its day (a birthday on the
 * 1st still starts the next month: the month is paid to who was of age on its first day and the
 * day before), and never before the month after the person moved into the district.
 */
export function allowanceStarts(birthDate: string, residentSince: string | null): { highAgeFrom: string; longevityFrom: string } {
  const movedIn = residentSince === null ? null : Period.fromDate(residentSince).next();
  const start = (age: number): string => {
    const byBirthday = Period.fromDate(birthdayAt(birthDate, age)).next();
    return (movedIn !== null && movedIn.isAfter(byBirthday) ? movedIn : byBirthday).toString();
  };
  return { highAgeFrom: start(HIGH_AGE), longevityFrom: start(LONGEVITY_AGE) };
}

/** Death or moving away: the month it happens in is paid (paid through the month of death), the next is not. */
export function paidThroughFor(date: string): string {
  return Period.fromDate(date).toString();
}

/** A recorded death or move changes the allowance from the month after the last payable one. */
export function stopTakesEffect(paidThrough: string): string {
  return Period.parse(paidThrough).next().toString();
}

/**
 * The band paying a person in `period` — the rule the sweep and payroll apply set-based in SQL:
 * longevity from its first month, high-age from its first month until then, nothing after the
 * month of death or of moving away.
 */
export function bandIn(period: string, person: { highAgeFrom: string; longevityFrom: string; paidThrough: string | null }): AgeAllowanceBand | null {
  if (person.paidThrough !== null && period > person.paidThrough) return null;
  if (period >= person.longevityFrom) return 'longevity';
  if (period >= person.highAgeFrom) return 'high-age';
  return null;
}
