import { AUDIT_CSV_COLUMNS, type AuditEntry } from '@civil/contracts';

/**
 * The audit export's CSV (RFC 4180, CRLF records). A field holding a comma, a quote, CR or LF is
 * quoted with its quotes doubled. A null is an empty field, an empty string a quoted empty field
 * (`""`), so the file reads back to the same entries.
 */
function field(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  if (text === '') return '""';
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function line(fields: readonly (string | number | null)[]): string {
  return `${fields.map(field).join(',')}\r\n`;
}

export function auditCsvHeader(): string {
  return line(AUDIT_CSV_COLUMNS);
}

/** One entry as a record, columns in {@link AUDIT_CSV_COLUMNS} order; roles joined with `;`. */
export function auditCsvRecord(entry: AuditEntry): string {
  return line([
    entry.id,
    entry.at,
    entry.kind,
    entry.actor?.userId ?? null,
    entry.actor?.kind ?? null,
    entry.actor ? entry.actor.roles.join(';') : null,
    entry.method,
    entry.route,
    entry.path,
    entry.subject,
    entry.recordId,
    entry.status,
    entry.code,
    entry.clientIp,
    entry.userAgent,
    entry.traceId,
    entry.reason,
  ]);
}
