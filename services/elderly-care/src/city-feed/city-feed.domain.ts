import { DomainError, hasAnyRole, type Actor, type CityFeedItem, type Role } from '@civil/contracts';

/** Who reads the feed (JSON and CSV): the office, admins, and the system caller (integration). */
export const CITY_FEED_READERS: readonly Role[] = ['elderly-care-officer', 'admin'];
/** Who lists and re-sends dead-lettered batches. */
export const CITY_FEED_OPERATORS: readonly Role[] = ['elderly-care-officer', 'admin'];

export function requireFeedReader(actor: Actor): void {
  if (actor.kind === 'system') return;
  if (actor.kind !== 'staff' || !hasAnyRole(actor, CITY_FEED_READERS)) throw new DomainError('FORBIDDEN', `the city feed is read by ${CITY_FEED_READERS.join(', ')}`);
}

export function requireFeedOperator(actor: Actor): void {
  if (actor.kind === 'system') return;
  if (actor.kind !== 'staff' || !hasAnyRole(actor, CITY_FEED_OPERATORS)) throw new DomainError('FORBIDDEN', `dead-lettered city-feed batches are handled by ${CITY_FEED_OPERATORS.join(', ')}`);
}

/** A feed position: the writing transaction's id (xid8) and the entry's sequence. */
export interface FeedPosition {
  txid: string;
  seq: string;
}

/** `<txid>-<seq>`; the schema (CITY_FEED_CURSOR_PATTERN) has checked the shape. */
export function parseCursor(cursor: string | null | undefined): FeedPosition | null {
  if (cursor === null || cursor === undefined) return null;
  const match = /^([0-9]{1,20})-([0-9]{1,19})$/.exec(cursor);
  if (!match?.[1] || !match[2]) throw new DomainError('VALIDATION_FAILED', 'bad cursor', [{ field: 'cursor', rule: 'format', message: 'must be a cursor returned by the feed (e.g. 1234-56)' }]);
  const txid = BigInt(match[1]);
  const seq = BigInt(match[2]);
  if (txid > 18446744073709551615n || seq > 9223372036854775807n) {
    throw new DomainError('VALIDATION_FAILED', 'bad cursor', [{ field: 'cursor', rule: 'range', message: 'is out of range' }]);
  }
  return { txid: txid.toString(), seq: seq.toString() };
}

export function formatCursor(position: FeedPosition): string {
  return `${position.txid}-${position.seq}`;
}

/** (txid, seq) order, as the database orders entries. */
export function compareCursors(a: string, b: string): number {
  const pa = parseCursor(a);
  const pb = parseCursor(b);
  if (!pa || !pb) return 0;
  const tx = BigInt(pa.txid) - BigInt(pb.txid);
  if (tx !== 0n) return tx < 0n ? -1 : 1;
  const seq = BigInt(pa.seq) - BigInt(pb.seq);
  return seq === 0n ? 0 : seq < 0n ? -1 : 1;
}

/**
 * A resident ID as the city receives it: the region (first six digits) and the last four, the
 * birth date and sequence hidden (`430503********123X`) — enough to link an admission to its
 * discharge, not to identify the person. Anything not shaped like an ID is hidden entirely.
 */
export function maskResidentIdForCity(residentId: string): string {
  const id = residentId.trim();
  return id.length === 18 ? `${id.slice(0, 6)}********${id.slice(14)}` : '******************';
}

/** Delay before attempt `attempt` (2, 3, …): base, 2×base, 4×base … capped. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  if (attempt <= 1) return 0;
  return Math.min(maxMs, baseMs * 2 ** (attempt - 2));
}

// ---------------------------------------------------------------------------------------------
// CSV: one record per feed item, the same content as the JSON items, flattened.

export const CITY_FEED_CSV_COLUMNS = [
  'cursor',
  'event_id',
  'event_type',
  'occurred_at',
  'division_code',
  'kind',
  'event',
  'institution_id',
  'name',
  'ownership',
  'status',
  'opened_on',
  'closed_on',
  'beds_effective_from',
  'beds_self_care',
  'beds_semi_dependent',
  'beds_dependent',
  'total_beds',
  'admission_id',
  'resident_id_masked',
  'bed_type',
  'funding',
  'admitted_on',
  'discharged_on',
  'discharge_reason',
  'service',
  'service_id',
  'delivered_on',
  'amount_fen',
] as const;
export type CityFeedCsvColumn = (typeof CITY_FEED_CSV_COLUMNS)[number];

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvRecord(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

export function cityFeedCsvHeader(): string {
  return csvRecord(CITY_FEED_CSV_COLUMNS);
}

/** The item's columns (empty where a kind has no such field). */
export function cityFeedCsvValues(item: CityFeedItem): Record<CityFeedCsvColumn, string> {
  const values = Object.fromEntries(CITY_FEED_CSV_COLUMNS.map((c) => [c, ''])) as Record<CityFeedCsvColumn, string>;
  values.cursor = item.cursor;
  values.event_id = item.eventId;
  values.event_type = item.eventType;
  values.occurred_at = item.occurredAt;
  values.division_code = item.divisionCode;
  const r = item.record;
  values.kind = r.kind;
  switch (r.kind) {
    case 'institution':
      Object.assign(values, {
        institution_id: r.institutionId,
        name: r.name,
        ownership: r.ownership,
        status: r.status,
        opened_on: r.openedOn,
        closed_on: r.closedOn ?? '',
        beds_effective_from: r.bedsEffectiveFrom,
        beds_self_care: String(r.beds['self-care']),
        beds_semi_dependent: String(r.beds['semi-dependent']),
        beds_dependent: String(r.beds.dependent),
        total_beds: String(r.totalBeds),
      });
      break;
    case 'resident-stay':
      Object.assign(values, {
        event: r.event,
        institution_id: r.institutionId,
        admission_id: r.admissionId,
        resident_id_masked: r.residentIdMasked,
        bed_type: r.bedType,
        funding: r.funding,
        admitted_on: r.admittedOn,
        discharged_on: r.dischargedOn ?? '',
        discharge_reason: r.dischargeReason ?? '',
      });
      break;
    case 'service-delivered':
      Object.assign(values, {
        service: r.service,
        service_id: r.serviceId,
        resident_id_masked: r.residentIdMasked,
        delivered_on: r.deliveredOn,
        amount_fen: String(r.amountFen),
      });
      break;
  }
  return values;
}

export function cityFeedCsvRecord(item: CityFeedItem): string {
  const values = cityFeedCsvValues(item);
  return csvRecord(CITY_FEED_CSV_COLUMNS.map((c) => values[c]));
}
