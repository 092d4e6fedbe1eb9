/**
 * `npm run load` / `npm run soak`: a working day's mix of requests through the gateway, against a
 * raw baseline measured in the same run on this machine (shared, noisy machines make absolute
 * numbers unreliable; ratios within one run are what we compare). Loopback only; every loop is
 * bounded in time (LOAD_SECONDS or SOAK_SECONDS) and in count (LOAD_MAX_REQUESTS).
 *
 *   (h) raw: the gateway's GET /health/live (HTTP only, no NATS), same connections, before and
 *       after the mix; the faster of the two is the baseline
 *   (m) the mix below through the gateway with LOAD_CONNECTIONS connections (closed loop)
 *
 * The mix, per 100 requests (load-mix/mix.ts, spread evenly over every stretch of the run):
 *   58 anonymous place-name searches (whole names, prefixes, pinyin, initials, contains; a fifth
 *      within a township) over a 20,000-name gazetteer
 *    3 anonymous reads of a gazetteer record, 3 anonymous cemetery slot lists of a day
 *    7 citizens' cemetery bookings (祭扫预约), 4 临时救助 applications for their own household,
 *    1 低保 application (one per household), 1 marriage appointment (one per citizen)
 *    1 deliberate double booking: a citizen who holds a marriage appointment books another; the
 *      answer must be 409 "already hold an appointment" (counted as refused as intended, not an error)
 *   18 staff reads: 4 overdue 低保 lists (as of today; LOAD_OVERDUE_AHEAD_DAYS later to make every
 *      open application overdue), 3 elderly-care institution lists, 3 reporting counter reads,
 *      4 household reads, 4 低保 application reads
 *    4 staff writes: a place-names officer records a new place name
 * Every write has a fresh valid body (distinct citizens, households, graves, names) and must be
 * answered 2xx. When the seeded households or citizens run out, a 低保 application becomes a 临时救助
 * application and a marriage appointment a cemetery booking (counted as "substituted").
 *
 * Modes: LOAD_SECONDS (default 60) is a short run. SOAK_SECONDS=600 runs a 30 s warm-up and then
 * the soak, sampling every service's resident memory (VmRSS) after the warm-up, every 60 s and at
 * the end; it fails (exit 1) if a service ends above start × 1.5 + 50 MiB. Both modes fail if the
 * error rate (non-2xx other than the intended refusal, socket errors, timeouts / all requests)
 * exceeds 0.1 %, or if reporting's counters (GET /api/v1/reports/counters?eventType=…) do not agree
 * within 60 s with the writes the gateway answered 2xx (at least those, at most those plus the
 * requests left unanswered when the load generator stopped).
 *
 *   LOAD_CONNECTIONS (32), LOAD_HOUSEHOLDS (800; 2000 in soak mode), LOAD_GAZETTEER (20000),
 *   BASELINE_SECONDS (10), LOAD_MAX_REQUESTS (2000 per second of run), LOAD_OVERDUE_AHEAD_DAYS (0)
 */
import os from 'node:os';
import autocannon from 'autocannon';
import { startStack, type Stack, NO_RATE_LIMITS } from '@civil/launcher';
import { counterTotal, devToken } from './load-mix/http';
import { MiB, rssBound, sampleServices, type MemorySample } from './load-mix/memory';
import { Mix, WEIGHTS, type KindTally } from './load-mix/mix';
import { EVENT_TYPES, seed, type TrackedEvent } from './load-mix/seed';

const SOAK = process.env.SOAK_SECONDS !== undefined;
const SECONDS = Number(process.env.SOAK_SECONDS ?? process.env.LOAD_SECONDS ?? 60);
const WARMUP_SECONDS = SOAK ? 30 : Math.min(30, Math.floor(SECONDS / 3));
const SAMPLE_EVERY_SECONDS = 60;
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 32);
const HOUSEHOLDS = Number(process.env.LOAD_HOUSEHOLDS ?? (SOAK ? 2000 : 800));
const GAZETTEER = Number(process.env.LOAD_GAZETTEER ?? 20_000);
const BASELINE_SECONDS = Number(process.env.BASELINE_SECONDS ?? 10);
const MAX_REQUESTS = Number(process.env.LOAD_MAX_REQUESTS ?? 2000 * (SECONDS + WARMUP_SECONDS));
const MAX_ERROR_RATE = 0.001;
const REPORTING_WAIT_MS = 60_000;
const OVERDUE_AHEAD_DAYS = Number(process.env.LOAD_OVERDUE_AHEAD_DAYS ?? 0);

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

async function baseline(stack: Stack): Promise<{ perSecond: number; p50: number; p99: number; errors: number }> {
  const r = await autocannon({ url: `${stack.gatewayUrl}/health/live`, connections: CONNECTIONS, duration: BASELINE_SECONDS, maxOverallRequests: BASELINE_SECONDS * 50_000 });
  return { perSecond: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

/** The mix for WARMUP_SECONDS + SECONDS; memory sampled after the warm-up, every minute and at the end. */
async function runMix(stack: Stack, mix: Mix): Promise<{ result: autocannon.Result; samples: MemorySample[] }> {
  const samples: MemorySample[] = [];
  const t0 = Date.now();
  const timers: NodeJS.Timeout[] = [];
  const sample = (): void => void samples.push(sampleServices(stack, (Date.now() - t0) / 1000));
  for (let at = WARMUP_SECONDS; at < WARMUP_SECONDS + SECONDS; at += SAMPLE_EVERY_SECONDS) timers.push(setTimeout(sample, at * 1000));
  try {
    const result = await autocannon({
      url: stack.gatewayUrl,
      connections: CONNECTIONS,
      duration: WARMUP_SECONDS + SECONDS,
      maxOverallRequests: MAX_REQUESTS,
      timeout: 30,
      requests: [mix.request],
    });
    sample();
    return { result, samples };
  } finally {
    for (const timer of timers) clearTimeout(timer);
  }
}

/** Waits until reporting counts, per event type, between the 2xx writes and those plus the unanswered ones. */
async function checkReporting(stack: Stack, token: string, before: Map<TrackedEvent, number>, expected: Map<TrackedEvent, { min: number; max: number }>): Promise<{ ok: boolean; rows: string[] }> {
  const deadline = Date.now() + REPORTING_WAIT_MS;
  let counted = new Map<TrackedEvent, number>();
  const agrees = (type: TrackedEvent): boolean => {
    const n = counted.get(type) ?? 0;
    const e = expected.get(type) ?? { min: 0, max: 0 };
    return n >= e.min && n <= e.max;
  };
  for (;;) {
    counted = new Map(await Promise.all([...expected.keys()].map(async (type) => [type, (await counterTotal(stack.gatewayUrl, token, type)) - (before.get(type) ?? 0)] as const)));
    if ([...expected.keys()].every(agrees) || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const rows = [...expected.entries()].map(([type, e]) => `| ${type} | ${e.min} | ${e.max - e.min} | ${counted.get(type) ?? 0} | ${agrees(type) ? 'ok' : 'DISAGREES'} |`);
  return { ok: [...expected.keys()].every(agrees), rows };
}

function statusText(t: KindTally): string {
  return [...t.byStatus.entries()].filter(([s]) => s < 200 || s >= 300).sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`).join(', ') || '—';
}

async function main(): Promise<void> {
  out(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  out(`settings: ${SOAK ? `soak ${SECONDS} s after a ${WARMUP_SECONDS} s warm-up` : `load ${SECONDS} s (the first ${WARMUP_SECONDS} s before the first memory sample)`}, ${CONNECTIONS} connections, ${HOUSEHOLDS} households, ${GAZETTEER} gazetteer names, baseline ${BASELINE_SECONDS} s, ≤ ${MAX_REQUESTS} requests, overdue list as of today + ${OVERDUE_AHEAD_DAYS} days`);
  const stack = await startStack({ portal: false, env: { LOG_LEVEL: 'warn' }, serviceEnv: { gateway: NO_RATE_LIMITS } });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= stack.stop());
  const onSignal = (): void => {
    out('interrupted: stopping the platform');
    void stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  const failures: string[] = [];
  try {
    const counterToken = await devToken(stack.gatewayUrl, { userId: 'load-checker', kind: 'staff', roles: ['leader'], divisions: ['430503'] });
    const tracked = Object.values(EVENT_TYPES);
    const before = new Map(await Promise.all(tracked.map(async (type) => [type, await counterTotal(stack.gatewayUrl, counterToken, type)] as const)));
    out('seeding through the gateway:');
    const state = await seed(stack, HOUSEHOLDS, GAZETTEER, out);
    const mix = new Mix(state, GAZETTEER, OVERDUE_AHEAD_DAYS);

    const h1 = await baseline(stack);
    out(`  (h) before: ${h1.perSecond.toFixed(0)} req/s; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const { result: m, samples } = await runMix(stack, mix);
    out(`  (m) done: ${m.requests.total} requests in ${m.duration.toFixed(1)} s; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const h2 = await baseline(stack);
    out(`  (h) after: ${h2.perSecond.toFixed(0)} req/s`);
    const h = h1.perSecond >= h2.perSecond ? h1 : h2;

    // reporting must have counted every write answered 2xx (set-up included), at most plus the unanswered ones
    const expected = new Map<TrackedEvent, { min: number; max: number }>(tracked.map((type) => [type, { min: state.accepted.get(type) ?? 0, max: state.accepted.get(type) ?? 0 }]));
    for (const w of WEIGHTS) {
      if (!w.emits) continue;
      const t = mix.tally.get(w.kind) as KindTally;
      const answered = [...t.byStatus.values()].reduce((a, b) => a + b, 0);
      const e = expected.get(w.emits) as { min: number; max: number };
      e.min += t.ok;
      e.max += t.ok + (t.sent - answered);
    }
    const reporting = await checkReporting(stack, counterToken, before, expected);
    if (!reporting.ok) failures.push('reporting does not agree with the writes answered 2xx');

    // error rate: anything but 2xx (and the intended refusal), socket errors and timeouts
    let answered = 0;
    let bad = 0;
    for (const t of mix.tally.values()) {
      const n = [...t.byStatus.values()].reduce((a, b) => a + b, 0);
      answered += n;
      bad += n - t.ok - t.refusedAsIntended;
    }
    const total = answered + m.errors;
    const errorRate = (bad + m.errors) / Math.max(1, total);
    if (errorRate > MAX_ERROR_RATE) failures.push(`error rate ${(errorRate * 100).toFixed(3)} % above ${MAX_ERROR_RATE * 100} %`);

    out('');
    out('| benchmark | result | unit | baseline | ratio |');
    out('|---|---:|---|---|---:|');
    out(`| (h) raw: gateway GET /health/live (HTTP only), ${CONNECTIONS} connections | ${h.perSecond.toFixed(0)} | req/s (p50 ${h.p50} ms, p99 ${h.p99} ms, ${h.errors} errors; before ${h1.perSecond.toFixed(0)}, after ${h2.perSecond.toFixed(0)}) | — | 1.00 |`);
    out(`| (m) working-day mix through the gateway, ${CONNECTIONS} connections | ${(answered / m.duration).toFixed(0)} | req/s (p50 ${m.latency.p50} ms, p99 ${m.latency.p99} ms; ${answered} answered in ${m.duration.toFixed(1)} s) | (h) | ${(answered / m.duration / h.perSecond).toFixed(3)} |`);
    const writes = WEIGHTS.filter((w) => w.emits || w.kind === 'temporary assistance').reduce((sum, w) => sum + (mix.tally.get(w.kind)?.ok ?? 0), 0);
    out(`| (m) of which writes accepted (2xx) | ${(writes / m.duration).toFixed(1)} | writes/s (${writes} in all) | (h) | ${(writes / m.duration / h.perSecond).toFixed(4)} |`);

    out('');
    out('| request kind | weight | sent | 2xx | refused as intended | other answers (status: count) | unanswered | substituted | p50 ms | p99 ms |');
    out('|---|---:|---:|---:|---:|---|---:|---:|---:|---:|');
    for (const w of WEIGHTS) {
      const t = mix.tally.get(w.kind) as KindTally;
      const sorted = [...t.latencies].sort((a, b) => a - b);
      const n = [...t.byStatus.values()].reduce((a, b) => a + b, 0);
      out(`| ${w.kind} | ${w.weight} | ${t.sent} | ${t.ok} | ${w.kind === 'double booking (refusal)' ? t.refusedAsIntended : '—'} | ${statusText(t)} | ${t.sent - n} | ${t.substituted} | ${percentile(sorted, 0.5).toFixed(0)} | ${percentile(sorted, 0.99).toFixed(0)} |`);
    }
    out(`| all | 100 | ${[...mix.tally.values()].reduce((a, t) => a + t.sent, 0)} | | | socket errors ${m.errors - m.timeouts}, client timeouts ${m.timeouts} | | | ${m.latency.p50} | ${m.latency.p99} |`);
    out('');
    out(`error rate: ${(errorRate * 100).toFixed(3)} % (${bad} unexpected answers + ${m.errors} socket errors/timeouts of ${total}); bound ${MAX_ERROR_RATE * 100} %`);
    for (const [kind, t] of mix.tally) for (const [status, body] of t.samples) out(`  sample ${kind} ${status}: ${body}`);

    out('');
    out('| event type (reporting counter) | writes answered 2xx | unanswered at the stop | counted by reporting | |');
    out('|---|---:|---:|---:|---|');
    for (const row of reporting.rows) out(row);

    const first = samples[0];
    const last = samples[samples.length - 1];
    if (first && last) {
      out('');
      out(`memory (VmRSS, MiB) at ${samples.map((s) => `${s.at.toFixed(0)} s`).join(', ')}${SOAK ? '; bound: end ≤ start × 1.5 + 50 MiB' : ' (the bound applies to the soak only)'}`);
      out('');
      out('| service | RSS start | RSS end | growth % | samples | |');
      out('|---|---:|---:|---:|---|---|');
      for (const name of first.rss.keys()) {
        const start = first.rss.get(name);
        const end = last.rss.get(name);
        if (start === undefined || end === undefined) {
          failures.push(`${name}: no memory sample (process gone?)`);
          out(`| ${name} | ${start === undefined ? '?' : (start / MiB).toFixed(0)} | ${end === undefined ? '?' : (end / MiB).toFixed(0)} | | | GONE |`);
          continue;
        }
        const within = end <= rssBound(start);
        if (SOAK && !within) failures.push(`${name}: RSS ${(start / MiB).toFixed(0)} → ${(end / MiB).toFixed(0)} MiB, above the bound`);
        const series = samples.map((s) => ((s.rss.get(name) ?? 0) / MiB).toFixed(0)).join(' → ');
        out(`| ${name} | ${(start / MiB).toFixed(0)} | ${(end / MiB).toFixed(0)} | ${(((end - start) / start) * 100).toFixed(1)} | ${series} | ${within ? 'ok' : SOAK ? 'ABOVE BOUND' : 'above bound'} |`);
      }
    }
    out('');
    out(failures.length === 0 ? 'result: ok' : `result: FAILED — ${failures.join('; ')}`);
    if (failures.length > 0) process.exitCode = 1;
  } finally {
    process.removeListener('SIGINT', onSignal);
    await stop();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    process.stderr.write(`load mix failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
