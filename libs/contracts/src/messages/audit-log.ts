/**
 * The platform's append-only audit log: the gateway publishes one entry per write request, per
 * reveal of personal data and per refused request (401, 403, 429) to its own JetStream stream;
 * the reporting service stores each entry once and lets auditors list and export them.
 */
import { z } from 'zod';
import { storableIsoDateTime } from './iso-date-time';
import { uuidSchema } from '../validation';

/** The audit log's JetStream stream, apart from the event stream (other retention, other readers). */
export const AUDIT_STREAM = 'AUDIT';
export const AUDIT_STREAM_SUBJECTS = ['audit.>'];

export const AUDIT_KINDS = ['write', 'reveal', 'refused'] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** The subject an entry of this kind is published on: `audit.gateway.<kind>`. */
export function auditSubject(kind: AuditKind): string {
  return `audit.gateway.${kind}`;
}

export const AUDIT_PATH_MAX_LENGTH = 2000;
export const AUDIT_USER_AGENT_MAX_LENGTH = 500;
export const AUDIT_REASON_MAX_LENGTH = 500;
/** A record id comes from the URL (a route's `:id`): publishers cut it to this length, like the path. */
export const AUDIT_RECORD_ID_MAX_LENGTH = 2000;

const isoDateTime = storableIsoDateTime();
const text = (max: number): z.ZodString => z.string().max(max);

export const auditActorSchema = z
  .object({
    userId: z.string().min(1).max(200),
    kind: z.enum(['staff', 'citizen', 'system']),
    roles: z.array(text(100)).max(50),
  })
  .strict();
export type AuditActor = z.output<typeof auditActorSchema>;

/**
 * One audit entry as published (JSON). `id` is a UUIDv7 the publisher also sets as `Nats-Msg-Id`,
 * so a republished entry is dropped by the stream's duplicate window and, beyond it, by the store.
 */
export const auditEntrySchema = z
  .object({
    id: uuidSchema,
    /** When the request was handled (ISO 8601). */
    at: isoDateTime,
    kind: z.enum(AUDIT_KINDS),
    /** Null when the request carried no (valid) token. */
    actor: auditActorSchema.nullable(),
    /** The HTTP method, upper case. */
    method: z.string().regex(/^[A-Z]{1,20}$/, 'an HTTP method in upper case'),
    /** The route pattern, e.g. `/api/v1/dibao/applications/:id/decide` (the path when no route matched). */
    route: text(AUDIT_PATH_MAX_LENGTH),
    /** The URL path as requested, without the query string. */
    path: text(AUDIT_PATH_MAX_LENGTH),
    /** The NATS subject the request went to; null when it was refused before. */
    subject: text(200).nullable(),
    /** The record the request was about (the `:id` of the route), if any. */
    recordId: text(AUDIT_RECORD_ID_MAX_LENGTH).nullable(),
    /** The HTTP status of the reply. */
    status: z.number().int().min(100).max(599),
    /** The problem code when the request failed. */
    code: text(100).nullable(),
    clientIp: text(200),
    userAgent: text(AUDIT_USER_AGENT_MAX_LENGTH).nullable(),
    traceId: text(200).nullable(),
    /** The reason the caller gave for revealing personal data. */
    reason: text(AUDIT_REASON_MAX_LENGTH).nullable(),
  })
  .strict();
export type AuditEntry = z.output<typeof auditEntrySchema>;

/** An opaque position in a listing or an export (base64url of the last entry's key). */
const cursorSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor returned by a previous page')
  .meta({ examples: ['WyIyMDI2LTExLTI2VDA0OjMwOjEyLjM0NTY3OFoiLCIwMWEyMTdlZi1lYmIzLTc2NjItODZlMC0zMWEwMjRjZWY4MmIiXQ'] });

export const AUDIT_LIST_MAX_LIMIT = 500;

const filters = {
  /** Entries at or after this moment. */
  from: isoDateTime.meta({ examples: ['2026-11-01T00:00:00+08:00'] }).optional(),
  /** Entries before this moment. */
  to: isoDateTime.meta({ examples: ['2026-12-01T00:00:00+08:00'] }).optional(),
  userId: z.string().min(1).max(200).optional(),
  kind: z.enum(AUDIT_KINDS).optional(),
  recordId: z.string().min(1).max(AUDIT_RECORD_ID_MAX_LENGTH).optional(),
  /** The route pattern exactly as stored. */
  route: z.string().min(1).max(AUDIT_PATH_MAX_LENGTH).optional(),
  status: z.coerce.number().int().min(100).max(599).optional(),
};

function periodInOrder<T extends { from?: string | undefined; to?: string | undefined }>(value: T, ctx: z.RefinementCtx<T>): void {
  if (value.from !== undefined && value.to !== undefined && Date.parse(value.from) >= Date.parse(value.to)) {
    ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be before to', params: { rule: 'before-to' } });
  }
}

/** The period is checked whenever `from` and `to` themselves are valid, whatever else is wrong. */
const periodParams = {
  when: (payload: z.core.ParsePayload): boolean =>
    typeof payload.value === 'object' && payload.value !== null && !payload.issues.some((issue) => issue.path?.[0] === 'from' || issue.path?.[0] === 'to'),
};

/** Newest first, keyset-paginated: pass the reply's `next` as `after` for the following page. */
export const listAuditEntriesSchema = z
  .object({
    ...filters,
    limit: z.coerce.number().int().min(1).max(AUDIT_LIST_MAX_LIMIT).default(100),
    after: cursorSchema.optional(),
  })
  .strict()
  .superRefine(periodInOrder, periodParams);
export type ListAuditEntriesRequest = z.input<typeof listAuditEntriesSchema>;

export interface AuditEntryPage {
  items: AuditEntry[];
  /** Pass as `after` for the next page; null when there is none. */
  next: string | null;
}

/**
 * The filtered entries as CSV, streamed by the gateway page by page: the first page fixes the
 * moment the export reads up to (`exportId`), later pages pass it with `after`.
 */
export const exportAuditEntriesSchema = z
  .object({
    ...filters,
    exportId: isoDateTime.optional(),
    after: cursorSchema.optional(),
  })
  .strict()
  .superRefine(periodInOrder, periodParams)
  .refine((r) => r.after === undefined || r.exportId !== undefined, { message: 'a page after the first names its export', path: ['exportId'] });
export type ExportAuditEntriesRequest = z.input<typeof exportAuditEntriesSchema>;

/** The export's columns, in order; `actorRoles` joined with `;`. */
export const AUDIT_CSV_COLUMNS = [
  'id',
  'at',
  'kind',
  'actorUserId',
  'actorKind',
  'actorRoles',
  'method',
  'route',
  'path',
  'subject',
  'recordId',
  'status',
  'code',
  'clientIp',
  'userAgent',
  'traceId',
  'reason',
] as const;

/** One page of the CSV export (RFC 4180, CRLF): the header row on the first page only. */
export interface AuditExportPage {
  exportId: string;
  csv: string;
  next: string | null;
}
