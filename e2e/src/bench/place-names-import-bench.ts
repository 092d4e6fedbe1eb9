/**
 * Place-names bulk import at several sizes: the operator command `node services/place-names/dist/cli.js
 * import <file.csv>` against a raw INSERT … SELECT of the same places in the same run.
 *
 *   BENCH_SIZES=10000,100000 node e2e/dist/bench/place-names-import-bench.js
 *
 * Environment: BENCH_SIZES (default 10000) places per size, BENCH_SCALE_OUT (a file the `scale`
 * driver reads: one JSON line per size). Each size gets its own fresh database on one throwaway
 * PostgreSQL: `node services/place-names/dist/migrate.js`, the division tree of the synthetic
 * province (`loadProvince` of @civil/testing) recorded in place-names' division register (the
 * seeded 湖南省 > 邵阳市 > 大祥区 units kept, the ≈ 35,000 others added as demo units in force), then
 * N places spread round robin over the province's ≈ 32,000 villages (name i = two specific
 * characters + a generic term of place-names-data.ts, unique within its village), written as CSV
 * files of at most 20,000 rows (PLACE_NAME_IMPORT_MAX_ROWS), and
 *
 *   (raw)     the same places into copies of place_name and place_name_version (same indexes,
 *             including the GIN on bigrams): one INSERT … SELECT per table from a staging table
 *             with the search keys precomputed (no validation, no romanization, no events)
 *   (service) `cli.js import` once per file, one after the other: every row validated, the
 *             divisions checked in force, duplicates looked up, then every place recorded with its
 *             version and its `named` event in the outbox, all or nothing (the processes' wall time,
 *             start-up included)
 *
 * At ≈ 6 ms a place the import of 1,000,000 would take well over the driver's half hour per job
 * (100 minutes or more on a quiet machine), so the `scale` driver runs it at 10,000 and 100,000 only.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { benchAtSizes, benchSizes, loadProvince, say, timed, type PostgresHandle, type ScaleResult } from '@civil/testing';
import { GENERIC, SPECIFIC, toneless } from './place-names-data';

const ROOT = path.join(__dirname, '../../..');
const MAX_ROWS_PER_FILE = 20_000;
const run = promisify(execFile);

const CATEGORY_BY_GENERIC = ['street-road-lane', 'street-road-lane', 'street-road-lane', 'street-road-lane', 'residential-area-or-building', 'residential-area-or-building',
  'committee-seat', 'committee-seat', 'park-or-protected-area', 'infrastructure', 'natural-feature', 'residential-area-or-building'];

interface Place {
  name: string;
  category: string;
  divisionCode: string;
  pinyinKey: string;
  initials: string;
  grams: string[];
}

/** Place i: in village i mod V, named by k = i div V (digits in bases 60, 60, 12), so no name repeats in a village. */
function places(villages: readonly string[], count: number): Place[] {
  const nC = SPECIFIC.length;
  const out: Place[] = [];
  const pinyinOf = new Map<string, string[]>();
  const readings = (text: string): string[] => {
    let r = pinyinOf.get(text);
    if (!r) pinyinOf.set(text, (r = toneless(text)));
    return r;
  };
  for (let i = 0; i < count; i++) {
    const k = Math.floor(i / villages.length);
    const a = SPECIFIC[k % nC] ?? '';
    const b = SPECIFIC[Math.floor(k / nC) % nC] ?? '';
    const gi = Math.floor(k / (nC * nC)) % GENERIC.length;
    const g = GENERIC[gi] ?? '';
    const py = [readings(a)[0] ?? '', readings(b)[0] ?? '', ...readings(g)];
    out.push({
      name: `${a}${b}${g}`,
      category: CATEGORY_BY_GENERIC[gi] ?? 'other',
      divisionCode: villages[i % villages.length] ?? '',
      pinyinKey: py.join(''),
      initials: py.map((s) => s.charAt(0)).join(''),
      grams: [`${a}${b}`, `${b}${[...g][0] ?? ''}`, ...([...g].length === 2 ? [g] : [])],
    });
  }
  return out;
}

/** The province's divisions into place-names' register, set-based; codes already seeded are kept as they are. */
async function registerDivisions(db: Client): Promise<number> {
  await db.query(`CREATE TEMP TABLE new_division AS
    SELECT d.code, d.name, d.kind, d.parent_code, d.urban_rural, md5('province-division-' || d.code)::uuid AS id
      FROM province_division d
     WHERE NOT EXISTS (SELECT 1 FROM division_version v WHERE v.code = d.code AND v.valid_to IS NULL)`);
  await db.query(`INSERT INTO division (id, level, demo) SELECT id, kind, true FROM new_division`);
  const inserted = await db.query(
    `INSERT INTO division_version (id, division_id, code, name, parent_id, urban_rural, valid_from)
     SELECT md5('province-division-version-' || n.code)::uuid, n.id, n.code, n.name,
            coalesce((SELECT v.division_id FROM division_version v WHERE v.code = n.parent_code AND v.valid_to IS NULL), md5('province-division-' || n.parent_code)::uuid),
            n.urban_rural, date '2000-01-01'
       FROM new_division n`,
  );
  await db.query('ANALYZE division');
  await db.query('ANALYZE division_version');
  return inserted.rowCount ?? 0;
}

async function rawInsert(db: Client, suffix: string): Promise<number> {
  await db.query(`CREATE TABLE place_name_${suffix} (LIKE place_name INCLUDING ALL)`);
  await db.query(`CREATE TABLE place_name_version_${suffix} (LIKE place_name_version INCLUDING ALL)`);
  await db.query('CHECKPOINT');
  const { seconds } = await timed(async () => {
    await db.query(
      `INSERT INTO place_name_${suffix} (id, name, category, division_code, pinyin, status, created_by)
       SELECT md5('raw-place-' || i)::uuid, name, category, division_code, initcap(pinyin_key), 'in-use', 'bench' FROM import_stage`,
    );
    await db.query(
      `INSERT INTO place_name_version_${suffix} (id, place_name_id, name, pinyin, name_key, pinyin_key, initials, grams, status, category, division_code)
       SELECT md5('raw-version-' || i)::uuid, md5('raw-place-' || i)::uuid, name, initcap(pinyin_key), name, pinyin_key, initials, grams, 'standard', category, division_code FROM import_stage`,
    );
  });
  return seconds;
}

async function runSize(postgres: PostgresHandle, size: number): Promise<ScaleResult> {
  const database = `import_bench_${Date.now().toString(36)}`;
  await postgres.createDatabase(database);
  const url = postgres.urlFor(database);
  const env = { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' };
  const db = new Client({ connectionString: url });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'import-bench-'));
  try {
    await run(process.execPath, [path.join(ROOT, 'services/place-names/dist/migrate.js')], { env, maxBuffer: 1 << 22 });
    await db.connect();
    await loadProvince(db, { persons: 0, seed: 5 });
    const registered = await registerDivisions(db);
    const villages = (await db.query<{ code: string }>(`SELECT code FROM province_division WHERE level = 'village' ORDER BY code`)).rows.map((r) => r.code);
    const list = places(villages, size);
    await db.query(
      `CREATE TABLE import_stage AS SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS s (name, category, division_code, pinyin_key, initials, grams_text, i)`,
      [list.map((p) => p.name), list.map((p) => p.category), list.map((p) => p.divisionCode), list.map((p) => p.pinyinKey), list.map((p) => p.initials), list.map((p) => p.grams.join(','))],
    );
    await db.query(`ALTER TABLE import_stage ADD COLUMN grams text[]`);
    await db.query(`UPDATE import_stage SET grams = string_to_array(grams_text, ',')`);
    await db.query('VACUUM ANALYZE import_stage');
    const files: string[] = [];
    for (let start = 0; start < list.length; start += MAX_ROWS_PER_FILE) {
      const file = path.join(dir, `places-${String(files.length + 1).padStart(3, '0')}.csv`);
      const rows = list.slice(start, start + MAX_ROWS_PER_FILE).map((p) => `${p.name},${p.category},${p.divisionCode}`);
      writeFileSync(file, `name,category,divisionCode\n${rows.join('\n')}\n`);
      files.push(file);
    }
    say(`${registered.toLocaleString('en-US')} divisions of the province added to the register; ${size.toLocaleString('en-US')} places in ${files.length} CSV file(s)`);

    const before = await rawInsert(db, 'raw_before');
    await db.query('CHECKPOINT');
    let imported = 0;
    const service = await timed(async () => {
      for (const file of files) {
        const { stdout } = await run(process.execPath, [path.join(ROOT, 'services/place-names/dist/cli.js'), 'import', file], { env, maxBuffer: 1 << 24 });
        const match = /imported (\d+) place names/.exec(stdout);
        if (!match) throw new Error(`import of ${file} did not succeed: ${stdout.slice(0, 2000)}`);
        imported += Number(match[1]);
      }
    });
    const after = await rawInsert(db, 'raw_after');
    const [check] = (
      await db.query<{ places: number; versions: number; events: number; differ: boolean }>(
        `SELECT (SELECT count(*)::int FROM place_name WHERE created_by LIKE 'import:%') AS places,
                (SELECT count(*)::int FROM place_name_version v JOIN place_name p ON p.id = v.place_name_id WHERE p.created_by LIKE 'import:%') AS versions,
                (SELECT count(*)::int FROM outbox) AS events,
                EXISTS (SELECT division_code, name FROM place_name_raw_before EXCEPT SELECT division_code, name FROM place_name) AS differ`,
      )
    ).rows;
    if (imported !== size || check?.places !== size || check.versions !== size || check.differ) {
      throw new Error(`the import wrote ${imported} (${JSON.stringify(check)}), expected ${size} places matching the raw rows`);
    }
    const baseline = Math.min(before, after);
    const count = (n: number): string => n.toLocaleString('en-US');
    say('');
    say(`Import of ${count(size)} places (${files.length} file(s)), ${count(check.events)} events in the outbox:`);
    say('');
    say('| step | places | wall time (s) | places/s | ms/place | ÷ faster raw |');
    say('|---|---:|---:|---:|---:|---:|');
    say(`| (1a) raw \`INSERT … SELECT\` into copies of place_name and place_name_version, before | ${count(size)} | ${before.toFixed(2)} | ${count(Math.round(size / before))} | ${((before * 1000) / size).toFixed(3)} | ${(before / baseline).toFixed(2)}× |`);
    say(`| (2) \`cli.js import\`, file by file | ${count(size)} | ${service.seconds.toFixed(2)} | ${count(Math.round(size / service.seconds))} | ${((service.seconds * 1000) / size).toFixed(2)} | **${(service.seconds / baseline).toFixed(1)}×** |`);
    say(`| (1b) raw, after | ${count(size)} | ${after.toFixed(2)} | ${count(Math.round(size / after))} | ${((after * 1000) / size).toFixed(3)} | ${(after / baseline).toFixed(2)}× |`);
    return { job: 'place-names import (cli.js)', size, rows: size, serviceSeconds: service.seconds, rawSeconds: baseline, note: 'places' };
  } finally {
    await db.end().catch(() => undefined);
    await postgres.dropDatabase(database).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

benchAtSizes(
  benchSizes(10_000),
  'Scaling of the place-names import (raw = the faster raw `INSERT … SELECT` pair; growth = time at this size ÷ time at the previous size):',
  runSize,
);
