import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError, type AuditEntry, type AuditKind } from '@civil/contracts';
import type { DataSource, EntityManager } from 'typeorm';

/** A position in the (at, id) order: the exact timestamp (UTC, microseconds) and the entry id. */
export interface AuditCursor {
  at: string;
  id: string;
}

export interface AuditFilters {
  from?: string | undefined;
  to?: string | undefined;
  userId?: string | undefined;
  kind?: AuditKind | undefined;
  recordId?: string | undefined;
  route?: string | undefined;
  status?: number | undefined;
}

export interface AuditQuery extends AuditFilters {
  order: 'newest-first' | 'oldest-first';
  after?: AuditCursor | undefined;
  /** Only entries stored at or before this moment (an export's snapshot). */
  receivedUpTo?: string | undefined;
  limit: number;
}

interface AuditRow {
  id: string;
  at_text: string;
  kind: AuditKind;
  actor_user_id: string | null;
  actor_kind: 'staff' | 'citizen' | 'system' | null;
  actor_roles: string[] | null;
  method: string;
  route: string;
  path: string;
  subject: string | null;
  record_id: string | null;
  status: number;
  code: string | null;
  client_ip: string;
  user_agent: string | null;
  trace_id: string | null;
  reason: string | null;
}

/** UTC with microseconds: exact, so a cursor taken from it neither skips nor repeats entries. */
const AT_TEXT = `to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Cursors are opaque to clients: base64url of `[at, id]`. */
export function encodeCursor(cursor: AuditCursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id]), 'utf8').toString('base64url');
}

/** Decodes a cursor a previous page handed out; anything else is a VALIDATION_FAILED on `after`. */
export function decodeCursor(text: string): AuditCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    Array.isArray(parsed) &&
    parsed.length === 2 &&
    typeof parsed[0] === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(parsed[0]) &&
    typeof parsed[1] === 'string' &&
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(parsed[1])
  ) {
    return { at: parsed[0], id: parsed[1] };
  }
  throw DomainError.validation([{ field: 'after', rule: 'cursor', message: 'must be a cursor returned by a previous page' }]);
}

/** PostgreSQL text cannot hold NUL: it is stored as U+FFFD, the rest of the value as sent. */
function storable(value: string | null): string | null {
  return value === null ? null : value.replace(/\u0000/g, '\uFFFD');
}

/** `…​.123000Z` → `….123Z`: the millisecond form the publisher sends, when no finer digits were stored. */
function isoOf(atText: string): string {
  return atText.replace(/(\.\d{3})000Z$/, '$1Z');
}

function entryOf(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: isoOf(row.at_text),
    kind: row.kind,
    actor: row.actor_user_id === null || row.actor_kind === null ? null : { userId: row.actor_user_id, kind: row.actor_kind, roles: row.actor_roles ?? [] },
    method: row.method,
    route: row.route,
    path: row.path,
    subject: row.subject,
    recordId: row.record_id,
    status: row.status,
    code: row.code,
    clientIp: row.client_ip,
    userAgent: row.user_agent,
    traceId: row.trace_id,
    reason: row.reason,
  };
}

@Injectable()
export class AuditLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Stores entries once each, in one statement: an id already stored (a redelivery, or an entry
   * republished after the stream's duplicate window) changes nothing. Returns the ids stored now.
   */
  async append(entries: readonly AuditEntry[], manager: EntityManager = this.dataSource.manager): Promise<Set<string>> {
    if (entries.length === 0) return new Set();
    const rows = entries.map((e) => ({
      id: e.id,
      at: e.at,
      kind: e.kind,
      actor_user_id: storable(e.actor?.userId ?? null),
      actor_kind: e.actor?.kind ?? null,
      actor_roles: e.actor ? e.actor.roles.map((r) => storable(r) ?? '') : null,
      method: e.method,
      route: storable(e.route),
      path: storable(e.path),
      subject: storable(e.subject),
      record_id: storable(e.recordId),
      status: e.status,
      code: storable(e.code),
      client_ip: storable(e.clientIp),
      user_agent: storable(e.userAgent),
      trace_id: storable(e.traceId),
      reason: storable(e.reason),
    }));
    const inserted = await manager.query<{ id: string }[]>(
      `INSERT INTO audit_entry (id, at, kind, actor_user_id, actor_kind, actor_roles, method, route, path, subject, record_id, status, code, client_ip, user_agent, trace_id, reason)
       SELECT id, at, kind, actor_user_id, actor_kind, actor_roles, method, route, path, subject, record_id, status, code, client_ip, user_agent, trace_id, reason
         FROM jsonb_to_recordset($1::jsonb) AS e(
           id uuid, at timestamptz, kind text, actor_user_id text, actor_kind text, actor_roles text[], method text, route text, path text,
           subject text, record_id text, status integer, code text, client_ip text, user_agent text, trace_id text, reason text)
       ON CONFLICT (id) DO NOTHING
       RETURNING id`,
      [JSON.stringify(rows)],
    );
    return new Set(inserted.map((r) => r.id));
  }

  /** Entries matching the filters in (at, id) order after the cursor, at most `limit`. */
  async page(query: AuditQuery): Promise<{ entries: AuditEntry[]; cursors: AuditCursor[] }> {
    const params: unknown[] = [];
    const where: string[] = [];
    const bind = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    if (query.from !== undefined) where.push(`at >= ${bind(query.from)}::timestamptz`);
    if (query.to !== undefined) where.push(`at < ${bind(query.to)}::timestamptz`);
    if (query.userId !== undefined) where.push(`actor_user_id = ${bind(query.userId)}`);
    if (query.kind !== undefined) where.push(`kind = ${bind(query.kind)}`);
    if (query.recordId !== undefined) where.push(`record_id = ${bind(query.recordId)}`);
    if (query.route !== undefined) where.push(`route = ${bind(query.route)}`);
    if (query.status !== undefined) where.push(`status = ${bind(query.status)}`);
    if (query.receivedUpTo !== undefined) where.push(`received_at <= ${bind(query.receivedUpTo)}::timestamptz`);
    const newestFirst = query.order === 'newest-first';
    if (query.after !== undefined) {
      where.push(`(at, id) ${newestFirst ? '<' : '>'} (${bind(query.after.at)}::timestamptz, ${bind(query.after.id)}::uuid)`);
    }
    const direction = newestFirst ? 'DESC' : 'ASC';
    const rows = await this.dataSource.query<AuditRow[]>(
      `SELECT id, ${AT_TEXT} AS at_text, kind, actor_user_id, actor_kind, actor_roles, method, route, path, subject, record_id, status, code, client_ip,
              user_agent, trace_id, reason
         FROM audit_entry
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY audit_entry.at ${direction}, audit_entry.id ${direction}
        LIMIT ${bind(query.limit)}`,
      params,
    );
    return { entries: rows.map(entryOf), cursors: rows.map((r) => ({ at: r.at_text, id: r.id })) };
  }

  /** The database's clock now (UTC, microseconds): the moment an export reads up to. */
  async now(): Promise<string> {
    const [row] = await this.dataSource.query<{ now: string }[]>(`SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS now`);
    if (!row) throw new Error('no clock');
    return row.now;
  }
}
