/**
 * What authentication, authorization, masking and auditing cost at the gateway (issue 8):
 * one read — a gazetteer record by id, public so it can be asked both ways — measured
 *   (r) as a raw NATS request to the place-names service (no HTTP, no gateway): the baseline,
 *   (u) through the gateway without a token,
 *   (t) through the gateway with a bearer token (verified, authorized, actor forwarded, reply masked),
 * alternating over two rounds in one run (shared, noisy machine: only the ratios mean much).
 *
 *   npm run bench:gateway        (BENCH_SECONDS, BENCH_CONCURRENCY to change the load)
 */
import os from 'node:os';
import autocannon from 'autocannon';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Patterns } from '@civil/contracts';
import { startStack, NO_RATE_LIMITS } from '@civil/launcher';

const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);

interface Result {
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function rawServiceRequests(nc: NatsConnection, id: string): Promise<Result> {
  const payload = new TextEncoder().encode(JSON.stringify({ id }));
  const latencies: number[] = [];
  const deadline = Date.now() + DURATION_SECONDS * 1000;
  let errors = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < deadline) {
        const t0 = process.hrtime.bigint();
        const reply = await nc.request(Patterns.placeNames.get, payload, { timeout: 5000 });
        if (!(reply.json<{ ok: boolean }>().ok)) errors++;
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  latencies.sort((x, y) => x - y);
  return { perSecond: latencies.length / DURATION_SECONDS, p50: latencies[Math.floor(latencies.length * 0.5)] ?? 0, p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0, errors };
}

async function gatewayReads(url: string, token: string | null): Promise<Result> {
  const result = await autocannon({ url, connections: CONCURRENCY, duration: DURATION_SECONDS, ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}) });
  return { perSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

function mean(results: Result[]): Result {
  const avg = (pick: (r: Result) => number): number => results.reduce((sum, r) => sum + pick(r), 0) / results.length;
  return { perSecond: avg((r) => r.perSecond), p50: avg((r) => r.p50), p99: avg((r) => r.p99), errors: results.reduce((sum, r) => sum + r.errors, 0) };
}

async function main(): Promise<void> {
  out(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  out(`settings: ${DURATION_SECONDS} s per run, ${CONCURRENCY} concurrent callers, two alternating rounds`);
  const stack = await startStack({ env: { LOG_LEVEL: 'warn' }, serviceEnv: { gateway: NO_RATE_LIMITS } });
  const nc = await connect({ servers: stack.nats.url });
  try {
    const tokenReply = await fetch(`${stack.gatewayUrl}/api/v1/dev/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'bench-officer', kind: 'staff', roles: ['place-names-officer'], divisions: ['430503000000'] }),
    });
    const { accessToken } = (await tokenReply.json()) as { accessToken: string };
    const created = await fetch(`${stack.gatewayUrl}/api/v1/place-names`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '基准测试路', category: 'street-road-lane', type: '路', divisionCode: '430503003' }),
    });
    const place = (await created.json()) as { id?: string };
    if (!place.id) throw new Error(`could not create the record to read: ${created.status} ${JSON.stringify(place)}`);
    const url = `${stack.gatewayUrl}/api/v1/place-names/${place.id}`;
    const raw: Result[] = [];
    const anonymous: Result[] = [];
    const authenticated: Result[] = [];
    for (let round = 0; round < 2; round++) {
      raw.push(await rawServiceRequests(nc, place.id));
      anonymous.push(await gatewayReads(url, null));
      authenticated.push(await gatewayReads(url, accessToken));
    }
    const r = mean(raw);
    const u = mean(anonymous);
    const t = mean(authenticated);
    const row = (name: string, result: Result, baseline: string, ratio: string): string =>
      `| ${name} | ${result.perSecond.toFixed(0)} | ${result.p50.toFixed(2)} | ${result.p99.toFixed(2)} | ${result.errors} | ${baseline} | ${ratio} |`;
    out('');
    out('| read of one gazetteer record | req/s | p50 ms | p99 ms | errors | baseline | ratio |');
    out('|---|---:|---:|---:|---:|---|---:|');
    out(row('(r) raw NATS request to place-names', r, '—', '1.00'));
    out(row('(u) gateway, no token', u, '(r)', (u.perSecond / r.perSecond).toFixed(2)));
    out(row('(t) gateway, bearer token (verify, authorize, forward actor, mask)', t, '(r) / (u)', `${(t.perSecond / r.perSecond).toFixed(2)} / ${(t.perSecond / u.perSecond).toFixed(2)}`));
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
