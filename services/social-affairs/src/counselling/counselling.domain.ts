/**
 * Marriage and family counselling (「镜圆」) as pure rules: which days sessions may be held on
 * (Wednesdays that are not statutory holidays), the day plan of slots, whose booking it is, who
 * may see or cancel it, when it may be cancelled or its session recorded, which outcome fits which
 * kind of session, and the yearly summary. No I/O: the service loads rows and calls these.
 */
import { CHINA_STATUTORY_CALENDAR_DATA, WorkingDayCalendar, daysBetween, dayOfWeek } from '@civil/domain-kernel';
import {
  COUNSELLING_KINDS,
  COUNSELLING_OUTCOMES_BY_KIND,
  COUNSELLING_WEEKDAY,
  DomainError,
  actorCoversDivision,
  type Actor,
  type CounsellingBookingStatus,
  type CounsellingKind,
  type CounsellingOutcome,
  type CounsellingSummary,
  type FieldError,
  type Role,
} from '@civil/contracts';

/** Staff who register counsellors, open days, book for citizens, cancel and record sessions. */
export const COUNSELLING_STAFF: readonly Role[] = ['registrar', 'admin'];
/** Who may read the yearly summary (figures only, no persons). */
export const SUMMARY_READERS: readonly Role[] = ['registrar', 'admin', 'auditor', 'leader'];

/** How far ahead a session day may be opened. */
export const MAX_DAYS_AHEAD = 182;
/** The longest range one slot listing may cover. */
export const MAX_LIST_DAYS = 92;

/** The statutory calendar the kernel carries (holidays and 调休 working weekends by year), as divorce uses it. */
export const STATUTORY_CALENDAR = new WorkingDayCalendar({
  holidays: Object.values(CHINA_STATUTORY_CALENDAR_DATA).flatMap((year) => year.holidays),
  workingWeekends: Object.values(CHINA_STATUTORY_CALENDAR_DATA).flatMap((year) => year.workingWeekends),
});

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

export function isCounsellingStaff(actor: Pick<Actor, 'kind' | 'roles'>): boolean {
  return actor.kind !== 'citizen' && actor.roles.some((r) => COUNSELLING_STAFF.includes(r));
}

/** Throws FORBIDDEN unless the actor is counselling staff. */
export function requireStaff(actor: Actor, what: string): void {
  if (!isCounsellingStaff(actor)) throw new DomainError('FORBIDDEN', `only ${COUNSELLING_STAFF.join(', ')} may ${what}`);
}

/** The system actor is unrestricted; anyone else must cover the registry's division. */
export function coversRegistry(actor: Actor, divisionCode: string): boolean {
  return actor.kind === 'system' || actorCoversDivision(actor, divisionCode);
}

export function requireRegistryScope(actor: Actor, divisionCode: string): void {
  if (!coversRegistry(actor, divisionCode)) throw new DomainError('OUT_OF_DIVISION_SCOPE', `the registry (${divisionCode}) is outside your divisions`);
}

// ---------------------------------------------------------------------------------------------
// Session days

/**
 * Why a date cannot be a session day, each naming `sessionDate`; empty when it can. Sessions are
 * held on Wednesdays; a Wednesday that is a statutory day off (e.g. 1 October) is refused, and so
 * is a year whose holiday arrangement the calendar does not hold yet (it cannot tell).
 */
export function sessionDateRefusals(sessionDate: string, today: string, calendar: WorkingDayCalendar = STATUTORY_CALENDAR): FieldError[] {
  const field = 'sessionDate';
  const errors: FieldError[] = [];
  if (dayOfWeek(sessionDate) !== COUNSELLING_WEEKDAY) errors.push({ field, rule: 'wednesday', message: `sessions are held on Wednesdays; ${sessionDate} is not one` });
  if (sessionDate < today) errors.push({ field, rule: 'not-past', message: `must not be before today (${today})` });
  else if (daysBetween(today, sessionDate) > MAX_DAYS_AHEAD) errors.push({ field, rule: 'max-ahead', message: `open a day at most ${MAX_DAYS_AHEAD} days ahead` });
  if (errors.length > 0) return errors;
  const year = Number(sessionDate.slice(0, 4));
  if (!calendar.covers(year)) {
    errors.push({ field, rule: 'holiday-calendar', message: `the statutory holiday arrangement of ${year} is not loaded yet, so ${sessionDate} cannot be confirmed as a working day` });
  } else if (!calendar.isWorkingDay(sessionDate)) {
    errors.push({ field, rule: 'statutory-holiday', message: `${sessionDate} is a statutory holiday; no sessions are held` });
  }
  return errors;
}

export interface PlannedSlot {
  startsAt: string;
  endsAt: string;
  counsellorId: string;
  capacity: number;
}

/** Each slot ends after it starts; a counsellor's slots of the day do not overlap. */
export function dayPlanRefusals(slots: readonly PlannedSlot[]): FieldError[] {
  const errors: FieldError[] = [];
  slots.forEach((slot, i) => {
    if (slot.endsAt <= slot.startsAt) errors.push({ field: `slots[${i}].endsAt`, rule: 'after-start', message: `must be after startsAt (${slot.startsAt})` });
  });
  slots.forEach((slot, i) => {
    const clash = slots.findIndex((other, j) => j < i && other.counsellorId === slot.counsellorId && other.startsAt < slot.endsAt && slot.startsAt < other.endsAt);
    if (clash >= 0) errors.push({ field: `slots[${i}].counsellorId`, rule: 'counsellor-overlap', message: `the counsellor already has slots[${clash}] at that time` });
  });
  return errors;
}

/** Checks an opening request; throws VALIDATION_FAILED naming every bad field. */
export function checkOpening(input: { sessionDate: string; slots: readonly PlannedSlot[] }, today: string, calendar: WorkingDayCalendar = STATUTORY_CALENDAR): void {
  const errors = [...sessionDateRefusals(input.sessionDate, today, calendar), ...dayPlanRefusals(input.slots)];
  if (errors.length > 0) throw DomainError.validation(errors);
}

/** Checks a slot listing's range: toDate not before fromDate, at most {@link MAX_LIST_DAYS} days. */
export function checkListRange(fromDate: string, toDate: string): void {
  const span = daysBetween(fromDate, toDate);
  if (span < 0) throw DomainError.validation([{ field: 'toDate', rule: 'after-start', message: `must not be before fromDate (${fromDate})` }]);
  if (span >= MAX_LIST_DAYS) throw DomainError.validation([{ field: 'toDate', rule: 'max-range', message: `must be within ${MAX_LIST_DAYS} days of fromDate` }]);
}

// ---------------------------------------------------------------------------------------------
// Bookings

/**
 * Whose booking it is: a citizen books for themselves only (their own resident ID, given or not);
 * staff name the client. The partner, if named, is another person.
 */
export function clientOf(actor: Actor, clientResidentId: string | undefined, partnerResidentId: string | undefined): string {
  let client: string;
  if (actor.kind === 'citizen') {
    if (actor.residentId === undefined) throw new DomainError('FORBIDDEN', 'your account has no resident ID to book with');
    if (clientResidentId !== undefined && clientResidentId !== actor.residentId) {
      throw DomainError.validation([{ field: 'clientResidentId', rule: 'self', message: 'a citizen books only for themselves' }]);
    }
    client = actor.residentId;
  } else {
    requireStaff(actor, 'book counselling for citizens');
    if (clientResidentId === undefined) throw DomainError.validation([{ field: 'clientResidentId', rule: 'required', message: 'is required when staff book' }]);
    client = clientResidentId;
  }
  if (partnerResidentId === client) throw DomainError.validation([{ field: 'partnerResidentId', rule: 'different', message: 'the partner is another person' }]);
  return client;
}

/** The date (YYYY-MM-DD) and time of day (HH:MM) in Shanghai at the instant. */
export function shanghaiClock(now: Date): { date: string; time: string } {
  const iso = new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

export interface SlotTime {
  sessionDate: string;
  startsAt: string;
}

/** True once the slot (its day and start, Shanghai time) has begun at `now`. */
export function slotHasStarted(slot: SlotTime, now: Date): boolean {
  const clock = shanghaiClock(now);
  return `${slot.sessionDate}T${slot.startsAt}` <= `${clock.date}T${clock.time}`;
}

/** A slot may be booked until it starts. */
export function checkBookable(slot: SlotTime, now: Date): void {
  if (slotHasStarted(slot, now)) throw new DomainError('CONFLICT', `the slot ${slot.sessionDate} ${slot.startsAt} has already started`);
}

/** A booking may be cancelled while BOOKED and before its slot starts. */
export function checkCancellable(booking: SlotTime & { status: CounsellingBookingStatus }, now: Date): void {
  if (booking.status !== 'BOOKED') throw new DomainError('CONFLICT', `a ${booking.status} booking cannot be cancelled`);
  if (slotHasStarted(booking, now)) throw new DomainError('CONFLICT', `the slot ${booking.sessionDate} ${booking.startsAt} has already started; it can no longer be cancelled`);
}

/** A session is recorded once, for a BOOKED booking, after its slot has started. */
export function checkRecordable(booking: SlotTime & { status: CounsellingBookingStatus }, now: Date): void {
  if (booking.status === 'ATTENDED') throw new DomainError('CONFLICT', 'the session of this booking is already recorded');
  if (booking.status !== 'BOOKED') throw new DomainError('CONFLICT', `a ${booking.status} booking has no session to record`);
  if (!slotHasStarted(booking, now)) throw new DomainError('CONFLICT', `the session (${booking.sessionDate} ${booking.startsAt}) has not taken place yet`);
}

/** The outcome fits the kind (the schema checks the same; this guards direct callers). */
export function checkOutcome(kind: CounsellingKind, outcome: CounsellingOutcome): void {
  if (!COUNSELLING_OUTCOMES_BY_KIND[kind].includes(outcome)) {
    throw DomainError.validation([{ field: 'outcome', rule: 'outcome-of-kind', message: `a ${kind} session ends with one of ${COUNSELLING_OUTCOMES_BY_KIND[kind].join(', ')}` }]);
  }
}

export interface BookingParties {
  clientResidentId: string;
  partnerResidentId: string | null;
  /** The registry's division. */
  divisionCode: string;
}

/** A citizen sees a booking they are the client or the partner of; staff within the registry's division. */
export function canSee(actor: Actor, booking: BookingParties): boolean {
  if (actor.kind === 'citizen') return actor.residentId !== undefined && (actor.residentId === booking.clientResidentId || actor.residentId === booking.partnerResidentId);
  return isCounsellingStaff(actor) && coversRegistry(actor, booking.divisionCode);
}

/** Only the client (not the partner they named) or staff within the registry's division cancel. */
export function canCancel(actor: Actor, booking: BookingParties): boolean {
  if (actor.kind === 'citizen') return actor.residentId !== undefined && actor.residentId === booking.clientResidentId;
  return canSee(actor, booking);
}

// ---------------------------------------------------------------------------------------------
// Summary

export interface SummaryRow {
  kind: CounsellingKind;
  outcome: CounsellingOutcome;
  sessions: number;
  minutes: number;
  followUps: number;
}

/** The year's figures from rows grouped by kind and outcome; kinds and outcomes in their declared order. */
export function summarise(year: number, rows: readonly SummaryRow[]): CounsellingSummary {
  const byKind = COUNSELLING_KINDS.map((kind) => {
    const outcomes = COUNSELLING_OUTCOMES_BY_KIND[kind]
      .map((outcome) => ({ outcome, sessions: rows.filter((r) => r.kind === kind && r.outcome === outcome).reduce((n, r) => n + r.sessions, 0) }))
      .filter((o) => o.sessions > 0);
    return { kind, sessions: outcomes.reduce((n, o) => n + o.sessions, 0), byOutcome: outcomes };
  }).filter((k) => k.sessions > 0);
  const mediation = rows.filter((r) => r.kind === 'divorce-mediation');
  const mediations = mediation.reduce((n, r) => n + r.sessions, 0);
  const reconciled = mediation.filter((r) => r.outcome === 'reconciled').reduce((n, r) => n + r.sessions, 0);
  return {
    year,
    sessions: rows.reduce((n, r) => n + r.sessions, 0),
    minutes: rows.reduce((n, r) => n + r.minutes, 0),
    followUpsNeeded: rows.reduce((n, r) => n + r.followUps, 0),
    byKind,
    divorceMediation: { sessions: mediations, reconciled, reconciledBp: mediations === 0 ? null : Math.floor((reconciled * 10_000) / mediations) },
  };
}
