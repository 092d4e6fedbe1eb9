/**
 * The age-allowance part of the 2023 demo: older residents registered in the district's register
 * with birth dates that make the twelve monthly sweeps and payrolls of 2023 pay exactly the
 * report's 124.92万元 高龄生活补贴 and 9万元 长寿保健金 at the rates in age_allowance_rate
 * (100元 and 300元 a month from 2023-01-01):
 * - people 90–99 all year, and people 100 and over all year (longevity only);
 * - people turning 100 during 2023: high-age through the month of the birthday, longevity from the
 *   month after (the band move moves money from one band to the other);
 * - people turning 90 during 2023: high-age from the month after the birthday;
 * - a few deaths in each band: paid through the month of death;
 * - some people of 85–89, registered and not yet paid.
 * Registration, the deaths, the sweeps and the payrolls go through the service's own classes, so
 * every enrolment and payroll has its event in the outbox.
 */
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { Period, buildResidentId } from '@civil/domain-kernel';
import type { AgeAllowanceBand } from '@civil/contracts';
import type { Outbox, PersonalDataCipher } from '@civil/platform';
import { AgeAllowancePayrollService } from '../age-allowance/age-allowance-payroll.service';
import { AgeAllowanceSweepService } from '../age-allowance/age-allowance-sweep.service';
import { allowanceStarts, bandIn, paidThroughFor } from '../age-allowance/age-allowance.domain';
import { OlderResidentsService } from '../age-allowance/older-residents.service';
import { OFFICER, TOWNSHIPS, inPool, intBetween, olderName, seededRng, type Rng } from './demo-support';
import { SEED_2023 } from './seed-2023';

const YEAR = SEED_2023.year;
/** The register is filled just before the year's first sweep. */
export const REGISTERED_ON = `${YEAR - 1}-12-20`;

export type OlderKind = 'high-age-all-year' | 'longevity-all-year' | 'turning-100' | 'turning-90' | 'not-yet-90';

export interface PlannedOlderResident {
  kind: OlderKind;
  name: string;
  residentId: string;
  birthDate: string;
  divisionCode: string;
  /** Died during 2023 on this date (recorded in the same month). */
  diedOn?: string;
}

/** The monthly rates the plan is made for (checked against age_allowance_rate before generating). */
export interface AgeAllowanceRates {
  highAgeFen: number;
  longevityFen: number;
}

export const DEMO_RATES: AgeAllowanceRates = { highAgeFen: 10_000, longevityFen: 30_000 };

const HIGH_AGE_ALL_YEAR = 1000;
const LONGEVITY_ALL_YEAR = 20;
/** Deaths among the people paid all year: [band kind, month of death]. */
const HIGH_AGE_DEATH_MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const LONGEVITY_DEATH_MONTHS = [6, 6];
const NOT_YET_90 = 30;

const day = (rng: Rng): string => String(intBetween(rng, 1, 28)).padStart(2, '0');
const month = (m: number): string => String(m).padStart(2, '0');

/** What a person is paid in the year, month by month, by the rule the sweep and payroll apply. */
export function paidInYear(person: PlannedOlderResident, rates: AgeAllowanceRates): Record<AgeAllowanceBand, number> {
  const starts = allowanceStarts(person.birthDate, null);
  const paidThrough = person.diedOn === undefined ? null : paidThroughFor(person.diedOn);
  const paid = { 'high-age': 0, longevity: 0 };
  for (let m = 1; m <= 12; m++) {
    const band = bandIn(Period.of(YEAR, m).toString(), { ...starts, paidThrough });
    if (band === 'high-age') paid['high-age'] += rates.highAgeFen;
    if (band === 'longevity') paid.longevity += rates.longevityFen;
  }
  return paid;
}

/**
 * The register: fixed groups, then people turning 100 whose longevity months make up the
 * longevity total, then people turning 90 whose high-age months make up the rest of the high-age
 * total. Throws when the totals cannot be reached with the groups (other rates, other figures).
 */
export function planOlderResidents(rates: AgeAllowanceRates = DEMO_RATES, totals = SEED_2023.ageAllowances): PlannedOlderResident[] {
  const rng = seededRng(20230090);
  const used = new Set<string>();
  const people: PlannedOlderResident[] = [];
  let n = 0;
  const add = (kind: OlderKind, birthDate: string, diedOn?: string): void => {
    for (;;) {
      const residentId = buildResidentId('430503', birthDate, intBetween(rng, 1, 999)).value;
      if (used.has(residentId)) continue;
      used.add(residentId);
      const township = TOWNSHIPS[n % TOWNSHIPS.length]?.code ?? '430503001000';
      people.push({ kind, name: olderName(n), residentId, birthDate, divisionCode: township, ...(diedOn === undefined ? {} : { diedOn }) });
      n++;
      return;
    }
  };

  // 90–99 all year: born 1924–1932 (90th birthday by 2022, 100th from 2024 on).
  for (let i = 0; i < HIGH_AGE_ALL_YEAR; i++) add('high-age-all-year', `${1924 + (i % 9)}-${month(1 + (i % 12))}-${day(rng)}`);
  HIGH_AGE_DEATH_MONTHS.forEach((m, i) => add('high-age-all-year', `${1925 + (i % 7)}-${month(1 + ((i * 5) % 12))}-${day(rng)}`, `${YEAR}-${month(m)}-${day(rng)}`));
  // 100 and over all year: born 1915–1922 before December.
  for (let i = 0; i < LONGEVITY_ALL_YEAR; i++) add('longevity-all-year', `${1915 + (i % 8)}-${month(1 + (i % 11))}-${day(rng)}`);
  LONGEVITY_DEATH_MONTHS.forEach((m, i) => add('longevity-all-year', `${1917 + i}-${month(3 + i)}-${day(rng)}`, `${YEAR}-${month(m)}-${day(rng)}`));

  const sum = (band: AgeAllowanceBand): number => people.reduce((total, p) => total + paidInYear(p, rates)[band], 0);

  // Turning 100 in 2023 (born 1923): born in month m, paid longevity for 12 − m months.
  let longevityLeft = totals.longevityFen - sum('longevity');
  for (let m = 1; longevityLeft > 0; m = (m % 11) + 1) {
    const months = 12 - m;
    if (months * rates.longevityFen <= longevityLeft) {
      add('turning-100', `1923-${month(m)}-${day(rng)}`);
      longevityLeft -= months * rates.longevityFen;
    } else if (m === 11) {
      throw new Error(`the longevity total ${totals.longevityFen} fen is not a whole number of months at ${rates.longevityFen} fen`);
    }
  }
  if (longevityLeft < 0) throw new Error(`the fixed groups already pay more longevity allowance than ${totals.longevityFen} fen`);

  // Turning 90 in 2023 (born 1933): born in month m, paid high-age for 12 − m months.
  let highAgeLeft = totals.highAgeFen - sum('high-age');
  if (highAgeLeft < 0) throw new Error(`the fixed groups already pay more high-age allowance than ${totals.highAgeFen} fen`);
  for (let m = 1; highAgeLeft > 0; m = (m % 11) + 1) {
    const months = 12 - m;
    if (months * rates.highAgeFen <= highAgeLeft) {
      add('turning-90', `1933-${month(m)}-${day(rng)}`);
      highAgeLeft -= months * rates.highAgeFen;
    } else if (m === 11) {
      throw new Error(`the high-age total ${totals.highAgeFen} fen is not a whole number of months at ${rates.highAgeFen} fen`);
    }
  }
  // Born in December 1933: 90 in December, paid from January 2024. And people of 85–89.
  for (let i = 0; i < 4; i++) add('turning-90', `1933-12-${day(rng)}`);
  for (let i = 0; i < NOT_YET_90; i++) add('not-yet-90', `${1934 + (i % 5)}-${month(1 + (i % 12))}-${day(rng)}`);
  return people;
}

export interface AgeAllowanceDemoResult {
  registered: number;
  deaths: number;
  sweeps: number;
  payrolls: number;
}

/** The rates in force on the first day of each month of the year must be the plan's. */
async function checkRates(dataSource: DataSource): Promise<void> {
  for (let m = 1; m <= 12; m++) {
    const firstDay = Period.of(YEAR, m).firstDay();
    const rows = await dataSource.query<{ band: AgeAllowanceBand; fen: string }[]>(
      `SELECT band, monthly_amount_fen AS fen FROM age_allowance_rate
        WHERE division_code = '430503000000' AND effective_from <= $1 AND (effective_to IS NULL OR effective_to >= $1) ORDER BY band`,
      [firstDay],
    );
    const rate = (band: AgeAllowanceBand): number => Number(rows.find((r) => r.band === band)?.fen ?? NaN);
    if (rate('high-age') !== DEMO_RATES.highAgeFen || rate('longevity') !== DEMO_RATES.longevityFen) {
      throw new Error(`the demo is planned for ${DEMO_RATES.highAgeFen}/${DEMO_RATES.longevityFen} fen a month; age_allowance_rate has ${rate('high-age')}/${rate('longevity')} on ${firstDay}`);
    }
  }
}

export async function generateAgeAllowancesDemo(dataSource: DataSource, outbox: Outbox, cipher: PersonalDataCipher, logger: Logger, concurrency = 4): Promise<AgeAllowanceDemoResult> {
  await checkRates(dataSource);
  const register = new OlderResidentsService(dataSource, cipher);
  const sweeps = new AgeAllowanceSweepService(outbox);
  const payroll = new AgeAllowancePayrollService(outbox, dataSource);
  const plan = planOlderResidents();
  const ids = new Map<string, string>();
  await inPool(plan, concurrency, async (person) => {
    const view = await register.register({ residentId: person.residentId, name: person.name, divisionCode: person.divisionCode, residenceBasis: 'hukou' }, OFFICER, REGISTERED_ON);
    ids.set(person.residentId, view.id);
  });
  logger.info({ registered: plan.length }, 'demo: older residents registered');
  const dying = plan.filter((p) => p.diedOn !== undefined);
  for (let m = 1; m <= 12; m++) {
    const period = Period.of(YEAR, m);
    const today = period.firstDay();
    await sweeps.sweep({ period: period.toString() }, OFFICER, today);
    for (const band of ['high-age', 'longevity'] as const) await payroll.runPayroll({ period: period.toString(), band }, OFFICER, today);
    // Deaths of the month, reported before the next month's sweep (paid through the month of death).
    for (const person of dying.filter((p) => p.diedOn?.slice(0, 7) === period.toString())) {
      const id = ids.get(person.residentId);
      if (id === undefined || person.diedOn === undefined) throw new Error(`${person.residentId} was not registered`);
      await register.recordDeath({ id, diedOn: person.diedOn }, OFFICER, `${period.toString()}-28`);
    }
  }
  return { registered: plan.length, deaths: dying.length, sweeps: 12, payrolls: 24 };
}
