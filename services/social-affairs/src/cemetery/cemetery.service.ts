import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { v7 as uuidv7 } from 'uuid';
import { todayInShanghai } from '@civil/domain-kernel';
import {
  CemeteryEvents,
  DomainError,
  bookCemeteryVisitSchema,
  cancelCemeteryBookingSchema,
  checkInCemeteryBookingSchema,
  getCemeteryBookingSchema,
  hasPermission,
  listCemeterySlotsSchema,
  markCemeteryNoShowsSchema,
  openCemeterySlotsSchema,
  parseOrThrow,
  residentIdFor,
  type Actor,
  type BookCemeteryVisitInput,
  type CancelCemeteryBookingInput,
  type CemeteryBookingEventV1,
  type CemeteryBookingStatus,
  type CemeteryBookingView,
  type CemeterySiteView,
  type CemeterySlotListView,
  type CemeterySlotView,
  type CemeterySlotsOpenedV1,
  type CheckInCemeteryBookingInput,
  type GetCemeteryBookingInput,
  type ListCemeterySlotsInput,
  type MarkCemeteryNoShowsInput,
  type MarkCemeteryNoShowsResult,
  type OpenCemeterySlotsInput,
  type OpenCemeterySlotsResult,
} from '@civil/contracts';
import { lookupHashOrNull, Outbox, PersonalDataCipher, sealResidentId, type Transaction } from '@civil/platform';
import type { DataSource, EntityManager } from 'typeorm';
import {
  checkBookable,
  checkCancellable,
  checkCheckIn,
  checkGraveAllowance,
  checkNoShowDate,
  coversSite,
  eventKeyOf,
  isCemeteryStaff,
  newBookingCode,
  normaliseGraveNumber,
  openingDates,
  placesLeft,
  requireSiteScope,
  requireStaff,
  visitorOf,
} from './cemetery.domain';
import { environmentCipher } from '../resident-ids';

interface SiteRow {
  id: string;
  name: string;
  division_code: string;
  address: string;
}
interface SlotRow {
  id: string;
  site_id: string;
  visit_date: string;
  starts_at: string;
  ends_at: string;
  capacity: number;
  booked: number;
}
interface BookingRow {
  id: string;
  booking_code: string;
  slot_id: string;
  site_id: string;
  site_name: string;
  division_code: string;
  visit_date: string;
  starts_at: string;
  ends_at: string;
  grave_number: string;
  /** Decrypted from visitor_resident_id_enc once read (the table holds only its hash and ciphertext). */
  visitor_resident_id: string;
  visitor_name: string;
  mobile: string;
  visitors: number;
  status: CemeteryBookingStatus;
  created_at: Date;
  updated_at: Date;
}

/** A booking with its site's division, for scope checks and events (the division is not in the view). */
interface ScopedBooking {
  /** What the caller sees: the visitor's resident ID and mobile number masked unless they may reveal them. */
  view: CemeteryBookingView;
  divisionCode: string;
  /** The lookup hash of the visitor's resident ID, for recognising a citizen's own booking. */
  visitorResidentIdHash: string;
}

const SLOT_COLUMNS = `id, site_id, to_char(visit_date, 'YYYY-MM-DD') AS visit_date, to_char(starts_at, 'HH24:MI') AS starts_at,
  to_char(ends_at, 'HH24:MI') AS ends_at, capacity, booked`;
const BOOKING_SELECT = `SELECT b.id, b.booking_code, b.slot_id, s.site_id, t.name AS site_name, t.division_code,
    to_char(s.visit_date, 'YYYY-MM-DD') AS visit_date, to_char(s.starts_at, 'HH24:MI') AS starts_at, to_char(s.ends_at, 'HH24:MI') AS ends_at,
    b.grave_number, b.visitor_resident_id_hash, b.visitor_resident_id_enc, b.visitor_name, b.mobile, b.visitors, b.status, b.created_at, b.updated_at
  FROM cemetery_booking b JOIN cemetery_slot s ON s.id = b.slot_id JOIN cemetery_site t ON t.id = s.site_id`;

/** Attempts at a fresh booking code before giving up (31^8 codes: a clash is already rare). */
const CODE_ATTEMPTS = 5;

/**
 * 祭扫预约: sites open slots with a capacity; citizens (or staff for them) book a visit to a grave.
 * A booking takes its places with one conditional UPDATE on the slot row (`booked + n <= capacity`),
 * so concurrent bookings never overbook; the per-grave limit is checked under a transaction-scoped
 * advisory lock on (site, day, grave). Every change emits its event through the outbox in the same
 * transaction.
 */
@Injectable()
export class CemeteryService {
  constructor(
    private readonly outbox: Outbox,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: PersonalDataCipher = environmentCipher(),
  ) {}

  /** A site's slots on a day with the places left (public). */
  async listSlots(input: ListCemeterySlotsInput): Promise<CemeterySlotListView> {
    const { siteId, date } = parseOrThrow(listCemeterySlotsSchema, input);
    const site = await this.site(this.dataSource.manager, siteId);
    const rows = await this.dataSource.query<SlotRow[]>(`SELECT ${SLOT_COLUMNS} FROM cemetery_slot WHERE site_id = $1 AND visit_date = $2 ORDER BY starts_at`, [
      siteId,
      date,
    ]);
    return { site, visitDate: date, items: rows.map(toSlotView) };
  }

  /** Opens the day plan on every day of the range; slots that already exist are left alone. */
  async openSlots(input: OpenCemeterySlotsInput, actor: Actor, today = todayInShanghai()): Promise<OpenCemeterySlotsResult> {
    requireStaff(actor, 'open cemetery slots');
    const data = parseOrThrow(openCemeterySlotsSchema, input);
    const dates = openingDates(data, today);
    const site = await this.site(this.dataSource.manager, data.siteId);
    requireSiteScope(actor, site);
    const planned = dates.flatMap((visitDate) => data.slots.map((slot) => ({ id: uuidv7(), visitDate, ...slot })));
    return this.outbox.transaction(async (tx) => {
      const rows = await tx.manager.query<SlotRow[]>(
        `INSERT INTO cemetery_slot (id, site_id, visit_date, starts_at, ends_at, capacity)
         SELECT id, $1, visit_date, starts_at, ends_at, capacity
           FROM unnest($2::uuid[], $3::date[], $4::time[], $5::time[], $6::int[]) AS p(id, visit_date, starts_at, ends_at, capacity)
         ON CONFLICT (site_id, visit_date, starts_at) DO NOTHING
         RETURNING ${SLOT_COLUMNS}`,
        [
          site.id,
          planned.map((p) => p.id),
          planned.map((p) => p.visitDate),
          planned.map((p) => p.startsAt),
          planned.map((p) => p.endsAt),
          planned.map((p) => p.capacity),
        ],
      );
      const items = rows.map(toSlotView).sort((a, b) => `${a.visitDate}T${a.startsAt}`.localeCompare(`${b.visitDate}T${b.startsAt}`));
      if (items.length > 0) {
        await tx.emit<CemeterySlotsOpenedV1>(actor, [
          {
            type: CemeteryEvents.slotsOpened,
            subject: `cemetery-site/${site.id}`,
            divisionCode: site.divisionCode,
            data: { siteId: site.id, fromDate: data.fromDate, toDate: data.toDate, slotIds: items.map((s) => s.id) },
          },
        ]);
      }
      return { items, skipped: planned.length - items.length };
    });
  }

  /**
   * Books a visit: the grave's limit under its advisory lock, then the slot's places with a
   * conditional UPDATE, then the booking with a fresh code, all in one transaction.
   */
  async book(input: BookCemeteryVisitInput, actor: Actor, now = new Date()): Promise<CemeteryBookingView> {
    const data = parseOrThrow(bookCemeteryVisitSchema, input);
    const visitorResidentId = visitorOf(actor, data.visitorResidentId);
    // Hash and ciphertext computed here, so the booking stays one INSERT (docs/benchmarks.md).
    const visitor = sealResidentId(this.cipher, visitorResidentId);
    const graveNumber = normaliseGraveNumber(data.graveNumber);
    // The slot and its site in one round trip: the booking path is CPU-bound (docs/benchmarks.md).
    const [found] = await this.dataSource.query<(SlotRow & { site_name: string; division_code: string })[]>(
      `SELECT s.id, s.site_id, to_char(s.visit_date, 'YYYY-MM-DD') AS visit_date, to_char(s.starts_at, 'HH24:MI') AS starts_at,
              to_char(s.ends_at, 'HH24:MI') AS ends_at, s.capacity, s.booked, t.name AS site_name, t.division_code
         FROM cemetery_slot s JOIN cemetery_site t ON t.id = s.site_id WHERE s.id = $1`,
      [data.slotId],
    );
    if (!found) throw notFound(`cemetery slot ${data.slotId}`);
    const slot: SlotRow = found;
    const site = { id: found.site_id, name: found.site_name, divisionCode: found.division_code };
    if (actor.kind !== 'citizen') requireSiteScope(actor, site);
    checkBookable({ visitDate: slot.visit_date, startsAt: slot.starts_at }, now);
    return this.outbox.transaction(async (tx) => {
      await tx.manager.query(`SELECT pg_advisory_xact_lock(hashtext('social-affairs.cemetery.grave'), hashtext($1))`, [
        `${site.id}|${slot.visit_date}|${graveNumber}`,
      ]);
      const [already] = await tx.manager.query<{ visitors: number }[]>(
        `SELECT coalesce(sum(b.visitors), 0)::int AS visitors
           FROM cemetery_booking b JOIN cemetery_slot s ON s.id = b.slot_id
          WHERE s.site_id = $1 AND s.visit_date = $2 AND b.grave_number = $3 AND b.status <> 'CANCELLED'`,
        [site.id, slot.visit_date, graveNumber],
      );
      checkGraveAllowance(already?.visitors ?? 0, data.visitors, graveNumber, slot.visit_date);
      const taken = await tx.manager.query<{ id: string }[]>(
        // (UPDATE … RETURNING inside a CTE: TypeORM returns [rows, count] for a bare UPDATE, the rows of a SELECT as they are.)
        `WITH taken AS (UPDATE cemetery_slot SET booked = booked + $2 WHERE id = $1 AND booked + $2 <= capacity RETURNING id) SELECT id FROM taken`,
        [slot.id, data.visitors],
      );
      if (taken.length === 0) {
        throw new DomainError('CONFLICT', `the slot ${slot.visit_date} ${slot.starts_at} has fewer than ${data.visitors} places left`, [
          { field: 'visitors', rule: 'slot-capacity', message: `the slot has fewer than ${data.visitors} places left` },
        ]);
      }
      const id = uuidv7();
      let inserted: Omit<BookingRow, 'visitor_resident_id'> | undefined;
      for (let attempt = 0; attempt < CODE_ATTEMPTS && !inserted; attempt++) {
        // The reply is built from what this statement returns and the slot already read: no re-read.
        [inserted] = await tx.manager.query<Omit<BookingRow, 'visitor_resident_id'>[]>(
          `INSERT INTO cemetery_booking (id, slot_id, booking_code, grave_number, visitor_resident_id_hash, visitor_resident_id_enc, visitor_name, mobile, visitors)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (booking_code) DO NOTHING
           RETURNING id, booking_code, slot_id, $10::uuid AS site_id, $11::text AS site_name, $12::text AS division_code, $13::text AS visit_date,
                     $14::text AS starts_at, $15::text AS ends_at, grave_number, visitor_name, mobile, visitors, status, created_at, updated_at`,
          [
            id,
            slot.id,
            newBookingCode(),
            graveNumber,
            visitor.hash,
            visitor.enc,
            data.visitorName,
            data.mobile,
            data.visitors,
            site.id,
            site.name,
            site.divisionCode,
            slot.visit_date,
            slot.starts_at,
            slot.ends_at,
          ],
        );
      }
      if (!inserted) throw new DomainError('INTERNAL', `no free booking code after ${CODE_ATTEMPTS} attempts`);
      // The number is the one just given: nothing to decrypt.
      const booking: ScopedBooking = { view: toBookingView({ ...inserted, visitor_resident_id: visitorResidentId }, actor), divisionCode: site.divisionCode, visitorResidentIdHash: visitor.hash };
      await this.emit(tx, actor, booking);
      return booking.view;
    });
  }

  /** A booking by id: staff within the site's divisions, a citizen only their own (else NOT_FOUND). */
  async get(input: GetCemeteryBookingInput, actor: Actor): Promise<CemeteryBookingView> {
    const { id } = parseOrThrow(getCemeteryBookingSchema, input);
    const booking = await this.bookingBy(this.dataSource.manager, 'b.id = $1', id, actor);
    this.requireVisible(actor, booking);
    return booking.view;
  }

  /** Cancels a BOOKED booking before its slot starts and frees its places. */
  async cancel(input: CancelCemeteryBookingInput, actor: Actor, now = new Date()): Promise<CemeteryBookingView> {
    const { id } = parseOrThrow(cancelCemeteryBookingSchema, input);
    return this.outbox.transaction(async (tx) => {
      const booking = await this.bookingBy(tx.manager, 'b.id = $1', id, actor, true);
      this.requireVisible(actor, booking);
      checkCancellable(booking.view, now);
      await tx.manager.query(`UPDATE cemetery_booking SET status = 'CANCELLED', updated_at = now() WHERE id = $1`, [id]);
      await tx.manager.query(`UPDATE cemetery_slot SET booked = booked - $2 WHERE id = $1`, [booking.view.slotId, booking.view.visitors]);
      const cancelled = await this.bookingBy(tx.manager, 'b.id = $1', id, actor);
      await this.emit(tx, actor, cancelled);
      return cancelled.view;
    });
  }

  /** Checks a booking in at the gate by its code, on its visit day (staff of the site's division). */
  async checkIn(input: CheckInCemeteryBookingInput, actor: Actor, today = todayInShanghai()): Promise<CemeteryBookingView> {
    requireStaff(actor, 'check cemetery visitors in');
    const { bookingCode } = parseOrThrow(checkInCemeteryBookingSchema, input);
    return this.outbox.transaction(async (tx) => {
      const booking = await this.bookingBy(tx.manager, 'b.booking_code = $1', bookingCode, actor, true);
      if (!coversSite(actor, booking.divisionCode)) throw notFound(`booking code ${bookingCode}`);
      checkCheckIn(booking.view, today);
      await tx.manager.query(`UPDATE cemetery_booking SET status = 'CHECKED_IN', updated_at = now() WHERE id = $1`, [booking.view.id]);
      const checkedIn = await this.bookingBy(tx.manager, 'b.id = $1', booking.view.id, actor);
      await this.emit(tx, actor, checkedIn);
      return checkedIn.view;
    });
  }

  /** Every still-BOOKED booking of a past day at the site becomes NO_SHOW, in one statement. */
  async markNoShows(input: MarkCemeteryNoShowsInput, actor: Actor, today = todayInShanghai()): Promise<MarkCemeteryNoShowsResult> {
    requireStaff(actor, 'mark cemetery no-shows');
    const { siteId, visitDate } = parseOrThrow(markCemeteryNoShowsSchema, input);
    checkNoShowDate(visitDate, today);
    const site = await this.site(this.dataSource.manager, siteId);
    requireSiteScope(actor, site);
    return this.outbox.transaction(async (tx) => {
      const rows = await tx.manager.query<{ id: string; slot_id: string; visitors: number }[]>(
        `WITH marked AS (
           UPDATE cemetery_booking b SET status = 'NO_SHOW', updated_at = now()
             FROM cemetery_slot s
            WHERE s.id = b.slot_id AND s.site_id = $1 AND s.visit_date = $2 AND b.status = 'BOOKED'
            RETURNING b.id, b.slot_id, b.visitors)
         SELECT id, slot_id, visitors FROM marked ORDER BY id`,
        [siteId, visitDate],
      );
      if (rows.length > 0) {
        await tx.emit<CemeteryBookingEventV1>(
          actor,
          rows.map((r) => ({
            type: CemeteryEvents.noShow,
            subject: `cemetery-booking/${r.id}`,
            divisionCode: site.divisionCode,
            data: { bookingId: r.id, siteId, slotId: r.slot_id, visitDate, visitors: r.visitors },
          })),
        );
      }
      return { siteId, visitDate, marked: rows.length };
    });
  }

  private requireVisible(actor: Actor, { view, divisionCode, visitorResidentIdHash }: ScopedBooking): void {
    const visible =
      actor.kind === 'citizen'
        ? lookupHashOrNull(this.cipher, actor.residentId) === visitorResidentIdHash
        : isCemeteryStaff(actor) && coversSite(actor, divisionCode);
    // Someone else's booking does not exist as far as the caller can tell.
    if (!visible) throw notFound(`cemetery booking ${view.id}`);
  }

  private async emit(tx: Transaction, actor: Actor, { view, divisionCode }: ScopedBooking): Promise<void> {
    await tx.emit<CemeteryBookingEventV1>(actor, [
      {
        type: CemeteryEvents[eventKeyOf(view.status)],
        subject: `cemetery-booking/${view.id}`,
        divisionCode,
        data: { bookingId: view.id, siteId: view.siteId, slotId: view.slotId, visitDate: view.visitDate, visitors: view.visitors },
      },
    ]);
  }

  private async site(manager: EntityManager, id: string): Promise<CemeterySiteView> {
    const [row] = await manager.query<SiteRow[]>(`SELECT id, name, division_code, address FROM cemetery_site WHERE id = $1`, [id]);
    if (!row) throw notFound(`cemetery site ${id}`);
    return { id: row.id, name: row.name, divisionCode: row.division_code, address: row.address };
  }

  private async slot(manager: EntityManager, id: string): Promise<SlotRow> {
    const [row] = await manager.query<SlotRow[]>(`SELECT ${SLOT_COLUMNS} FROM cemetery_slot WHERE id = $1`, [id]);
    if (!row) throw notFound(`cemetery slot ${id}`);
    return row;
  }

  /** The booking (with its site's division, for scope checks) as `actor` may see it; `lock` locks its row. NOT_FOUND if absent. */
  private async bookingBy(manager: EntityManager, where: string, key: string, actor: Actor, lock = false): Promise<ScopedBooking> {
    const [stored] = await manager.query<(Omit<BookingRow, 'visitor_resident_id'> & { visitor_resident_id_hash: string; visitor_resident_id_enc: string })[]>(
      `${BOOKING_SELECT} WHERE ${where}${lock ? ' FOR UPDATE OF b' : ''}`,
      [key],
    );
    if (!stored) throw notFound(where.includes('booking_code') ? `booking code ${key}` : `cemetery booking ${key}`);
    const row: BookingRow = { ...stored, visitor_resident_id: this.cipher.decrypt(stored.visitor_resident_id_enc) };
    return { view: toBookingView(row, actor), divisionCode: row.division_code, visitorResidentIdHash: stored.visitor_resident_id_hash };
  }
}

function notFound(what: string): DomainError {
  return new DomainError('NOT_FOUND', `${what} does not exist`);
}

function toSlotView(row: SlotRow): CemeterySlotView {
  return {
    id: row.id,
    siteId: row.site_id,
    visitDate: row.visit_date,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    capacity: row.capacity,
    booked: row.booked,
    placesLeft: placesLeft(row),
  };
}

function toBookingView(row: BookingRow, actor: Actor): CemeteryBookingView {
  return {
    id: row.id,
    bookingCode: row.booking_code,
    slotId: row.slot_id,
    siteId: row.site_id,
    siteName: row.site_name,
    visitDate: row.visit_date,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    graveNumber: row.grave_number,
    // Masked as everywhere in responses (430503********123X, 138****8000) unless the gateway let the
    // caller reveal them (audited there): the gate checks the code.
    visitorResidentId: residentIdFor(actor, row.visitor_resident_id),
    visitorName: row.visitor_name,
    mobile: hasPermission(actor, 'personal-data:reveal') ? row.mobile : `${row.mobile.slice(0, 3)}****${row.mobile.slice(7)}`,
    visitors: row.visitors,
    status: row.status,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
