/**
 * Reporting's archive rebuild at several sizes, against a raw INSERT … SELECT in the same run:
 * the (s)/(b) pair of `reporting-bench.ts` without the rest of the platform (no NATS, no other
 * services — the rebuild only needs reporting's database).
 *
 *   BENCH_SIZES=10000,100000,1000000 node e2e/dist/bench/reporting-rebuild-bench.js
 *
 * Environment: BENCH_SIZES (default 1000000) archived events per size, BENCH_SCALE_OUT (a file the
 * `scale` driver reads: one JSON line per size). Each size gets its own fresh database on one
 * throwaway PostgreSQL: `node services/reporting/dist/migrate.js`, then the archive filled with N
 * `place-name.named` envelopes (one INSERT … SELECT per 200,000, as reporting-bench does) whose
 * division codes are the villages of the synthetic province (`loadProvince` of @civil/testing,
 * round robin), then
 *
 *   (s) raw SQL: one INSERT … SELECT deriving one fact per archived event into a copy of `fact`,
 *       before and after the rebuild (the faster is the baseline)
 *   (b) `node services/reporting/dist/rebuild.js`: TRUNCATE, every archived event read in pages,
 *       parsed, mapped and written in one transaction (the process's wall time, start-up included)
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { PlaceNameEvents } from '@civil/contracts';
import { benchAtSizes, benchSizes, loadProvince, say, timed, type PostgresHandle, type ScaleResult } from '@civil/testing';

const ROOT = path.join(__dirname, '../../..');
const run = promisify(execFile);

async function fillArchive(db: Client, events: number): Promise<void> {
  await loadProvince(db, { persons: 0, seed: 4 });
  await db.query(`CREATE TEMP TABLE village AS SELECT row_number() OVER (ORDER BY code)::int - 1 AS k, code FROM province_division WHERE level = 'village'`);
  const [{ n: villages } = { n: 0 }] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM village`)).rows;
  for (let start = 0; start < events; start += 200_000) {
    const n = Math.min(200_000, events - start);
    await db.query(
      `INSERT INTO event_archive (id, type, source, subject, division_code, event_time, actor, envelope)
       SELECT id, $1::text, '/civil/place-names', 'place-name/' || i, v.code, t, 'bench-archive',
              jsonb_build_object('specversion', '1.0', 'id', id, 'type', $1::text, 'source', '/civil/place-names', 'subject', 'place-name/' || i,
                'time', to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'datacontenttype', 'application/json', 'divisioncode', v.code,
                'actor', 'bench-archive', 'data', jsonb_build_object('nameId', 'a' || i, 'name', '档案' || i, 'category', 'other', 'divisionCode', v.code,
                  'approval', jsonb_build_object('authority', null, 'date', null)))
         FROM (SELECT i, timestamptz '2023-01-01 00:00:00+08' + (i % 31536000) * interval '1 second' AS t,
                      (lpad(to_hex(1700000000000 + i), 12, '0') || '7' || substr(md5(i::text), 1, 3) || '8' || substr(md5(i::text), 4, 15))::uuid AS id
                 FROM generate_series($2::bigint, $3::bigint) AS i) g
         JOIN village v ON v.k = g.i % $4`,
      [PlaceNameEvents.named, start, start + n - 1, villages],
    );
  }
  await db.query(`DROP TABLE province_division`);
  await db.query('VACUUM ANALYZE event_archive');
}

/** (s) one fact per archived event, derived in one statement into a fresh copy of fact. */
async function rawSql(db: Client, table: string): Promise<number> {
  await db.query(`CREATE TABLE ${table} (LIKE fact INCLUDING ALL)`);
  await db.query('CHECKPOINT');
  const { seconds } = await timed(() =>
    db.query(
      `INSERT INTO ${table} (key, element, division_code, business_date, urban_rural, value, event_id, event_time)
       SELECT id::text || '#0', 'raw', division_code, (event_time AT TIME ZONE 'Asia/Shanghai')::date, NULL, 1, id, event_time FROM event_archive`,
    ),
  );
  return seconds;
}

async function runSize(postgres: PostgresHandle, events: number): Promise<ScaleResult> {
  const database = `rebuild_bench_${Date.now().toString(36)}`;
  await postgres.createDatabase(database);
  const url = postgres.urlFor(database);
  const env = { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' };
  const db = new Client({ connectionString: url });
  try {
    await run(process.execPath, [path.join(ROOT, 'services/reporting/dist/migrate.js')], { env, maxBuffer: 1 << 22 });
    await db.connect();
    const filled = await timed(() => fillArchive(db, events));
    const [{ n: archived } = { n: 0 }] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM event_archive`)).rows;
    say(`archived ${archived.toLocaleString('en-US')} place-name.named events over the province's villages in ${filled.seconds.toFixed(1)} s`);
    const before = await rawSql(db, 'raw_fact_before');
    await db.query('CHECKPOINT');
    const rebuild = await timed(() => run(process.execPath, [path.join(ROOT, 'services/reporting/dist/rebuild.js')], { env, maxBuffer: 1 << 22 }));
    const after = await rawSql(db, 'raw_fact_after');
    const [{ n: facts } = { n: 0 }] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM fact`)).rows;
    const baseline = Math.min(before, after);
    const count = (n: number): string => n.toLocaleString('en-US');
    say('');
    say(`Rebuild of every projection from ${count(archived)} archived events:`);
    say('');
    say('| step | events | wall time (s) | events/s | ÷ faster raw |');
    say('|---|---:|---:|---:|---:|');
    say(`| (s1) raw SQL: one fact per archived event, one \`INSERT … SELECT\`, before | ${count(archived)} | ${before.toFixed(2)} | ${count(Math.round(archived / before))} | ${(before / baseline).toFixed(2)}× |`);
    say(`| (b) \`node services/reporting/dist/rebuild.js\` (${count(facts)} facts) | ${count(archived)} | ${rebuild.seconds.toFixed(2)} | ${count(Math.round(archived / rebuild.seconds))} | **${(rebuild.seconds / baseline).toFixed(1)}×** |`);
    say(`| (s2) raw SQL, after | ${count(archived)} | ${after.toFixed(2)} | ${count(Math.round(archived / after))} | ${(after / baseline).toFixed(2)}× |`);
    say('');
    say(`rebuild said: ${rebuild.result.stdout.trim()}`);
    const ownClock = /in ([\d.]+) s/.exec(rebuild.result.stdout)?.[1];
    return { job: 'reporting archive rebuild', size: events, rows: archived, serviceSeconds: rebuild.seconds, rawSeconds: baseline, note: `events (the command's own clock ${ownClock ?? '?'} s)` };
  } finally {
    await db.end().catch(() => undefined);
    await postgres.dropDatabase(database).catch(() => undefined);
  }
}

benchAtSizes(
  benchSizes(1_000_000),
  'Scaling of the reporting rebuild (rows = archived events read; raw = the faster raw `INSERT … SELECT`; growth = time at this size ÷ time at the previous size):',
  runSize,
);
