/**
 * `npm run bench:reporting`: reporting's ingestion and rebuild against raw baselines measured in
 * the same run on this machine (shared, noisy machines make absolute numbers unreliable; ratios
 * within one run are what we compare). Loopback only; bounded in count and time.
 *
 *   (r) raw JetStream: publish RATE msg/s for SECONDS into a file stream, a bare pull consumer
 *       consumes and acks each; lag = ack time − publish time                      baseline of (i)
 *   (i) the same rate of real event envelopes into the platform's stream; reporting's durable
 *       consumer archives each once and updates its projections; lag = archived − published
 *   (s) raw SQL: one INSERT … SELECT deriving one fact per archived event            baseline of (b)
 *   (b) `node services/reporting/dist/rebuild.js` over ARCHIVE archived events (TRUNCATE and
 *       refill every projection through the mappers, one transaction)
 *   (g) the annual report (.docx) generated through the gateway after the rebuild, if the route exists
 */
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { Client } from 'pg';
import { createEvent, PlaceNameEvents } from '@civil/contracts';
import { startStack, type Stack, NO_RATE_LIMITS } from '@civil/launcher';

const RATE = Number(process.env.BENCH_RATE ?? 2000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const ARCHIVE = Number(process.env.BENCH_ARCHIVE ?? 1_000_000);
const TICK_MS = 10;

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

/** Publishes `RATE` per second for `SECONDS`, RATE × TICK_MS / 1000 messages every tick, without waiting for acks in between. */
async function paced(publish: (i: number) => Promise<unknown>): Promise<{ sent: number; seconds: number }> {
  const total = RATE * SECONDS;
  const perTick = Math.max(1, Math.round((RATE * TICK_MS) / 1000));
  const t0 = Date.now();
  const inFlight: Promise<unknown>[] = [];
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((Date.now() - t0) / TICK_MS + 1) * perTick));
    for (; sent < due; sent += 1) inFlight.push(publish(sent));
    if (inFlight.length > 5000) await Promise.all(inFlight.splice(0));
    await new Promise((r) => setTimeout(r, TICK_MS));
  }
  await Promise.all(inFlight);
  return { sent, seconds: (Date.now() - t0) / 1000 };
}

/** (r) raw JetStream publish + consume + ack at the same rate. */
async function rawJetStream(nc: NatsConnection): Promise<{ perSecond: number; p50: number; p99: number }> {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: 'BENCHR', subjects: ['benchr.>'], storage: StorageType.File, retention: RetentionPolicy.Limits });
  await jsm.consumers.add('BENCHR', { durable_name: 'raw', ack_policy: AckPolicy.Explicit, filter_subject: 'benchr.>' });
  const js = jetstream(nc);
  const lags: number[] = [];
  const total = RATE * SECONDS;
  const consumer = await js.consumers.get('BENCHR', 'raw');
  const messages = await consumer.consume({ max_messages: 256 });
  const t0 = Date.now();
  const consuming = (async () => {
    for await (const m of messages) {
      const sentAt = Number(new TextDecoder().decode(m.data).split('|')[0]);
      m.ack();
      lags.push(Date.now() - sentAt);
      if (lags.length >= total) break;
    }
  })();
  const payload = 'x'.repeat(300);
  await paced((i) => js.publish(`benchr.e`, `${Date.now()}|${i}|${payload}`, { msgID: `r-${i}` }));
  await Promise.race([consuming, new Promise((r) => setTimeout(r, 120_000))]);
  const seconds = (Date.now() - t0) / 1000;
  await messages.close();
  await jsm.streams.delete('BENCHR');
  lags.sort((a, b) => a - b);
  return { perSecond: lags.length / seconds, p50: percentile(lags, 0.5), p99: percentile(lags, 0.99) };
}

/** (i) real envelopes into the platform's stream at the same rate; reporting archives and projects them. */
async function ingest(nc: NatsConnection, stack: Stack): Promise<{ perSecond: number; p50: number; p99: number; max: number; archived: number }> {
  const js = jetstream(nc);
  const sink = new Client({ connectionString: stack.databaseUrl('reporting') });
  await sink.connect();
  try {
    const before = Number((await sink.query<{ n: string }>(`SELECT count(*) AS n FROM event_archive`)).rows[0]?.n ?? 0);
    const t0 = Date.now();
    const { sent } = await paced((i) => {
      const event = createEvent({
        source: '/civil/place-names',
        type: PlaceNameEvents.named,
        subject: `place-name/bench-${i}`,
        divisioncode: '430503001000',
        actor: 'bench-ingest',
        data: { nameId: `bench-${i}`, name: `基准${i}`, category: 'other', divisionCode: '430503001000', approval: { authority: null, date: null } },
      });
      return js.publish(PlaceNameEvents.named, JSON.stringify(event), { msgID: event.id });
    });
    const deadline = Date.now() + 300_000;
    let archived = 0;
    for (;;) {
      archived = Number((await sink.query<{ n: string }>(`SELECT count(*) AS n FROM event_archive`)).rows[0]?.n ?? 0) - before;
      if (archived >= sent || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = (Date.now() - t0) / 1000;
    const [lag] = (
      await sink.query<{ p50: number; p99: number; max: number }>(
        `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99, max(ms) AS max
           FROM (SELECT extract(epoch FROM archived_at - event_time) * 1000 AS ms FROM event_archive WHERE actor = 'bench-ingest') t`,
      )
    ).rows;
    return { perSecond: archived / seconds, p50: Number(lag?.p50), p99: Number(lag?.p99), max: Number(lag?.max), archived };
  } finally {
    await sink.end();
  }
}

/** Fills the archive up to ARCHIVE events with generated envelopes of a mapped type (one INSERT … SELECT). */
async function fillArchive(stack: Stack): Promise<number> {
  const db = new Client({ connectionString: stack.databaseUrl('reporting') });
  await db.connect();
  try {
    const have = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM event_archive`)).rows[0]?.n ?? 0);
    const missing = Math.max(0, ARCHIVE - have);
    for (let start = 0; start < missing; start += 200_000) {
      const n = Math.min(200_000, missing - start);
      await db.query(
        `INSERT INTO event_archive (id, type, source, subject, division_code, event_time, actor, envelope)
         SELECT id, $1::text, '/civil/place-names', 'place-name/' || i, '430503001000', t, 'bench-archive',
                jsonb_build_object('specversion', '1.0', 'id', id, 'type', $1::text, 'source', '/civil/place-names', 'subject', 'place-name/' || i,
                  'time', to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'datacontenttype', 'application/json', 'divisioncode', '430503001000',
                  'actor', 'bench-archive', 'data', jsonb_build_object('nameId', 'a' || i, 'name', '档案' || i, 'category', 'other', 'divisionCode', '430503001000',
                    'approval', jsonb_build_object('authority', null, 'date', null)))
           FROM (SELECT i, timestamptz '2023-01-01 00:00:00+08' + (i % 31536000) * interval '1 second' AS t,
                        (lpad(to_hex(1700000000000 + i), 12, '0') || '7' || substr(md5(i::text), 1, 3) || '8' || substr(md5(i::text), 4, 15))::uuid AS id
                   FROM generate_series($2::bigint, $3::bigint) AS i) g`,
        [PlaceNameEvents.named, have + start, have + start + n - 1],
      );
    }
    await db.query('VACUUM ANALYZE event_archive');
    return Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM event_archive`)).rows[0]?.n ?? 0);
  } finally {
    await db.end();
  }
}

/** (s) the raw SQL baseline: one fact per archived event, derived in one statement. */
async function rawSqlProjection(stack: Stack): Promise<number> {
  const db = new Client({ connectionString: stack.databaseUrl('reporting') });
  await db.connect();
  try {
    await db.query(`CREATE TEMP TABLE raw_fact AS SELECT * FROM fact WITH NO DATA`);
    const t0 = Date.now();
    await db.query(
      `INSERT INTO raw_fact (key, element, division_code, business_date, urban_rural, value, event_id, event_time)
       SELECT id::text || '#0', 'raw', division_code, (event_time AT TIME ZONE 'Asia/Shanghai')::date, NULL, 1, id, event_time FROM event_archive`,
    );
    return (Date.now() - t0) / 1000;
  } finally {
    await db.end();
  }
}

async function main(): Promise<void> {
  out(`# reporting benchmark — ${new Date().toISOString()}`);
  out(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  out(`settings: ${RATE} events/s for ${SECONDS} s; rebuild over ${ARCHIVE.toLocaleString('en')} archived events`);
  const stack = await startStack({ env: { LOG_LEVEL: 'warn' }, serviceEnv: { gateway: NO_RATE_LIMITS } });
  const nc = await connect({ servers: stack.nats.url });
  try {
    const r = await rawJetStream(nc);
    const i = await ingest(nc, stack);
    const archived = await fillArchive(stack);
    const s = await rawSqlProjection(stack);
    const started = Date.now();
    const { stdout } = await promisify(execFile)('node', [path.join(__dirname, '../../../services/reporting/dist/rebuild.js')], {
      env: { ...process.env, DATABASE_URL: stack.databaseUrl('reporting'), LOG_LEVEL: 'warn' },
      maxBuffer: 1 << 20,
    });
    const b = (Date.now() - started) / 1000;
    out('');
    out('| id | benchmark | result | baseline | ratio |');
    out('|---|---|---:|---|---:|');
    out(`| (r) | raw JetStream publish → consume → ack | ${r.perSecond.toFixed(0)} msg/s, lag p50 ${r.p50} ms, p99 ${r.p99} ms | — | 1 |`);
    out(`| (i) | events → reporting (archive + counters + projections) | ${i.perSecond.toFixed(0)} events/s (${i.archived} of ${RATE * SECONDS}), lag p50 ${i.p50.toFixed(0)} ms, p99 ${i.p99.toFixed(0)} ms, max ${i.max.toFixed(0)} ms | (r) | throughput ${(i.perSecond / r.perSecond).toFixed(2)}, lag p50 ${(i.p50 / Math.max(1, r.p50)).toFixed(1)}×, p99 ${(i.p99 / Math.max(1, r.p99)).toFixed(1)}× |`);
    out(`| (s) | raw SQL: one fact per archived event, one INSERT … SELECT over ${archived.toLocaleString('en')} | ${s.toFixed(1)} s (${(archived / s).toFixed(0)} events/s) | — | 1 |`);
    out(`| (b) | rebuild of every projection from ${archived.toLocaleString('en')} archived events | ${b.toFixed(1)} s (${(archived / b).toFixed(0)} events/s) | (s) | ${(b / s).toFixed(1)}× the time |`);
    out('');
    out(`rebuild said: ${stdout.trim()}`);
    const token = ((await (
      await fetch(`${stack.gatewayUrl}/api/v1/dev/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'bench', kind: 'staff', roles: ['leader'], divisions: ['430503'] }),
      })
    ).json()) as { accessToken: string }).accessToken;
    const t0 = Date.now();
    const report = await fetch(`${stack.gatewayUrl}/api/v1/reports/annual/2023/report.docx`, { headers: { authorization: `Bearer ${token}` } });
    const bytes = (await report.arrayBuffer()).byteLength;
    out(`(g) annual report .docx after the rebuild: HTTP ${report.status}, ${bytes} bytes in ${((Date.now() - t0) / 1000).toFixed(2)} s`);
  } finally {
    await nc.drain();
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);

