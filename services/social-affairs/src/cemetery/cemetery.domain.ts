/**
 * 祭扫预约 (cemetery-visit booking) as pure rules: who may manage sites and book for others, booking
 * codes, the day plan of slots, the per-grave limit, and when a booking may be cancelled, checked in
 * or marked a no-show. No I/O: the service loads rows (under locks where it matters) and calls
 * these checks.
 */
import { randomInt } from 'node:crypto';
import { addDays, daysBetween } from '@civil/domain-kernel';
import {
  CEMETERY_BOOKING_CODE_ALPHABET,
  CEMETERY_BOOKING_CODE_LENGTH,
  CEMETERY_BOOKING_CODE_PATTERN,
  DomainError,
  MAX_VISITORS_PER_GRAVE_PER_DAY,
  actorCoversDivision,
  type Actor,
  type CemeteryBookingStatus,
  type FieldError,
  type Role,
} from '@civil/contracts';

/** Social-affairs staff who open slots, book for visitors, check in and mark no-shows. */
export const CEMETERY_STAFF: readonly Role[] = ['registrar', 'admin'];

/** The longest range of days one `openCemeterySlots` request may cover. */
export const MAX_OPEN_DAYS = 60;

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

export function isCemeteryStaff(actor: Pick<Actor, 'kind' | 'roles'>): boolean {
  return actor.kind !== 'citizen' && actor.roles.some((r) => CEMETERY_STAFF.includes(r));
}

/** Throws FORBIDDEN unless the actor is social-affairs staff. */
export function requireStaff(actor: Actor, what: string): void {
  if (!isCemeteryStaff(actor)) throw new DomainError('FORBIDDEN', `only ${CEMETERY_STAFF.join(', ')} may ${what}`);
}

/** The system actor is unrestricted; anyone else must cover the division. */
export function coversSite(actor: Actor, divisionCode: string): boolean {
  return actor.kind === 'system' || actorCoversDivision(actor, divisionCode);
}

/** Throws OUT_OF_DIVISION_SCOPE unless the actor covers the site's division. */
export function requireSiteScope(actor: Actor, site: { name: string; divisionCode: string }): void {
  if (!coversSite(actor, site.divisionCode)) {
    throw new DomainError('OUT_OF_DIVISION_SCOPE', `${site.name} (${site.divisionCode}) is outside your divisions`);
  }
}

// ---------------------------------------------------------------------------------------------
// Booking codes

/** A fresh booking code: 8 characters from an alphabet without look-alikes, from crypto randomness. */
export function newBookingCode(random: (max: number) => number = randomInt): string {
  let code = '';
  for (let i = 0; i < CEMETERY_BOOKING_CODE_LENGTH; i++) code += CEMETERY_BOOKING_CODE_ALPHABET.charAt(random(CEMETERY_BOOKING_CODE_ALPHABET.length));
  return code;
}

export function isBookingCode(value: string): boolean {
  return CEMETERY_BOOKING_CODE_PATTERN.test(value);
}

// ---------------------------------------------------------------------------------------------
// Time

/** The date (YYYY-MM-DD) and time of day (HH:MM) in Shanghai at the instant. */
export function shanghaiClock(now: Date): { date: string; time: string } {
  const iso = new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

/** True once the slot (its day and start, Shanghai time) has begun at `now`. */
export function slotHasStarted(slot: { visitDate: string; startsAt: string }, now: Date): boolean {
  const clock = shanghaiClock(now);
  return `${slot.visitDate}T${slot.startsAt}` <= `${clock.date}T${clock.time}`;
}

// ---------------------------------------------------------------------------------------------
// Slots

export interface DayPlanSlot {
  startsAt: string;
  endsAt: string;
  capacity: number;
}

/**
 * The dates of an opening request, after checking it: `toDate` not before `fromDate`, at most
 * {@link MAX_OPEN_DAYS} days, not in the past; each slot ends after it starts; no two slots of the
 * plan start at the same time. Throws VALIDATION_FAILED naming every bad field.
 */
export function openingDates(input: { fromDate: string; toDate: string; slots: readonly DayPlanSlot[] }, today: string): string[] {
  const errors: FieldError[] = [];
  const span = daysBetween(input.fromDate, input.toDate);
  if (span < 0) errors.push({ field: 'toDate', rule: 'after-start', message: `must not be before fromDate (${input.fromDate})` });
  else if (span >= MAX_OPEN_DAYS) errors.push({ field: 'toDate', rule: 'max-range', message: `must be within ${MAX_OPEN_DAYS} days of fromDate` });
  if (input.fromDate < today) errors.push({ field: 'fromDate', rule: 'not-past', message: `must not be before today (${today})` });
  const starts = new Set<string>();
  input.slots.forEach((slot, i) => {
    if (slot.endsAt <= slot.startsAt) errors.push({ field: `slots[${i}].endsAt`, rule: 'after-start', message: `must be after startsAt (${slot.startsAt})` });
    if (starts.has(slot.startsAt)) errors.push({ field: `slots[${i}].startsAt`, rule: 'unique', message: `another slot of the plan already starts at ${slot.startsAt}` });
    starts.add(slot.startsAt);
  });
  if (errors.length > 0) throw DomainError.validation(errors);
  const dates: string[] = [];
  for (let d = input.fromDate; d <= input.toDate; d = addDays(d, 1)) dates.push(d);
  return dates;
}

// ---------------------------------------------------------------------------------------------
// Bookings

/** A grave number as compared for the per-grave limit: NFKC, spaces collapsed, capitals. */
export function normaliseGraveNumber(graveNumber: string): string {
  return graveNumber.normalize('NFKC').trim().replace(/\s+/g, ' ').toUpperCase();
}

/**
 * Whose visit it is: a citizen books for themselves only (their own resident ID, given or not);
 * staff name the visitor. Throws FORBIDDEN for anyone else, VALIDATION_FAILED for a missing or
 * foreign resident ID.
 */
export function visitorOf(actor: Actor, visitorResidentId: string | undefined): string {
  if (actor.kind === 'citizen') {
    if (actor.residentId === undefined) throw new DomainError('FORBIDDEN', 'your account has no resident ID to book with');
    if (visitorResidentId !== undefined && visitorResidentId !== actor.residentId) {
      throw DomainError.validation([{ field: 'visitorResidentId', rule: 'self', message: 'a citizen may book only for themselves' }]);
    }
    return actor.residentId;
  }
  requireStaff(actor, 'book cemetery visits for others');
  if (visitorResidentId === undefined) throw DomainError.validation([{ field: 'visitorResidentId', rule: 'required', message: 'is required when staff book' }]);
  return visitorResidentId;
}

/** A slot may be booked until it starts. */
export function checkBookable(slot: { visitDate: string; startsAt: string }, now: Date): void {
  if (slotHasStarted(slot, now)) throw new DomainError('CONFLICT', `the slot ${slot.visitDate} ${slot.startsAt} has already started`);
}

/**
 * The per-grave limit: with the grave's other non-cancelled bookings that day (`alreadyBooked`
 * visitors), at most {@link MAX_VISITORS_PER_GRAVE_PER_DAY}. Throws CONFLICT naming `visitors`.
 */
export function checkGraveAllowance(alreadyBooked: number, visitors: number, graveNumber: string, visitDate: string): void {
  const left = Math.max(0, MAX_VISITORS_PER_GRAVE_PER_DAY - alreadyBooked);
  if (visitors > left) {
    const message = `grave ${graveNumber} has ${left} of ${MAX_VISITORS_PER_GRAVE_PER_DAY} visitor places left on ${visitDate}, ${visitors} asked`;
    throw new DomainError('CONFLICT', message, [{ field: 'visitors', rule: 'per-grave-limit', message }]);
  }
}

/** The slot has room for the visitors; the service enforces the same with a conditional UPDATE. */
export function placesLeft(slot: { capacity: number; booked: number }): number {
  return Math.max(0, slot.capacity - slot.booked);
}

export interface BookingState {
  status: CemeteryBookingStatus;
  visitDate: string;
  startsAt: string;
}

/** A booking may be cancelled while BOOKED and before its slot starts. */
export function checkCancellable(booking: BookingState, now: Date): void {
  if (booking.status !== 'BOOKED') throw new DomainError('CONFLICT', `a ${booking.status} booking cannot be cancelled`);
  if (slotHasStarted(booking, now)) throw new DomainError('CONFLICT', `the slot ${booking.visitDate} ${booking.startsAt} has already started; it can no longer be cancelled`);
}

/** A booking is checked in once, on its visit day, while BOOKED. */
export function checkCheckIn(booking: BookingState, today: string): void {
  if (booking.status !== 'BOOKED') throw new DomainError('CONFLICT', `a ${booking.status} booking cannot be checked in`);
  if (booking.visitDate !== today) throw new DomainError('CONFLICT', `the booking is for ${booking.visitDate}, not today (${today})`);
}

/** No-shows are marked only for a day that is over. */
export function checkNoShowDate(visitDate: string, today: string): void {
  if (visitDate >= today) throw DomainError.validation([{ field: 'visitDate', rule: 'past', message: `must be before today (${today})` }]);
}

/** What event a status change emits; exhaustive over the statuses a booking can move to. */
export function eventKeyOf(status: CemeteryBookingStatus): 'confirmed' | 'checkedIn' | 'cancelled' | 'noShow' {
  switch (status) {
    case 'BOOKED':
      return 'confirmed';
    case 'CHECKED_IN':
      return 'checkedIn';
    case 'CANCELLED':
      return 'cancelled';
    case 'NO_SHOW':
      return 'noShow';
  }
}
