import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cityFeedPageSchema, exportCityFeedSchema, fieldErrorsOf, type Actor, type CityFeedBatch, type CityFeedItem } from '@civil/contracts';
import { domainErrorOf } from '@civil/testing';
import { cityFeedSettings, elderlyCareConfigSchema, type CityFeedSettings } from '../config';
import {
  CITY_FEED_CSV_COLUMNS,
  backoffDelay,
  cityFeedCsvHeader,
  cityFeedCsvRecord,
  compareCursors,
  formatCursor,
  maskResidentIdForCity,
  parseCursor,
  requireFeedOperator,
  requireFeedReader,
} from './city-feed.domain';
import { deliverWithRetries, postBatch } from './city-feed.webhook';

const item = (over: Partial<CityFeedItem> = {}): CityFeedItem => ({
  cursor: '750-3',
  eventId: '0190a1b2-0000-7000-8000-000000000001',
  eventType: 'civil.elderly-care.institution.registered.v1',
  occurredAt: '2024-06-30T02:00:00.000Z',
  divisionCode: '430503010000',
  record: {
    kind: 'institution',
    institutionId: '0190a1b2-0000-7000-8000-0000000000aa',
    name: '福寿院, "东区"',
    ownership: 'public',
    divisionCode: '430503010000',
    status: 'open',
    openedOn: '2020-01-01',
    closedOn: null,
    bedsEffectiveFrom: '2020-01-01',
    beds: { 'self-care': 10, 'semi-dependent': 5, dependent: 2 },
    totalBeds: 17,
  },
  ...over,
});

describe('city feed cursors', () => {
  it('round-trips and orders by transaction id, then sequence', () => {
    expect(formatCursor(parseCursor('18446744073709551615-9') ?? { txid: '', seq: '' })).toBe('18446744073709551615-9');
    expect(parseCursor(undefined)).toBeNull();
    expect(parseCursor('007-010')).toEqual({ txid: '7', seq: '10' });
    expect(compareCursors('9-100', '10-1')).toBe(-1);
    expect(compareCursors('10-2', '10-1')).toBe(1);
    expect(compareCursors('10-2', '10-2')).toBe(0);
  });

  it.each(['', 'abc', '1', '1-', '-1', '1-2-3', '1.2', ' 1-2', '123456789012345678901-1'])('the schema refuses %j, naming the cursor', (cursor) => {
    const result = cityFeedPageSchema.safeParse({ cursor });
    expect(result.success).toBe(false);
    if (!result.success) expect(fieldErrorsOf(result.error).map((f) => f.field)).toEqual(['cursor']);
  });

  it('refuses a cursor beyond the range of xid8 / bigint', async () => {
    const error = await domainErrorOf(Promise.resolve().then(() => parseCursor('99999999999999999999-1')), 'VALIDATION_FAILED');
    expect(error.fields?.[0]?.field).toBe('cursor');
  });

  it.each([0, -1, 1001, 2.5, 'x'])('the schema refuses the limit %j, naming it', (limit) => {
    const result = cityFeedPageSchema.safeParse({ limit });
    expect(result.success).toBe(false);
    if (!result.success) expect(fieldErrorsOf(result.error).map((f) => f.field)).toEqual(['limit']);
  });

  it('takes the limit from a query string, 100 by default', () => {
    expect(cityFeedPageSchema.parse({ limit: '25' })).toEqual({ limit: 25 });
    expect(cityFeedPageSchema.parse({})).toEqual({ limit: 100 });
  });

  it('a later CSV page names its export', () => {
    const result = exportCityFeedSchema.safeParse({ after: '5-5' });
    expect(result.success).toBe(false);
    if (!result.success) expect(fieldErrorsOf(result.error).map((f) => f.field)).toEqual(['exportId']);
  });
});

describe('what the city receives', () => {
  it('masks resident IDs: region and last four only', () => {
    expect(maskResidentIdForCity('43050319400115001X')).toBe('430503********001X');
    expect(maskResidentIdForCity('12345')).toBe('******************');
  });

  it('CSV: a header, then one RFC 4180 record per item with the JSON content', () => {
    expect(cityFeedCsvHeader()).toBe(`${CITY_FEED_CSV_COLUMNS.join(',')}\r\n`);
    const line = cityFeedCsvRecord(item());
    expect(line.endsWith('\r\n')).toBe(true);
    expect(line).toContain('"福寿院, ""东区"""');
    expect(line.startsWith('750-3,0190a1b2-0000-7000-8000-000000000001,civil.elderly-care.institution.registered.v1,2024-06-30T02:00:00.000Z,430503010000,institution,,')).toBe(true);
  });

  it('roles: officers and admins; the system caller; nobody else', async () => {
    const staff = (roles: Actor['roles']): Actor => ({ userId: 'u', kind: 'staff', roles, divisions: ['430503'] });
    expect(() => requireFeedReader(staff(['elderly-care-officer']))).not.toThrow();
    expect(() => requireFeedReader(staff(['admin']))).not.toThrow();
    expect(() => requireFeedReader({ userId: 'system', kind: 'system', roles: ['admin'], divisions: [] })).not.toThrow();
    await domainErrorOf(Promise.resolve().then(() => requireFeedReader(staff(['clerk']))), 'FORBIDDEN');
    await domainErrorOf(Promise.resolve().then(() => requireFeedOperator(staff(['auditor']))), 'FORBIDDEN');
    await domainErrorOf(Promise.resolve().then(() => requireFeedReader({ userId: 'c', kind: 'citizen', roles: ['admin'], divisions: [] })), 'FORBIDDEN');
  });
});

describe('city feed configuration', () => {
  const base = { PORT: '3000', NATS_URL: 'nats://127.0.0.1:4222', DATABASE_URL: 'postgres://u@127.0.0.1/db' };

  it('is off without a URL, with defaults for the rest', () => {
    const settings = cityFeedSettings(elderlyCareConfigSchema.parse(base));
    expect(settings).toEqual({ url: undefined, token: undefined, batchSize: 200, intervalMs: 60_000, maxAttempts: 5, backoffMs: 1000, maxBackoffMs: 60_000, timeoutMs: 10_000 });
  });

  it('reads every variable; refuses a non-http URL and bad numbers', () => {
    const config = elderlyCareConfigSchema.parse({ ...base, CITY_FEED_URL: 'https://city.example/feed', CITY_FEED_TOKEN: 't', CITY_FEED_BATCH_SIZE: '50', CITY_FEED_MAX_ATTEMPTS: '3' });
    expect(cityFeedSettings(config)).toMatchObject({ url: 'https://city.example/feed', token: 't', batchSize: 50, maxAttempts: 3 });
    expect(elderlyCareConfigSchema.safeParse({ ...base, CITY_FEED_URL: 'ftp://city.example/' }).success).toBe(false);
    expect(elderlyCareConfigSchema.safeParse({ ...base, CITY_FEED_BATCH_SIZE: '0' }).success).toBe(false);
    expect(elderlyCareConfigSchema.safeParse({ ...base, CITY_FEED_MAX_ATTEMPTS: 'many' }).success).toBe(false);
  });

  it('backs off exponentially, capped', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, 100, 500))).toEqual([0, 100, 200, 400, 500, 500]);
  });
});

describe('the webhook client (a local HTTP server)', () => {
  let server: Server;
  let url: string;
  const received: { at: number; headers: IncomingMessage['headers']; body: CityFeedBatch }[] = [];
  let answer: (n: number) => number | 'hang' = () => 200;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        received.push({ at: Date.now(), headers: req.headers, body: JSON.parse(body) as CityFeedBatch });
        const status = answer(received.length);
        if (status === 'hang') return;
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 300 ? 'nope' : 'ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    received.length = 0;
  });

  const settings = (over: Partial<CityFeedSettings> = {}): CityFeedSettings => ({ url, token: undefined, batchSize: 10, intervalMs: 1000, maxAttempts: 4, backoffMs: 25, maxBackoffMs: 1000, timeoutMs: 2000, ...over });
  const batch: CityFeedBatch = { batchId: '0-0..750-3', from: null, to: '750-3', items: [item()] };

  it('POSTs the batch as JSON with the bearer token and the batch id as idempotency key', async () => {
    answer = () => 204;
    await postBatch(settings({ token: 'secret' }), batch);
    expect(received).toHaveLength(1);
    expect(received[0]?.body).toEqual(batch);
    expect(received[0]?.headers.authorization).toBe('Bearer secret');
    expect(received[0]?.headers['idempotency-key']).toBe('0-0..750-3');
    expect(received[0]?.headers['content-type']).toMatch(/^application\/json/);
  });

  it('retries with exponential backoff until it succeeds', async () => {
    answer = (n) => (n < 3 ? 503 : 200);
    const outcome = await deliverWithRetries(settings(), batch, new AbortController().signal);
    expect(outcome).toEqual({ status: 'delivered', attempts: 3 });
    const gaps = received.slice(1).map((r, i) => r.at - (received[i]?.at ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(20);
    expect(gaps[1]).toBeGreaterThanOrEqual(45);
  });

  it('gives up after the last attempt with the last error', async () => {
    answer = () => 500;
    const outcome = await deliverWithRetries(settings({ maxAttempts: 3 }), batch, new AbortController().signal);
    expect(outcome).toEqual({ status: 'failed', attempts: 3, lastError: 'HTTP 500: nope' });
    expect(received).toHaveLength(3);
  });

  it('a hanging endpoint times out', async () => {
    answer = () => 'hang';
    const outcome = await deliverWithRetries(settings({ maxAttempts: 1, timeoutMs: 100 }), batch, new AbortController().signal);
    expect(outcome.status).toBe('failed');
    if (outcome.status === 'failed') expect(outcome.lastError).toMatch(/timeout|aborted/i);
  });

  it('stops waiting between attempts when told to (shutdown), without a verdict', async () => {
    answer = () => 500;
    const stop = new AbortController();
    const pending = deliverWithRetries(settings({ backoffMs: 5000 }), batch, stop.signal);
    await new Promise((resolve) => setTimeout(resolve, 100));
    stop.abort();
    expect(await pending).toEqual({ status: 'stopped', attempts: 1 });
  });
});
