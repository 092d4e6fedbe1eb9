/**
 * `npm run bench:place-names`: the public place-name search over 100,000 and then 1,000,000 names,
 * measured three ways in the same run on this machine (shared, noisy machines make absolute
 * numbers unreliable; ratios within one run are what we compare). Loopback only; every loop is
 * bounded in count (BENCH_QUERIES) and time (BENCH_SECONDS).
 *
 *   (sql)     a plain indexed lookup: SELECT … FROM place_name_version WHERE name_key = $1   baseline
 *   (service) NATS request/reply straight to place-names' search handler (ranked search)
 *   (gateway) HTTP GET /api/v1/place-names?q=… through the gateway (the public route)
 *
 * One caller at a time, so the figures are latencies, not queueing. The queries are a fixed mix
 * drawn from the generated names: whole names, two-character prefixes, toneless pinyin, initials,
 * and a bigram from the middle of a name (contains). The names are generated in SQL with the same
 * search keys the service writes (toneless pinyin, initials, character bigrams), marked demo.
 */
import os from 'node:os';
import { connect } from '@nats-io/transport-node';
import { Client } from 'pg';
import { Patterns } from '@civil/contracts';
import { startStack, type Stack, NO_RATE_LIMITS } from '@civil/launcher';
import { GENERIC, SPECIFIC, generatePlaceNames, toneless } from './place-names-data';

const QUERIES = Number(process.env.BENCH_QUERIES ?? 1500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const SCALES = (process.env.BENCH_SCALES ?? '100000,1000000').split(',').map(Number);

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

interface Query {
  kind: string;
  q: string;
}

function queryMix(total: number, count: number): Query[] {
  const queries: Query[] = [];
  const nC = SPECIFIC.length;
  const nG = GENERIC.length;
  for (let k = 0; k < count; k += 1) {
    const i = Math.floor((k * 7919 + 13) % total);
    const a = SPECIFIC[i % nC] ?? '';
    const b = SPECIFIC[Math.floor(i / nC) % nC] ?? '';
    const g = GENERIC[Math.floor(i / (nC * nC)) % nG] ?? '';
    const name = `${a}${b}${g}`;
    // the same per-character readings the generator stored
    const py = [toneless(a)[0] ?? '', toneless(b)[0] ?? '', ...toneless(g)];
    switch (k % 5) {
      case 0:
        queries.push({ kind: 'name', q: name });
        break;
      case 1:
        queries.push({ kind: 'prefix', q: `${a}${b}` });
        break;
      case 2:
        queries.push({ kind: 'pinyin', q: py.join('') });
        break;
      case 3:
        queries.push({ kind: 'initials', q: py.map((s) => s.charAt(0)).join('') });
        break;
      default:
        queries.push({ kind: 'contains', q: `${b}${[...g][0] ?? ''}` });
    }
  }
  return queries;
}

interface Latency {
  /** p50 per kind of query (name, prefix, pinyin, initials, contains). */
  byKind: Map<string, number>;
  n: number;
  p50: number;
  p95: number;
  hits: number;
  errors: number;
}

async function measure(queries: readonly Query[], run: (q: Query) => Promise<number>): Promise<Latency> {
  // warm-up: a tenth of the queries, not counted
  for (const q of queries.slice(0, Math.ceil(queries.length / 10))) await run(q).catch(() => 0);
  const latencies: number[] = [];
  const perKind = new Map<string, number[]>();
  let hits = 0;
  let errors = 0;
  const deadline = Date.now() + SECONDS * 1000;
  for (const q of queries) {
    if (Date.now() > deadline) break;
    const t0 = process.hrtime.bigint();
    try {
      hits += (await run(q)) > 0 ? 1 : 0;
    } catch {
      errors += 1;
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    latencies.push(ms);
    perKind.set(q.kind, [...(perKind.get(q.kind) ?? []), ms]);
  }
  const median = (values: number[]): number => values.sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? 0;
  const byKind = new Map([...perKind].map(([kind, values]) => [kind, median(values)]));
  latencies.sort((x, y) => x - y);
  const at = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
  return { byKind, n: latencies.length, p50: at(0.5), p95: at(0.95), hits, errors };
}

async function main(): Promise<number> {
  out(`# place-name search benchmark — ${new Date().toISOString()}`);
  out(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);
  out(`queries per mode ≤ ${QUERIES} (≤ ${SECONDS} s), one caller at a time; scales ${SCALES.join(', ')}`);
  const stack: Stack = await startStack({ env: { LOG_LEVEL: 'warn' }, serviceEnv: { gateway: NO_RATE_LIMITS } });
  const db = new Client({ connectionString: stack.databaseUrl('place-names') });
  await db.connect();
  const nc = await connect({ servers: stack.nats.url });
  let failed = false;
  try {
    const [{ server_version: version } = { server_version: '?' }] = (await db.query<{ server_version: string }>('SHOW server_version')).rows;
    out(`PostgreSQL ${version}`);
    out('');
    out('| names | mode | p50 ms | p95 ms | ratio p50 | ratio p95 | queries | with hits | errors |');
    out('|---:|---|---:|---:|---:|---:|---:|---:|---:|');
    let loaded = 0;
    const encoder = new TextEncoder();
    const decoder = new TextDecoder();
    for (const scale of SCALES) {
      const t0 = Date.now();
      await generatePlaceNames(db, loaded, scale);
      loaded = scale;
      const [{ count } = { count: '0' }] = (await db.query<{ count: string }>(`SELECT count(*) FROM place_name_version`)).rows;
      process.stderr.write(`loaded ${count} names in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
      const queries = queryMix(scale, QUERIES);
      const sql = await measure(queries, async (q) => (await db.query(`SELECT place_name_id, name FROM place_name_version WHERE name_key = $1 LIMIT 20`, [q.q])).rowCount ?? 0);
      const service = await measure(queries, async (q) => {
        const reply = await nc.request(Patterns.placeNames.search, encoder.encode(JSON.stringify({ q: q.q, limit: 20 })), { timeout: 5000 });
        const body = JSON.parse(decoder.decode(reply.data)) as { ok: boolean; data?: { items: unknown[] } };
        if (!body.ok) throw new Error('error reply');
        return body.data?.items.length ?? 0;
      });
      const gateway = await measure(queries, async (q) => {
        const response = await fetch(`${stack.gatewayUrl}/api/v1/place-names?q=${encodeURIComponent(q.q)}&limit=20`);
        if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
        return ((await response.json()) as { items: unknown[] }).items.length;
      });
      for (const [mode, m] of [['sql (baseline)', sql], ['service (NATS)', service], ['gateway (HTTP)', gateway]] as const) {
        out(`| ${scale.toLocaleString('en')} | ${mode} | ${m.p50.toFixed(2)} | ${m.p95.toFixed(2)} | ${(m.p50 / sql.p50).toFixed(1)}× | ${(m.p95 / sql.p95).toFixed(1)}× | ${m.n} | ${m.hits} | ${m.errors} |`);
        if (m.errors > 0) failed = true;
      }
      out(`|  | p50 by kind, service: ${[...service.byKind].map(([kind, ms]) => `${kind} ${ms.toFixed(1)}`).join(', ')} ms | | | | | | | |`);
      // every query kind must find something through the real search
      if (service.hits < service.n * 0.99) failed = true;
    }
  } finally {
    await nc.close();
    await db.end();
    await stack.stop();
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
