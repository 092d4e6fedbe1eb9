import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import {
  AUDIT_CSV_COLUMNS,
  AUDIT_STREAM,
  auditSubject,
  exportAuditEntriesSchema,
  listAuditEntriesSchema,
  parseOrThrow,
  type Actor,
  type AuditEntry,
  type ExportAuditEntriesRequest,
  type ListAuditEntriesRequest,
} from '@civil/contracts';
import { NatsConnectionService, serviceDataSourceOptions, type ServiceConfig } from '@civil/platform';
import { createTestDatabase, domainErrorOf, eventually, integrationEnv } from '@civil/testing';
import { REPORTING_MIGRATIONS } from '../data-source';
import { AUDIT_CONSUMER, AuditLogConsumer, type AuditConsumerConfig } from './audit-log.consumer';
import { AuditLogRepository } from './audit-log.repository';
import { AuditLogService } from './audit-log.service';

/** RFC 4180 as the export writes it: an unquoted empty field is null, a quoted one an empty string. */
function parseCsv(text: string): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let i = 0;
  while (i < text.length) {
    let value: string | null;
    if (text[i] === '"') {
      let out = '';
      i += 1;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) throw new Error('unterminated quoted field');
        out += text.slice(i, quote);
        if (text[quote + 1] === '"') {
          out += '"';
          i = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      value = out;
    } else {
      let end = i;
      while (end < text.length && text[end] !== ',' && text[end] !== '\r') end += 1;
      value = end === i ? null : text.slice(i, end);
      i = end;
    }
    row.push(value);
    if (text[i] === ',') {
      i += 1;
    } else if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else {
      throw new Error(`unexpected ${JSON.stringify(text.slice(i, i + 10))} at ${i}`);
    }
  }
  if (row.length > 0) throw new Error('last record without CRLF');
  return rows;
}

function entryOfCsv(fields: (string | null)[]): AuditEntry {
  const f = Object.fromEntries(AUDIT_CSV_COLUMNS.map((column, i) => [column, fields[i] ?? null])) as Record<(typeof AUDIT_CSV_COLUMNS)[number], string | null>;
  return {
    id: f.id ?? '',
    at: f.at ?? '',
    kind: f.kind as AuditEntry['kind'],
    actor: f.actorUserId === null ? null : { userId: f.actorUserId, kind: f.actorKind as 'staff', roles: f.actorRoles === '' || f.actorRoles === null ? [] : f.actorRoles.split(';') },
    method: f.method ?? '',
    route: f.route ?? '',
    path: f.path ?? '',
    subject: f.subject,
    recordId: f.recordId,
    status: Number(f.status),
    code: f.code,
    clientIp: f.clientIp ?? '',
    userAgent: f.userAgent,
    traceId: f.traceId,
    reason: f.reason,
  };
}

const auditor: Actor = { userId: 'auditor-1', kind: 'staff', roles: ['auditor'], divisions: ['430503'] };
const system: Actor = { userId: 'system', kind: 'system', roles: ['admin'], divisions: [] };
const clerk: Actor = { userId: 'clerk-1', kind: 'staff', roles: ['clerk', 'leader', 'admin'], divisions: ['430503'] };
const citizenAuditor: Actor = { userId: 'c-1', kind: 'citizen', roles: ['auditor'], divisions: [] };

let sequence = 0;
function makeEntry(more: Partial<AuditEntry> = {}): AuditEntry {
  sequence += 1;
  return {
    id: uuidv7(),
    at: new Date(Date.UTC(2030, 0, 1, 8, 0, sequence)).toISOString(),
    kind: 'write',
    actor: { userId: 'clerk-1', kind: 'staff', roles: ['clerk', 'township-reviewer'] },
    method: 'POST',
    route: '/api/v1/dibao/applications/:id/decide',
    path: `/api/v1/dibao/applications/r-${sequence}/decide`,
    subject: 'social-assistance.dibao-application.act',
    recordId: `r-${sequence}`,
    status: 200,
    code: null,
    clientIp: '10.0.0.7',
    userAgent: 'Mozilla/5.0',
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    reason: null,
    ...more,
  };
}

/** Newest first, ties by id descending: the listing's order (ids are lower-case hex, so text order is uuid order). */
const newestFirst = (a: AuditEntry, b: AuditEntry): number => Date.parse(b.at) - Date.parse(a.at) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

describe('audit log (PostgreSQL + JetStream)', () => {
  let dataSource: DataSource;
  let natsService: NatsConnectionService;
  let consumer: AuditLogConsumer;
  let publisher: NatsConnection;
  let js: JetStreamClient;
  let service: AuditLogService;
  /** Every good entry published, by id: what the table should hold. */
  const stored = new Map<string, AuditEntry>();

  const rowsWithId = async (id: string): Promise<number> => {
    const [row] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM audit_entry WHERE id = $1`, [id]);
    return row?.n ?? -1;
  };
  const settled = async (): Promise<void> => {
    const jsm = await natsService.jetstreamManager();
    await eventually(
      async () => {
        const info = await jsm.consumers.info(AUDIT_STREAM, AUDIT_CONSUMER);
        return info.num_pending + info.num_ack_pending;
      },
      (n) => n === 0,
      'the audit consumer to catch up',
    );
  };
  const publish = async (entry: AuditEntry, withMsgId = true): Promise<{ duplicate: boolean }> => {
    const ack = await js.publish(auditSubject(entry.kind), JSON.stringify(entry), withMsgId ? { msgID: entry.id } : undefined);
    stored.set(entry.id, entry);
    return { duplicate: ack.duplicate };
  };
  const publishAll = async (entries: AuditEntry[]): Promise<void> => {
    for (const entry of entries) await publish(entry);
    await eventually(
      async () => {
        const [row] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM audit_entry WHERE id = ANY($1::uuid[])`, [entries.map((e) => e.id)]);
        return row?.n ?? 0;
      },
      (n) => n === entries.length,
      'the entries to be stored',
    );
  };
  /** Validated as the RPC server does, so a bad filter is the VALIDATION_FAILED a caller gets. */
  const list = async (request: ListAuditEntriesRequest | Record<string, unknown>, actor: Actor | null = auditor) => service.list(parseOrThrow(listAuditEntriesSchema, request), actor);
  const listAll = async (request: ListAuditEntriesRequest): Promise<AuditEntry[]> => {
    const all: AuditEntry[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 1000; pages += 1) {
      const page = await list({ ...request, ...(after !== undefined ? { after } : {}) });
      all.push(...page.items);
      if (page.next === null) return all;
      after = page.next;
    }
    throw new Error('too many pages');
  };
  const exportAll = async (request: ExportAuditEntriesRequest, maxBytes?: number, between?: () => Promise<void>): Promise<{ csv: string; pages: string[] }> => {
    const pages: string[] = [];
    let page = await service.exportPage(parseOrThrow(exportAuditEntriesSchema, request), auditor, maxBytes);
    pages.push(page.csv);
    if (between) await between();
    while (page.next !== null) {
      page = await service.exportPage(parseOrThrow(exportAuditEntriesSchema, { ...request, exportId: page.exportId, after: page.next }), auditor, maxBytes);
      pages.push(page.csv);
    }
    return { csv: pages.join(''), pages };
  };

  beforeAll(async () => {
    const env = integrationEnv();
    dataSource = new DataSource(serviceDataSourceOptions({ url: await createTestDatabase('audit_log'), entities: [], migrations: REPORTING_MIGRATIONS, applicationName: 'audit-log-test' }));
    await dataSource.initialize();
    await dataSource.runMigrations();
    const logger = pino({ level: process.env.AUDIT_TEST_LOG ?? 'silent' });
    const config = { NATS_URL: env.natsUrl, EVENT_STREAM_REPLICAS: 1, EVENT_DUPLICATE_WINDOW_MS: 120_000, CONSUMER_MAX_DELIVERIES: 3, CONSUMER_ACK_WAIT_MS: 30_000 };
    natsService = new NatsConnectionService(config as unknown as ServiceConfig, 'reporting', logger);
    await natsService.onModuleInit();
    const repository = new AuditLogRepository(dataSource);
    service = new AuditLogService(repository);
    consumer = new AuditLogConsumer(natsService, dataSource, logger, config satisfies AuditConsumerConfig, repository);
    consumer.onApplicationBootstrap();
    publisher = await connect({ servers: env.natsUrl });
    js = jetstream(publisher);
    const jsm = await natsService.jetstreamManager();
    await eventually(async () => jsm.consumers.info(AUDIT_STREAM, AUDIT_CONSUMER).then(() => true, () => false), Boolean, 'the audit stream and consumer');
  });

  afterAll(async () => {
    await consumer?.beforeApplicationShutdown();
    await natsService?.onApplicationShutdown();
    await publisher?.close();
    await dataSource?.destroy();
  });

  it('stores an entry once: published twice with its id, and again without it (past the duplicate window)', async () => {
    const entry = makeEntry({ kind: 'reveal', reason: '核对低保家庭成员身份' });
    expect(await publish(entry)).toEqual({ duplicate: false });
    // The stream's duplicate window drops the second publish with the same Nats-Msg-Id …
    expect(await publish(entry)).toEqual({ duplicate: true });
    // … a republish the window would not catch reaches the consumer, and the store drops it.
    expect(await publish(entry, false)).toEqual({ duplicate: false });
    await eventually(() => rowsWithId(entry.id), (n) => n === 1, 'the entry');
    await settled();
    expect(await rowsWithId(entry.id)).toBe(1);
    expect((await list({ recordId: entry.recordId ?? '' })).items).toEqual([entry]);
  });

  it('dead-letters a malformed entry, keeping its payload, and stores the good ones after it', async () => {
    const good = [makeEntry(), makeEntry({ kind: 'refused', actor: null, status: 401, code: 'UNAUTHENTICATED', subject: null, recordId: null })];
    const badSchema = { ...makeEntry(), kind: 'read', status: '200' };
    await js.publish(auditSubject('write'), 'not json at all', { msgID: uuidv7() });
    await js.publish(auditSubject('write'), JSON.stringify(badSchema), { msgID: badSchema.id });
    await publishAll(good);
    await settled();
    const dead = await dataSource.query<{ payload: string; error: string; subject: string }[]>(`SELECT payload, error, subject FROM dead_letter WHERE consumer = $1 ORDER BY id`, [AUDIT_CONSUMER]);
    expect(dead).toEqual([
      { payload: 'not json at all', error: expect.stringContaining('not JSON') as string, subject: 'audit.gateway.write' },
      { payload: JSON.stringify(badSchema), error: expect.stringMatching(/not an audit entry: .*kind.*status/) as string, subject: 'audit.gateway.write' },
    ]);
    expect(await rowsWithId(badSchema.id)).toBe(0);
    for (const entry of good) expect(await rowsWithId(entry.id)).toBe(1);
  });

  it('is append-only: UPDATE, DELETE and TRUNCATE are refused by the database', async () => {
    const before = await dataSource.query<unknown[]>(`SELECT * FROM audit_entry ORDER BY id`);
    expect(before.length).toBeGreaterThan(0);
    await expect(dataSource.query(`UPDATE audit_entry SET status = 500`)).rejects.toThrow('audit_entry is append-only: UPDATE refused');
    await expect(dataSource.query(`DELETE FROM audit_entry`)).rejects.toThrow('audit_entry is append-only: DELETE refused');
    await expect(dataSource.query(`TRUNCATE audit_entry`)).rejects.toThrow('audit_entry is append-only: TRUNCATE refused');
    expect(await dataSource.query<unknown[]>(`SELECT * FROM audit_entry ORDER BY id`)).toEqual(before);
  });

  describe('listing and export', () => {
    const sameMoment = '2030-02-01T00:00:00.000Z';
    let batch: AuditEntry[];

    beforeAll(async () => {
      batch = [
        ...Array.from({ length: 20 }, (_, i) => makeEntry({ actor: { userId: i % 2 === 0 ? 'clerk-1' : 'clerk-2', kind: 'staff', roles: ['clerk'] }, kind: i % 5 === 0 ? 'reveal' : 'write' })),
        // Ties on `at`: the id orders them.
        ...Array.from({ length: 5 }, () => makeEntry({ at: sameMoment, recordId: 'tied' })),
        // Finer than milliseconds: the cursor keeps every digit.
        makeEntry({ at: '2030-02-01T00:00:00.000001Z', recordId: 'tied' }),
        makeEntry({ at: '2030-02-01T00:00:00.000999Z', recordId: 'tied' }),
        makeEntry({ kind: 'refused', actor: null, status: 403, code: 'FORBIDDEN', subject: null, recordId: null, userAgent: null, traceId: null }),
        makeEntry({ kind: 'refused', actor: { userId: 'citizen-9', kind: 'citizen', roles: [] }, status: 429, code: 'RATE_LIMITED', recordId: null }),
        makeEntry({
          kind: 'reveal',
          userAgent: 'Agent, with "quotes"\nand a new line',
          reason: '家访核实,"紧急"\r\n第二行',
          route: '/api/v1/households/:id',
          code: '',
        }),
      ];
      await publishAll(batch);
    });

    it('filters by user, kind, record and period', async () => {
      const all = [...stored.values()];
      expect(new Set((await listAll({ limit: 500 })).map((e) => e.id))).toEqual(new Set(all.map((e) => e.id)));
      expect(await listAll({ userId: 'clerk-2' })).toEqual(all.filter((e) => e.actor?.userId === 'clerk-2').sort(newestFirst));
      expect(await listAll({ kind: 'refused' })).toEqual(all.filter((e) => e.kind === 'refused').sort(newestFirst));
      expect(await listAll({ recordId: 'tied' })).toEqual(all.filter((e) => e.recordId === 'tied').sort(newestFirst));
      expect(await listAll({ route: '/api/v1/households/:id' })).toEqual(all.filter((e) => e.route === '/api/v1/households/:id'));
      expect(await listAll({ status: '429' })).toEqual(all.filter((e) => e.status === 429));
      const from = '2030-01-01T08:00:05Z';
      const to = '2030-01-01T08:00:15Z';
      const inPeriod = all.filter((e) => Date.parse(e.at) >= Date.parse(from) && Date.parse(e.at) < Date.parse(to)).sort(newestFirst);
      expect(inPeriod.length).toBe(10);
      expect(await listAll({ from, to })).toEqual(inPeriod);
      expect(await listAll({ from, to, userId: 'clerk-1', kind: 'write' })).toEqual(inPeriod.filter((e) => e.actor?.userId === 'clerk-1' && e.kind === 'write'));
      // The same moment written with an offset.
      expect(await listAll({ from: '2030-01-01T16:00:05+08:00', to: '2030-01-01T16:00:15+08:00' })).toEqual(inPeriod);
    });

    it('hands out every entry exactly once across pages, newest first, whatever the page size', async () => {
      const expected = [...stored.values()].sort(newestFirst);
      for (const limit of [1, 3, 7, 100]) {
        const pages: number[] = [];
        const seen: AuditEntry[] = [];
        let after: string | undefined;
        do {
          const page = await list({ limit: String(limit), ...(after !== undefined ? { after } : {}) });
          pages.push(page.items.length);
          seen.push(...page.items);
          after = page.next ?? undefined;
        } while (after !== undefined);
        expect(seen).toEqual(expected);
        expect(pages.slice(0, -1).every((n) => n === limit)).toBe(true);
        expect(pages.at(-1)).toBeGreaterThan(0);
      }
      const tied = await listAll({ recordId: 'tied', limit: 2 });
      expect(tied.map((e) => e.at)).toEqual(['2030-02-01T00:00:00.000999Z', '2030-02-01T00:00:00.000001Z', sameMoment, sameMoment, sameMoment, sameMoment, sameMoment]);
    });

    it('is for auditors and the system only', async () => {
      expect((await list({ limit: 1 }, system)).items).toHaveLength(1);
      for (const actor of [clerk, citizenAuditor, null]) {
        await domainErrorOf(list({}, actor), 'FORBIDDEN');
        await domainErrorOf(service.exportPage(parseOrThrow(exportAuditEntriesSchema, {}), actor), 'FORBIDDEN');
      }
    });

    it('refuses bad filters, naming each field', async () => {
      const error = await domainErrorOf(list({ from: '2030-02-01T00:00:00Z', to: '2030-01-01T00:00:00Z', limit: '501', kind: 'read' }), 'VALIDATION_FAILED');
      expect(error.fields?.map((f) => f.field).sort()).toEqual(['from', 'kind', 'limit']);
      const notDates = await domainErrorOf(list({ from: 'yesterday', to: '2030-13-01', limit: '0', status: 'ok' }), 'VALIDATION_FAILED');
      expect(notDates.fields?.map((f) => f.field).sort()).toEqual(['from', 'limit', 'status', 'to']);
      // Looks like a cursor, is not one.
      const cursor = await domainErrorOf(list({ after: Buffer.from('["x"]').toString('base64url') }), 'VALIDATION_FAILED');
      expect(cursor.fields).toEqual([{ field: 'after', rule: 'cursor', message: 'must be a cursor returned by a previous page' }]);
      await domainErrorOf(Promise.resolve().then(() => parseOrThrow(exportAuditEntriesSchema, { limit: 10 })), 'VALIDATION_FAILED');
    });

    it('exports CSV that reads back to the same entries, oldest first, page by page', async () => {
      const expected = [...stored.values()].sort(newestFirst).reverse();
      const whole = await exportAll({});
      expect(whole.pages).toHaveLength(1);
      const rows = parseCsv(whole.csv);
      expect(rows[0]).toEqual([...AUDIT_CSV_COLUMNS]);
      expect(rows.slice(1).map(entryOfCsv)).toEqual(expected);
      // The awkward values are quoted, RFC 4180 style.
      expect(whole.csv).toContain('"Agent, with ""quotes""\nand a new line"');
      expect(whole.csv).toContain('"家访核实,""紧急""\r\n第二行"');
      expect(whole.csv).toContain(',clerk;township-reviewer,');

      // Small pages: the same file, the header once, every page within its size; an entry stored
      // during the download is not in it.
      const late = makeEntry({ at: '2031-06-01T00:00:00.000Z' });
      const paged = await exportAll({}, 1500, async () => {
        await publishAll([late]);
      });
      expect(paged.pages.length).toBeGreaterThan(5);
      expect(paged.csv).toBe(whole.csv);
      for (const page of paged.pages) expect(Buffer.byteLength(JSON.stringify(page)) - 2).toBeLessThanOrEqual(1500);
      expect(paged.pages.slice(1).every((p) => !p.startsWith('id,at,'))).toBe(true);
      expect(parseCsv((await exportAll({})).csv).slice(1).map(entryOfCsv)).toContainEqual(late);

      const filtered = await exportAll({ userId: 'clerk-2', kind: 'write' });
      expect(parseCsv(filtered.csv).slice(1).map(entryOfCsv)).toEqual(expected.filter((e) => e.actor?.userId === 'clerk-2' && e.kind === 'write'));
      const none = await exportAll({ userId: 'nobody' });
      expect(none.csv).toBe(`${AUDIT_CSV_COLUMNS.join(',')}\r\n`);
    });
  });
});
