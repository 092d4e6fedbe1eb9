import { CEMETERY_BOOKING_CODE_ALPHABET, DomainError, type Actor, type Role } from '@civil/contracts';
import {
  checkBookable,
  checkCancellable,
  checkCheckIn,
  checkGraveAllowance,
  checkNoShowDate,
  coversSite,
  eventKeyOf,
  isBookingCode,
  isCemeteryStaff,
  newBookingCode,
  normaliseGraveNumber,
  openingDates,
  placesLeft,
  shanghaiClock,
  slotHasStarted,
  visitorOf,
} from './cemetery.domain';

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

const YUXI = '430503010000';
const staff = (roles: Role[], divisions = [YUXI]): Actor => ({ userId: 'u', kind: 'staff', roles, divisions });
const citizen: Actor = { userId: 'c', kind: 'citizen', roles: ['citizen'], divisions: [], residentId: '430503197001010011' };
/** 2026-04-04 09:30 in Shanghai (清明). */
const QINGMING_0930 = new Date('2026-04-04T01:30:00Z');

describe('who is cemetery staff', () => {
  it.each<[Actor['kind'], Role[], boolean]>([
    ['staff', ['registrar'], true],
    ['staff', ['admin'], true],
    ['staff', ['clerk'], false],
    ['staff', [], false],
    ['citizen', ['registrar'], false],
    ['system', ['admin'], true],
  ])('%s with %j: %s', (kind, roles, expected) => {
    expect(isCemeteryStaff({ kind, roles })).toBe(expected);
  });

  it('covers a site within the actor’s divisions; the system actor everywhere', () => {
    expect(coversSite(staff(['registrar'], ['430503000000']), YUXI)).toBe(true);
    expect(coversSite(staff(['registrar'], ['430503101000']), YUXI)).toBe(false);
    expect(coversSite({ userId: 's', kind: 'system', roles: ['admin'], divisions: [] }, YUXI)).toBe(true);
  });
});

describe('booking codes', () => {
  it('are 8 characters from the unambiguous alphabet', () => {
    for (let i = 0; i < 200; i++) {
      const code = newBookingCode();
      expect(code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/);
      expect(isBookingCode(code)).toBe(true);
    }
    expect(CEMETERY_BOOKING_CODE_ALPHABET).not.toMatch(/[01OIL]/);
  });

  it('take each character from the random source', () => {
    expect(newBookingCode(() => 0)).toBe('22222222');
    expect(newBookingCode((max) => max - 1)).toBe('ZZZZZZZZ');
  });

  it.each(['2345678', '23456789A', 'ABCDEFG0', 'abcdefgh', 'ABCD-EFG'])('rejects %s', (code) => {
    expect(isBookingCode(code)).toBe(false);
  });
});

describe('time in Shanghai', () => {
  it('is UTC+8', () => {
    expect(shanghaiClock(new Date('2026-04-03T16:30:00Z'))).toEqual({ date: '2026-04-04', time: '00:30' });
    expect(shanghaiClock(QINGMING_0930)).toEqual({ date: '2026-04-04', time: '09:30' });
  });

  it('a slot has started from its start time on', () => {
    expect(slotHasStarted({ visitDate: '2026-04-04', startsAt: '09:31' }, QINGMING_0930)).toBe(false);
    expect(slotHasStarted({ visitDate: '2026-04-04', startsAt: '09:30' }, QINGMING_0930)).toBe(true);
    expect(slotHasStarted({ visitDate: '2026-04-03', startsAt: '16:00' }, QINGMING_0930)).toBe(true);
    expect(slotHasStarted({ visitDate: '2026-04-05', startsAt: '08:00' }, QINGMING_0930)).toBe(false);
  });
});

describe('opening slots', () => {
  const plan = [
    { startsAt: '08:00', endsAt: '10:00', capacity: 500 },
    { startsAt: '10:00', endsAt: '12:00', capacity: 500 },
  ];

  it('gives every date of the range', () => {
    expect(openingDates({ fromDate: '2026-04-03', toDate: '2026-04-05', slots: plan }, '2026-03-20')).toEqual(['2026-04-03', '2026-04-04', '2026-04-05']);
    expect(openingDates({ fromDate: '2026-03-20', toDate: '2026-03-20', slots: plan }, '2026-03-20')).toEqual(['2026-03-20']);
  });

  it('names every bad field', () => {
    const error = errorOf(() =>
      openingDates(
        {
          fromDate: '2026-03-19',
          toDate: '2026-03-18',
          slots: [
            { startsAt: '10:00', endsAt: '09:00', capacity: 1 },
            { startsAt: '10:00', endsAt: '11:00', capacity: 1 },
          ],
        },
        '2026-03-20',
      ),
    );
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.fields?.map((f) => [f.field, f.rule])).toEqual([
      ['toDate', 'after-start'],
      ['fromDate', 'not-past'],
      ['slots[0].endsAt', 'after-start'],
      ['slots[1].startsAt', 'unique'],
    ]);
  });

  it('opens at most 60 days at once', () => {
    expect(openingDates({ fromDate: '2026-04-01', toDate: '2026-05-30', slots: plan }, '2026-03-20')).toHaveLength(60);
    expect(errorOf(() => openingDates({ fromDate: '2026-04-01', toDate: '2026-05-31', slots: plan }, '2026-03-20')).fields).toEqual([
      expect.objectContaining({ field: 'toDate', rule: 'max-range' }),
    ]);
  });
});

describe('booking', () => {
  it('normalises grave numbers so the per-grave limit cannot be dodged by spelling', () => {
    expect(normaliseGraveNumber('  福区 3排  12号 ')).toBe('福区 3排 12号');
    expect(normaliseGraveNumber('ａ-１２')).toBe('A-12');
    expect(normaliseGraveNumber('a-12')).toBe(normaliseGraveNumber('A-12'));
  });

  it('a citizen books for themselves only', () => {
    expect(visitorOf(citizen, undefined)).toBe('430503197001010011');
    expect(visitorOf(citizen, '430503197001010011')).toBe('430503197001010011');
    expect(errorOf(() => visitorOf(citizen, '43050319800101001X')).fields).toEqual([expect.objectContaining({ field: 'visitorResidentId', rule: 'self' })]);
    expect(errorOf(() => visitorOf({ ...citizen, residentId: undefined }, undefined)).code).toBe('FORBIDDEN');
  });

  it('staff name the visitor; other staff may not book', () => {
    expect(visitorOf(staff(['registrar']), '43050319800101001X')).toBe('43050319800101001X');
    expect(errorOf(() => visitorOf(staff(['registrar']), undefined)).fields).toEqual([expect.objectContaining({ field: 'visitorResidentId', rule: 'required' })]);
    expect(errorOf(() => visitorOf(staff(['clerk']), '43050319800101001X')).code).toBe('FORBIDDEN');
  });

  it('a slot is bookable until it starts', () => {
    expect(() => checkBookable({ visitDate: '2026-04-04', startsAt: '10:00' }, QINGMING_0930)).not.toThrow();
    expect(errorOf(() => checkBookable({ visitDate: '2026-04-04', startsAt: '08:00' }, QINGMING_0930)).code).toBe('CONFLICT');
  });

  it.each<[number, number, boolean]>([
    [0, 3, true],
    [0, 1, true],
    [2, 1, true],
    [2, 2, false],
    [3, 1, false],
    [1, 3, false],
  ])('a grave with %d visitors booked takes %d more: %s', (already, visitors, ok) => {
    if (ok) expect(() => checkGraveAllowance(already, visitors, 'A-12', '2026-04-04')).not.toThrow();
    else {
      const error = errorOf(() => checkGraveAllowance(already, visitors, 'A-12', '2026-04-04'));
      expect(error.code).toBe('CONFLICT');
      expect(error.fields).toEqual([expect.objectContaining({ field: 'visitors', rule: 'per-grave-limit' })]);
    }
  });

  it('places left never go below zero', () => {
    expect(placesLeft({ capacity: 50, booked: 20 })).toBe(30);
    expect(placesLeft({ capacity: 50, booked: 50 })).toBe(0);
  });
});

describe('cancel, check-in and no-show', () => {
  const booked = { status: 'BOOKED' as const, visitDate: '2026-04-04', startsAt: '10:00' };

  it('cancels only while BOOKED and before the slot starts', () => {
    expect(() => checkCancellable(booked, QINGMING_0930)).not.toThrow();
    expect(errorOf(() => checkCancellable({ ...booked, startsAt: '09:00' }, QINGMING_0930)).code).toBe('CONFLICT');
    for (const status of ['CHECKED_IN', 'CANCELLED', 'NO_SHOW'] as const) {
      expect(errorOf(() => checkCancellable({ ...booked, status }, QINGMING_0930)).code).toBe('CONFLICT');
    }
  });

  it('checks in once, on the visit day', () => {
    expect(() => checkCheckIn(booked, '2026-04-04')).not.toThrow();
    expect(errorOf(() => checkCheckIn(booked, '2026-04-03')).code).toBe('CONFLICT');
    expect(errorOf(() => checkCheckIn({ ...booked, status: 'CHECKED_IN' }, '2026-04-04')).code).toBe('CONFLICT');
  });

  it('marks no-shows only for a past day', () => {
    expect(() => checkNoShowDate('2026-04-04', '2026-04-05')).not.toThrow();
    expect(errorOf(() => checkNoShowDate('2026-04-05', '2026-04-05')).fields).toEqual([expect.objectContaining({ field: 'visitDate', rule: 'past' })]);
  });

  it('maps each status to its event', () => {
    expect(['BOOKED', 'CHECKED_IN', 'CANCELLED', 'NO_SHOW'].map((s) => eventKeyOf(s as 'BOOKED'))).toEqual(['confirmed', 'checkedIn', 'cancelled', 'noShow']);
  });
});
