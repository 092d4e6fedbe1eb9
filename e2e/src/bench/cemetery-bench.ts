/**
 * `npm run bench:cemetery`: 祭扫预约 (cemetery-visit booking) through the gateway with 200 concurrent
 * clients, against two baselines measured in the same run on this machine (shared, noisy machines
 * make absolute numbers unreliable; ratios within one run are what we compare). Loopback only;
 * every loop is bounded in time (BENCH_SECONDS) and in count (BENCH_MAX_BOOKINGS).
 *
 *   (r1) raw PostgreSQL booking transaction, before      a pg Pool, the service's essential statements
 *   (g)  gateway → NATS → social-affairs: public slot list (GET), the simplest read of the same path
 *   (k)  gateway → NATS → social-affairs: citizen books a visit (POST), distinct valid bodies
 *   (r2) raw PostgreSQL booking transaction, after       baseline of (k): the faster of (r1), (r2)
 *
 * Afterwards it checks in the database that no slot is overbooked, that every slot's `booked`
 * equals its bookings, that no grave has more than 3 visitors on a day, that every 201 is a row and
 * every booking row has its confirmed event in the outbox; it exits 1 if any of that is violated.
 */
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import autocannon from 'autocannon';
import { Client, Pool } from 'pg';
import { addDays, buildResidentId, todayInShanghai } from '@civil/domain-kernel';
import { startStack, type Stack, NO_RATE_LIMITS } from '@civil/launcher';
import { PersonalDataCipher } from '@civil/platform';

const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 200);
/** Upper bound on booking attempts per phase (HTTP and raw alike). */
const MAX_BOOKINGS = Number(process.env.BENCH_MAX_BOOKINGS ?? 60_000);
/** Days × slots per day × capacity = places; the default leaves room for MAX_BOOKINGS one-visitor bookings. */
const DAYS = Number(process.env.BENCH_DAYS ?? 10);
const SLOTS_PER_DAY = Number(process.env.BENCH_SLOTS_PER_DAY ?? 8);
const CAPACITY = Number(process.env.BENCH_CAPACITY ?? 1000);
/** Distinct citizens (each with a token and a resident ID) the bookings rotate through. */
const CITIZENS = Number(process.env.BENCH_CITIZENS ?? 1000);
/** Connections of the raw baseline's pool; 10 is the service's TypeORM pool (serviceDataSourceOptions). */
const PG_POOL = Number(process.env.BENCH_PG_POOL ?? 10);
/** Bookings between the three of one grave: more than CONNECTIONS, so they are never in flight together. */
const GRAVE_SPREAD = Number(process.env.BENCH_GRAVE_SPREAD ?? CONNECTIONS + 50);
/** Warm-up before measuring: seconds of slot-list reads, then this many bookings (outside the figures). */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const WARMUP_BOOKINGS = Number(process.env.BENCH_WARMUP_BOOKINGS ?? 200);

/** 雨溪公墓, the reference site of the cemetery migration (division 430503010000). */
const SITE = '0193a0a0-0000-7000-8000-0000000000c1';
const MAX_VISITORS = 3; // per grave, site and day
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

interface Slot {
  id: string;
  visitDate: string;
  startsAt: string;
}
interface Citizen {
  residentId: string;
  token: string;
}
interface Measured {
  perSecond: number;
  ok: number;
  attempts: number;
  seconds: number;
  p50: number;
  p99: number;
  byStatus: Map<string, number>;
  samples: Map<string, string>;
  /** Booking numbers answered 504 (gateway timeout): were they stored anyway? */
  timedOut?: number[];
}

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * Booking number i: which slot, grave, visitor and contact. Every grave gets exactly 3 one-visitor
 * bookings on one day (its limit, reached and never exceeded), GRAVE_SPREAD bookings apart in the
 * sequence so that they are not in flight together; the grave fixes the day, i the time of day, so
 * consecutive bookings spread over all slots.
 */
function bookingOf(i: number, slots: readonly Slot[]): { slot: Slot; graveNumber: string; visitorName: string; mobile: string } {
  const grave = Math.floor(i / (GRAVE_SPREAD * MAX_VISITORS)) * GRAVE_SPREAD + (i % GRAVE_SPREAD);
  const day = grave % DAYS;
  const slot = slots[day * SLOTS_PER_DAY + (i % SLOTS_PER_DAY)] as Slot;
  return { slot, graveNumber: `福区-${grave}号`, visitorName: `祭扫人${i}`, mobile: `138${String(i % 100_000_000).padStart(8, '0')}` };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

async function post<T>(url: string, body: unknown, token?: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function devToken(stack: Stack, claims: Record<string, unknown>): Promise<string> {
  const response = await post<{ accessToken: string }>(`${stack.gatewayUrl}/api/v1/dev/tokens`, { divisions: [], ...claims });
  if (response.status !== 201) throw new Error(`dev token: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.accessToken;
}

/** Opens DAYS × SLOTS_PER_DAY slots of CAPACITY from tomorrow on, as a registrar of the site's district. */
async function openSlots(stack: Stack): Promise<Slot[]> {
  const registrar = await devToken(stack, { userId: 'bench-registrar', kind: 'staff', roles: ['registrar'], divisions: ['430503'] });
  const fromDate = addDays(todayInShanghai(), 1);
  const plan = Array.from({ length: SLOTS_PER_DAY }, (_, h) => ({
    startsAt: `${String(6 + h).padStart(2, '0')}:00`,
    endsAt: `${String(7 + h).padStart(2, '0')}:00`,
    capacity: CAPACITY,
  }));
  const opened = await post<{ items: Slot[]; skipped: number }>(
    `${stack.gatewayUrl}/api/v1/social-affairs/cemetery/slots`,
    { siteId: SITE, fromDate, toDate: addDays(fromDate, DAYS - 1), slots: plan },
    registrar,
  );
  if (opened.status !== 201) throw new Error(`opening slots: ${opened.status} ${JSON.stringify(opened.body)}`);
  return opened.body.items.sort((a, b) => `${a.visitDate}T${a.startsAt}`.localeCompare(`${b.visitDate}T${b.startsAt}`));
}

/** CITIZENS dev tokens, 20 requests at a time, each citizen with their own resident ID. */
async function citizens(stack: Stack): Promise<Citizen[]> {
  const all: Citizen[] = [];
  for (let k = 0; k < CITIZENS; k += 20) {
    const batch = Array.from({ length: Math.min(20, CITIZENS - k) }, async (_, j) => {
      const n = k + j;
      const residentId = buildResidentId('430503', addDays('1950-01-01', n), 100 + (n % 800)).value;
      return { residentId, token: await devToken(stack, { userId: `bench-citizen-${n}`, kind: 'citizen', roles: ['citizen'], residentId }) };
    });
    all.push(...(await Promise.all(batch)));
  }
  return all;
}

function measuredFromAutocannon(result: autocannon.Result, okStatus: number, samples: Map<string, string>): Measured {
  const byStatus = new Map<string, number>();
  for (const [status, stat] of Object.entries(result.statusCodeStats ?? {})) byStatus.set(status, stat.count ?? 0);
  // autocannon counts a client timeout as an error too.
  if (result.errors - result.timeouts > 0) byStatus.set('socket errors', result.errors - result.timeouts);
  if (result.timeouts > 0) byStatus.set('client timeouts', result.timeouts);
  const ok = byStatus.get(String(okStatus)) ?? 0;
  const attempts = [...byStatus.values()].reduce((a, b) => a + b, 0);
  return { perSecond: ok / result.duration, ok, attempts, seconds: result.duration, p50: result.latency.p50, p99: result.latency.p99, byStatus, samples };
}

/** (g) the public slot list of one day through the gateway, CONNECTIONS connections. */
async function gatewayRead(stack: Stack, slots: readonly Slot[]): Promise<Measured> {
  const date = slots[0]?.visitDate ?? addDays(todayInShanghai(), 1);
  const result = await autocannon({
    url: `${stack.gatewayUrl}/api/v1/social-affairs/cemetery/sites/${SITE}/slots?date=${date}`,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    maxOverallRequests: MAX_BOOKINGS * 4,
  });
  return measuredFromAutocannon(result, 200, new Map());
}

function bookingBody(i: number, slots: readonly Slot[]): string {
  const { slot, graveNumber, visitorName, mobile } = bookingOf(i, slots);
  return JSON.stringify({ slotId: slot.id, graveNumber, visitorName, mobile, visitors: 1 });
}

/** WARMUP_SECONDS of slot-list reads and WARMUP_BOOKINGS bookings, 20 at a time. */
async function warmUp(stack: Stack, slots: readonly Slot[], people: readonly Citizen[]): Promise<{ confirmed: number; reads: number; next: number }> {
  const date = slots[0]?.visitDate ?? '';
  const reads = await autocannon({ url: `${stack.gatewayUrl}/api/v1/social-affairs/cemetery/sites/${SITE}/slots?date=${date}`, connections: 20, duration: WARMUP_SECONDS });
  let confirmed = 0;
  for (let i = 0; i < WARMUP_BOOKINGS; i += 20) {
    const statuses = await Promise.all(
      Array.from({ length: Math.min(20, WARMUP_BOOKINGS - i) }, async (_, j) => {
        const response = await fetch(`${stack.gatewayUrl}/api/v1/social-affairs/cemetery/bookings`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${(people[(i + j) % people.length] as Citizen).token}` },
          body: bookingBody(i + j, slots),
        });
        await response.arrayBuffer();
        return response.status;
      }),
    );
    confirmed += statuses.filter((s) => s === 201).length;
  }
  return { confirmed, reads: reads.requests.total, next: WARMUP_BOOKINGS };
}

/** (k) citizens book visits through the gateway: CONNECTIONS connections, each request a fresh valid booking. */
async function gatewayBooking(stack: Stack, slots: readonly Slot[], people: readonly Citizen[], first: number): Promise<Measured> {
  let next = first;
  const samples = new Map<string, string>();
  const timedOut: number[] = [];
  const result = await autocannon({
    url: `${stack.gatewayUrl}/api/v1/social-affairs/cemetery/bookings`,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    maxOverallRequests: MAX_BOOKINGS,
    requests: [
      {
        method: 'POST',
        setupRequest: (request, context: { i?: number }) => {
          const i = next++;
          context.i = i;
          const citizen = people[i % people.length] as Citizen;
          return { ...request, headers: { 'content-type': 'application/json', authorization: `Bearer ${citizen.token}` }, body: bookingBody(i, slots) };
        },
        onResponse: (status, body, context: { i?: number }) => {
          if (status !== 201 && !samples.has(String(status))) samples.set(String(status), body.slice(0, 300));
          if (status === 504 && context.i !== undefined) timedOut.push(context.i);
        },
      },
    ],
  });
  return { ...measuredFromAutocannon(result, 201, samples), timedOut };
}

/**
 * (r) The booking's essential database work without gateway, NATS, Nest or TypeORM: CONNECTIONS
 * closed-loop callers share a pg Pool of PG_POOL connections; each booking is one transaction with
 * the service's statements (grave advisory lock, the grave's visitors that day, the conditional
 * capacity UPDATE, the INSERT with a fresh code), on scratch copies of the slot and booking tables
 * holding the same slots. Not done here: the slot and site look-ups before the transaction, the
 * re-read of the booking for the reply and the outbox INSERT.
 */
async function rawBooking(stack: Stack, slots: readonly Slot[], tag: string): Promise<Measured & { violations: string[]; cpu: string }> {
  const cipher = new PersonalDataCipher(stack.personalDataKey);
  const url = stack.databaseUrl('social-affairs');
  const admin = new Client({ connectionString: url });
  await admin.connect();
  const slotTable = `bench_slot_${tag}`;
  const bookingTable = `bench_booking_${tag}`;
  await admin.query(`DROP TABLE IF EXISTS ${bookingTable}, ${slotTable}`);
  await admin.query(`CREATE TABLE ${slotTable} (LIKE cemetery_slot INCLUDING ALL)`);
  await admin.query(`CREATE TABLE ${bookingTable} (LIKE cemetery_booking INCLUDING ALL)`);
  await admin.query(`INSERT INTO ${slotTable} SELECT id, site_id, visit_date, starts_at, ends_at, capacity, 0 FROM cemetery_slot WHERE id = ANY($1::uuid[])`, [slots.map((s) => s.id)]);
  await admin.query(`ANALYZE ${slotTable}`);
  const pool = new Pool({ connectionString: url, max: PG_POOL, application_name: 'bench-raw' });
  const latencies: number[] = [];
  const byStatus = new Map<string, number>();
  const samples = new Map<string, string>();
  const count = (key: string): void => void byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
  let next = 0;
  let cpu = '';
  const selfBefore = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const deadline = Date.now() + DURATION_SECONDS * 1000;
  try {
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (Date.now() < deadline && next < MAX_BOOKINGS) {
          const i = next++;
          const { slot, graveNumber, visitorName, mobile } = bookingOf(i, slots);
          const residentId = buildResidentId('430503', addDays('1950-01-01', i % CITIZENS), 100 + ((i % CITIZENS) % 800)).value;
          const started = process.hrtime.bigint();
          const client = await pool.connect();
          try {
            await client.query('BEGIN');
            await client.query(`SELECT pg_advisory_xact_lock(hashtext('bench.cemetery.grave'), hashtext($1))`, [`${SITE}|${slot.visitDate}|${graveNumber}`]);
            const { rows: [already] } = await client.query<{ visitors: number }>(
              `SELECT coalesce(sum(b.visitors), 0)::int AS visitors FROM ${bookingTable} b JOIN ${slotTable} s ON s.id = b.slot_id
                WHERE s.site_id = $1 AND s.visit_date = $2 AND b.grave_number = $3 AND b.status <> 'CANCELLED'`,
              [SITE, slot.visitDate, graveNumber],
            );
            if ((already?.visitors ?? 0) + 1 > MAX_VISITORS) {
              await client.query('ROLLBACK');
              count('refused: grave');
              continue;
            }
            const taken = await client.query(`UPDATE ${slotTable} SET booked = booked + 1 WHERE id = $1 AND booked + 1 <= capacity RETURNING id`, [slot.id]);
            if (taken.rowCount === 0) {
              await client.query('ROLLBACK');
              count('refused: full');
              continue;
            }
            // A fresh code, retried on a clash like the service (31^8 codes: practically never).
            let inserted = false;
            for (let attempt = 0; attempt < 5 && !inserted; attempt++) {
              let code = '';
              for (let n = 0; n < 8; n++) code += CODE_ALPHABET.charAt(randomInt(CODE_ALPHABET.length));
              // The resident ID sealed as the service stores it (keyed hash + AES-GCM), so the baseline does that work too.
              const row = await client.query(
                `INSERT INTO ${bookingTable} (id, slot_id, booking_code, grave_number, visitor_resident_id_hash, visitor_resident_id_enc, visitor_name, mobile, visitors)
                 VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, 1) ON CONFLICT (booking_code) DO NOTHING RETURNING id`,
                [slot.id, code, graveNumber, cipher.lookupHash(residentId), cipher.encrypt(residentId), visitorName, mobile],
              );
              inserted = (row.rowCount ?? 0) > 0;
            }
            if (!inserted) throw new Error('no free booking code after 5 attempts');
            await client.query('COMMIT');
            count('ok');
            latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          } catch (error) {
            await client.query('ROLLBACK').catch(() => undefined);
            const message = error instanceof Error ? error.message : String(error);
            count('error');
            if (!samples.has('error')) samples.set('error', message);
          } finally {
            client.release();
          }
        }
      }),
    );
    // CPU of the pool's backends (opened for this run) and of this process, before the pool closes.
    const backends = (await admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'bench-raw'`)).rows;
    const used = process.cpuUsage(selfBefore);
    const booked = Math.max(1, byStatus.get('ok') ?? 0);
    cpu = `PostgreSQL (${backends.length} backends) ${((backends.reduce((sum, r) => sum + cpuSeconds(r.pid), 0) * 1000) / booked).toFixed(2)}, load generator ${((used.user + used.system) / 1000 / booked).toFixed(2)}`;
  } finally {
    await pool.end();
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  latencies.sort((x, y) => x - y);
  const violations = await checkInvariants(admin, slotTable, bookingTable, slots, byStatus.get('ok') ?? 0, false);
  await admin.query(`DROP TABLE ${bookingTable}, ${slotTable}`);
  await admin.end();
  const ok = byStatus.get('ok') ?? 0;
  const attempts = [...byStatus.values()].reduce((a, b) => a + b, 0);
  return { perSecond: ok / seconds, ok, attempts, seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), byStatus, samples, violations, cpu };
}

/**
 * The invariants after a run, in the database: no slot beyond capacity, every slot's `booked` equal
 * to its non-cancelled bookings' visitors, at most 3 visitors per grave, site and day; `confirmed`
 * bookings are all rows (a 201 without a row is lost work); with `outbox`, one confirmed event per row.
 */
async function checkInvariants(db: Client, slotTable: string, bookingTable: string, slots: readonly Slot[], confirmed: number, outbox: boolean): Promise<string[]> {
  const ids = slots.map((s) => s.id);
  const violations: string[] = [];
  const [over] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${slotTable} WHERE id = ANY($1::uuid[]) AND booked > capacity`, [ids])).rows;
  if ((over?.n ?? 0) > 0) violations.push(`${over?.n} slot(s) overbooked`);
  const [drift] = (
    await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${slotTable} s
         LEFT JOIN (SELECT slot_id, sum(visitors)::int AS v FROM ${bookingTable} WHERE status <> 'CANCELLED' GROUP BY slot_id) b ON b.slot_id = s.id
        WHERE s.id = ANY($1::uuid[]) AND s.booked <> coalesce(b.v, 0)`,
      [ids],
    )
  ).rows;
  if ((drift?.n ?? 0) > 0) violations.push(`${drift?.n} slot(s) whose booked count differs from their bookings`);
  const [graves] = (
    await db.query<{ n: number; max: number | null; full: number }>(
      `SELECT count(*) FILTER (WHERE v > 3)::int AS n, max(v)::int AS max, count(*) FILTER (WHERE v = 3)::int AS full FROM (
         SELECT sum(b.visitors) AS v FROM ${bookingTable} b JOIN ${slotTable} s ON s.id = b.slot_id
          WHERE s.id = ANY($1::uuid[]) AND b.status <> 'CANCELLED' GROUP BY s.site_id, s.visit_date, b.grave_number) t`,
      [ids],
    )
  ).rows;
  if ((graves?.n ?? 0) > 0) violations.push(`${graves?.n} grave-day(s) above 3 visitors (max ${graves?.max})`);
  const [rows] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${bookingTable} WHERE slot_id = ANY($1::uuid[])`, [ids])).rows;
  const stored = rows?.n ?? 0;
  if (stored < confirmed) violations.push(`${confirmed} bookings confirmed to callers but only ${stored} stored`);
  // The load generator stops with up to CONNECTIONS requests in flight; the service completes them unobserved.
  if (stored > confirmed) out(`  note: ${stored - confirmed} booking(s) stored without a 201 seen by the load generator (${stored} rows, ${confirmed} confirmed; up to ${CONNECTIONS} are in flight at the stop)`);
  if (outbox) {
    const [events] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE type = 'civil.social-affairs.cemetery-booking.confirmed.v1'`)).rows;
    if ((events?.n ?? 0) !== stored) violations.push(`${stored} booking rows but ${events?.n} confirmed events in the outbox`);
  }
  out(`  check ${bookingTable}: ${stored} bookings stored; overbooked slots ${over?.n ?? 0}, counter drift ${drift?.n ?? 0}, graves > 3 visitors/day ${graves?.n ?? 0} (at exactly 3: ${graves?.full ?? 0})${violations.length ? ` — VIOLATED: ${violations.join('; ')}` : ' — ok'}`);
  return violations;
}

/**
 * Samples, every 250 ms while `work` runs, what the connections of `applicationName` in the
 * social-affairs database are doing (active, idle in transaction, waiting on a lock …): where a
 * booking's time goes on the database side.
 */
async function withActivity<T>(stack: Stack, applicationName: string, work: () => Promise<T>): Promise<{ result: T; activity: string }> {
  const db = new Client({ connectionString: stack.databaseUrl('social-affairs') });
  await db.connect();
  const tally = new Map<string, number>();
  let samples = 0;
  let running = true;
  const sampler = (async () => {
    while (running) {
      const { rows } = await db.query<{ what: string; n: number }>(
        `SELECT state || coalesce(' / ' || wait_event_type || ':' || wait_event, '') AS what, count(*)::int AS n
           FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 GROUP BY 1`,
        [applicationName],
      );
      for (const r of rows) tally.set(r.what, (tally.get(r.what) ?? 0) + r.n);
      samples += 1;
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  try {
    const result = await work();
    return {
      result,
      activity: [...tally.entries()].sort(([, a], [, b]) => b - a).map(([what, n]) => `${what} ${(n / Math.max(1, samples)).toFixed(1)}`).join(', '),
    };
  } finally {
    running = false;
    await sampler;
    await db.end();
  }
}

async function withDb<T>(stack: Stack, work: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: stack.databaseUrl('social-affairs') });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux, 100 ticks per second). */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0; // not Linux, or the process is gone
  }
}

/**
 * Where the CPU goes while `work` runs: the gateway and social-affairs processes, the database
 * backends of social-affairs' pool and this load generator, in CPU milliseconds per unit of work
 * (`unitsOf`: requests served, in flight at the stop included, or bookings stored).
 */
async function withCpu<T>(stack: Stack, work: () => Promise<T>, unitsOf: (result: T, db: Client) => Promise<number>): Promise<{ result: T; cpu: string }> {
  const db = new Client({ connectionString: stack.databaseUrl('social-affairs') });
  await db.connect();
  try {
    const backends = async (): Promise<number[]> =>
      (await db.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'social-affairs'`)).rows.map((r) => r.pid);
    const pids = {
      gateway: stack.services.get('gateway')?.process.pid,
      'social-affairs': stack.services.get('social-affairs')?.process.pid,
    };
    const counters = async (): Promise<{ commits: number; inserted: number; updated: number }> => {
      const { rows: [row] } = await db.query<{ commits: string; inserted: string; updated: string }>(
        `SELECT pg_stat_clear_snapshot(), xact_commit AS commits, tup_inserted AS inserted, tup_updated AS updated FROM pg_stat_database WHERE datname = current_database()`,
      );
      return { commits: Number(row?.commits), inserted: Number(row?.inserted), updated: Number(row?.updated) };
    };
    const statsBefore = await counters();
    const pgBefore = new Map((await backends()).map((pid) => [pid, cpuSeconds(pid)]));
    const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
    const self = process.cpuUsage();
    const result = await work();
    const selfUsed = process.cpuUsage(self);
    // The requests in flight when the load generator stopped are still being served: let them finish.
    await new Promise((r) => setTimeout(r, 2000));
    const pgAfter = await backends();
    const units = Math.max(1, await unitsOf(result, db));
    const parts = Object.entries(pids).map(([k, pid]) => `${k} ${(((cpuSeconds(pid) - (before[k] ?? 0)) * 1000) / units).toFixed(2)}`);
    // Backends opened during the run count from zero.
    const pg = pgAfter.reduce((sum, pid) => sum + cpuSeconds(pid) - (pgBefore.get(pid) ?? 0), 0);
    parts.push(`PostgreSQL (${pgAfter.length} backends) ${((pg * 1000) / units).toFixed(2)}`);
    parts.push(`load generator ${((selfUsed.user + selfUsed.system) / 1000 / units).toFixed(2)}`);
    const statsAfter = await counters();
    const per = (k: 'commits' | 'inserted' | 'updated'): string => ((statsAfter[k] - statsBefore[k]) / units).toFixed(2);
    return { result, cpu: `${parts.join(', ')}; per unit in the social-affairs database: ${per('commits')} commits, ${per('inserted')} rows inserted, ${per('updated')} updated` };
  } finally {
    await db.end();
  }
}

function statusText(m: Measured): string {
  return [...m.byStatus.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}: ${v}`).join(', ');
}

async function main(): Promise<void> {
  out(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`);
  out(`settings: ${DURATION_SECONDS} s per phase, ${CONNECTIONS} concurrent clients, ≤ ${MAX_BOOKINGS} bookings per phase, ${DAYS} days × ${SLOTS_PER_DAY} slots × capacity ${CAPACITY}, ${CITIZENS} citizens, raw pool ${PG_POOL}, graves spread ${GRAVE_SPREAD}`);
  const stack = await startStack({ env: { LOG_LEVEL: 'warn' }, serviceEnv: { gateway: NO_RATE_LIMITS } });
  try {
    const slots = await openSlots(stack);
    if (slots.length !== DAYS * SLOTS_PER_DAY) throw new Error(`expected ${DAYS * SLOTS_PER_DAY} new slots, got ${slots.length}`);
    const people = await citizens(stack);
    out(`opened ${slots.length} slots (${slots.length * CAPACITY} places), ${people.length} citizen tokens; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

    // Warm-up (JIT, pools, NATS subscriptions) on both HTTP paths; its bookings count in the checks.
    const warm = await warmUp(stack, slots, people);
    out(`warm-up: ${warm.confirmed} bookings, ${warm.reads} slot-list reads`);

    const { result: r1, activity: r1Activity } = await withActivity(stack, 'bench-raw', () => rawBooking(stack, slots, 'before'));
    out(`  (r1) done; load ${os.loadavg()[0]?.toFixed(2)}; database connections on average: ${r1Activity}`);
    out(`  (r1) CPU ms per booking: ${r1.cpu}`);
    const { result: g, cpu: gCpu } = await withCpu(stack, () => gatewayRead(stack, slots), async (m) => m.attempts + CONNECTIONS);
    const storedBookings = async (db: Client): Promise<number> => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cemetery_booking`)).rows[0]?.n ?? 0;
    const storedBefore = await withDb(stack, storedBookings);
    out(`  (g) done; load ${os.loadavg()[0]?.toFixed(2)}; CPU ms per read: ${gCpu}`);
    const { result: kWithActivity, cpu: kCpu } = await withCpu(
      stack,
      () => withActivity(stack, 'social-affairs', () => gatewayBooking(stack, slots, people, warm.next)),
      async (_, db) => (await storedBookings(db)) - storedBefore,
    );
    const { result: k, activity: kActivity } = kWithActivity;
    out(`  (k) done; load ${os.loadavg()[0]?.toFixed(2)}; database connections on average: ${kActivity}`);
    out(`  (k) CPU ms per booking: ${kCpu}`);
    const r2 = await rawBooking(stack, slots, 'after');
    out(`  (r2) done; load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; CPU ms per booking: ${r2.cpu}`);

    const db = new Client({ connectionString: stack.databaseUrl('social-affairs') });
    await db.connect();
    let violations: string[];
    try {
      violations = [...r1.violations, ...r2.violations, ...(await checkInvariants(db, 'cemetery_slot', 'cemetery_booking', slots, warm.confirmed + k.ok, true))];
      if (k.timedOut && k.timedOut.length > 0) {
        const names = k.timedOut.map((i) => `祭扫人${i}`);
        const [stored] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cemetery_booking WHERE visitor_name = ANY($1::text[])`, [names])).rows;
        out(`  (k) ${k.timedOut.length} booking(s) answered 504 TIMEOUT; ${stored?.n ?? 0} of them were stored (booked, code issued) all the same`);
      }
    } finally {
      await db.end();
    }

    const raw = r1.perSecond >= r2.perSecond ? r1 : r2;
    const rawId = raw === r1 ? '(r1)' : '(r2)';
    const line = (m: Measured, unit: string): string => `${unit} (p50 ${m.p50.toFixed(0)} ms, p99 ${m.p99.toFixed(0)} ms; ${m.attempts} in ${m.seconds.toFixed(1)} s — ${statusText(m)})`;
    out('');
    out('| benchmark | result | unit | baseline | ratio |');
    out('|---|---:|---|---|---:|');
    out(`| (r1) raw PostgreSQL booking transaction, pool ${PG_POOL}, before | ${r1.perSecond.toFixed(0)} | ${line(r1, 'bookings/s')} | — | ${(r1.perSecond / raw.perSecond).toFixed(2)} |`);
    out(`| (r2) raw PostgreSQL booking transaction, pool ${PG_POOL}, after | ${r2.perSecond.toFixed(0)} | ${line(r2, 'bookings/s')} | — | ${(r2.perSecond / raw.perSecond).toFixed(2)} |`);
    out(`| (g) gateway → social-affairs: GET slot list (public) | ${g.perSecond.toFixed(0)} | ${line(g, 'req/s')} | — | 1.00 |`);
    out(`| (k) gateway → social-affairs: POST booking (citizen) | ${k.perSecond.toFixed(0)} | ${line(k, 'bookings/s confirmed')} | ${rawId} | ${(k.perSecond / raw.perSecond).toFixed(3)} |`);
    out(`| (k)/(g) booking vs the simplest read on the same path | | | (g) | ${(k.perSecond / g.perSecond).toFixed(2)} |`);
    out('');
    for (const [name, m] of [['(k)', k], ['(r1)', r1], ['(r2)', r2]] as const) {
      for (const [status, body] of m.samples) out(`${name} sample ${status}: ${body}`);
    }
    out(`correctness: ${violations.length === 0 ? 'ok — no slot overbooked, booked counters match, no grave above 3 visitors per day, every 201 stored with its event' : `VIOLATED — ${violations.join('; ')}`}`);
    if (violations.length > 0) process.exitCode = 1;
  } finally {
    await stack.stop();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  },
);
