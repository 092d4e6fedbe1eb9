import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  DomainError,
  cityFeedPageSchema,
  divisionLikePatterns,
  exportCityFeedSchema,
  listCityFeedDeadLettersSchema,
  parseOrThrow,
  retryCityFeedDeadLetterSchema,
  type Actor,
  type CityFeedBatch,
  type CityFeedCsvPage,
  type CityFeedDeadLetterListView,
  type CityFeedDeadLetterView,
  type CityFeedItem,
  type CityFeedPage,
} from '@civil/contracts';
import { PersonalDataCipher } from '@civil/platform';
import type { DataSource, EntityManager } from 'typeorm';
import type { CityFeedSettings } from '../config';
import { cityFeedCsvHeader, cityFeedCsvRecord, formatCursor, parseCursor, requireFeedOperator, requireFeedReader, type FeedPosition } from './city-feed.domain';
import { projectEntries, type FeedEntryRow } from './city-feed.sources';
import { postBatch } from './city-feed.webhook';

export const CITY_FEED_SETTINGS = Symbol('CITY_FEED_SETTINGS');

/** Records of one CSV page. */
export const CITY_FEED_CSV_PAGE_SIZE = 500;

interface DeadLetterRow {
  id: string;
  from_cursor: string | null;
  to_cursor: string;
  entries: number;
  attempts: number;
  last_error: string;
  created_at: Date;
  last_attempt_at: Date;
  resent_at: Date | null;
  resent_by: string | null;
}

/** The oldest transaction still running: entries of older transactions are final. */
const HORIZON = `pg_snapshot_xmin(pg_current_snapshot())`;

/**
 * Reads the city feed: entries of `city_feed_entry` in (txid, seq) order, only those written by
 * transactions older than every transaction still running — a transaction that took an earlier
 * sequence but commits later is therefore never overtaken by the cursor (see the migration).
 */
@Injectable()
export class CityFeedService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CITY_FEED_SETTINGS) private readonly settings: CityFeedSettings,
    private readonly cipher: PersonalDataCipher,
  ) {}

  /** `GET …/city-feed?cursor=&limit=`: the next page after the cursor, within the caller's divisions. */
  async page(input: unknown, actor: Actor): Promise<CityFeedPage> {
    requireFeedReader(actor);
    const request = parseOrThrow(cityFeedPageSchema, input);
    const after = parseCursor(request.cursor);
    const items = await this.read(this.dataSource.manager, { after, limit: request.limit, scope: divisionLikePatterns(actor) });
    const last = items.at(-1);
    return { items, nextCursor: last ? last.cursor : (request.cursor ?? null), more: items.length === request.limit };
  }

  /**
   * One page of the CSV download. The first page fixes the end of the file at the feed's horizon
   * then (`exportId`), so the file is one consistent range however long the download takes.
   */
  async exportPage(input: unknown, actor: Actor, pageSize = CITY_FEED_CSV_PAGE_SIZE): Promise<CityFeedCsvPage> {
    requireFeedReader(actor);
    const request = parseOrThrow(exportCityFeedSchema, input);
    const exportId = request.exportId ?? (await this.horizon());
    const until = parseCursor(exportId);
    const after = parseCursor(request.after ?? request.cursor);
    const items = await this.read(this.dataSource.manager, { after, until, limit: pageSize, scope: divisionLikePatterns(actor) });
    const csv = (request.after === undefined ? cityFeedCsvHeader() : '') + items.map(cityFeedCsvRecord).join('');
    const last = items.at(-1);
    return { exportId, csv, next: items.length === pageSize && last ? last.cursor : null };
  }

  /** The sender's batch after `after` (every division). */
  async batchAfter(after: string | null, limit: number): Promise<CityFeedBatch | null> {
    const items = await this.read(this.dataSource.manager, { after: parseCursor(after), limit, scope: null });
    const last = items.at(-1);
    return last ? batchOf(after, last.cursor, items) : null;
  }

  /** A dead-lettered range as it was: entries before the horizon never change. */
  async batchBetween(from: string | null, to: string): Promise<CityFeedBatch> {
    const items = await this.read(this.dataSource.manager, { after: parseCursor(from), until: parseCursor(to), limit: 100_000, scope: null });
    return batchOf(from, to, items);
  }

  async listDeadLetters(input: unknown, actor: Actor): Promise<CityFeedDeadLetterListView> {
    requireFeedOperator(actor);
    const request = parseOrThrow(listCityFeedDeadLettersSchema, input);
    const where = request.status === 'pending' ? 'WHERE resent_at IS NULL' : request.status === 'resent' ? 'WHERE resent_at IS NOT NULL' : '';
    const rows = await this.dataSource.query<DeadLetterRow[]>(`SELECT * FROM city_feed_dead_letter ${where} ORDER BY created_at, id LIMIT 1000`);
    return { items: rows.map(deadLetterView) };
  }

  /**
   * `POST …/city-feed/dead-letters/:id/retry`: sends the dead-lettered range again, once. Success
   * marks it resent; a failure counts the attempt and answers SERVICE_UNAVAILABLE (try again later).
   */
  async retryDeadLetter(input: unknown, actor: Actor): Promise<CityFeedDeadLetterView> {
    requireFeedOperator(actor);
    const { id } = parseOrThrow(retryCityFeedDeadLetterSchema, input);
    if (!this.settings.url) throw new DomainError('CONFLICT', 'the city feed webhook is not configured (CITY_FEED_URL)');
    const [row] = await this.dataSource.query<DeadLetterRow[]>(`SELECT * FROM city_feed_dead_letter WHERE id = $1`, [id]);
    if (!row) throw new DomainError('NOT_FOUND', `no dead-lettered city-feed batch ${id}`);
    if (row.resent_at !== null) throw new DomainError('CONFLICT', `batch ${id} was resent already`);
    const batch = await this.batchBetween(row.from_cursor, row.to_cursor);
    try {
      await postBatch(this.settings, batch);
    } catch (error) {
      const message = errorMessage(error);
      await this.dataSource.query(`UPDATE city_feed_dead_letter SET attempts = attempts + 1, last_error = $2, last_attempt_at = now() WHERE id = $1`, [id, message]);
      throw new DomainError('SERVICE_UNAVAILABLE', `the city platform did not accept the batch: ${message}`);
    }
    const [updated] = await this.dataSource.query<DeadLetterRow[]>(
      `WITH resent AS (UPDATE city_feed_dead_letter SET attempts = attempts + 1, last_attempt_at = now(), resent_at = now(), resent_by = $2
                        WHERE id = $1 AND resent_at IS NULL RETURNING *) SELECT * FROM resent`,
      [id, actor.userId],
    );
    if (!updated) throw new DomainError('CONFLICT', `batch ${id} was resent meanwhile`);
    return deadLetterView(updated);
  }

  /** The last final entry now, or `0-0` when there is none. */
  async horizon(): Promise<string> {
    const [row] = await this.dataSource.query<{ txid: string; seq: string }[]>(
      `SELECT txid::text AS txid, seq::text AS seq FROM city_feed_entry WHERE txid < ${HORIZON} ORDER BY txid DESC, seq DESC LIMIT 1`,
    );
    return row ? formatCursor(row) : '0-0';
  }

  async read(manager: EntityManager, options: { after: FeedPosition | null; until?: FeedPosition | null; limit: number; scope: string[] | null }): Promise<CityFeedItem[]> {
    const params: unknown[] = [];
    const where = [`txid < ${HORIZON}`];
    if (options.after) {
      params.push(options.after.txid, options.after.seq);
      where.push(`(txid, seq) > ($${params.length - 1}::xid8, $${params.length}::bigint)`);
    }
    if (options.until) {
      params.push(options.until.txid, options.until.seq);
      where.push(`(txid, seq) <= ($${params.length - 1}::xid8, $${params.length}::bigint)`);
    }
    if (options.scope !== null) {
      params.push(options.scope);
      where.push(`division_code LIKE ANY($${params.length}::text[])`);
    }
    params.push(options.limit);
    const rows = await manager.query<FeedEntryRow[]>(
      `SELECT seq::text AS seq, txid::text AS txid, event_id, event_type, kind, division_code, occurred_at, data
         FROM city_feed_entry WHERE ${where.join(' AND ')} ORDER BY txid, seq LIMIT $${params.length}`,
      params,
    );
    const records = await projectEntries(manager, rows, this.cipher);
    return rows.map((r) => {
      const record = records.get(r.event_id);
      if (!record) throw new DomainError('INTERNAL', `city feed: entry ${r.event_id} has no record`);
      return {
        cursor: formatCursor(r),
        eventId: r.event_id,
        eventType: r.event_type,
        occurredAt: new Date(r.occurred_at).toISOString(),
        divisionCode: r.division_code,
        record,
      };
    });
  }
}

function batchOf(from: string | null, to: string, items: CityFeedItem[]): CityFeedBatch {
  return { batchId: `${from ?? '0-0'}..${to}`, from, to, items };
}

function deadLetterView(row: DeadLetterRow): CityFeedDeadLetterView {
  return {
    id: row.id,
    fromCursor: row.from_cursor,
    toCursor: row.to_cursor,
    entries: row.entries,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: new Date(row.created_at).toISOString(),
    lastAttemptAt: new Date(row.last_attempt_at).toISOString(),
    resentAt: row.resent_at ? new Date(row.resent_at).toISOString() : null,
    resentBy: row.resent_by,
  };
}

export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? (error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message) : String(error);
  return message.slice(0, 1000);
}
