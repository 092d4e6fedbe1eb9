import { WorkingDayCalendar, addDays } from '@civil/domain-kernel';
import { DomainError, parseOrThrow, recordCounsellingSessionSchema, type Actor, type Role } from '@civil/contracts';
import {
  canCancel,
  canSee,
  checkCancellable,
  checkOpening,
  checkOutcome,
  checkRecordable,
  clientOf,
  dayPlanRefusals,
  sessionDateRefusals,
  slotHasStarted,
  summarise,
} from './counselling.domain';

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

const COUNTY = '430503000000';
const CLIENT = '430503199001010011';
const PARTNER = '430503199202020022';
const staff = (roles: Role[], divisions = ['430503']): Actor => ({ userId: 'u', kind: 'staff', roles, divisions });
const citizen = (residentId: string): Actor => ({ userId: `c-${residentId}`, kind: 'citizen', roles: ['citizen'], divisions: [], residentId });
const COUNSELLOR_A = '0193a0a0-0000-7000-8000-00000000aa01';
const COUNSELLOR_B = '0193a0a0-0000-7000-8000-00000000aa02';

describe('session dates', () => {
  it('accepts a working Wednesday, today or ahead', () => {
    expect(sessionDateRefusals('2026-03-04', '2026-03-01')).toEqual([]);
    expect(sessionDateRefusals('2026-03-04', '2026-03-04')).toEqual([]);
  });

  it('refuses any other weekday, naming sessionDate', () => {
    for (const date of ['2026-03-02', '2026-03-03', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08']) {
      expect(sessionDateRefusals(date, '2026-03-01').map((e) => [e.field, e.rule])).toEqual([['sessionDate', 'wednesday']]);
    }
  });

  it('refuses a Wednesday that is a statutory holiday (国庆节, 春节, 元旦, 劳动节)', () => {
    for (const date of ['2026-10-07', '2026-02-18', '2025-01-01', '2024-05-01']) {
      expect(sessionDateRefusals(date, addDays(date, -7)).map((e) => e.rule)).toEqual(['statutory-holiday']);
    }
  });

  it('refuses a Wednesday of a year whose holiday arrangement is not loaded, and a past or too distant one', () => {
    const calendar = new WorkingDayCalendar({ holidays: ['2026-10-01'], workingWeekends: [] });
    expect(sessionDateRefusals('2027-01-06', '2026-12-01', calendar).map((e) => e.rule)).toEqual(['holiday-calendar']);
    expect(sessionDateRefusals('2026-03-04', '2026-03-05').map((e) => e.rule)).toEqual(['not-past']);
    expect(sessionDateRefusals('2026-12-30', '2026-03-05').map((e) => e.rule)).toEqual(['max-ahead']);
  });
});

describe('day plans', () => {
  const slot = (startsAt: string, endsAt: string, counsellorId = COUNSELLOR_A) => ({ startsAt, endsAt, counsellorId, capacity: 3 });

  it('lets two counsellors work at the same time, one counsellor one slot at a time', () => {
    expect(dayPlanRefusals([slot('09:00', '10:00'), slot('09:00', '10:00', COUNSELLOR_B), slot('10:00', '11:00')])).toEqual([]);
    expect(dayPlanRefusals([slot('09:00', '10:00'), slot('09:30', '10:30')]).map((e) => [e.field, e.rule])).toEqual([['slots[1].counsellorId', 'counsellor-overlap']]);
    expect(dayPlanRefusals([slot('10:00', '10:00')]).map((e) => [e.field, e.rule])).toEqual([['slots[0].endsAt', 'after-start']]);
  });

  it('names every bad field of an opening at once', () => {
    const error = errorOf(() => checkOpening({ sessionDate: '2026-03-05', slots: [slot('11:00', '10:00')] }, '2026-03-01'));
    expect([error.code, error.fields?.map((f) => f.field)]).toEqual(['VALIDATION_FAILED', ['sessionDate', 'slots[0].endsAt']]);
  });
});

describe('whose booking', () => {
  it('a citizen books for themselves only; staff name the client; the partner is someone else', () => {
    expect(clientOf(citizen(CLIENT), undefined, PARTNER)).toBe(CLIENT);
    expect(clientOf(citizen(CLIENT), CLIENT, undefined)).toBe(CLIENT);
    expect(errorOf(() => clientOf(citizen(CLIENT), PARTNER, undefined)).fields?.map((f) => f.rule)).toEqual(['self']);
    expect(errorOf(() => clientOf(citizen(CLIENT), undefined, CLIENT)).fields?.map((f) => f.field)).toEqual(['partnerResidentId']);
    expect(clientOf(staff(['registrar']), CLIENT, undefined)).toBe(CLIENT);
    expect(errorOf(() => clientOf(staff(['registrar']), undefined, undefined)).fields?.map((f) => f.field)).toEqual(['clientResidentId']);
    expect(errorOf(() => clientOf(staff(['clerk']), CLIENT, undefined)).code).toBe('FORBIDDEN');
    expect(errorOf(() => clientOf({ ...citizen(CLIENT), residentId: undefined }, undefined, undefined)).code).toBe('FORBIDDEN');
  });

  it('the client and the partner see it, only the client cancels; staff within the registry’s division do both', () => {
    const booking = { clientResidentId: CLIENT, partnerResidentId: PARTNER, divisionCode: COUNTY };
    expect([canSee(citizen(CLIENT), booking), canCancel(citizen(CLIENT), booking)]).toEqual([true, true]);
    expect([canSee(citizen(PARTNER), booking), canCancel(citizen(PARTNER), booking)]).toEqual([true, false]);
    expect([canSee(citizen('430503198001010033'), booking), canCancel(citizen('430503198001010033'), booking)]).toEqual([false, false]);
    expect([canSee(staff(['registrar']), booking), canCancel(staff(['admin']), booking)]).toEqual([true, true]);
    expect(canSee(staff(['registrar'], ['430521']), booking)).toBe(false);
    expect(canSee(staff(['auditor']), booking)).toBe(false);
  });
});

describe('when bookings change', () => {
  /** 2026-03-04 09:30 in Shanghai. */
  const WEDNESDAY_0930 = new Date('2026-03-04T01:30:00Z');
  const at = (startsAt: string) => ({ sessionDate: '2026-03-04', startsAt });

  it('a slot has started at its start time in Shanghai', () => {
    expect(slotHasStarted(at('09:30'), WEDNESDAY_0930)).toBe(true);
    expect(slotHasStarted(at('09:31'), WEDNESDAY_0930)).toBe(false);
  });

  it('cancels a BOOKED booking before its start; records a BOOKED one after its start, once', () => {
    expect(() => checkCancellable({ ...at('10:00'), status: 'BOOKED' }, WEDNESDAY_0930)).not.toThrow();
    expect(errorOf(() => checkCancellable({ ...at('09:00'), status: 'BOOKED' }, WEDNESDAY_0930)).code).toBe('CONFLICT');
    expect(errorOf(() => checkCancellable({ ...at('10:00'), status: 'CANCELLED' }, WEDNESDAY_0930)).code).toBe('CONFLICT');
    expect(() => checkRecordable({ ...at('09:00'), status: 'BOOKED' }, WEDNESDAY_0930)).not.toThrow();
    expect(errorOf(() => checkRecordable({ ...at('10:00'), status: 'BOOKED' }, WEDNESDAY_0930)).message).toMatch(/not taken place/);
    expect(errorOf(() => checkRecordable({ ...at('09:00'), status: 'ATTENDED' }, WEDNESDAY_0930)).message).toMatch(/already recorded/);
    expect(errorOf(() => checkRecordable({ ...at('09:00'), status: 'CANCELLED' }, WEDNESDAY_0930)).code).toBe('CONFLICT');
  });
});

describe('session records', () => {
  const record = { id: '0193a0a0-0000-7000-8000-00000000bb01', kind: 'divorce-mediation', outcome: 'reconciled', durationMinutes: 60, followUpNeeded: false };

  it('outcomes fit their kind', () => {
    expect(() => checkOutcome('divorce-mediation', 'proceeding-with-divorce')).not.toThrow();
    expect(() => checkOutcome('premarital', 'completed')).not.toThrow();
    expect(errorOf(() => checkOutcome('premarital', 'reconciled')).fields?.map((f) => [f.field, f.rule])).toEqual([['outcome', 'outcome-of-kind']]);
    expect(errorOf(() => checkOutcome('divorce-mediation', 'completed')).fields?.map((f) => f.field)).toEqual(['outcome']);
  });

  it('the schema keeps codes only: free text such as notes is refused, and so is an outcome of another kind', () => {
    expect(parseOrThrow(recordCounsellingSessionSchema, record)).toEqual(record);
    const notes = errorOf(() => parseOrThrow(recordCounsellingSessionSchema, { ...record, notes: '双方谈及…' }));
    expect([notes.code, notes.fields?.map((f) => f.rule)]).toEqual(['VALIDATION_FAILED', ['unrecognized_keys']]);
    expect(notes.fields?.[0]?.message).toMatch(/notes/);
    expect(errorOf(() => parseOrThrow(recordCounsellingSessionSchema, { ...record, kind: 'psychological' })).fields?.map((f) => [f.field, f.rule])).toEqual([['outcome', 'outcome-of-kind']]);
  });
});

describe('the yearly summary', () => {
  it('counts by kind and outcome, with the reconciliation share of divorce mediations', () => {
    const summary = summarise(2026, [
      { kind: 'divorce-mediation', outcome: 'reconciled', sessions: 3, minutes: 180, followUps: 1 },
      { kind: 'divorce-mediation', outcome: 'proceeding-with-divorce', sessions: 5, minutes: 250, followUps: 0 },
      { kind: 'premarital', outcome: 'completed', sessions: 4, minutes: 120, followUps: 0 },
      { kind: 'divorce-mediation', outcome: 'continuing', sessions: 1, minutes: 45, followUps: 1 },
    ]);
    expect(summary).toEqual({
      year: 2026,
      sessions: 13,
      minutes: 595,
      followUpsNeeded: 2,
      byKind: [
        { kind: 'premarital', sessions: 4, byOutcome: [{ outcome: 'completed', sessions: 4 }] },
        {
          kind: 'divorce-mediation',
          sessions: 9,
          byOutcome: [
            { outcome: 'reconciled', sessions: 3 },
            { outcome: 'continuing', sessions: 1 },
            { outcome: 'proceeding-with-divorce', sessions: 5 },
          ],
        },
      ],
      divorceMediation: { sessions: 9, reconciled: 3, reconciledBp: 3333 },
    });
    expect(summarise(2026, []).divorceMediation).toEqual({ sessions: 0, reconciled: 0, reconciledBp: null });
  });
});
