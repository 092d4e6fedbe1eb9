import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { DataSource, type QueryRunner } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { buildResidentId } from '@civil/domain-kernel';
import { HomeAdaptationEvents, type Actor, type CityFeedBatch, type CityFeedItem, type HomeAdaptationCompletedV1 } from '@civil/contracts';
import { Outbox, PersonalDataCipher } from '@civil/platform';
import { createTestDatabase, domainErrorOf } from '@civil/testing';
import type { CityFeedSettings } from '../config';
import { InstitutionsService } from '../institutions/institutions.service';
import { serviceDataSource } from '../data-source';
import { CITY_FEED_CSV_COLUMNS, cityFeedCsvValues, compareCursors } from './city-feed.domain';
import { CityFeedSender } from './city-feed.sender';
import { CityFeedService } from './city-feed.service';
import { CITY_FEED_SOURCES } from './city-feed.sources';

/** RFC 4180 as written by the feed (CRLF records, quoted fields). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quoted) {
      if (c === '"' && text.charAt(i + 1) === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text.charAt(i + 1) === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += c;
    }
  }
  return rows;
}

/**
 * The city feed against real PostgreSQL: changes made through the institutions service (and a
 * home adaptation completed through the outbox) reach the feed in their own transactions; the
 * cursor is gap-free under overlapping transactions; the sender pushes to a local HTTP server.
 */
describe('city feed (PostgreSQL)', () => {
  const cipher = PersonalDataCipher.fromEnvironment(process.env);
  let dataSource: DataSource;
  let outbox: Outbox;
  let institutions: InstitutionsService;
  let feed: CityFeedService;
  const TODAY = '2024-06-30';
  const YUXI = '430503010000';
  const officer: Actor = { userId: 'ec-officer', kind: 'staff', roles: ['elderly-care-officer'], divisions: ['430503000000'] };
  const townshipOfficer: Actor = { userId: 'ec-township', kind: 'staff', roles: ['elderly-care-officer'], divisions: ['430503101000'] };
  const clerk: Actor = { userId: 'clerk', kind: 'staff', roles: ['clerk'], divisions: ['430503000000'] };
  const system: Actor = { userId: 'system', kind: 'system', roles: ['admin'], divisions: [] };
  const logger = pino({ level: 'silent' });

  let residents = 0;
  const residentIds: string[] = [];
  const residentId = (): string => {
    const id = buildResidentId('430503', `194${residents % 10}-0${1 + (residents % 9)}-15`, ++residents).value;
    residentIds.push(id);
    return id;
  };
  let names = 0;

  async function registerHome(): Promise<string> {
    const view = await institutions.register(
      { name: `敬老院${++names}`, ownership: 'public', divisionCode: YUXI, address: '雨溪街道福寿路1号', openedOn: '2020-01-01', beds: { 'self-care': 10, 'semi-dependent': 5, dependent: 2 } },
      officer,
      TODAY,
    );
    return view.id;
  }

  /** A completed home adaptation (the case row as the service leaves it, and its event). */
  async function completeHomeAdaptation(): Promise<string> {
    const id = uuidv7();
    const resident = residentId();
    await outbox.transaction(async (tx) => {
      await tx.manager.query(
        `INSERT INTO home_adaptation_case (id, resident_id_hash, resident_id_enc, name, division_code, township_code, address, household_key, year, status, household_bases, person_bases, findings,
                                           applied_on, subsidy_fen, inspected_on, paid_on, created_by)
         VALUES ($1, $2, $3, '王奶奶', '430503101201', '430503101000', '某村', 'resident/' || $2, 2024, 'completed', '{}', '{}', '[]', '2024-03-01', 350000, '2024-05-20', '2024-06-01', 'test')`,
        [id, cipher.lookupHash(resident), cipher.encrypt(resident)],
      );
      const data: HomeAdaptationCompletedV1 = { caseId: id, subsidyFen: 350000, completedOn: '2024-06-01', townshipCode: '430503101000' };
      await tx.emit(officer, [{ type: HomeAdaptationEvents.completed, subject: `home-adaptation/${id}`, divisionCode: '430503101201', data }]);
    });
    return id;
  }

  /** Reads the whole feed after `cursor`, `limit` at a time, as a consumer would. */
  async function drain(cursor: string | undefined, limit: number, actor: Actor = officer): Promise<{ items: CityFeedItem[]; cursor: string | undefined }> {
    const items: CityFeedItem[] = [];
    for (;;) {
      const page = await feed.page({ ...(cursor ? { cursor } : {}), limit }, actor);
      items.push(...page.items);
      cursor = page.nextCursor ?? undefined;
      if (!page.more) return { items, cursor };
    }
  }

  /** A transaction on its own connection, left open until the test commits it. */
  async function openTransaction(): Promise<QueryRunner> {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    return runner;
  }
  async function emitIn(runner: QueryRunner): Promise<string> {
    const id = uuidv7();
    const data: HomeAdaptationCompletedV1 = { caseId: id, subsidyFen: 300000, completedOn: '2024-06-02', townshipCode: '430503101000' };
    const resident = residentId();
    await runner.query(
      `INSERT INTO home_adaptation_case (id, resident_id_hash, resident_id_enc, name, division_code, township_code, address, household_key, year, status, household_bases, person_bases, findings,
                                         applied_on, subsidy_fen, inspected_on, paid_on, created_by)
       VALUES ($1, $2, $3, '李爷爷', '430503101201', '430503101000', '某村', 'resident/' || $2, 2024, 'completed', '{}', '{}', '[]', '2024-03-01', 300000, '2024-05-20', '2024-06-02', 'test')`,
      [id, cipher.lookupHash(resident), cipher.encrypt(resident)],
    );
    await outbox.emitWithin(runner.manager, officer, [{ type: HomeAdaptationEvents.completed, subject: `home-adaptation/${id}`, divisionCode: '430503101201', data }]);
    return id;
  }
  const serviceIds = (items: CityFeedItem[]): string[] => items.map((i) => (i.record.kind === 'service-delivered' ? i.record.serviceId : `other:${i.eventId}`));

  beforeAll(async () => {
    dataSource = new DataSource(serviceDataSource(await createTestDatabase('city_feed'), 30));
    await dataSource.initialize();
    await dataSource.runMigrations();
    outbox = new Outbox('elderly-care', dataSource);
    institutions = new InstitutionsService(outbox, dataSource, cipher);
    feed = new CityFeedService(dataSource, { url: undefined, token: undefined, batchSize: 10, intervalMs: 1000, maxAttempts: 3, backoffMs: 10, maxBackoffMs: 100, timeoutMs: 1000 }, cipher);
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('lists exactly the event types its sources project', async () => {
    const rows = await dataSource.query<{ type: string }[]>(`SELECT type FROM city_feed_event_type ORDER BY type`);
    expect(rows.map((r) => r.type)).toEqual(CITY_FEED_SOURCES.flatMap((s) => s.eventTypes).sort());
  });

  it('carries institutions, residents served (masked) and services delivered, and nothing else', async () => {
    const start = (await drain(undefined, 1000)).cursor;
    const home = await registerHome();
    const stay = await institutions.admit({ institutionId: home, residentId: residentId(), residentName: '李奶奶', admittedOn: '2024-01-10', bedType: 'semi-dependent', funding: 'tekun-centralized' }, officer, TODAY);
    await institutions.changeBeds({ id: home, effectiveFrom: '2024-03-01', beds: { 'self-care': 12, 'semi-dependent': 5, dependent: 2 }, reason: '扩建' }, officer);
    await institutions.recordInspection({ institutionId: home, kind: 'fire', inspectedOn: '2024-05-01', inspector: '消防大队', findings: [] }, officer, TODAY);
    await institutions.discharge({ institutionId: home, admissionId: stay.id, dischargedOn: '2024-04-01', reason: 'home' }, officer, TODAY);
    await institutions.close({ id: home, closedOn: '2024-06-01', reason: '合并' }, officer, TODAY);
    const adaptation = await completeHomeAdaptation();

    const { items } = await drain(start, 1000);
    expect(items.map((i) => i.eventType.replace('civil.elderly-care.', ''))).toEqual([
      'institution.registered.v1',
      'institution-resident.admitted.v1',
      'institution.beds-changed.v1',
      'institution-resident.discharged.v1',
      'institution.closed.v1',
      'home-adaptation.completed.v1',
    ]);
    const name = `敬老院${names}`;
    expect(items[0]?.record).toEqual({
      kind: 'institution', institutionId: home, name, ownership: 'public', divisionCode: YUXI, status: 'open', openedOn: '2020-01-01', closedOn: null,
      bedsEffectiveFrom: '2020-01-01', beds: { 'self-care': 10, 'semi-dependent': 5, dependent: 2 }, totalBeds: 17,
    });
    expect(items[2]?.record).toMatchObject({ kind: 'institution', bedsEffectiveFrom: '2024-03-01', totalBeds: 19, status: 'open' });
    expect(items[4]?.record).toMatchObject({ kind: 'institution', status: 'closed', closedOn: '2024-06-01', bedsEffectiveFrom: '2024-03-01', totalBeds: 19 });
    const admitted = residentIds.at(-2) ?? '';
    expect(items[1]?.record).toEqual({
      kind: 'resident-stay', event: 'admitted', admissionId: stay.id, institutionId: home, residentIdMasked: `${admitted.slice(0, 6)}********${admitted.slice(14)}`,
      bedType: 'semi-dependent', funding: 'tekun-centralized', admittedOn: '2024-01-10', dischargedOn: null, dischargeReason: null,
    });
    expect(items[3]?.record).toMatchObject({ kind: 'resident-stay', event: 'discharged', admissionId: stay.id, funding: 'tekun-centralized', dischargedOn: '2024-04-01', dischargeReason: 'home' });
    expect(items[5]?.record).toMatchObject({ kind: 'service-delivered', service: 'home-adaptation', serviceId: adaptation, deliveredOn: '2024-06-01', amountFen: 350000, divisionCode: '430503101201' });
    expect(items[5]?.divisionCode).toBe('430503101201');
    // The city never receives a full resident ID, nor a name.
    const wire = JSON.stringify(items);
    for (const id of residentIds) expect(wire).not.toContain(id);
    expect(wire).not.toContain('李奶奶');
    expect(wire).not.toContain('王奶奶');
  });

  it('resumes from its cursor without gaps or repeats, whatever the page size', async () => {
    for (let i = 0; i < 3; i++) await registerHome();
    await completeHomeAdaptation();
    const all = await drain(undefined, 1000);
    expect(all.items.length).toBeGreaterThanOrEqual(10);
    for (const limit of [1, 2, 3, 7]) {
      const paged = await drain(undefined, limit);
      expect(paged.items.map((i) => i.cursor)).toEqual(all.items.map((i) => i.cursor));
      expect(paged.cursor).toBe(all.cursor);
    }
    // Strictly increasing cursors: no repeats.
    for (let i = 1; i < all.items.length; i++) expect(compareCursors(all.items[i - 1]?.cursor ?? '', all.items[i]?.cursor ?? '')).toBe(-1);
    // Nothing new: the same cursor comes back, with no items.
    expect(await feed.page({ cursor: all.cursor, limit: 10 }, officer)).toEqual({ items: [], nextCursor: all.cursor, more: false });
    // Resuming from the middle gives exactly the rest.
    const middle = all.items[4]?.cursor ?? '';
    expect((await drain(middle, 3)).items.map((i) => i.cursor)).toEqual(all.items.slice(5).map((i) => i.cursor));
  });

  it('two overlapping transactions committing out of order: nothing skipped, nothing repeated', async () => {
    const before = (await drain(undefined, 1000)).cursor;
    // A takes its entry first (the lower sequence), B after it; B commits first.
    const a = await openTransaction();
    const b = await openTransaction();
    try {
      const fromA = await emitIn(a);
      const fromB = await emitIn(b);
      await b.commitTransaction();
      // A consumer reading by sequence alone would now see B's entry and move past A's.
      const [naive] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM city_feed_entry e WHERE (e.data->>'caseId') = $1`, [fromB]);
      expect(naive?.n).toBe(1);
      // The feed holds B back while A (an older transaction) is still running.
      const whileOpen = await drain(before, 10);
      expect(serviceIds(whileOpen.items)).toEqual([]);
      expect(whileOpen.cursor).toBe(before);
      await a.commitTransaction();
      const after = await drain(whileOpen.cursor, 10);
      expect(serviceIds(after.items)).toEqual([fromA, fromB]);
      expect((await drain(after.cursor, 10)).items).toEqual([]);
    } finally {
      await a.release();
      await b.release();
    }

    // Now the other way round: A has its transaction id first but writes its entry last (a higher
    // sequence than B's, which commits first): the feed orders by transaction, A before B.
    const c = await openTransaction();
    const d = await openTransaction();
    try {
      await c.query(`SELECT pg_current_xact_id()`);
      const start = (await drain(undefined, 1000)).cursor;
      const fromD = await emitIn(d);
      await d.commitTransaction();
      expect((await drain(start, 10)).items).toEqual([]);
      const fromC = await emitIn(c);
      await c.commitTransaction();
      expect(serviceIds((await drain(start, 10)).items)).toEqual([fromC, fromD]);
    } finally {
      await c.release();
      await d.release();
    }

    // A rolled-back transaction leaves nothing behind and holds nothing back once it is gone.
    const e = await openTransaction();
    const start = (await drain(undefined, 1000)).cursor;
    await emitIn(e);
    await e.rollbackTransaction();
    await e.release();
    const fromF = await completeHomeAdaptation();
    expect(serviceIds((await drain(start, 10)).items)).toEqual([fromF]);
  });

  it('under many concurrent writers, a polling reader receives every entry exactly once', async () => {
    const start = (await drain(undefined, 1000)).cursor;
    const received: CityFeedItem[] = [];
    let cursor = start;
    let writing = true;
    const reader = (async () => {
      while (writing) {
        const page = await drain(cursor, 3);
        received.push(...page.items);
        cursor = page.cursor;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    const written = await Promise.all(
      Array.from({ length: 24 }, async (_, n) => {
        const runner = await openTransaction();
        try {
          const id = await emitIn(runner);
          await runner.query(`SELECT pg_sleep($1)`, [((n * 7) % 5) * 0.01]);
          await runner.commitTransaction();
          return id;
        } finally {
          await runner.release();
        }
      }),
    );
    writing = false;
    await reader;
    received.push(...(await drain(cursor, 5)).items);
    const ids = serviceIds(received);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...written].sort());
  });

  it('the CSV download has the same content as the JSON feed, page after page, up to where it began', async () => {
    const start = (await drain(undefined, 1000)).cursor;
    await registerHome();
    const home = await registerHome();
    await institutions.admit({ institutionId: home, residentId: residentId(), residentName: '张爷爷', admittedOn: '2024-02-01', bedType: 'dependent', funding: 'other' }, officer, TODAY);
    await completeHomeAdaptation();
    await completeHomeAdaptation();
    const json = (await drain(start, 1000)).items;
    expect(json).toHaveLength(5);

    // As the gateway streams it: the first page fixes the export, later pages pass exportId and after.
    let page = await feed.exportPage({ cursor: start }, officer, 2);
    let text = page.csv;
    // Written after the download began: not in this file.
    await registerHome();
    while (page.next !== null) {
      page = await feed.exportPage({ cursor: start, exportId: page.exportId, after: page.next }, officer, 2);
      text += page.csv;
    }
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...CITY_FEED_CSV_COLUMNS]);
    expect(rows).toHaveLength(json.length);
    rows.forEach((row, n) => {
      const item = json[n];
      if (!item) throw new Error('missing item');
      const values = Object.fromEntries(CITY_FEED_CSV_COLUMNS.map((c, i) => [c, row[i]]));
      expect(values).toEqual(cityFeedCsvValues(item));
      expect(values.cursor).toBe(item.cursor);
      expect(values.kind).toBe(item.record.kind);
      if (item.record.kind === 'institution') expect([values.name, values.total_beds]).toEqual([item.record.name, String(item.record.totalBeds)]);
      if (item.record.kind !== 'institution') expect(values.resident_id_masked).toBe(item.record.residentIdMasked);
    });
    // The whole feed from the beginning, one page: the same lines as JSON too.
    const whole = await feed.exportPage({}, system, 100_000);
    expect(parseCsv(whole.csv).slice(1).map((r) => r[0])).toEqual((await drain(undefined, 1000)).items.map((i) => i.cursor));
  });

  it('refuses a bad cursor or limit naming the field, and readers without the role; a township officer sees only the township', async () => {
    for (const [input, field] of [
      [{ cursor: 'latest' }, 'cursor'],
      [{ cursor: '1-2-3' }, 'cursor'],
      [{ cursor: '99999999999999999999-1' }, 'cursor'],
      [{ limit: 0 }, 'limit'],
      [{ limit: '5000' }, 'limit'],
      [{ limit: 'ten' }, 'limit'],
    ] as const) {
      const error = await domainErrorOf(feed.page(input, officer), 'VALIDATION_FAILED');
      expect(error.fields?.map((f) => f.field)).toEqual([field]);
    }
    // An unknown parameter is refused too (strict), the message naming it.
    const unknown = await domainErrorOf(feed.page({ since: '1-1' }, officer), 'VALIDATION_FAILED');
    expect(unknown.fields?.[0]?.message).toContain('since');
    const exportError = await domainErrorOf(feed.exportPage({ after: '1-1' }, officer), 'VALIDATION_FAILED');
    expect(exportError.fields?.map((f) => f.field)).toEqual(['exportId']);
    await domainErrorOf(feed.page({}, clerk), 'FORBIDDEN');
    await domainErrorOf(feed.exportPage({}, clerk), 'FORBIDDEN');
    const township = (await drain(undefined, 1000, townshipOfficer)).items;
    expect(township.length).toBeGreaterThan(0);
    expect(township.every((i) => i.divisionCode.startsWith('430503101'))).toBe(true);
    expect(township.every((i) => i.record.kind === 'service-delivered')).toBe(true);
  });

  it('the feed is append-only', async () => {
    await expect(dataSource.query(`UPDATE city_feed_entry SET division_code = 'x'`)).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`DELETE FROM city_feed_entry`)).rejects.toThrow(/append-only/);
  });

  describe('the webhook sender (a local HTTP server)', () => {
    let server: Server;
    let url: string;
    const received: { at: number; headers: IncomingMessage['headers']; body: CityFeedBatch }[] = [];
    let answer: () => number = () => 200;
    const settings = (over: Partial<CityFeedSettings> = {}): CityFeedSettings => ({
      url,
      token: 'city-token',
      batchSize: 4,
      intervalMs: 60_000,
      maxAttempts: 3,
      backoffMs: 30,
      maxBackoffMs: 1000,
      timeoutMs: 2000,
      ...over,
    });
    const senderWith = (over: Partial<CityFeedSettings> = {}): { sender: CityFeedSender; service: CityFeedService } => {
      const service = new CityFeedService(dataSource, settings(over), cipher);
      return { sender: new CityFeedSender(service, dataSource, settings(over), logger), service };
    };
    const storedCursor = async (): Promise<string | null> => ((await dataSource.query<{ cursor: string | null }[]>(`SELECT cursor FROM city_feed_delivery`))[0]?.cursor ?? null);
    const deliveredCursors = (): string[] => received.flatMap((r) => r.body.items.map((i) => i.cursor));

    beforeAll(async () => {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        req.on('end', () => {
          received.push({ at: Date.now(), headers: req.headers, body: JSON.parse(body) as CityFeedBatch });
          const status = answer();
          res.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 300 ? 'city platform down' : 'ok');
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/city/elderly-feed`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });
    beforeEach(() => {
      received.length = 0;
      answer = () => 200;
    });

    it('is off without a URL', async () => {
      const { sender } = senderWith({ url: undefined });
      sender.onApplicationBootstrap();
      expect(await sender.tick()).toEqual({ delivered: 0, deadLettered: 0, skipped: true });
      await sender.onApplicationShutdown();
      expect(received).toHaveLength(0);
    });

    it('success advances its cursor: the whole feed arrives once, in order, in batches', async () => {
      const everything = (await drain(undefined, 1000, system)).items;
      const { sender } = senderWith();
      const run = await sender.tick();
      expect(run.deadLettered).toBe(0);
      expect(run.delivered).toBe(Math.ceil(everything.length / 4));
      expect(deliveredCursors()).toEqual(everything.map((i) => i.cursor));
      expect(received.every((r) => r.body.items.length <= 4)).toBe(true);
      expect(received[0]?.headers.authorization).toBe('Bearer city-token');
      expect(received[0]?.body.from).toBeNull();
      expect(received[1]?.body.from).toBe(received[0]?.body.to);
      expect(await storedCursor()).toBe(everything.at(-1)?.cursor);

      // Again: nothing new, nothing sent; then only what is new.
      received.length = 0;
      expect(await sender.tick()).toEqual({ delivered: 0, deadLettered: 0, skipped: false });
      expect(received).toHaveLength(0);
      const fresh = await completeHomeAdaptation();
      expect((await sender.tick()).delivered).toBe(1);
      expect(received.flatMap((r) => r.body.items.map((i) => (i.record.kind === 'service-delivered' ? i.record.serviceId : '')))).toEqual([fresh]);
    });

    it('two replicas at once: one holds the lease, nothing is sent twice', async () => {
      for (let i = 0; i < 5; i++) await completeHomeAdaptation();
      const one = senderWith().sender;
      const two = senderWith().sender;
      const runs = await Promise.all([one.tick(), two.tick()]);
      expect(runs.reduce((n, r) => n + r.delivered, 0)).toBe(2);
      const cursors = deliveredCursors();
      expect(new Set(cursors).size).toBe(5);
      expect(cursors).toHaveLength(5);
    });

    it('failures retry with backoff, then a dead letter; nothing is lost: the retry route delivers it', async () => {
      const before = await storedCursor();
      const made = [await completeHomeAdaptation(), await completeHomeAdaptation()];
      answer = () => 503;
      const { sender, service } = senderWith();
      expect(await sender.tick()).toEqual({ delivered: 0, deadLettered: 1, skipped: false });
      expect(received).toHaveLength(3);
      const gaps = received.slice(1).map((r, i) => r.at - (received[i]?.at ?? 0));
      expect(gaps[0]).toBeGreaterThanOrEqual(25);
      expect(gaps[1]).toBeGreaterThanOrEqual(55);
      const batch = received[0]?.body;
      expect(received.every((r) => r.body.batchId === batch?.batchId)).toBe(true);

      // The decision: the cursor moves past the dead-lettered range, which is recorded exactly.
      expect(await storedCursor()).toBe(batch?.to);
      const { items } = await service.listDeadLetters({}, officer);
      expect(items).toHaveLength(1);
      const letter = items[0];
      expect(letter).toMatchObject({ fromCursor: before, toCursor: batch?.to, entries: 2, attempts: 3, resentAt: null });
      expect(letter?.lastError).toBe('HTTP 503: city platform down');

      // Still down: the retry counts the attempt and says so.
      received.length = 0;
      await domainErrorOf(service.retryDeadLetter({ id: letter?.id }, officer), 'SERVICE_UNAVAILABLE');
      expect((await service.listDeadLetters({}, officer)).items[0]?.attempts).toBe(4);

      // Back up: the same range, the same batch id, the same items.
      answer = () => 200;
      received.length = 0;
      const resent = await service.retryDeadLetter({ id: letter?.id }, officer);
      expect(resent).toMatchObject({ id: letter?.id, attempts: 5, resentBy: officer.userId });
      expect(resent.resentAt).not.toBeNull();
      expect(received).toHaveLength(1);
      expect(received[0]?.body).toEqual(batch);
      expect(received[0]?.body.items.map((i) => (i.record.kind === 'service-delivered' ? i.record.serviceId : ''))).toEqual(made);
      expect((await service.listDeadLetters({}, officer)).items).toEqual([]);
      expect((await service.listDeadLetters({ status: 'resent' }, officer)).items).toHaveLength(1);
      await domainErrorOf(service.retryDeadLetter({ id: letter?.id }, officer), 'CONFLICT');
      await domainErrorOf(service.retryDeadLetter({ id: uuidv7() }, officer), 'NOT_FOUND');
      const badId = await domainErrorOf(service.retryDeadLetter({ id: 'seven' }, officer), 'VALIDATION_FAILED');
      expect(badId.fields?.map((f) => f.field)).toEqual(['id']);
      await domainErrorOf(service.retryDeadLetter({ id: letter?.id }, clerk), 'FORBIDDEN');
      await domainErrorOf(new CityFeedService(dataSource, settings({ url: undefined }), cipher).retryDeadLetter({ id: letter?.id }, officer), 'CONFLICT');

      // And the sender carries on after the dead letter.
      received.length = 0;
      await completeHomeAdaptation();
      expect((await sender.tick()).delivered).toBe(1);
    });

    it('shutting down during retries records nothing and keeps the cursor: the next run resends', async () => {
      await completeHomeAdaptation();
      const before = await storedCursor();
      answer = () => 500;
      const { sender } = senderWith({ backoffMs: 10_000 });
      const run = sender.tick();
      await new Promise((resolve) => setTimeout(resolve, 150));
      await sender.onApplicationShutdown();
      expect(await run).toEqual({ delivered: 0, deadLettered: 0, skipped: false });
      expect(await storedCursor()).toBe(before);
      const [{ n } = { n: -1 }] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM city_feed_dead_letter WHERE resent_at IS NULL`);
      expect(n).toBe(0);
      answer = () => 200;
      received.length = 0;
      expect((await senderWith().sender.tick()).delivered).toBe(1);
    });
  });
});
