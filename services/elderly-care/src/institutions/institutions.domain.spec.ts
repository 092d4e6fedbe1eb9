import { buildResidentId } from '@civil/domain-kernel';
import { DomainError, registerCareInstitutionSchema, dischargeCareResidentSchema, fieldErrorsOf, type Actor, type Role } from '@civil/contracts';
import {
  canRead,
  canWrite,
  checkAdmission,
  checkBedChange,
  checkBedsCoverResidents,
  checkCapacity,
  checkClosing,
  checkDischarge,
  checkInspection,
  checkNoOverlappingStay,
  checkNobodyInCare,
  checkRectification,
  checkRegistration,
  coversDivision,
  daysOverdue,
  figures,
  findingStatus,
  firstShortfall,
  isOpenOn,
  occupancyRate,
  summariseOccupancy,
} from './institutions.domain';

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}
const fieldsOf = (fn: () => unknown): [string, string][] => (errorOf(fn).fields ?? []).map((f) => [f.field, f.rule]);

const staff = (roles: Role[], divisions = ['430503000000']): Actor => ({ userId: 'u', kind: 'staff', roles, divisions });
const home = { name: '雨溪敬老院', openedOn: '2020-01-01', closedOn: null };
const TODAY = '2024-06-30';
const resident = buildResidentId('430503', '1940-05-01', 11).value;

describe('who may do what', () => {
  it.each<[Actor['kind'], Role[], boolean, boolean]>([
    ['staff', ['elderly-care-officer'], true, true],
    ['staff', ['admin'], true, true],
    ['staff', ['auditor'], false, true],
    ['staff', ['leader'], false, true],
    ['staff', ['clerk'], false, false],
    ['staff', ['registrar'], false, false],
    ['citizen', ['elderly-care-officer'], false, false],
    ['system', ['admin'], true, true],
  ])('%s with %j: write %s, read %s', (kind, roles, write, read) => {
    const actor: Actor = { userId: 'u', kind, roles, divisions: [] };
    expect(canWrite(actor)).toBe(write);
    expect(canRead(actor)).toBe(read);
  });

  it('covers an institution within the actor’s divisions; the system everywhere', () => {
    expect(coversDivision(staff(['elderly-care-officer']), '430503010000')).toBe(true);
    expect(coversDivision(staff(['elderly-care-officer'], ['430503101000']), '430503010000')).toBe(false);
    expect(coversDivision({ userId: 's', kind: 'system', roles: ['admin'], divisions: [] }, '430503010000')).toBe(true);
  });
});

describe('registration input', () => {
  const valid = {
    name: '雨溪敬老院',
    ownership: 'public',
    divisionCode: '430503010000',
    address: '雨溪街道1号',
    openedOn: '2020-01-01',
    beds: { 'self-care': 20, 'semi-dependent': 10, dependent: 5 },
  };
  const issues = (input: unknown): [string, string][] => {
    const result = registerCareInstitutionSchema.safeParse(input);
    return result.success ? [] : fieldErrorsOf(result.error).map((f) => [f.field, f.rule]);
  };

  it('accepts a public home without a licence number and a private one with it', () => {
    expect(issues(valid)).toEqual([]);
    expect(issues({ ...valid, ownership: 'private', licenceNumber: '民养备2020001' })).toEqual([]);
  });

  it('needs the licence number of a private home', () => {
    expect(issues({ ...valid, ownership: 'private' })).toEqual([['licenceNumber', 'required']]);
  });

  it('keeps bed counts consistent: a stated total equals the sum, at least one bed, whole non-negative counts', () => {
    expect(issues({ ...valid, totalBeds: 35 })).toEqual([]);
    expect(issues({ ...valid, totalBeds: 36 })).toEqual([['totalBeds', 'sum-of-types']]);
    expect(issues({ ...valid, beds: { 'self-care': 0, 'semi-dependent': 0, dependent: 0 } })).toEqual([['beds', 'min-total']]);
    expect(issues({ ...valid, beds: { 'self-care': -1, 'semi-dependent': 1.5, dependent: 0 } }).map(([f]) => f)).toEqual(['beds.self-care', 'beds.semi-dependent']);
    expect(issues({ ...valid, beds: { 'self-care': 1, 'semi-dependent': 1 } }).map(([f]) => f)).toEqual(['beds.dependent']);
  });

  it('asks for a note when a discharge’s reason is other', () => {
    const discharge = { institutionId: '0193a0a0-0000-7000-8000-000000000001', admissionId: '0193a0a0-0000-7000-8000-000000000002', dischargedOn: '2024-01-01' };
    expect(dischargeCareResidentSchema.safeParse({ ...discharge, reason: 'death' }).success).toBe(true);
    const other = dischargeCareResidentSchema.safeParse({ ...discharge, reason: 'other' });
    expect(other.success ? [] : fieldErrorsOf(other.error).map((f) => [f.field, f.rule])).toEqual([['note', 'required']]);
  });
});

describe('date rules', () => {
  it('registers an institution that has opened, not one that opens in the future', () => {
    expect(() => checkRegistration({ openedOn: TODAY }, TODAY)).not.toThrow();
    expect(fieldsOf(() => checkRegistration({ openedOn: '2024-07-01' }, TODAY))).toEqual([['openedOn', 'not-in-future']]);
  });

  it('refuses an admission before the opening, in the future or before the birth date', () => {
    expect(checkAdmission(home, { residentId: resident, admittedOn: '2024-05-01' }, TODAY)).toEqual({ birthDate: '1940-05-01', ageOnAdmission: 84 });
    expect(checkAdmission(home, { residentId: resident, admittedOn: '2024-04-30' }, TODAY).ageOnAdmission).toBe(83);
    expect(fieldsOf(() => checkAdmission(home, { residentId: resident, admittedOn: '2019-12-31' }, TODAY))).toEqual([['admittedOn', 'after-opening']]);
    expect(fieldsOf(() => checkAdmission(home, { residentId: resident, admittedOn: '2024-07-01' }, TODAY))).toEqual([['admittedOn', 'not-in-future']]);
    const young = buildResidentId('430503', '2021-03-01', 12).value;
    expect(fieldsOf(() => checkAdmission(home, { residentId: young, admittedOn: '2021-02-28' }, TODAY))).toEqual([['admittedOn', 'after-birth']]);
  });

  it('a closed institution admits nobody, changes no beds and is not inspected', () => {
    const closed = { ...home, closedOn: '2024-03-01' };
    expect(errorOf(() => checkAdmission(closed, { residentId: resident, admittedOn: '2024-02-01' }, TODAY)).code).toBe('CONFLICT');
    expect(errorOf(() => checkBedChange(closed, '2024-04-01', '2020-01-01')).code).toBe('CONFLICT');
    expect(errorOf(() => checkInspection(closed, { inspectedOn: '2024-02-01', findings: [] }, TODAY)).code).toBe('CONFLICT');
  });

  it('refuses a discharge before the admission, in the future, or twice; the admission day itself is allowed', () => {
    const stay = { admittedOn: '2024-03-01', dischargedOn: null };
    expect(() => checkDischarge(stay, '2024-03-01', TODAY)).not.toThrow();
    expect(fieldsOf(() => checkDischarge(stay, '2024-02-29', TODAY))).toEqual([['dischargedOn', 'after-admission']]);
    expect(fieldsOf(() => checkDischarge(stay, '2024-07-01', TODAY))).toEqual([['dischargedOn', 'not-in-future']]);
    expect(errorOf(() => checkDischarge({ ...stay, dischargedOn: '2024-04-01' }, '2024-05-01', TODAY)).code).toBe('CONFLICT');
  });

  it('appends bed changes after the last one', () => {
    expect(() => checkBedChange(home, '2024-01-02', '2024-01-01')).not.toThrow();
    expect(fieldsOf(() => checkBedChange(home, '2024-01-01', '2024-01-01'))).toEqual([['effectiveFrom', 'after-last-change']]);
  });

  it('closes not before the opening or the last movement, not in the future, once, with nobody in care', () => {
    expect(() => checkClosing(home, '2024-06-01', '2024-05-31', TODAY)).not.toThrow();
    expect(() => checkClosing(home, '2024-06-01', '2024-06-01', TODAY)).not.toThrow();
    expect(fieldsOf(() => checkClosing(home, '2019-01-01', null, TODAY))).toEqual([['closedOn', 'after-opening']]);
    expect(fieldsOf(() => checkClosing(home, '2024-06-01', '2024-06-02', TODAY))).toEqual([['closedOn', 'after-last-movement']]);
    expect(fieldsOf(() => checkClosing(home, '2024-07-01', null, TODAY))).toEqual([['closedOn', 'not-in-future']]);
    expect(errorOf(() => checkClosing({ ...home, closedOn: '2024-01-01' }, '2024-06-01', null, TODAY)).code).toBe('CONFLICT');
    expect(() => checkNobodyInCare(home, 0, '2024-06-01')).not.toThrow();
    expect(errorOf(() => checkNobodyInCare(home, 2, '2024-06-01')).fields).toEqual([expect.objectContaining({ field: 'closedOn', rule: 'residents-in-care' })]);
  });

  it('inspects from the opening to today, with deadlines not before the inspection', () => {
    expect(() => checkInspection(home, { inspectedOn: '2024-06-01', findings: [{ deadline: '2024-06-01' }] }, TODAY)).not.toThrow();
    expect(fieldsOf(() => checkInspection(home, { inspectedOn: '2024-07-01', findings: [{ deadline: '2024-07-31' }, { deadline: '2024-06-30' }] }, TODAY))).toEqual([
      ['inspectedOn', 'not-in-future'],
      ['findings[1].deadline', 'after-inspection'],
    ]);
  });

  it('records a rectification once, from the inspection to today', () => {
    expect(() => checkRectification({ inspectedOn: '2024-05-01', rectifiedOn: null }, '2024-05-01', TODAY)).not.toThrow();
    expect(fieldsOf(() => checkRectification({ inspectedOn: '2024-05-01', rectifiedOn: null }, '2024-04-30', TODAY))).toEqual([['rectifiedOn', 'after-inspection']]);
    expect(fieldsOf(() => checkRectification({ inspectedOn: '2024-05-01', rectifiedOn: null }, '2024-07-01', TODAY))).toEqual([['rectifiedOn', 'not-in-future']]);
    expect(errorOf(() => checkRectification({ inspectedOn: '2024-05-01', rectifiedOn: '2024-05-10' }, '2024-05-11', TODAY)).code).toBe('CONFLICT');
  });
});

describe('one stay at a time', () => {
  it('refuses a stay overlapping another, anywhere; a re-admission on the discharge day is fine', () => {
    expect(() => checkNoOverlappingStay([], '2024-01-01')).not.toThrow();
    expect(() => checkNoOverlappingStay([{ admittedOn: '2023-01-01', dischargedOn: '2024-01-01' }], '2024-01-01')).not.toThrow();
    expect(errorOf(() => checkNoOverlappingStay([{ admittedOn: '2023-01-01', dischargedOn: null }], '2024-01-01')).fields).toEqual([
      expect.objectContaining({ field: 'residentId', rule: 'one-stay-at-a-time' }),
    ]);
    // A back-dated admission would overlap a later stay.
    expect(errorOf(() => checkNoOverlappingStay([{ admittedOn: '2024-03-01', dischargedOn: '2024-04-01' }], '2024-01-01')).code).toBe('CONFLICT');
  });
});

describe('capacity over dated records', () => {
  const points = [
    { date: '2024-03-01', beds: 5, occupied: 3 },
    { date: '2024-01-01', beds: 5, occupied: 4 },
    { date: '2024-05-01', beds: 4, occupied: 4 },
  ];

  it('finds the first date where more residents would not fit', () => {
    expect(firstShortfall(points, 1)).toEqual({ date: '2024-05-01', beds: 4, occupied: 4 });
    expect(firstShortfall(points, 2)).toEqual({ date: '2024-01-01', beds: 5, occupied: 4 });
    expect(firstShortfall(points.slice(0, 2), 1)).toBeNull();
    expect(firstShortfall([], 1)).toBeNull();
  });

  it('refuses an admission naming the bed type and the date', () => {
    const error = errorOf(() => checkCapacity(points, 'semi-dependent'));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain('2024-05-01');
    expect(error.fields).toEqual([expect.objectContaining({ field: 'bedType', rule: 'beds-available' })]);
  });

  it('lets beds go down only as far as the residents in care from then on', () => {
    const beds = { 'self-care': 10, 'semi-dependent': 3, dependent: 0 };
    expect(() => checkBedsCoverResidents(beds, { 'self-care': 10, 'semi-dependent': 3 }, '2024-01-01')).not.toThrow();
    expect(errorOf(() => checkBedsCoverResidents(beds, { 'semi-dependent': 4, dependent: 1 }, '2024-01-01')).fields?.map((f) => f.field)).toEqual(['beds.semi-dependent', 'beds.dependent']);
  });
});

describe('occupancy arithmetic', () => {
  it('computes the rate to four decimals, null without beds', () => {
    expect(occupancyRate(3, 4)).toBe(0.75);
    expect(occupancyRate(1, 3)).toBe(0.3333);
    expect(occupancyRate(2, 3)).toBe(0.6667);
    expect(occupancyRate(0, 10)).toBe(0);
    expect(occupancyRate(0, 0)).toBeNull();
    expect(figures(20, 15)).toEqual({ beds: 20, occupied: 15, free: 5, rate: 0.75 });
  });

  it('is open from the opening day up to the day before closing', () => {
    const closed = { openedOn: '2020-01-01', closedOn: '2024-03-01' };
    expect(isOpenOn(closed, '2019-12-31')).toBe(false);
    expect(isOpenOn(closed, '2020-01-01')).toBe(true);
    expect(isOpenOn(closed, '2024-02-29')).toBe(true);
    expect(isOpenOn(closed, '2024-03-01')).toBe(false);
    expect(isOpenOn({ openedOn: '2020-01-01', closedOn: null }, '2030-01-01')).toBe(true);
  });

  it('sums institutions by ownership and overall, listing both ownerships', () => {
    const summary = summariseOccupancy([
      { ownership: 'public', beds: { 'self-care': 40, 'semi-dependent': 10, dependent: 0 }, occupied: { 'self-care': 30, 'semi-dependent': 5, dependent: 0 } },
      { ownership: 'public', beds: { 'self-care': 30, 'semi-dependent': 0, dependent: 20 }, occupied: { 'self-care': 10, 'semi-dependent': 0, dependent: 20 } },
      { ownership: 'private', beds: { 'self-care': 0, 'semi-dependent': 50, dependent: 50 }, occupied: { 'self-care': 0, 'semi-dependent': 25, dependent: 40 } },
    ]);
    expect(summary).toEqual({
      institutions: 3,
      byOwnership: [
        { ownership: 'public', institutions: 2, beds: 100, occupied: 65, free: 35, rate: 0.65 },
        { ownership: 'private', institutions: 1, beds: 100, occupied: 65, free: 35, rate: 0.65 },
      ],
      total: { beds: 200, occupied: 130, free: 70, rate: 0.65 },
    });
    expect(summariseOccupancy([])).toEqual({
      institutions: 0,
      byOwnership: [
        { ownership: 'public', institutions: 0, beds: 0, occupied: 0, free: 0, rate: null },
        { ownership: 'private', institutions: 0, beds: 0, occupied: 0, free: 0, rate: null },
      ],
      total: { beds: 0, occupied: 0, free: 0, rate: null },
    });
  });
});

describe('findings and overdue', () => {
  const finding = { deadline: '2024-05-31', rectifiedOn: null };

  it('is open up to and on its deadline, overdue from the day after', () => {
    expect(findingStatus(finding, '2024-05-30')).toBe('open');
    expect(findingStatus(finding, '2024-05-31')).toBe('open');
    expect(findingStatus(finding, '2024-06-01')).toBe('overdue');
    expect(daysOverdue('2024-05-31', '2024-05-31')).toBe(0);
    expect(daysOverdue('2024-05-31', '2024-06-10')).toBe(10);
  });

  it('is rectified (or rectified late) from the rectification date; before it, as it was', () => {
    expect(findingStatus({ ...finding, rectifiedOn: '2024-05-31' }, '2024-06-30')).toBe('rectified');
    expect(findingStatus({ ...finding, rectifiedOn: '2024-06-05' }, '2024-06-30')).toBe('rectified-late');
    expect(findingStatus({ ...finding, rectifiedOn: '2024-06-05' }, '2024-06-03')).toBe('overdue');
    expect(findingStatus({ ...finding, rectifiedOn: '2024-05-20' }, '2024-05-10')).toBe('open');
  });
});
