import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import { todayInShanghai } from '@civil/domain-kernel';
import {
  CounsellingEvents,
  DomainError,
  bookCounsellingSchema,
  cancelCounsellingBookingSchema,
  counsellingSummarySchema,
  divisionLikePatterns,
  getCounsellingBookingSchema,
  hasAnyRole,
  listCounsellingBookingsSchema,
  listCounsellingSlotsSchema,
  listCounsellorsSchema,
  openCounsellingDaySchema,
  parseOrThrow,
  recordCounsellingSessionSchema,
  registerCounsellorSchema,
  residentIdFor,
  type Actor,
  type CounsellingBookingEventV1,
  type CounsellingBookingListView,
  type CounsellingBookingStatus,
  type CounsellingBookingView,
  type CounsellingKind,
  type CounsellingOutcome,
  type CounsellingSessionRecordedV1,
  type CounsellingSlotListView,
  type CounsellingSlotView,
  type CounsellingSummary,
  type CounsellorRole,
  type CounsellorView,
  type OpenCounsellingDayResult,
} from '@civil/contracts';
import { Outbox, PersonalDataCipher, sealResidentId, type Transaction } from '@civil/platform';
import type { DataSource, EntityManager } from 'typeorm';
import {
  SUMMARY_READERS,
  canCancel,
  canSee,
  checkBookable,
  checkCancellable,
  checkListRange,
  checkOpening,
  checkOutcome,
  checkRecordable,
  clientOf,
  isCounsellingStaff,
  requireRegistryScope,
  requireStaff,
  summarise,
  type SummaryRow,
} from './counselling.domain';
import { environmentCipher } from '../resident-ids';

const UNIQUE_VIOLATION = '23505';

interface RegistryRow {
  id: string;
  division_code: string;
}
interface SlotRow {
  id: string;
  registry_id: string;
  division_code: string;
  session_date: string;
  starts_at: string;
  ends_at: string;
  counsellor_id: string;
  counsellor_name: string;
  counsellor_role: CounsellorRole;
  capacity: number;
  booked: number;
}
interface BookingRow {
  id: string;
  slot_id: string;
  registry_id: string;
  division_code: string;
  session_date: string;
  starts_at: string;
  ends_at: string;
  counsellor_id: string;
  counsellor_name: string;
  counsellor_role: CounsellorRole;
  /** Decrypted once read: the table holds each number's lookup hash and ciphertext only. */
  client_resident_id: string;
  partner_resident_id: string | null;
  status: CounsellingBookingStatus;
  created_at: Date;
  kind: CounsellingKind | null;
  outcome: CounsellingOutcome | null;
  duration_minutes: number | null;
  follow_up_needed: boolean | null;
  recorded_at: Date | null;
}

const SLOT_SELECT = `SELECT s.id, s.registry_id, r.division_code, to_char(s.session_date, 'YYYY-MM-DD') AS session_date,
    to_char(s.starts_at, 'HH24:MI') AS starts_at, to_char(s.ends_at, 'HH24:MI') AS ends_at,
    s.counsellor_id, c.name AS counsellor_name, c.role AS counsellor_role, s.capacity, s.booked
  FROM counselling_slot s JOIN counsellor c ON c.id = s.counsellor_id JOIN marriage_registry r ON r.id = s.registry_id`;
const BOOKING_SELECT = `SELECT b.id, b.slot_id, s.registry_id, r.division_code, to_char(s.session_date, 'YYYY-MM-DD') AS session_date,
    to_char(s.starts_at, 'HH24:MI') AS starts_at, to_char(s.ends_at, 'HH24:MI') AS ends_at,
    s.counsellor_id, c.name AS counsellor_name, c.role AS counsellor_role,
    b.client_resident_id_enc, b.partner_resident_id_enc, b.status, b.created_at,
    x.kind, x.outcome, x.duration_minutes, x.follow_up_needed, x.recorded_at
  FROM counselling_booking b
  JOIN counselling_slot s ON s.id = b.slot_id
  JOIN counsellor c ON c.id = s.counsellor_id
  JOIN marriage_registry r ON r.id = s.registry_id
  LEFT JOIN counselling_session_record x ON x.booking_id = b.id`;
/** A booking row as read: the resident IDs still encrypted. */
type StoredBookingRow = Omit<BookingRow, 'client_resident_id' | 'partner_resident_id'> & { client_resident_id_enc: string; partner_resident_id_enc: string | null };

/** A listing returns at most this many bookings. */
const LIST_LIMIT = 500;

/**
 * 婚姻家庭辅导「镜圆」: counsellors of a registry; session days on Wednesdays that are not statutory
 * holidays, with slots (one counsellor, a capacity); bookings that take a place with one
 * conditional UPDATE on the slot row (`booked + 1 <= capacity`), so concurrent bookings never
 * overbook; and after the session a record of codes only (kind, outcome, duration, follow-up).
 * Every booking change and record emits its event through the outbox in the same transaction.
 */
@Injectable()
export class CounsellingService {
  constructor(
    private readonly outbox: Outbox,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: PersonalDataCipher = environmentCipher(),
  ) {}

  async registerCounsellor(input: z.input<typeof registerCounsellorSchema>, actor: Actor): Promise<CounsellorView> {
    requireStaff(actor, 'register counsellors');
    const data = parseOrThrow(registerCounsellorSchema, input);
    const registry = await this.registry(this.dataSource.manager, data.registryId);
    requireRegistryScope(actor, registry.division_code);
    const id = uuidv7();
    await this.dataSource.query(`INSERT INTO counsellor (id, registry_id, name, role, registered_by) VALUES ($1, $2, $3, $4, $5)`, [id, registry.id, data.name, data.role, actor.userId]);
    return { id, registryId: registry.id, name: data.name, role: data.role };
  }

  async listCounsellors(input: z.input<typeof listCounsellorsSchema>, actor: Actor): Promise<{ items: CounsellorView[] }> {
    requireStaff(actor, 'list counsellors');
    const { registryId } = parseOrThrow(listCounsellorsSchema, input);
    const registry = await this.registry(this.dataSource.manager, registryId);
    requireRegistryScope(actor, registry.division_code);
    const rows = await this.dataSource.query<{ id: string; name: string; role: CounsellorRole }[]>(`SELECT id, name, role FROM counsellor WHERE registry_id = $1 ORDER BY name, id`, [registryId]);
    return { items: rows.map((r) => ({ id: r.id, registryId, name: r.name, role: r.role })) };
  }

  /** Opens a Wednesday at a registry with its slots; a day is opened once. */
  async openDay(input: z.input<typeof openCounsellingDaySchema>, actor: Actor, today = todayInShanghai()): Promise<OpenCounsellingDayResult> {
    requireStaff(actor, 'open counselling days');
    const data = parseOrThrow(openCounsellingDaySchema, input);
    checkOpening(data, today);
    const registry = await this.registry(this.dataSource.manager, data.registryId);
    requireRegistryScope(actor, registry.division_code);
    const counsellors = await this.dataSource.query<{ id: string }[]>(`SELECT id FROM counsellor WHERE registry_id = $1 AND id = ANY($2::uuid[])`, [
      registry.id,
      data.slots.map((s) => s.counsellorId),
    ]);
    const unknown = data.slots.flatMap((s, i) => (counsellors.some((c) => c.id === s.counsellorId) ? [] : [i]));
    if (unknown.length > 0) {
      throw DomainError.validation(unknown.map((i) => ({ field: `slots[${i}].counsellorId`, rule: 'registry-counsellor', message: 'not a counsellor of this registry' })));
    }
    const planned = data.slots.map((slot) => ({ id: uuidv7(), ...slot }));
    return this.outbox.transaction(async (tx) => {
      const opened = await tx.manager.query<{ registry_id: string }[]>(
        `INSERT INTO counselling_day (registry_id, session_date, opened_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING registry_id`,
        [registry.id, data.sessionDate, actor.userId],
      );
      if (opened.length === 0) throw new DomainError('CONFLICT', `${data.sessionDate} is already open at this registry`);
      await tx.manager.query(
        `INSERT INTO counselling_slot (id, registry_id, session_date, starts_at, ends_at, counsellor_id, capacity)
         SELECT id, $1, $2, starts_at, ends_at, counsellor_id, capacity
           FROM unnest($3::uuid[], $4::time[], $5::time[], $6::uuid[], $7::int[]) AS p(id, starts_at, ends_at, counsellor_id, capacity)`,
        [
          registry.id,
          data.sessionDate,
          planned.map((p) => p.id),
          planned.map((p) => p.startsAt),
          planned.map((p) => p.endsAt),
          planned.map((p) => p.counsellorId),
          planned.map((p) => p.capacity),
        ],
      );
      const rows = await tx.manager.query<SlotRow[]>(`${SLOT_SELECT} WHERE s.registry_id = $1 AND s.session_date = $2 ORDER BY s.starts_at, c.name, s.id`, [registry.id, data.sessionDate]);
      return { registryId: registry.id, sessionDate: data.sessionDate, items: rows.map(toSlotView) };
    });
  }

  /** A registry's slots in a date range with the places left (public). */
  async listSlots(input: z.input<typeof listCounsellingSlotsSchema>): Promise<CounsellingSlotListView> {
    const { registryId, fromDate, toDate } = parseOrThrow(listCounsellingSlotsSchema, input);
    checkListRange(fromDate, toDate);
    await this.registry(this.dataSource.manager, registryId);
    const rows = await this.dataSource.query<SlotRow[]>(`${SLOT_SELECT} WHERE s.registry_id = $1 AND s.session_date BETWEEN $2 AND $3 ORDER BY s.session_date, s.starts_at, c.name, s.id`, [
      registryId,
      fromDate,
      toDate,
    ]);
    return { registryId, fromDate, toDate, items: rows.map(toSlotView) };
  }

  /** Books one place of a slot: one conditional UPDATE on the slot row, then the booking, in one transaction. */
  async book(input: z.input<typeof bookCounsellingSchema>, actor: Actor, now = new Date()): Promise<CounsellingBookingView> {
    const data = parseOrThrow(bookCounsellingSchema, input);
    const client = clientOf(actor, data.clientResidentId, data.partnerResidentId);
    const slot = await this.slot(this.dataSource.manager, data.slotId);
    if (actor.kind !== 'citizen') requireRegistryScope(actor, slot.division_code);
    checkBookable({ sessionDate: slot.session_date, startsAt: slot.starts_at }, now);
    const id = uuidv7();
    try {
      return await this.outbox.transaction(async (tx) => {
        const taken = await tx.manager.query<{ id: string }[]>(
          // (UPDATE … RETURNING inside a CTE: TypeORM returns [rows, count] for a bare UPDATE, the rows of a SELECT as they are.)
          `WITH taken AS (UPDATE counselling_slot SET booked = booked + 1 WHERE id = $1 AND booked + 1 <= capacity RETURNING id) SELECT id FROM taken`,
          [slot.id],
        );
        if (taken.length === 0) {
          throw new DomainError('CONFLICT', `the slot ${slot.session_date} ${slot.starts_at} is fully booked`, [{ field: 'slotId', rule: 'slot-capacity', message: 'the slot has no places left' }]);
        }
        const sealedClient = sealResidentId(this.cipher, client);
        const partner = data.partnerResidentId === undefined ? null : sealResidentId(this.cipher, data.partnerResidentId);
        await tx.manager.query(
          `INSERT INTO counselling_booking (id, slot_id, client_resident_id_hash, client_resident_id_enc, partner_resident_id_hash, partner_resident_id_enc, booked_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [id, slot.id, sealedClient.hash, sealedClient.enc, partner?.hash ?? null, partner?.enc ?? null, actor.userId],
        );
        const booking = await this.bookingBy(tx.manager, id);
        await this.emitBookingEvent(tx, actor, CounsellingEvents.booked, booking);
        return toBookingView(booking, actor);
      });
    } catch (error) {
      if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) throw new DomainError('CONFLICT', 'you already hold a booking of this slot');
      throw error;
    }
  }

  /** A booking: its client or partner, or staff within the registry's division; anyone else NOT_FOUND. */
  async get(input: z.input<typeof getCounsellingBookingSchema>, actor: Actor): Promise<CounsellingBookingView> {
    const { id } = parseOrThrow(getCounsellingBookingSchema, input);
    const booking = await this.bookingBy(this.dataSource.manager, id);
    if (!canSee(actor, parties(booking))) throw notFound(id);
    return toBookingView(booking, actor);
  }

  /** A citizen's own bookings (as client or partner); staff's within their divisions. */
  async list(input: z.input<typeof listCounsellingBookingsSchema>, actor: Actor): Promise<CounsellingBookingListView> {
    const filter = parseOrThrow(listCounsellingBookingsSchema, input);
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    if (actor.kind === 'citizen') {
      if (actor.residentId === undefined) return { items: [] };
      const me = param(this.cipher.lookupHash(actor.residentId));
      where.push(`(b.client_resident_id_hash = ${me} OR b.partner_resident_id_hash = ${me})`);
    } else {
      if (!isCounsellingStaff(actor)) throw new DomainError('FORBIDDEN', 'counselling bookings are seen by their clients and social-affairs staff');
      const scope = divisionLikePatterns(actor);
      if (scope !== null) where.push(`r.division_code LIKE ANY(${param(scope)}::text[])`);
    }
    if (filter.registryId !== undefined) where.push(`s.registry_id = ${param(filter.registryId)}`);
    if (filter.fromDate !== undefined) where.push(`s.session_date >= ${param(filter.fromDate)}`);
    if (filter.toDate !== undefined) where.push(`s.session_date <= ${param(filter.toDate)}`);
    if (filter.status !== undefined) where.push(`b.status = ${param(filter.status)}`);
    const rows = await this.dataSource.query<StoredBookingRow[]>(
      `${BOOKING_SELECT}${where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`} ORDER BY s.session_date, s.starts_at, b.created_at, b.id LIMIT ${LIST_LIMIT}`,
      params,
    );
    return { items: rows.map((row) => toBookingView(this.decrypted(row), actor)) };
  }

  /** Cancels a BOOKED booking before its slot starts and frees its place (the client, or staff). */
  async cancel(input: z.input<typeof cancelCounsellingBookingSchema>, actor: Actor, now = new Date()): Promise<CounsellingBookingView> {
    const { id } = parseOrThrow(cancelCounsellingBookingSchema, input);
    return this.outbox.transaction(async (tx) => {
      const booking = await this.bookingBy(tx.manager, id, true);
      const who = parties(booking);
      if (!canSee(actor, who)) throw notFound(id);
      if (!canCancel(actor, who)) throw new DomainError('FORBIDDEN', 'only the client who booked, or staff, may cancel');
      checkCancellable({ status: booking.status, sessionDate: booking.session_date, startsAt: booking.starts_at }, now);
      await tx.manager.query(`UPDATE counselling_booking SET status = 'CANCELLED', updated_at = now() WHERE id = $1`, [id]);
      await tx.manager.query(`UPDATE counselling_slot SET booked = booked - 1 WHERE id = $1`, [booking.slot_id]);
      const cancelled = await this.bookingBy(tx.manager, id);
      await this.emitBookingEvent(tx, actor, CounsellingEvents.cancelled, cancelled);
      return toBookingView(cancelled, actor);
    });
  }

  /**
   * Records a held session: codes only (kind, outcome fitting the kind, duration, follow-up
   * needed). The schema is strict, so free text such as `notes` is refused before anything is
   * written; the booking becomes ATTENDED.
   */
  async recordSession(input: z.input<typeof recordCounsellingSessionSchema>, actor: Actor, now = new Date()): Promise<CounsellingBookingView> {
    requireStaff(actor, 'record counselling sessions');
    const data = parseOrThrow(recordCounsellingSessionSchema, input);
    checkOutcome(data.kind, data.outcome);
    return this.outbox.transaction(async (tx) => {
      const booking = await this.bookingBy(tx.manager, data.id, true);
      if (!canSee(actor, parties(booking))) throw notFound(data.id);
      checkRecordable({ status: booking.status, sessionDate: booking.session_date, startsAt: booking.starts_at }, now);
      await tx.manager.query(
        `INSERT INTO counselling_session_record (booking_id, kind, outcome, duration_minutes, follow_up_needed, recorded_by) VALUES ($1, $2, $3, $4, $5, $6)`,
        [booking.id, data.kind, data.outcome, data.durationMinutes, data.followUpNeeded, actor.userId],
      );
      await tx.manager.query(`UPDATE counselling_booking SET status = 'ATTENDED', updated_at = now() WHERE id = $1`, [booking.id]);
      const recorded = await this.bookingBy(tx.manager, booking.id);
      const event: CounsellingSessionRecordedV1 = {
        bookingId: recorded.id,
        slotId: recorded.slot_id,
        counsellorId: recorded.counsellor_id,
        registryId: recorded.registry_id,
        sessionDate: recorded.session_date,
        kind: data.kind,
        outcome: data.outcome,
      };
      await tx.emit<CounsellingSessionRecordedV1>(actor, [
        { type: CounsellingEvents.sessionRecorded, subject: `counselling-booking/${recorded.id}`, divisionCode: recorded.division_code, data: event },
      ]);
      return toBookingView(recorded, actor);
    });
  }

  /** The year's recorded sessions (by session date) within the caller's divisions, by kind and outcome. */
  async summary(input: z.input<typeof counsellingSummarySchema>, actor: Actor): Promise<CounsellingSummary> {
    if (actor.kind === 'citizen' || !hasAnyRole(actor, SUMMARY_READERS)) throw new DomainError('FORBIDDEN', 'the summary is for social-affairs staff, auditors and leaders');
    const { year } = parseOrThrow(counsellingSummarySchema, input);
    const scope = divisionLikePatterns(actor);
    const rows = await this.dataSource.query<SummaryRow[]>(
      `SELECT x.kind, x.outcome, count(*)::int AS sessions, sum(x.duration_minutes)::int AS minutes, count(*) FILTER (WHERE x.follow_up_needed)::int AS "followUps"
         FROM counselling_session_record x
         JOIN counselling_booking b ON b.id = x.booking_id
         JOIN counselling_slot s ON s.id = b.slot_id
         JOIN marriage_registry r ON r.id = s.registry_id
        WHERE s.session_date >= make_date($1, 1, 1) AND s.session_date < make_date($1 + 1, 1, 1)${scope === null ? '' : ' AND r.division_code LIKE ANY($2::text[])'}
        GROUP BY x.kind, x.outcome`,
      scope === null ? [year] : [year, scope],
    );
    return summarise(year, rows);
  }

  private async emitBookingEvent(tx: Transaction, actor: Actor, type: string, booking: BookingRow): Promise<void> {
    const data: CounsellingBookingEventV1 = {
      bookingId: booking.id,
      slotId: booking.slot_id,
      counsellorId: booking.counsellor_id,
      registryId: booking.registry_id,
      sessionDate: booking.session_date,
    };
    await tx.emit<CounsellingBookingEventV1>(actor, [{ type, subject: `counselling-booking/${booking.id}`, divisionCode: booking.division_code, data }]);
  }

  private async registry(manager: EntityManager, id: string): Promise<RegistryRow> {
    const [row] = await manager.query<RegistryRow[]>(`SELECT id, division_code FROM marriage_registry WHERE id = $1`, [id]);
    if (!row) throw new DomainError('NOT_FOUND', `marriage registry ${id} does not exist`);
    return row;
  }

  private async slot(manager: EntityManager, id: string): Promise<SlotRow> {
    const [row] = await manager.query<SlotRow[]>(`${SLOT_SELECT} WHERE s.id = $1`, [id]);
    if (!row) throw new DomainError('NOT_FOUND', `counselling slot ${id} does not exist`);
    return row;
  }

  /** The booking with its slot, counsellor, registry division and record; `lock` locks its row. */
  private async bookingBy(manager: EntityManager, id: string, lock = false): Promise<BookingRow> {
    const [row] = await manager.query<StoredBookingRow[]>(`${BOOKING_SELECT} WHERE b.id = $1${lock ? ' FOR UPDATE OF b' : ''}`, [id]);
    if (!row) throw notFound(id);
    return this.decrypted(row);
  }

  private decrypted({ client_resident_id_enc, partner_resident_id_enc, ...row }: StoredBookingRow): BookingRow {
    return { ...row, client_resident_id: this.cipher.decrypt(client_resident_id_enc), partner_resident_id: partner_resident_id_enc === null ? null : this.cipher.decrypt(partner_resident_id_enc) };
  }
}

function notFound(id: string): DomainError {
  return new DomainError('NOT_FOUND', `counselling booking ${id} does not exist`);
}

function parties(row: BookingRow): { clientResidentId: string; partnerResidentId: string | null; divisionCode: string } {
  return { clientResidentId: row.client_resident_id, partnerResidentId: row.partner_resident_id, divisionCode: row.division_code };
}

function toSlotView(row: SlotRow): CounsellingSlotView {
  return {
    id: row.id,
    registryId: row.registry_id,
    sessionDate: row.session_date,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    counsellor: { id: row.counsellor_id, name: row.counsellor_name, role: row.counsellor_role },
    capacity: row.capacity,
    booked: row.booked,
    placesLeft: Math.max(0, row.capacity - row.booked),
  };
}

/** The booking as `actor` may see it: resident IDs masked unless the gateway let them reveal them. */
function toBookingView(row: BookingRow, actor: Actor): CounsellingBookingView {
  return {
    id: row.id,
    slotId: row.slot_id,
    registryId: row.registry_id,
    sessionDate: row.session_date,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    counsellor: { id: row.counsellor_id, name: row.counsellor_name, role: row.counsellor_role },
    clientResidentId: residentIdFor(actor, row.client_resident_id),
    partnerResidentId: row.partner_resident_id === null ? null : residentIdFor(actor, row.partner_resident_id),
    status: row.status,
    record:
      row.kind === null || row.outcome === null || row.duration_minutes === null || row.follow_up_needed === null || row.recorded_at === null
        ? null
        : { kind: row.kind, outcome: row.outcome, durationMinutes: row.duration_minutes, followUpNeeded: row.follow_up_needed, recordedAt: new Date(row.recorded_at).toISOString() },
    createdAt: new Date(row.created_at).toISOString(),
  };
}
