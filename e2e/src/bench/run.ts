/**
 * `npm run bench`: the platform's messaging and event path against raw baselines, measured in one
 * run on this machine (shared and noisy machines make absolute numbers unreliable; ratios within
 * one run are what we compare). Loopback only; every loop is bounded in count and time.
 *
 *   (a) raw NATS request/reply (a bare nats.js responder)                        baseline of (b)
 *   (b) gateway HTTP → NATS → place-names → PostgreSQL read → reply               ratio (b)/(a)
 *   (j) raw JetStream publish with Nats-Msg-Id, file storage                      baseline of (c)
 *   (c) outbox rows → relay → JetStream → reporting consumer → archive+projection ratio (c)/(j), lag
 */
import os from 'node:os';
import autocannon from 'autocannon';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { Client } from 'pg';
import { createEvent, PlaceNameEvents } from '@civil/contracts';
import { startStack, type Stack, NO_RATE_LIMITS } from '@civil/launcher';

const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 5000);

interface Row {
  name: string;
  value: string;
  unit: string;
  baseline: string;
  ratio: string;
}

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** (a) closed-loop request/reply with CONCURRENCY callers for DURATION_SECONDS. */
async function rawRequestReply(nc: NatsConnection): Promise<{ perSecond: number; p50: number; p99: number }> {
  const sub = nc.subscribe('bench.echo', { queue: 'bench', callback: (_e, m) => {
    m.respond(m.data);
  } });
  const payload = new TextEncoder().encode(JSON.stringify({ id: '0193a0a0-0000-7000-8000-000000000001' }));
  const latencies: number[] = [];
  const deadline = Date.now() + DURATION_SECONDS * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < deadline) {
        const t0 = process.hrtime.bigint();
        await nc.request('bench.echo', payload, { timeout: 5000 });
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        done += 1;
      }
    }),
  );
  sub.unsubscribe();
  latencies.sort((x, y) => x - y);
  return { perSecond: done / DURATION_SECONDS, p50: latencies[Math.floor(latencies.length * 0.5)] ?? 0, p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0 };
}

/** (b) the same closed loop over HTTP through the gateway to a real database read. */
async function gatewayRead(stack: Stack, officerToken: string): Promise<{ perSecond: number; p50: number; p99: number; errors: number }> {
  const created = await fetch(`${stack.gatewayUrl}/api/v1/place-names`, {
    method: 'POST',
    headers: { authorization: `Bearer ${officerToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: '基准测试地名', category: 'other', type: '其他', divisionCode: '430503003' }),
  });
  const { id } = (await created.json()) as { id: string };
  const result = await autocannon({ url: `${stack.gatewayUrl}/api/v1/place-names/${id}`, connections: CONCURRENCY, duration: DURATION_SECONDS });
  return { perSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

/** (j) raw JetStream publish, pipelined in windows of 500, each with a Nats-Msg-Id. */
async function rawJetStreamPublish(nc: NatsConnection): Promise<number> {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: 'BENCH', subjects: ['bench.js.>'], storage: StorageType.File, retention: RetentionPolicy.Limits, duplicate_window: 120_000_000_000 });
  const js = jetstream(nc);
  const body = JSON.stringify(createEvent({ source: '/bench', type: PlaceNameEvents.named, subject: 'x', divisioncode: '430503001000', actor: 'bench', data: { pad: 'x'.repeat(200) } }));
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < EVENTS; i += 500) {
    const window = [];
    for (let j = i; j < Math.min(i + 500, EVENTS); j += 1) window.push(js.publish('bench.js.event', body, { msgID: `bench-${j}` }));
    await Promise.all(window);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  await jsm.streams.delete('BENCH');
  return EVENTS / seconds;
}

/** (c) EVENTS outbox rows committed at once; time until reporting has applied every one. */
async function outboxToReporting(stack: Stack): Promise<{ perSecond: number; lagP50: number; lagP99: number; lagMax: number }> {
  const source = new Client({ connectionString: stack.databaseUrl('place-names') });
  const sink = new Client({ connectionString: stack.databaseUrl('reporting') });
  await source.connect();
  await sink.connect();
  try {
    const events = Array.from({ length: EVENTS }, (_, i) =>
      createEvent({
        source: '/civil/place-names',
        type: PlaceNameEvents.named,
        subject: `place-name/bench-${i}`,
        divisioncode: '430503001000',
        actor: 'bench',
        data: { nameId: `bench-${i}`, name: `基准${i}`, category: 'other', divisionCode: '430503001000', approval: { authority: null, date: null } },
      }),
    );
    const [{ n: before } = { n: '0' }] = (await sink.query<{ n: string }>(`SELECT count(*) AS n FROM event_archive`)).rows;
    const t0 = Date.now();
    await source.query(
      `INSERT INTO outbox (id, type, subject, envelope) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[])`,
      [events.map((e) => e.id), events.map((e) => e.type), events.map((e) => e.type), events.map((e) => JSON.stringify({ ...e, time: new Date(t0).toISOString() }))],
    );
    const deadline = Date.now() + 180_000;
    for (;;) {
      const [{ n } = { n: '0' }] = (await sink.query<{ n: string }>(`SELECT count(*) AS n FROM event_archive`)).rows;
      if (Number(n) - Number(before) >= EVENTS) break;
      if (Date.now() > deadline) throw new Error(`reporting applied ${Number(n) - Number(before)} of ${EVENTS} in time`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const elapsed = (Date.now() - t0) / 1000;
    const [lag] = (
      await sink.query<{ p50: number; p99: number; max: number }>(
        `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99, max(ms) AS max
           FROM (SELECT extract(epoch FROM archived_at - event_time) * 1000 AS ms FROM event_archive WHERE actor = 'bench' AND source = '/civil/place-names') t`,
      )
    ).rows;
    return { perSecond: EVENTS / elapsed, lagP50: Number(lag?.p50), lagP99: Number(lag?.p99), lagMax: Number(lag?.max) };
  } finally {
    await source.end();
    await sink.end();
  }
}

async function main(): Promise<void> {
  out(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`);
  out(`settings: ${DURATION_SECONDS} s per HTTP/NATS run, ${CONCURRENCY} concurrent callers, ${EVENTS} events`);
  const stack = await startStack({ env: { LOG_LEVEL: 'warn' }, serviceEnv: { gateway: NO_RATE_LIMITS } });
  const nc = await connect({ servers: stack.nats.url });
  try {
    const token = await (
      await fetch(`${stack.gatewayUrl}/api/v1/dev/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'bench', kind: 'staff', roles: ['place-names-officer'], divisions: ['430503'] }),
      })
    ).json() as { accessToken: string };
    const a = await rawRequestReply(nc);
    const b = await gatewayRead(stack, token.accessToken);
    const j = await rawJetStreamPublish(nc);
    const c = await outboxToReporting(stack);
    const rows: Row[] = [
      { name: '(a) raw NATS request/reply', value: a.perSecond.toFixed(0), unit: `req/s (p50 ${a.p50.toFixed(2)} ms, p99 ${a.p99.toFixed(2)} ms)`, baseline: '—', ratio: '1.00' },
      { name: '(b) gateway HTTP → NATS → place-names → PostgreSQL read', value: b.perSecond.toFixed(0), unit: `req/s (p50 ${b.p50} ms, p99 ${b.p99} ms, ${b.errors} errors)`, baseline: '(a)', ratio: (b.perSecond / a.perSecond).toFixed(2) },
      { name: '(j) raw JetStream publish, Nats-Msg-Id, file storage', value: j.toFixed(0), unit: 'msg/s', baseline: '—', ratio: '1.00' },
      { name: '(c) outbox → relay → JetStream → reporting (archive + projection)', value: c.perSecond.toFixed(0), unit: `events/s (lag p50 ${c.lagP50.toFixed(0)} ms, p99 ${c.lagP99.toFixed(0)} ms, max ${c.lagMax.toFixed(0)} ms)`, baseline: '(j)', ratio: (c.perSecond / j).toFixed(3) },
    ];
    out('');
    out('| benchmark | result | unit | baseline | ratio |');
    out('|---|---:|---|---|---:|');
    for (const r of rows) out(`| ${r.name} | ${r.value} | ${r.unit} | ${r.baseline} | ${r.ratio} |`);
  } finally {
    await nc.drain();
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  },
);
