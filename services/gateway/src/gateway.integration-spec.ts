import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { ACTOR_HEADER, AUDIT_STREAM, ROLES, decodeActor, type AuditEntry, type Role } from '@civil/contracts';
import { buildResidentId } from '@civil/domain-kernel';
import { eventually, findFreePort, integrationEnv, spawnProcess, waitForHttpOk, type ManagedProcess } from '@civil/testing';
import { LoopbackIdentityProvider, signingKey, type SigningKey } from '../test/loopback-identity-provider';
import type { AuthorizationMatrix } from './authorization/authorization-matrix';
import { maskResidentId } from './personal-data/masking';
import { ROUTES, type GatewayRoute } from './routes/route-table';

/**
 * The built gateway as a process, against real NATS JetStream, with a loopback OIDC issuer.
 * The department services are not under test here: stand-ins answer their subjects (recording
 * each call and echoing the actor), so what is checked is what the gateway lets through, masks,
 * audits and replays.
 */
const RESIDENT_ID = buildResidentId('430503', '1990-01-01', 123).value;
const MOBILE = '13812345678';
const SECRET = 'gateway-integration-secret-0123456789abcdef';
const COUNTY = '430503000000';
const matrix = JSON.parse(readFileSync(join(__dirname, '..', 'authorization-matrix.json'), 'utf8')) as AuthorizationMatrix;

/** Answers every service subject of the route table, counting calls per subject. */
class StandInServices {
  readonly calls = new Map<string, number>();
  readonly lastInput = new Map<string, unknown>();
  delayMs = 0;
  private readonly downloads = new Set(ROUTES.filter((r) => r.download).map((r) => r.subject));

  start(nc: NatsConnection): void {
    const prefixes = new Set(ROUTES.map((route) => route.subject.split('.')[0] ?? ''));
    for (const prefix of prefixes) nc.subscribe(`${prefix}.>`, { queue: prefix, callback: (_error, msg) => void this.answer(msg) });
  }

  count(subject: string): number {
    return this.calls.get(subject) ?? 0;
  }

  private async answer(msg: Msg): Promise<void> {
    this.calls.set(msg.subject, this.count(msg.subject) + 1);
    this.lastInput.set(msg.subject, msg.json<unknown>());
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const data = this.downloads.has(msg.subject)
      ? { exportId: 'x', next: null, csv: `id,residentId,account\n1,${RESIDENT_ID},6222020200112233445\n` }
      : { id: randomUUID(), subject: msg.subject, actor: decodeActor(msg.headers?.get(ACTOR_HEADER)), residentId: RESIDENT_ID, mobile: MOBILE };
    msg.respond(JSON.stringify({ ok: true, data }));
  }
}

interface Gateway {
  url: string;
  process: ManagedProcess;
}

interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

async function call(url: string, method: string, path: string, options: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${url}${path}`, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // CSV and other files stay in text.
  }
  return { status: response.status, headers: response.headers, body, text };
}

describe('the gateway (built process, real NATS JetStream, loopback OIDC issuer)', () => {
  const idp = new LoopbackIdentityProvider();
  const services = new StandInServices();
  let key: SigningKey;
  let nc: NatsConnection;
  let gateway: Gateway;
  const started: ManagedProcess[] = [];
  const since = new Date();

  async function startGateway(env: Record<string, string> = {}): Promise<Gateway> {
    const port = await findFreePort();
    const child = spawnProcess({
      name: 'gateway',
      command: process.execPath,
      args: [join(__dirname, '..', 'dist', 'main.js')],
      env: {
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(port),
        NATS_URL: integrationEnv().natsUrl,
        LOG_LEVEL: 'warn',
        DEV_TOKENS_ENABLED: 'true',
        DEV_TOKEN_SECRET: SECRET,
        OIDC_ISSUER: idp.issuer,
        OIDC_AUDIENCE: 'civil-gateway',
        OIDC_ROLE_PREFIX: 'civil-',
        CORS_ORIGINS: 'https://portal.example.org',
        RATE_LIMIT_ANONYMOUS_PER_MINUTE: '100000',
        RATE_LIMIT_CITIZEN_PER_MINUTE: '100000',
        RATE_LIMIT_STAFF_PER_MINUTE: '100000',
        ...env,
      },
    });
    started.push(child);
    await waitForHttpOk(`http://127.0.0.1:${port}/health/ready`, 30_000, child);
    return { url: `http://127.0.0.1:${port}`, process: child };
  }

  async function devToken(url: string, request: { userId: string; kind?: 'staff' | 'citizen'; roles: Role[]; permissions?: string[] }): Promise<string> {
    const citizen = request.kind === 'citizen' || (request.roles.length === 1 && request.roles[0] === 'citizen');
    const reply = await call(url, 'POST', '/api/v1/dev/tokens', {
      body: { divisions: citizen ? [] : [COUNTY], ...request, kind: citizen ? 'citizen' : 'staff', ...(citizen ? { residentId: RESIDENT_ID } : {}) },
    });
    expect(reply.status).toBe(201);
    return reply.body.accessToken as string;
  }

  /** Audit entries published since the run began (read from the AUDIT stream, as reporting does). */
  async function auditEntries(): Promise<AuditEntry[]> {
    const lastSeq = (await (await jetstreamManager(nc)).streams.info(AUDIT_STREAM)).state.last_seq;
    const consumer = await jetstream(nc).consumers.get(AUDIT_STREAM, { deliver_policy: DeliverPolicy.StartTime, opt_start_time: since.toISOString() });
    const entries: AuditEntry[] = [];
    for (let seen = 0; seen < lastSeq; ) {
      const batch = await consumer.fetch({ max_messages: 1000, expires: 1000 });
      let got = 0;
      for await (const msg of batch) {
        entries.push(msg.json<AuditEntry>());
        seen = msg.seq;
        got++;
        if (seen >= lastSeq) break;
      }
      if (got === 0) break;
    }
    return entries;
  }

  const auditWhere = (what: string, predicate: (entry: AuditEntry) => boolean): Promise<AuditEntry> =>
    eventually(auditEntries, (entries) => entries.some(predicate), what).then((entries) => entries.find(predicate) as AuditEntry);

  beforeAll(async () => {
    key = await signingKey('k1');
    await idp.start();
    idp.published = [key];
    nc = await connect({ servers: integrationEnv().natsUrl });
    services.start(nc);
    gateway = await startGateway();
  }, 60_000);

  afterAll(async () => {
    for (const child of started) await child.stop('SIGTERM', 10_000);
    await nc?.drain();
    await idp.stop();
  });

  const householdPath = (): string => `/api/v1/social-assistance/households/${randomUUID()}`;

  describe('tokens', () => {
    it('accepts the OIDC issuer’s token and sends its actor to the service', async () => {
      const token = await idp.token(key, { realm_access: { roles: ['civil-clerk'] }, divisions: [COUNTY] }, { subject: 'oidc-clerk' });
      const reply = await call(gateway.url, 'GET', householdPath(), { token });
      expect(reply.status).toBe(200);
      expect(reply.body.actor).toEqual({ userId: 'oidc-clerk', kind: 'staff', roles: ['clerk'], divisions: [COUNTY] });
    });

    it.each<[string, () => Promise<string>]>([
      ['expired', () => idp.token(key, { realm_access: { roles: ['civil-clerk'] }, divisions: [COUNTY] }, { expiresIn: Math.floor(Date.now() / 1000) - 600 })],
      ['signed by another key', async () => idp.token(await signingKey('k1'), { realm_access: { roles: ['civil-clerk'] }, divisions: [COUNTY] })],
      ['for another audience', () => idp.token(key, { realm_access: { roles: ['civil-clerk'] }, divisions: [COUNTY] }, { audience: 'someone-else' })],
      ['of an unknown issuer', () => idp.token(key, { realm_access: { roles: ['civil-clerk'] }, divisions: [COUNTY] }, { issuer: 'https://evil.example.org' })],
      ['not a JWT', async () => 'not-a-token'],
    ])('answers 401 to a token %s, asks no service and audits the refusal', async (_name, make) => {
      const subject = 'social-assistance.household.get';
      const before = services.count(subject);
      const path = householdPath();
      const reply = await call(gateway.url, 'GET', path, { token: await make() });
      expect(reply.status).toBe(401);
      expect(reply.headers.get('content-type')).toContain('application/problem+json');
      expect(reply.body.code).toBe('UNAUTHENTICATED');
      expect(services.count(subject)).toBe(before);
      const entry = await auditWhere('the refusal', (e) => e.path === path);
      expect(entry).toMatchObject({ kind: 'refused', status: 401, code: 'UNAUTHENTICATED', actor: null, method: 'GET', route: '/api/v1/social-assistance/households/:id', clientIp: '127.0.0.1' });
    });
  });

  it('enforces the committed authorization matrix on every route for every role (and no token)', async () => {
    const tokens = new Map<Role | null, string | null>([[null, null]]);
    for (const role of ROLES) tokens.set(role, await devToken(gateway.url, { userId: `matrix-${role}`, roles: [role] }));
    const mismatches: string[] = [];
    let checked = 0;
    for (const route of ROUTES) {
      const rule = matrix[`${route.method} ${route.path}`];
      expect(rule).toBeDefined();
      const path = route.path.replace(/:(\w+)/g, () => randomUUID());
      for (const [role, token] of tokens) {
        const allowed = rule === 'public' || (role !== null && (rule ?? []).includes(role));
        const before = services.count(route.subject);
        const reply = await call(gateway.url, route.method, path, { token, ...(route.method === 'GET' ? {} : { body: {} }) });
        const refused = reply.status === 401 || reply.status === 403;
        const reached = services.count(route.subject) > before;
        if (allowed === refused || (refused && reached)) mismatches.push(`${role ?? '(no token)'} ${route.method} ${route.path}: ${reply.status}${reached ? ' (reached the service)' : ''}`);
        if (!allowed) expect(reply.status).toBe(role === null ? 401 : 403);
        checked++;
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(ROUTES.length * (ROLES.length + 1));
  }, 180_000);

  describe('personal data', () => {
    const bookingPath = (): string => `/api/v1/social-affairs/cemetery/bookings/${randomUUID()}`;

    it('is masked by default, even for staff holding the reveal permission', async () => {
      for (const permissions of [[], ['personal-data:reveal']]) {
        const token = await devToken(gateway.url, { userId: 'registrar-mask', roles: ['registrar'], permissions });
        const reply = await call(gateway.url, 'GET', bookingPath(), { token });
        expect(reply.status).toBe(200);
        expect(reply.body).toMatchObject({ residentId: maskResidentId(RESIDENT_ID), mobile: '138****5678' });
        expect(reply.text).not.toContain(RESIDENT_ID);
        // The service is not told of the permission either, so it masks at the source too.
        expect((reply.body.actor as { permissions?: unknown }).permissions).toBeUndefined();
      }
    });

    it('is revealed with a stated reason and the permission, and the reveal is audited before the reply', async () => {
      const token = await devToken(gateway.url, { userId: 'registrar-reveal', roles: ['registrar'], permissions: ['personal-data:reveal'] });
      const path = bookingPath();
      const reply = await call(gateway.url, 'GET', path, { token, headers: { 'x-reveal-reason': encodeURIComponent('核对祭扫预约人身份 (ticket 4711)') } });
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ residentId: RESIDENT_ID, mobile: MOBILE, actor: { permissions: ['personal-data:reveal'] } });
      const entry = await auditWhere('the reveal', (e) => e.kind === 'reveal' && e.path === path);
      expect(entry).toMatchObject({ actor: { userId: 'registrar-reveal', kind: 'staff', roles: ['registrar'] }, reason: '核对祭扫预约人身份 (ticket 4711)', recordId: path.split('/').pop(), status: 200 });
    });

    it('refuses a reveal without the permission (403, audited) and shows nothing', async () => {
      const token = await devToken(gateway.url, { userId: 'registrar-no-permission', roles: ['registrar'] });
      const path = bookingPath();
      const reply = await call(gateway.url, 'GET', path, { token, headers: { 'x-reveal-reason': 'curious' } });
      expect(reply.status).toBe(403);
      expect(reply.text).not.toContain(RESIDENT_ID);
      await auditWhere('the refused reveal', (e) => e.kind === 'refused' && e.path === path && e.status === 403 && e.reason === null);
    });

    it('masks resident IDs in downloaded files, leaving other long numbers', async () => {
      const reply = await call(gateway.url, 'GET', '/api/v1/place-names/exports/csv');
      expect(reply.status).toBe(200);
      expect(reply.text).toBe(`id,residentId,account\n1,${maskResidentId(RESIDENT_ID)},6222020200112233445\n`);
    });
  });

  it('never passes a client’s paging cursors to a download (the gateway pages itself)', async () => {
    const subject = ROUTES.find((route) => route.path === '/api/v1/place-names/exports/csv')?.subject ?? '';
    const reply = await call(gateway.url, 'GET', '/api/v1/place-names/exports/csv?exportId=2023-01-01T00:00:00Z&after=00000000-0000-7000-8000-000000000000&includeAbolished=true');
    expect(reply.status).toBe(200);
    expect(services.lastInput.get(subject)).toEqual({ includeAbolished: 'true' });
  });

  it('takes no body for a write whose path names everything, and the path wins over a body that repeats it', async () => {
    const route = ROUTES.find((r) => r.method === 'POST' && r.path === '/api/v1/social-affairs/cemetery/bookings/:id/cancel');
    if (!route) throw new Error('no booking cancellation route');
    const token = await devToken(gateway.url, { userId: 'registrar-cancel', roles: ['registrar'] });
    const id = randomUUID();
    const bare = await call(gateway.url, 'POST', `/api/v1/social-affairs/cemetery/bookings/${id}/cancel`, { token });
    expect(bare.status).toBe(route.successStatus);
    expect(services.lastInput.get(route.subject)).toEqual({ id });
    const repeated = await call(gateway.url, 'POST', `/api/v1/social-affairs/cemetery/bookings/${id}/cancel`, { token, body: { id: randomUUID() } });
    expect(repeated.status).toBe(route.successStatus);
    expect(services.lastInput.get(route.subject)).toEqual({ id });
  });

  it('answers an over-long path segment with problem details (414), like every other error', async () => {
    const token = await devToken(gateway.url, { userId: 'finance-long', roles: ['finance-officer'] });
    const reply = await call(gateway.url, 'PUT', `/api/v1/reports/indicators/${'x'.repeat(120)}`, { token, body: {} });
    expect(reply.status).toBe(414);
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
    expect(reply.body).toMatchObject({ status: 414, code: 'VALIDATION_FAILED', errors: [{ field: '(path)', rule: 'max-length' }] });
  });

  describe('Idempotency-Key', () => {
    const subject = 'social-affairs.cemetery-booking.book';
    const booking = { slotId: randomUUID(), graveNumber: '福区-3排-12号', visitorName: '张三', mobile: MOBILE, visitors: 2 };
    const book = (token: string, idempotencyKey: string | null, body: unknown = booking): Promise<Reply> =>
      call(gateway.url, 'POST', '/api/v1/social-affairs/cemetery/bookings', { token, body, ...(idempotencyKey !== null ? { headers: { 'idempotency-key': idempotencyKey } } : {}) });

    it('creates once when the same request is sent twice, replaying the first reply', async () => {
      const token = await devToken(gateway.url, { userId: 'citizen-idem-1', roles: ['citizen'] });
      const before = services.count(subject);
      const idempotencyKey = randomUUID();
      const first = await book(token, idempotencyKey);
      const second = await book(token, idempotencyKey);
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.body.id).toBe(first.body.id);
      expect(second.headers.get('idempotency-replayed')).toBe('true');
      expect(services.count(subject)).toBe(before + 1);
    });

    it('creates once when five copies arrive at the same time', async () => {
      const token = await devToken(gateway.url, { userId: 'citizen-idem-2', roles: ['citizen'] });
      const before = services.count(subject);
      services.delayMs = 300;
      try {
        const idempotencyKey = randomUUID();
        const replies = await Promise.all([1, 2, 3, 4, 5].map(() => book(token, idempotencyKey)));
        expect(replies.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
        expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
      } finally {
        services.delayMs = 0;
      }
      expect(services.count(subject)).toBe(before + 1);
    });

    it('refuses the same key with a different request (422), and a malformed key (400 naming it)', async () => {
      const token = await devToken(gateway.url, { userId: 'citizen-idem-3', roles: ['citizen'] });
      const idempotencyKey = randomUUID();
      expect((await book(token, idempotencyKey)).status).toBe(201);
      const changed = await book(token, idempotencyKey, { ...booking, visitors: 3 });
      expect(changed.status).toBe(422);
      expect(changed.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      const malformed = await book(token, 'has spaces in it');
      expect(malformed.status).toBe(400);
      expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    });

    it('keeps keys apart per user, and without a key every request is new', async () => {
      const before = services.count(subject);
      const idempotencyKey = randomUUID();
      expect((await book(await devToken(gateway.url, { userId: 'citizen-idem-4', roles: ['citizen'] }), idempotencyKey)).status).toBe(201);
      expect((await book(await devToken(gateway.url, { userId: 'citizen-idem-5', roles: ['citizen'] }), idempotencyKey)).status).toBe(201);
      const token = await devToken(gateway.url, { userId: 'citizen-idem-6', roles: ['citizen'] });
      await book(token, null);
      await book(token, null);
      expect(services.count(subject)).toBe(before + 4);
    });

    it('audits each write with who, what, which record, from where and the trace id', async () => {
      const token = await devToken(gateway.url, { userId: 'citizen-audit', roles: ['citizen'] });
      const reply = await book(token, null);
      const entry = await auditWhere('the write', (e) => e.kind === 'write' && e.recordId === reply.body.id);
      expect(entry).toMatchObject({
        actor: { userId: 'citizen-audit', kind: 'citizen', roles: ['citizen'] },
        method: 'POST',
        route: '/api/v1/social-affairs/cemetery/bookings',
        subject,
        status: 201,
        clientIp: '127.0.0.1',
      });
      expect(entry.traceId).toBe(reply.headers.get('x-trace-id'));
    });
  });

  describe('abuse limits', () => {
    let limited: Gateway;
    beforeAll(async () => {
      limited = await startGateway({ RATE_LIMIT_CITIZEN_PER_MINUTE: '3', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '5', BODY_LIMIT_BYTES: '2048' });
    }, 60_000);

    it('answers 429 with Retry-After once a citizen passes their limit, other citizens unaffected', async () => {
      const token = await devToken(limited.url, { userId: 'citizen-busy', roles: ['citizen'] });
      const path = `/api/v1/social-affairs/cemetery/bookings/${randomUUID()}`;
      for (let i = 0; i < 3; i++) expect((await call(limited.url, 'GET', path, { token })).status).toBe(200);
      const refused = await call(limited.url, 'GET', path, { token });
      expect(refused.status).toBe(429);
      expect(refused.body.code).toBe('RATE_LIMITED');
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      const other = await devToken(limited.url, { userId: 'citizen-calm', roles: ['citizen'] });
      expect((await call(limited.url, 'GET', path, { token: other })).status).toBe(200);
      await auditWhere('the 429', (e) => e.kind === 'refused' && e.status === 429 && e.actor?.userId === 'citizen-busy');
    });

    it('limits callers without a token per client address', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await call(limited.url, 'GET', '/api/v1/divisions/tree')).status);
      // The dev-token requests above came from this address too, so the limit may be reached earlier.
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
      expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    });

    it('refuses a body over the limit with 413 and writes nothing', async () => {
      const token = await devToken(gateway.url, { userId: 'citizen-big', roles: ['citizen'] });
      const before = services.count('social-affairs.cemetery-booking.book');
      const reply = await call(limited.url, 'POST', '/api/v1/social-affairs/cemetery/bookings', { token, body: { visitorName: 'x'.repeat(4000) } });
      expect(reply.status).toBe(413);
      expect(services.count('social-affairs.cemetery-booking.book')).toBe(before);
    });

    it('sends security headers, and CORS only to the configured portal origin', async () => {
      const reply = await call(gateway.url, 'GET', '/api/v1/divisions/tree');
      expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
      expect(reply.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(reply.headers.get('strict-transport-security')).toContain('max-age=');
      expect(reply.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      const preflight = (origin: string): Promise<Response> =>
        fetch(`${gateway.url}/api/v1/social-affairs/cemetery/bookings`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key' } });
      const allowed = await preflight('https://portal.example.org');
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://portal.example.org');
      expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('idempotency-key');
      expect((await preflight('https://evil.example.org')).headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  it('lets the route table and the committed matrix agree on every route', () => {
    const routesByKey = new Map<string, GatewayRoute>(ROUTES.map((route) => [`${route.method} ${route.path}`, route]));
    expect([...routesByKey.keys()].sort()).toEqual(Object.keys(matrix).sort());
  });
});
