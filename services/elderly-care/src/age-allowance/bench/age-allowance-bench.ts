/**
 * Age-allowance benchmark: the monthly sweep plus the two payrolls (high-age, longevity) against
 * one raw INSERT … SELECT of the same payments straight from the register.
 *
 *   node services/elderly-care/dist/age-allowance/bench/age-allowance-bench.js
 *
 *   BENCH_SIZES=10000,100000,1000000 node services/elderly-care/dist/age-allowance/bench/age-allowance-bench.js
 *
 * Environment: BENCH_RESIDENTS (default 1000000) older residents in the register, or BENCH_SIZES
 * (a list: each size in its own fresh database on the same PostgreSQL, one after the other, then
 * a scaling table with the growth from one size to the next), BENCH_SCALE_OUT (a file the `scale`
 * driver reads: one JSON line per size). DATABASE_URL is not used: it starts a throwaway embedded
 * PostgreSQL. Prints markdown tables; exits 1 when the sweep and payrolls are more than 2× slower
 * than the raw statement at any size, or paid other rows.
 *
 * The residents are people of a synthetic province (`loadProvince` of @civil/testing: N persons
 * over ≈ 32,000 villages of 14 cities): resident i is person i — their village, name and real,
 * valid resident ID (stored as hash and ciphertext: same-shaped stand-ins computed in SQL from the
 * real number, since encrypting a million numbers in Node would measure the cipher, not the SQL).
 * Their birth dates, deaths and moves stay the bench's own (below): the age structure of a whole
 * population has far fewer people of 90 and over than this register of older residents, and the
 * sweep's work is set by the month's birthdays, deaths and moves. The rates are the district's
 * plus the same amounts as a province-wide row (430000000000), so every county has a rate.
 * Loading the province is not timed.
 */
import { DataSource } from 'typeorm';
import type { Actor, AgeAllowanceBand } from '@civil/contracts';
import { ResidentId } from '@civil/domain-kernel';
import { Outbox, serviceDataSourceOptions } from '@civil/platform';
// eslint-disable-next-line @nx/enforce-module-boundaries -- a command-line tool built with the service, never imported by it: it starts its own PostgreSQL
import { benchAtSizes, benchInteger, benchSizes, loadProvince, postgresVersion, say, timed, type PostgresHandle, type ScaleResult } from '@civil/testing';
import { AgeAllowanceRates1764000004000 } from '../../migrations/1764000004000-age-allowance-rates';
import { AgeAllowances1764000031000 } from '../../migrations/1764000031000-age-allowances';
import { HomeAdaptation1764000032000 } from '../../migrations/1764000032000-home-adaptation';
import { Institutions1764000030000 } from '../../migrations/1764000030000-institutions';
import { ResidentIdsAtRest1764000062000 } from '../../migrations/1764000062000-resident-ids-at-rest';
import { AgeAllowancePayrollService } from '../age-allowance-payroll.service';
import { AgeAllowanceSweepService } from '../age-allowance-sweep.service';

const PREVIOUS = '2023-08';
const PERIOD = '2023-09';
const TODAY = '2023-09-01';
const TARGET_RATIO = 2;
const BANDS: AgeAllowanceBand[] = ['high-age', 'longevity'];
const ACTOR: Actor = { userId: 'bench', kind: 'staff', roles: ['elderly-care-officer'], divisions: ['430503000000'] };

/**
 * N older residents, set-based, resident i being person i of a synthetic province, by i mod 10,000: 85 % aged 60–88,
 * 11 % 90–99, 1 % 100 and over; 0.2 % turned 90 in August (high-age from September), 0.1 % turn 90
 * in September (not yet), 0.05 % turned 100 in August (longevity from September), 0.05 % turn 100
 * in September; the remaining 2.6 % 60–88. 2 % have died (a twentieth of them in August), 0.5 % have moved
 * away (likewise). Birth days 1–28, so `birth + interval` is the birthday rule of age-allowance.domain.
 * The persons' numbers are stored as the service stores real ones (hash and ciphertext columns),
 * with values of the same length made in SQL: the bench measures the SQL, not the cipher.
 */
async function generate(dataSource: DataSource, residents: number): Promise<void> {
  await loadProvince(dataSource, { persons: residents, seed: 3, parse: (id) => ResidentId.parse(id, { today: TODAY }) });
  // The rates in force for every county: the district's amounts as a province-wide row.
  await dataSource.query(
    `INSERT INTO age_allowance_rate (band, division_code, min_age, max_age, monthly_amount_fen, effective_from, effective_to, is_demo)
     SELECT band, '430000000000', min_age, max_age, monthly_amount_fen, effective_from, effective_to, true FROM age_allowance_rate WHERE division_code = '430503000000'`,
  );
  await dataSource.query(
    `INSERT INTO older_resident (id, resident_id_hash, resident_id_enc, name, division_code, residence_basis, birth_date, high_age_from, longevity_from, died_on, moved_away_on, paid_through, stop_reason, next_change, registered_by)
     SELECT uuidv7(), encode(sha256(convert_to(person.resident_id, 'UTF8')), 'hex'),
            'v1.' || translate(encode(sha256(convert_to('enc' || person.resident_id, 'UTF8')) || sha256(convert_to(person.resident_id, 'UTF8')), 'base64'), E'+/=\n', '-_'), person.name,
            person.village_code,
            CASE WHEN i % 3 = 0 THEN 'usual-residence' ELSE 'hukou' END,
            b.birth_date,
            to_char(b.birth_date + interval '90 years 1 month', 'YYYY-MM'), to_char(b.birth_date + interval '100 years 1 month', 'YYYY-MM'),
            s.died_on, s.moved_away_on, to_char(coalesce(s.died_on, s.moved_away_on), 'YYYY-MM'),
            CASE WHEN s.died_on IS NOT NULL THEN 'died' WHEN s.moved_away_on IS NOT NULL THEN 'moved-away' END,
            least(to_char(b.birth_date + interval '90 years 1 month', 'YYYY-MM'), to_char(date_trunc('month', coalesce(s.died_on, s.moved_away_on)) + interval '1 month', 'YYYY-MM')),
            'bench'
       FROM (SELECT n AS i, resident_id, name, village_code FROM province_person ORDER BY n) AS person,
            LATERAL (SELECT i % 10000 AS k, 1 + (i * 17) % 12 AS m, 1 + (i * 13) % 28 AS d) AS r,
            LATERAL (SELECT make_date(CASE WHEN r.k < 8500 THEN 1935 + (i * 31) % 28 WHEN r.k < 9600 THEN 1924 + (i * 31) % 9 WHEN r.k < 9700 THEN 1914 + (i * 31) % 9
                                           WHEN r.k < 9730 THEN 1933 WHEN r.k < 9740 THEN 1923 ELSE 1935 + (i * 31) % 28 END,
                                      CASE WHEN r.k >= 9700 AND r.k < 9720 THEN 8 WHEN r.k >= 9720 AND r.k < 9730 THEN 9
                                           WHEN r.k >= 9730 AND r.k < 9735 THEN 8 WHEN r.k >= 9735 AND r.k < 9740 THEN 9 ELSE r.m END,
                                      r.d) AS birth_date) AS b,
            LATERAL (SELECT CASE WHEN i % 50 = 7 THEN (CASE WHEN (i / 50) % 20 = 0 THEN make_date(2023, 8, r.d) ELSE date '2020-01-01' + (i % 1200) END) END AS died_on,
                            CASE WHEN i % 200 = 13 THEN (CASE WHEN (i / 200) % 20 = 0 THEN make_date(2023, 8, r.d) ELSE date '2021-01-01' + (i % 900) END) END AS moved_away_on) AS s`,
  );
  await dataSource.query(`DROP TABLE province_person`);
  await dataSource.query(`VACUUM ANALYZE older_resident`);
}

/**
 * The baseline: one plain statement into a copy of age_allowance_payment with the same keys and
 * indexes, straight from the register by the rule (band by the first months, nothing after the
 * month of death or moving away), the rates written in as constants, no enrolments, no payroll
 * rows, no totals, no events. The person's id stands in the enrolment_id column.
 */
async function rawInsert(dataSource: DataSource, table: string): Promise<{ table: string; rows: number; seconds: number }> {
  await dataSource.query(`CREATE TABLE ${table} (LIKE age_allowance_payment INCLUDING ALL)`);
  await dataSource.query(`CHECKPOINT`);
  const { seconds } = await timed(() =>
    dataSource.query(
      `INSERT INTO ${table} (period, band, resident_id_hash, resident_id_enc, enrolment_id, division_code, amount_fen)
       SELECT $1, CASE WHEN r.longevity_from <= $1 THEN 'longevity' ELSE 'high-age' END, r.resident_id_hash, r.resident_id_enc, r.id, r.division_code,
              CASE WHEN r.longevity_from <= $1 THEN 30000 ELSE 10000 END
         FROM older_resident r
        WHERE r.high_age_from <= $1 AND (r.paid_through IS NULL OR r.paid_through >= $1)`,
      [PERIOD],
    ),
  );
  const [row] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`);
  return { table, rows: row?.n ?? 0, seconds };
}

/** One size in its own database: generate, August's sweep, raw before, sweep + payrolls, no-op, raw after, check, print. */
async function runSize(postgres: PostgresHandle, residents: number, enforceTarget: boolean): Promise<ScaleResult> {
  let dataSource: DataSource | undefined;
  const database = `age_allowance_bench_${Date.now().toString(36)}`;
  await postgres.createDatabase(database);
  try {
    dataSource = new DataSource(
      serviceDataSourceOptions({ url: postgres.urlFor(database), entities: [], migrations: [AgeAllowanceRates1764000004000, AgeAllowances1764000031000, HomeAdaptation1764000032000, Institutions1764000030000, ResidentIdsAtRest1764000062000], applicationName: 'age-allowance-bench' }),
    );
    await dataSource.initialize();
    await dataSource.runMigrations();
    const ds = dataSource;

    const generated = await timed(() => generate(ds, residents));
    say(`generated a province of ${residents} persons as older residents in ${generated.seconds.toFixed(1)} s`);
    const outbox = new Outbox('elderly-care', ds);
    const sweeps = new AgeAllowanceSweepService(outbox);
    const payrolls = new AgeAllowancePayrollService(outbox, ds);

    // The state August's sweep leaves (the first sweep: everyone of 90 and over enrolled, with events).
    const catchUp = await timed(() => sweeps.sweep({ period: PREVIOUS }, ACTOR, TODAY));
    say(`${PREVIOUS} sweep (first: ${catchUp.result.started} enrolments started, ${catchUp.result.stopped} stopped) in ${catchUp.seconds.toFixed(1)} s`);
    // As autovacuum would after this one-off: the first sweep rewrote next_change for everyone due.
    for (const table of ['older_resident', 'age_allowance_enrolment', 'outbox']) await ds.query(`VACUUM ANALYZE ${table}`);

    // Raw before and after, so neither order nor noise favours the service; the faster is the baseline.
    const rawBefore = await rawInsert(ds, 'age_allowance_payment_raw_before');
    await ds.query(`CHECKPOINT`);
    const sweep = await timed(() => sweeps.sweep({ period: PERIOD }, ACTOR, TODAY));
    const pay = await timed(async () => {
      const runs = [];
      for (const band of BANDS) runs.push(await payrolls.runPayroll({ period: PERIOD, band }, ACTOR, TODAY));
      return runs;
    });
    const again = await timed(async () => {
      const repeat = await sweeps.sweep({ period: PERIOD }, ACTOR, TODAY);
      if (repeat.started + repeat.moved + repeat.stopped !== 0) throw new Error(`the second sweep changed something: ${JSON.stringify(repeat)}`);
      for (const band of BANDS) await payrolls.runPayroll({ period: PERIOD, band }, ACTOR, TODAY);
    });
    const rawAfter = await rawInsert(ds, 'age_allowance_payment_raw_after');

    const persons = pay.result.reduce((n, r) => n + r.persons, 0);
    for (const raw of [rawBefore, rawAfter]) {
      if (raw.rows !== persons) throw new Error(`the payrolls paid ${persons}, the raw statement wrote ${raw.rows}`);
      const [check] = await ds.query<{ differ: boolean }[]>(
        `SELECT EXISTS (SELECT period, band, resident_id_hash, resident_id_enc, enrolment_id, division_code, amount_fen FROM ${raw.table}
                        EXCEPT SELECT p.period, p.band, p.resident_id_hash, p.resident_id_enc, e.person_id, p.division_code, p.amount_fen
                                 FROM age_allowance_payment p JOIN age_allowance_enrolment e ON e.id = p.enrolment_id AND e.band = p.band AND e.resident_id_hash = p.resident_id_hash) AS differ`,
      );
      if (check?.differ !== false) throw new Error(`the payrolls and the raw statement (${raw.table}) produced different payments`);
    }

    const service = sweep.seconds + pay.seconds;
    const baseline = Math.min(rawBefore.seconds, rawAfter.seconds);
    const ratio = service / baseline;
    const count = (n: number): string => n.toLocaleString('en-US');
    const rate = (rows: number, seconds: number): string => count(Math.round(rows / seconds));
    const s = sweep.result;
    say('');
    say(
      `Age allowances for ${PERIOD}: ${count(residents)} older residents, ${count(persons)} paid (${pay.result.map((r) => `${r.band} ${count(r.persons)}`).join(', ')}); ` +
        `the sweep started ${count(s.started)}, moved ${count(s.moved)}, stopped ${count(s.stopped)}; PostgreSQL ${await postgresVersion(ds)}:`,
    );
    say('');
    say('| step | rows | wall time (s) | rows/s | ÷ faster raw |');
    say('|---|---:|---:|---:|---:|');
    say(`| (1a) raw \`INSERT … SELECT\` from the register into a copy of age_allowance_payment, before | ${count(rawBefore.rows)} | ${rawBefore.seconds.toFixed(2)} | ${rate(rawBefore.rows, rawBefore.seconds)} | ${(rawBefore.seconds / baseline).toFixed(2)}× |`);
    say(`| (2a) the monthly sweep (ends, starts, events) | ${count(s.started + s.moved + s.stopped)} changes | ${sweep.seconds.toFixed(2)} | — | ${(sweep.seconds / baseline).toFixed(2)}× |`);
    say(`| (2b) two payroll runs (rate lookup, payroll row, township totals, event) | ${count(persons)} | ${pay.seconds.toFixed(2)} | ${rate(persons, pay.seconds)} | ${(pay.seconds / baseline).toFixed(2)}× |`);
    say(`| (2) sweep + payrolls | ${count(persons)} | ${service.toFixed(2)} | ${rate(persons, service)} | **${ratio.toFixed(2)}×** |`);
    say(`| (1b) raw \`INSERT … SELECT\` from the register into a copy of age_allowance_payment, after | ${count(rawAfter.rows)} | ${rawAfter.seconds.toFixed(2)} | ${rate(rawAfter.rows, rawAfter.seconds)} | ${(rawAfter.seconds / baseline).toFixed(2)}× |`);
    say(`| (3) the same sweep and payrolls again (no-op) | 0 | ${again.seconds.toFixed(3)} | — | — |`);
    say('');
    say(`ratio (2) / min(1a, 1b) = ${ratio.toFixed(2)} (target ≤ ${TARGET_RATIO})`);
    // The target holds at scale; at small sizes the fixed cost of the runs weighs more (see the scaling table).
    if (enforceTarget && ratio > TARGET_RATIO) process.exitCode = 1;
    return { job: 'age-allowance sweep + payrolls (elderly-care)', size: residents, rows: persons, serviceSeconds: service, rawSeconds: baseline };
  } finally {
    await dataSource?.destroy();
    await postgres.dropDatabase(database).catch(() => undefined);
  }
}

benchAtSizes(
  benchSizes(benchInteger('BENCH_RESIDENTS', 1_000_000)),
  `Scaling of September's sweep + the two age-allowance payrolls (size = older residents, rows = payments; raw = the faster raw \`INSERT … SELECT\` from the register; growth = time at this size ÷ time at the previous size):`,
  runSize,
);
