import { Injectable } from '@nestjs/common';
import {
  DomainError,
  type Actor,
  type AuditEntry,
  type AuditEntryPage,
  type AuditExportPage,
  type exportAuditEntriesSchema,
  type listAuditEntriesSchema,
} from '@civil/contracts';
import type { z } from 'zod';
import { auditCsvHeader, auditCsvRecord } from './audit-csv';
import { AuditLogRepository, decodeCursor, encodeCursor, type AuditCursor, type AuditFilters } from './audit-log.repository';

/** An export page's CSV, measured as it travels (JSON-encoded): well under NATS's 1 MiB. */
export const AUDIT_EXPORT_PAGE_MAX_BYTES = 500_000;
/** A listing's reply is cut short (with a `next`) before it grows past this, whatever the limit. */
const LIST_REPLY_MAX_BYTES = 800_000;
/** Rows read per query while filling an export page. */
const EXPORT_READ_CHUNK = 1000;

/** Only auditors (and the system itself) read the audit log: it names who did what. */
export function assertAuditor(actor: Actor | null): Actor {
  if (!actor || (actor.kind !== 'system' && (actor.kind === 'citizen' || !actor.roles.includes('auditor')))) {
    throw new DomainError('FORBIDDEN', 'the audit log is for auditors');
  }
  return actor;
}

/** Bytes of a string inside a JSON reply (quotes, backslashes and control characters escaped). */
function wireBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text), 'utf8') - 2;
}

function filtersOf(request: AuditFilters): AuditFilters {
  const { from, to, userId, kind, recordId, route, status } = request;
  return { from, to, userId, kind, recordId, route, status };
}

@Injectable()
export class AuditLogService {
  constructor(private readonly repository: AuditLogRepository) {}

  /** Newest first; `next` is null once every matching entry has been handed out. */
  async list(request: z.output<typeof listAuditEntriesSchema>, actor: Actor | null): Promise<AuditEntryPage> {
    assertAuditor(actor);
    const after = request.after === undefined ? undefined : decodeCursor(request.after);
    // One more than asked tells whether there is a next page.
    const { entries, cursors } = await this.repository.page({ ...filtersOf(request), order: 'newest-first', after, limit: request.limit + 1 });
    const items: AuditEntry[] = [];
    let bytes = 0;
    for (const entry of entries.slice(0, request.limit)) {
      bytes += Buffer.byteLength(JSON.stringify(entry), 'utf8') + 1;
      if (bytes > LIST_REPLY_MAX_BYTES && items.length > 0) break;
      items.push(entry);
    }
    const last = cursors[items.length - 1];
    const more = entries.length > items.length;
    return { items, next: more && last ? encodeCursor(last) : null };
  }

  /**
   * One page of the CSV export, oldest first: the header and entries on the first page, entries
   * after `after` on later ones, at most {@link AUDIT_EXPORT_PAGE_MAX_BYTES} each. The first page
   * fixes `exportId` (the database clock then); later pages read only entries stored by then, so
   * entries arriving during a download do not shift it.
   */
  async exportPage(request: z.output<typeof exportAuditEntriesSchema>, actor: Actor | null, maxBytes = AUDIT_EXPORT_PAGE_MAX_BYTES): Promise<AuditExportPage> {
    assertAuditor(actor);
    let after: AuditCursor | undefined = request.after === undefined ? undefined : decodeCursor(request.after);
    const exportId = request.exportId ?? (await this.repository.now());
    const first = request.after === undefined;
    let csv = first ? auditCsvHeader() : '';
    let bytes = wireBytes(csv);
    let onPage = 0;
    for (;;) {
      const { entries, cursors } = await this.repository.page({ ...filtersOf(request), order: 'oldest-first', after, receivedUpTo: exportId, limit: EXPORT_READ_CHUNK });
      for (const [i, entry] of entries.entries()) {
        const record = auditCsvRecord(entry);
        const size = wireBytes(record);
        // A page holds at least one entry, so an export always moves on.
        if (onPage > 0 && after !== undefined && bytes + size > maxBytes) return { exportId, csv, next: encodeCursor(after) };
        csv += record;
        bytes += size;
        onPage += 1;
        after = cursors[i];
      }
      if (entries.length < EXPORT_READ_CHUNK) return { exportId, csv, next: null };
    }
  }
}
