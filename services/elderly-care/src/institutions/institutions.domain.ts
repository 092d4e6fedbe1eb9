/**
 * Care institutions (养老机构) as pure rules: who may write and read, the date rules of opening,
 * bed changes, closing, admissions, discharges, inspections and rectifications, the capacity check
 * over dated records, occupancy arithmetic and finding statuses. No I/O: the service loads rows
 * under locks and calls these checks.
 */
import { ResidentId, compareDates, daysBetween } from '@civil/domain-kernel';
import {
  CARE_BED_TYPES,
  CARE_INSTITUTION_OWNERSHIPS,
  DomainError,
  actorCoversDivision,
  hasAnyRole,
  totalBedsOf,
  type Actor,
  type CareBedCounts,
  type CareBedType,
  type CareFindingStatus,
  type CareInstitutionOwnership,
  type CareOccupancyFigures,
  type FieldError,
  type Role,
} from '@civil/contracts';

/** Elderly-care staff who register institutions, change beds, admit, discharge and record inspections. */
export const INSTITUTION_WRITERS: readonly Role[] = ['elderly-care-officer', 'admin'];
/** Who may read institutions, residents (masked), occupancy and inspections. */
export const INSTITUTION_READERS: readonly Role[] = ['elderly-care-officer', 'admin', 'auditor', 'leader'];

export const BED_TYPE_LABELS: Record<CareBedType, string> = { 'self-care': '自理', 'semi-dependent': '半失能', dependent: '失能' };

function isStaffWith(actor: Actor, roles: readonly Role[]): boolean {
  return actor.kind === 'system' || (actor.kind === 'staff' && hasAnyRole(actor, roles));
}

export function canWrite(actor: Actor): boolean {
  return isStaffWith(actor, INSTITUTION_WRITERS);
}

export function canRead(actor: Actor): boolean {
  return isStaffWith(actor, INSTITUTION_READERS);
}

/** Throws FORBIDDEN unless the actor is elderly-care staff (or the system). */
export function requireWriter(actor: Actor, what: string): void {
  if (!canWrite(actor)) throw new DomainError('FORBIDDEN', `only ${INSTITUTION_WRITERS.join(', ')} may ${what}`);
}

/** Throws FORBIDDEN unless the actor may read care-institution records. */
export function requireReader(actor: Actor): void {
  if (!canRead(actor)) throw new DomainError('FORBIDDEN', `care institutions are read by ${INSTITUTION_READERS.join(', ')}`);
}

/** The system actor is unrestricted; anyone else must cover the division. */
export function coversDivision(actor: Actor, divisionCode: string): boolean {
  return actor.kind === 'system' || actorCoversDivision(actor, divisionCode);
}

/** Throws OUT_OF_DIVISION_SCOPE unless the actor covers the institution's (or asked) division. */
export function requireScope(actor: Actor, divisionCode: string, what = divisionCode): void {
  if (!coversDivision(actor, divisionCode)) throw new DomainError('OUT_OF_DIVISION_SCOPE', `${what} (${divisionCode}) is outside your divisions`);
}

// ---------------------------------------------------------------------------------------------
// Date rules

function notInFuture(field: string, date: string, today: string, errors: FieldError[]): void {
  if (compareDates(date, today) > 0) errors.push({ field, rule: 'not-in-future', message: `must not be after today (${today})` });
}

function throwIfAny(errors: FieldError[]): void {
  if (errors.length > 0) throw DomainError.validation(errors);
}

/** An institution is registered once it has opened: the opening date is not in the future. */
export function checkRegistration(input: { openedOn: string }, today: string): void {
  const errors: FieldError[] = [];
  notInFuture('openedOn', input.openedOn, today, errors);
  throwIfAny(errors);
}

export interface InstitutionDates {
  name: string;
  openedOn: string;
  closedOn: string | null;
}

/** No change of a closed institution. */
export function requireOpen(institution: InstitutionDates, what: string): void {
  if (institution.closedOn !== null) throw new DomainError('CONFLICT', `${institution.name} closed on ${institution.closedOn}; it can no longer ${what}`);
}

/**
 * A bed change: after the last configuration (the history is appended to, never rewritten), so
 * also after the opening; the institution is open.
 */
export function checkBedChange(institution: InstitutionDates, effectiveFrom: string, lastEffectiveFrom: string): void {
  requireOpen(institution, 'change its beds');
  if (compareDates(effectiveFrom, lastEffectiveFrom) <= 0) {
    throw DomainError.validation([{ field: 'effectiveFrom', rule: 'after-last-change', message: `must be after the last bed change (${lastEffectiveFrom})` }]);
  }
}

/** Closing: open now, not before the opening nor the last admission or discharge, not in the future. */
export function checkClosing(institution: InstitutionDates, closedOn: string, lastMovement: string | null, today: string): void {
  if (institution.closedOn !== null) throw new DomainError('CONFLICT', `${institution.name} already closed on ${institution.closedOn}`);
  const errors: FieldError[] = [];
  notInFuture('closedOn', closedOn, today, errors);
  if (compareDates(closedOn, institution.openedOn) < 0) errors.push({ field: 'closedOn', rule: 'after-opening', message: `must not be before the opening (${institution.openedOn})` });
  else if (lastMovement !== null && compareDates(closedOn, lastMovement) < 0) {
    errors.push({ field: 'closedOn', rule: 'after-last-movement', message: `must not be before the last admission or discharge (${lastMovement})` });
  }
  throwIfAny(errors);
}

/** Residents still in care on the closing date must be discharged (or transferred) first. */
export function checkNobodyInCare(institution: InstitutionDates, inCare: number, closedOn: string): void {
  if (inCare > 0) {
    throw new DomainError('CONFLICT', `${institution.name} still has ${inCare} resident(s) in care on ${closedOn}; discharge or transfer them first`, [
      { field: 'closedOn', rule: 'residents-in-care', message: `${inCare} resident(s) still in care` },
    ]);
  }
}

/**
 * An admission: the institution is open (a closed institution admits nobody), the date is not
 * before its opening, not in the future and not before the resident's birth (from the ID).
 */
export function checkAdmission(institution: InstitutionDates, input: { residentId: string; admittedOn: string }, today: string): { birthDate: string; ageOnAdmission: number } {
  requireOpen(institution, 'admit residents');
  const id = ResidentId.parse(input.residentId);
  const errors: FieldError[] = [];
  notInFuture('admittedOn', input.admittedOn, today, errors);
  if (compareDates(input.admittedOn, institution.openedOn) < 0) {
    errors.push({ field: 'admittedOn', rule: 'after-opening', message: `must not be before the institution opened (${institution.openedOn})` });
  }
  if (compareDates(input.admittedOn, id.birthDate) < 0) errors.push({ field: 'admittedOn', rule: 'after-birth', message: 'must not be before the resident’s birth date' });
  throwIfAny(errors);
  return { birthDate: id.birthDate, ageOnAdmission: id.ageOn(input.admittedOn) };
}

/** A discharge: once, not before the admission, not in the future. */
export function checkDischarge(stay: { admittedOn: string; dischargedOn: string | null }, dischargedOn: string, today: string): void {
  if (stay.dischargedOn !== null) throw new DomainError('CONFLICT', `the resident was already discharged on ${stay.dischargedOn}`);
  const errors: FieldError[] = [];
  notInFuture('dischargedOn', dischargedOn, today, errors);
  if (compareDates(dischargedOn, stay.admittedOn) < 0) errors.push({ field: 'dischargedOn', rule: 'after-admission', message: `must not be before the admission (${stay.admittedOn})` });
  throwIfAny(errors);
}

/**
 * The resident's other stays, anywhere: a new stay from `admittedOn` (open-ended) overlaps any stay
 * not discharged by then. Throws CONFLICT naming `residentId`.
 */
export function checkNoOverlappingStay(others: readonly { admittedOn: string; dischargedOn: string | null }[], admittedOn: string): void {
  const clash = others.find((s) => s.dischargedOn === null || compareDates(s.dischargedOn, admittedOn) > 0);
  if (clash) {
    const message = clash.dischargedOn === null ? `the resident is already in care since ${clash.admittedOn}` : `the resident was in care from ${clash.admittedOn} to ${clash.dischargedOn}`;
    throw new DomainError('CONFLICT', message, [{ field: 'residentId', rule: 'one-stay-at-a-time', message }]);
  }
}

/** An inspection of an open institution, on a date from its opening to today; deadlines not before it. */
export function checkInspection(institution: InstitutionDates, input: { inspectedOn: string; findings: readonly { deadline: string }[] }, today: string): void {
  requireOpen(institution, 'be inspected');
  const errors: FieldError[] = [];
  notInFuture('inspectedOn', input.inspectedOn, today, errors);
  if (compareDates(input.inspectedOn, institution.openedOn) < 0) {
    errors.push({ field: 'inspectedOn', rule: 'after-opening', message: `must not be before the institution opened (${institution.openedOn})` });
  }
  input.findings.forEach((f, i) => {
    if (compareDates(f.deadline, input.inspectedOn) < 0) errors.push({ field: `findings[${i}].deadline`, rule: 'after-inspection', message: `must not be before the inspection (${input.inspectedOn})` });
  });
  throwIfAny(errors);
}

/** A rectification: once, on a date from the inspection to today. */
export function checkRectification(finding: { inspectedOn: string; rectifiedOn: string | null }, rectifiedOn: string, today: string): void {
  if (finding.rectifiedOn !== null) throw new DomainError('CONFLICT', `the finding was already rectified on ${finding.rectifiedOn}`);
  const errors: FieldError[] = [];
  notInFuture('rectifiedOn', rectifiedOn, today, errors);
  if (compareDates(rectifiedOn, finding.inspectedOn) < 0) errors.push({ field: 'rectifiedOn', rule: 'after-inspection', message: `must not be before the inspection (${finding.inspectedOn})` });
  throwIfAny(errors);
}

// ---------------------------------------------------------------------------------------------
// Capacity over dated records

/** Beds and residents of one bed type on a date where either may change. */
export interface CapacityPoint {
  date: string;
  beds: number;
  occupied: number;
}

/** The first date where `extra` more residents would exceed the beds, or null when they fit on every date. */
export function firstShortfall(points: readonly CapacityPoint[], extra: number): CapacityPoint | null {
  const sorted = [...points].sort((a, b) => compareDates(a.date, b.date));
  return sorted.find((p) => p.occupied + extra > p.beds) ?? null;
}

/** One more resident of the bed type fits on every date from the admission on; else CONFLICT naming `bedType`. */
export function checkCapacity(points: readonly CapacityPoint[], bedType: CareBedType): void {
  const short = firstShortfall(points, 1);
  if (short) {
    const message = `no free ${bedType} (${BED_TYPE_LABELS[bedType]}) bed on ${short.date}: ${short.occupied} of ${short.beds} occupied`;
    throw new DomainError('CONFLICT', message, [{ field: 'bedType', rule: 'beds-available', message }]);
  }
}

/** New bed counts hold the most residents of each type in care on any date from the change on. */
export function checkBedsCoverResidents(beds: CareBedCounts, peaks: Partial<Record<CareBedType, number>>, effectiveFrom: string): void {
  const errors: FieldError[] = [];
  for (const type of CARE_BED_TYPES) {
    const peak = peaks[type] ?? 0;
    if (beds[type] < peak) errors.push({ field: `beds.${type}`, rule: 'residents-in-care', message: `${peak} ${type} resident(s) in care from ${effectiveFrom} on; at least ${peak} beds` });
  }
  if (errors.length > 0) throw new DomainError('CONFLICT', `fewer beds than residents in care: ${errors.map((e) => e.field).join(', ')}`, errors);
}

// ---------------------------------------------------------------------------------------------
// Occupancy

/** occupied ÷ beds to 4 decimals; null without beds. */
export function occupancyRate(occupied: number, beds: number): number | null {
  if (beds <= 0) return null;
  return Math.round((occupied / beds) * 10_000) / 10_000;
}

export function figures(beds: number, occupied: number): CareOccupancyFigures {
  return { beds, occupied, free: Math.max(0, beds - occupied), rate: occupancyRate(occupied, beds) };
}

export function sumFigures(items: readonly { beds: number; occupied: number }[]): CareOccupancyFigures {
  return figures(
    items.reduce((n, i) => n + i.beds, 0),
    items.reduce((n, i) => n + i.occupied, 0),
  );
}

/** An institution open on a date: opened by then and not closed (the closing day is closed). */
export function isOpenOn(institution: { openedOn: string; closedOn: string | null }, date: string): boolean {
  return compareDates(institution.openedOn, date) <= 0 && (institution.closedOn === null || compareDates(date, institution.closedOn) < 0);
}

export interface InstitutionOnDate {
  ownership: CareInstitutionOwnership;
  beds: CareBedCounts;
  occupied: CareBedCounts;
}

/** Totals by ownership (both always listed) and overall, over the institutions open on the date. */
export function summariseOccupancy(institutions: readonly InstitutionOnDate[]): {
  institutions: number;
  byOwnership: ({ ownership: CareInstitutionOwnership; institutions: number } & CareOccupancyFigures)[];
  total: CareOccupancyFigures;
} {
  const totals = institutions.map((i) => ({ ownership: i.ownership, beds: totalBedsOf(i.beds), occupied: totalBedsOf(i.occupied) }));
  return {
    institutions: institutions.length,
    byOwnership: CARE_INSTITUTION_OWNERSHIPS.map((ownership) => {
      const mine = totals.filter((t) => t.ownership === ownership);
      return { ownership, institutions: mine.length, ...sumFigures(mine) };
    }),
    total: sumFigures(totals),
  };
}

// ---------------------------------------------------------------------------------------------
// Findings

/** A finding's status on a date: overdue the day after its deadline while not rectified by then. */
export function findingStatus(finding: { deadline: string; rectifiedOn: string | null }, asOf: string): CareFindingStatus {
  if (finding.rectifiedOn !== null && compareDates(finding.rectifiedOn, asOf) <= 0) {
    return compareDates(finding.rectifiedOn, finding.deadline) <= 0 ? 'rectified' : 'rectified-late';
  }
  return compareDates(asOf, finding.deadline) > 0 ? 'overdue' : 'open';
}

/** Days past the deadline on a date (0 until it has passed). */
export function daysOverdue(deadline: string, asOf: string): number {
  return Math.max(0, daysBetween(deadline, asOf));
}
