/**
 * The rules of quality-audit campaigns, free of I/O: who may do what, whether a result may be
 * recorded (again), whether an outcome matches the changes it carries, and the progress counts.
 */
import {
  AUDIT_DATABASE_CLASSES,
  DomainError,
  actorCoversDivision,
  auditDatabaseClassOf,
  hasAnyRole,
  type Actor,
  type AuditCorrections,
  type AuditDatabaseClass,
  type AuditOutcome,
  type AuditProgressCounts,
  type AuditRecordStatus,
  type PlaceNameCategory,
  type Role,
} from '@civil/contracts';

export const AUDIT_MANAGERS: readonly Role[] = ['place-names-officer', 'admin'];
export const AUDIT_READERS: readonly Role[] = [...AUDIT_MANAGERS, 'auditor', 'leader'];

export function isManager(actor: Actor): boolean {
  return hasAnyRole(actor, AUDIT_MANAGERS);
}

export function isReader(actor: Actor): boolean {
  return hasAnyRole(actor, AUDIT_READERS);
}

/** The system actor is unrestricted; anyone else must cover the division. */
export function coversDivision(actor: Actor, divisionCode: string): boolean {
  return actor.kind === 'system' || actorCoversDivision(actor, divisionCode);
}

export function requireManager(actor: Actor, what: string): void {
  if (!isManager(actor)) throw new DomainError('FORBIDDEN', `only ${AUDIT_MANAGERS.join(', ')} may ${what}`);
}

/** A manager acting on a campaign must cover every division it selects. */
export function requireManagerOf(actor: Actor, divisionCodes: readonly string[], what: string): void {
  requireManager(actor, what);
  const outside = divisionCodes.filter((code) => !coversDivision(actor, code));
  if (outside.length > 0) throw new DomainError('OUT_OF_DIVISION_SCOPE', `division ${outside.join(', ')} is outside your scope`);
}

/**
 * Reading a campaign: readers covering one of its divisions, or a reviewer with records in it
 * (who then sees only their own records).
 */
export function readAccess(actor: Actor, divisionCodes: readonly string[], hasOwnRecords: boolean): 'all' | 'own' {
  if (isReader(actor) && divisionCodes.some((code) => coversDivision(actor, code))) return 'all';
  // Reviewers are bureau staff: a citizen's account can never be a reviewer, whatever was assigned.
  if (hasOwnRecords && actor.kind === 'staff') return 'own';
  if (isReader(actor)) throw new DomainError('OUT_OF_DIVISION_SCOPE', `the campaign's divisions (${divisionCodes.join(', ')}) are outside your scope`);
  throw new DomainError('FORBIDDEN', `audit campaigns are read by ${AUDIT_READERS.join(', ')} and by their reviewers`);
}

/** The assigned reviewer records a result; so may an officer or admin covering the record's division. */
export function requireMayRecord(actor: Actor, record: { reviewer: string | null; divisionCode: string; placeNameId: string }): void {
  if (record.reviewer !== null && record.reviewer === actor.userId && actor.kind === 'staff') return;
  if (isManager(actor) && coversDivision(actor, record.divisionCode)) return;
  if (isManager(actor)) throw new DomainError('OUT_OF_DIVISION_SCOPE', `division ${record.divisionCode} is outside your scope`);
  throw new DomainError(
    'FORBIDDEN',
    record.reviewer === null ? `record ${record.placeNameId} is assigned to nobody; an officer records it or assigns it` : `record ${record.placeNameId} is assigned to another reviewer`,
  );
}

/**
 * Recording a result once more: the same outcome again changes nothing (a retried request), a
 * different one is a conflict (the record was already judged).
 */
export function recordingAgain(status: AuditRecordStatus, outcome: AuditOutcome, placeNameId: string): 'record' | 'already-recorded' {
  if (status === 'pending') return 'record';
  if (status === outcome) return 'already-recorded';
  throw new DomainError('CONFLICT', `record ${placeNameId} was already recorded as ${status}, not ${outcome}`);
}

export function requireOpen(campaign: { status: 'open' | 'closed'; id: string }): void {
  if (campaign.status !== 'open') throw new DomainError('CONFLICT', `audit campaign ${campaign.id} is closed`);
}

/** The record's detail fields a correction may touch, as stored before it. */
export type CorrectableDetails = Record<Exclude<keyof AuditCorrections, 'expectedVersion'>, unknown>;

/** Splits a correction's fields into those that were empty (filled in) and those that had a value (changed). */
export function classifyCorrections(current: CorrectableDetails, corrections: AuditCorrections): { filled: string[]; changed: string[] } {
  const filled: string[] = [];
  const changed: string[] = [];
  for (const [field, value] of Object.entries(corrections)) {
    if (field === 'expectedVersion' || value === undefined) continue;
    const before = current[field as keyof CorrectableDetails];
    if (before === null || before === undefined || before === '') filled.push(field);
    else changed.push(field);
  }
  return { filled, changed };
}

/**
 * `supplemented` fills in missing fields only; `corrected` changes at least one field that had a
 * value (and may fill in others too). Both carry at least one field.
 */
export function checkOutcomeMatches(outcome: Exclude<AuditOutcome, 'reviewed'>, changes: { filled: string[]; changed: string[] }): void {
  if (changes.filled.length + changes.changed.length === 0) {
    throw DomainError.validation([{ field: 'corrections', rule: 'empty', message: 'give at least one field to change' }]);
  }
  if (outcome === 'supplemented' && changes.changed.length > 0) {
    throw DomainError.validation([
      { field: 'outcome', rule: 'supplemented-fills-only', message: `${changes.changed.join(', ')} already had a value: that is a correction (outcome corrected)` },
    ]);
  }
  if (outcome === 'corrected' && changes.changed.length === 0) {
    throw DomainError.validation([
      { field: 'outcome', rule: 'corrected-changes-a-value', message: `${changes.filled.join(', ')} were empty: filling them in is outcome supplemented` },
    ]);
  }
}

/** A review is dated in or after the campaign's year and not after today. */
export function checkReviewedOn(reviewedOn: string, year: number, today: string): void {
  if (reviewedOn > today) throw DomainError.validation([{ field: 'reviewedOn', rule: 'not-in-future', message: `must not be after today (${today})` }]);
  if (Number(reviewedOn.slice(0, 4)) < year) {
    throw DomainError.validation([{ field: 'reviewedOn', rule: 'in-campaign', message: `the ${year} campaign's reviews are dated ${year} or later` }]);
  }
}

/** Closing leaves no record pending, unless forced (with a reason). */
export function checkClosable(pending: number, force: boolean, campaignId: string): void {
  if (pending > 0 && !force) {
    throw new DomainError('CONFLICT', `audit campaign ${campaignId} has ${pending} pending records; review them or close it with force and a reason`);
  }
}

/**
 * The assignment is the authority to change that one record: the correction goes through the
 * gazetteer's rules as a place-names officer of the record's division, under the reviewer's id.
 */
export function delegatedWriter(actor: Actor, divisionCode: string): Actor {
  if (isManager(actor)) return actor;
  return { userId: actor.userId, kind: actor.kind, roles: ['place-names-officer'], divisions: [divisionCode] };
}

export interface StatusCount {
  status: AuditRecordStatus;
  n: number;
}

export function emptyCounts(): AuditProgressCounts {
  return { total: 0, pending: 0, reviewed: 0, corrected: 0, supplemented: 0, percentDone: 0 };
}

export function addCount(counts: AuditProgressCounts, status: AuditRecordStatus, n: number): void {
  counts[status] += n;
  counts.total += n;
  counts.percentDone = percentDone(counts);
}

/** Done (not pending) in percent of the total, one decimal; 0 for an empty selection. */
export function percentDone(counts: Pick<AuditProgressCounts, 'total' | 'pending'>): number {
  if (counts.total === 0) return 0;
  return Math.round(((counts.total - counts.pending) / counts.total) * 1000) / 10;
}

/** Rolls counts per category up into the five database classes and "other", in a fixed order. */
export function countsByClass(byCategory: readonly (AuditProgressCounts & { category: PlaceNameCategory })[]): (AuditProgressCounts & { databaseClass: AuditDatabaseClass })[] {
  const classes = new Map<AuditDatabaseClass, AuditProgressCounts>(AUDIT_DATABASE_CLASSES.map((c) => [c, emptyCounts()]));
  for (const row of byCategory) {
    const target = classes.get(auditDatabaseClassOf(row.category));
    if (!target) continue;
    for (const status of ['pending', 'reviewed', 'corrected', 'supplemented'] as const) addCount(target, status, row[status]);
  }
  return [...classes].filter(([, c]) => c.total > 0).map(([databaseClass, c]) => ({ databaseClass, ...c }));
}
