import {
  AllowanceEvents,
  CemeteryEvents,
  CounsellingEvents,
  DivorceEvents,
  MarriageEvents,
  SocialOrganisationEvents,
  SocialWorkEvents,
  createEvent,
  type AllowancePayrollCompletedV1,
  type EventEnvelope,
} from '@civil/contracts';
import type { EntityManager } from 'typeorm';
import { catalogue } from '../elements';
import { mapperIndex } from '../mapping';
import { ProjectionService } from '../projection.service';
import { SOCIAL_AFFAIRS_ELEMENTS, SOCIAL_AFFAIRS_MAPPERS } from './social-affairs';

const REGISTRY = '430503001000';
/** Published long after the business dates: a mapper that used the envelope's time would show it. */
const PUBLISHED = new Date('2024-03-15T02:00:00Z');

function envelope<T>(type: string, data: T, divisioncode = REGISTRY, time = PUBLISHED): EventEnvelope<T> {
  return createEvent({ source: '/civil/social-affairs', type, subject: 'x/1', divisioncode, actor: 'user:1', data, time });
}

const index = mapperIndex(SOCIAL_AFFAIRS_MAPPERS);
const map = (event: EventEnvelope) => {
  const mapper = index.get(event.type);
  if (!mapper) throw new Error(`no mapper for ${event.type}`);
  return mapper.map(event);
};

describe('social affairs mappers', () => {
  it('define every element once, and every element a mapper feeds', () => {
    const elements = catalogue(SOCIAL_AFFAIRS_ELEMENTS);
    for (const code of ['marriage.registrations', 'divorce.registrations', 'certificates.issued', 'certificates.accurate', 'organisations', 'organisations.social-groups', 'organisations.private-non-enterprise', 'allowance.orphan.paid', 'allowance.de-facto-unsupported.paid', 'allowance.disability-living.paid', 'allowance.disability-care.paid', 'social-work.activities', 'counselling.sessions', 'cemetery.bookings', 'cemetery.visitors']) {
      expect(elements.has(code)).toBe(true);
    }
  });

  it('count a marriage on its registration date in the registry’s division', () => {
    const event = envelope(MarriageEvents.registered, { registrationId: 'r1', registryDivisionCode: REGISTRY, registeredOn: '2023-05-20' });
    expect(map(event)).toEqual({ facts: [{ element: 'marriage.registrations', divisionCode: REGISTRY, businessDate: '2023-05-20', urbanRural: null, value: 1, key: 'marriage:r1' }], states: [] });
  });

  it('count a divorce and its certificate (issued with the registration, matching it) on the registration date', () => {
    const event = envelope(DivorceEvents.registered, { registrationId: 'd1', marriageRegistrationId: 'r0', registryDivisionCode: REGISTRY, registeredOn: '2023-11-02', certificateNumber: 'L430503-2023-000001' });
    expect(map(event).facts).toEqual([
      { element: 'divorce.registrations', divisionCode: REGISTRY, businessDate: '2023-11-02', urbanRural: null, value: 1, key: 'divorce:d1' },
      { element: 'certificates.issued', divisionCode: REGISTRY, businessDate: '2023-11-02', urbanRural: null, value: 1, key: 'certificate:L430503-2023-000001:issued' },
      { element: 'certificates.accurate', divisionCode: REGISTRY, businessDate: '2023-11-02', urbanRural: null, value: 1, key: 'certificate:L430503-2023-000001:accurate' },
    ]);
  });

  it('count certificates issued and reissued on the issue date, accurate only when they match the registration', () => {
    const issued = envelope(MarriageEvents.certificateIssued, { certificateNumber: 'J1', registrationId: 'r1', kind: 'original', issuedOn: '2023-05-20', matchesRegistration: true });
    const reissued = envelope(MarriageEvents.certificateReissued, { certificateNumber: 'BJ1', registrationId: 'r1', kind: 'reissue', issuedOn: '2023-08-01', matchesRegistration: false });
    expect(map(issued).facts.map((f) => [f.element, f.businessDate, f.value])).toEqual([
      ['certificates.issued', '2023-05-20', 1],
      ['certificates.accurate', '2023-05-20', 1],
    ]);
    expect(map(reissued).facts.map((f) => [f.element, f.businessDate, f.value, f.key])).toEqual([
      ['certificates.issued', '2023-08-01', 1, 'certificate:BJ1:issued'],
      ['certificates.accurate', '2023-08-01', 0, 'certificate:BJ1:accurate'],
    ]);
  });

  it('count a counselling session on its session date, with mediations and reconciliations', () => {
    const event = envelope(CounsellingEvents.sessionRecorded, { bookingId: 'b1', slotId: 's1', counsellorId: 'c1', registryId: 'g1', sessionDate: '2023-03-08', kind: 'divorce-mediation', outcome: 'reconciled' });
    expect(map(event).facts.map((f) => [f.element, f.businessDate, f.value])).toEqual([
      ['counselling.sessions', '2023-03-08', 1],
      ['counselling.divorce-mediations', '2023-03-08', 1],
      ['counselling.reconciled', '2023-03-08', 1],
    ]);
  });

  it('keep organisations as dated versions: registered active, deregistered inactive, foundations recorded as the province’s', () => {
    const registered = envelope(SocialOrganisationEvents.registered, { orgId: 'o1', type: 'social-group', name: '区书法家协会', creditCode: 'X', registeredBy: 'county', registeredOn: '2019-04-01' }, '430503101000');
    expect(map(registered)).toEqual({
      facts: [],
      states: [{ entityKind: 'organisation', entityId: 'o1', effectiveFrom: '2019-04-01', active: true, divisionCode: '430503101000', urbanRural: null, persons: 0, attributes: { orgType: 'social-group', registeredBy: 'county' } }],
    });
    const deregistered = envelope(SocialOrganisationEvents.deregistered, { orgId: 'o1', type: 'social-group', registeredOn: '2019-04-01', deregisteredOn: '2023-09-30', reason: '自行解散' }, '430503101000');
    expect(map(deregistered).states).toEqual([
      { entityKind: 'organisation', entityId: 'o1', effectiveFrom: '2023-09-30', active: false, divisionCode: '430503101000', urbanRural: null, persons: 0, attributes: { orgType: 'social-group', registeredBy: 'county' } },
    ]);
    const foundation = envelope(SocialOrganisationEvents.recorded, { orgId: 'o2', type: 'foundation', name: '教育基金会', creditCode: 'Y', registeredBy: 'province', registeredOn: '2020-01-10', provinceRegistrationNumber: '湘基001' });
    expect(map(foundation).states[0]).toMatchObject({ entityId: 'o2', active: true, effectiveFrom: '2020-01-10', attributes: { orgType: 'foundation', registeredBy: 'province' } });
    const elements = catalogue(SOCIAL_AFFAIRS_ELEMENTS);
    expect(elements.get('organisations')).toMatchObject({ where: { registeredBy: 'county' } });
  });

  it('count an inspection on the day it was decided', () => {
    const event = envelope(SocialOrganisationEvents.inspected, { orgId: 'o1', type: 'private-non-enterprise', year: 2022, result: 'basic-pass', inspectedOn: '2023-05-10' });
    expect(map(event).facts.map((f) => [f.element, f.businessDate, f.value, f.key])).toEqual([
      ['organisations.inspections', '2023-05-10', 1, 'organisation-inspection:o1:2022'],
      ['organisations.inspections.passed', '2023-05-10', 0, 'organisation-inspection:o1:2022:passed'],
    ]);
  });

  const payroll = (amountFen: number): AllowancePayrollCompletedV1 => ({
    period: '2023-07',
    programme: 'disability-care',
    persons: 2 + 1,
    amountFen: amountFen + 8000,
    lines: [
      { townshipCode: '430503101', persons: 2, amountFen },
      { townshipCode: '430503102', persons: 1, amountFen: 8000 },
    ],
  });

  it('pay an allowance payroll by township line on the first day of its period, keyed so a correction replaces it', () => {
    const first = envelope(AllowanceEvents.payrollCompleted, payroll(16000), '430503000000', new Date('2023-07-05T01:00:00Z'));
    expect(map(first).facts).toEqual([
      { element: 'allowance.disability-care.paid', divisionCode: '430503101000', businessDate: '2023-07-01', urbanRural: null, value: 16000, key: 'allowance-payroll:disability-care:2023-07:430503101:paid' },
      { element: 'allowance.disability-care.person-months', divisionCode: '430503101000', businessDate: '2023-07-01', urbanRural: null, value: 2, key: 'allowance-payroll:disability-care:2023-07:430503101:persons' },
      { element: 'allowance.disability-care.paid', divisionCode: '430503102000', businessDate: '2023-07-01', urbanRural: null, value: 8000, key: 'allowance-payroll:disability-care:2023-07:430503102:paid' },
      { element: 'allowance.disability-care.person-months', divisionCode: '430503102000', businessDate: '2023-07-01', urbanRural: null, value: 1, key: 'allowance-payroll:disability-care:2023-07:430503102:persons' },
    ]);
  });

  it('keep the corrected payroll’s figures, whichever order the two runs arrive in', async () => {
    const first = envelope(AllowanceEvents.payrollCompleted, payroll(16000), '430503000000', new Date('2023-07-05T01:00:00Z'));
    const corrected = envelope(AllowanceEvents.payrollCompleted, payroll(24000), '430503000000', new Date('2023-07-20T01:00:00Z'));
    for (const order of [
      [first, corrected],
      [corrected, first],
    ]) {
      const written: unknown[][] = [];
      const manager = { query: (_sql: string, params: unknown[]) => Promise.resolve(written.push(params)) } as unknown as EntityManager;
      const projection = new ProjectionService(SOCIAL_AFFAIRS_MAPPERS);
      await projection.write(order.map((event) => ({ event, mapping: projection.map(event)! })), manager);
      const [keys, , , , , values] = written[0] as [string[], unknown, unknown, unknown, unknown, number[]];
      expect(Object.fromEntries(keys.map((k, i) => [k, values[i]]))).toEqual({
        'allowance-payroll:disability-care:2023-07:430503101:paid': 24000,
        'allowance-payroll:disability-care:2023-07:430503101:persons': 2,
        'allowance-payroll:disability-care:2023-07:430503102:paid': 8000,
        'allowance-payroll:disability-care:2023-07:430503102:persons': 1,
      });
    }
  });

  it('keep enrolments in an allowance from their first period to the end of their last', () => {
    const enrolled = envelope(AllowanceEvents.enrolled, { enrolmentId: 'e1', programme: 'orphan', firstPeriod: '2023-02', grade: null }, '430503101007');
    const ended = envelope(AllowanceEvents.ended, { enrolmentId: 'e1', programme: 'orphan', lastPeriod: '2023-12', reason: 'turned-18' }, '430503101007');
    expect(map(enrolled).states).toEqual([{ entityKind: 'allowance-enrolment', entityId: 'e1', effectiveFrom: '2023-02-01', active: true, divisionCode: '430503101007', urbanRural: null, persons: 1, attributes: { programme: 'orphan' } }]);
    expect(map(ended).states[0]).toMatchObject({ effectiveFrom: '2024-01-01', active: false });
  });

  it('count cemetery bookings by visit date, a cancellation restating the booking as none, and the visitors who came', () => {
    const booking = { bookingId: 'k1', siteId: 'site', slotId: 'slot', visitDate: '2023-04-05', visitors: 3 };
    const confirmed = map(envelope(CemeteryEvents.confirmed, booking, REGISTRY, new Date('2023-03-30T01:00:00Z'))).facts;
    const cancelled = map(envelope(CemeteryEvents.cancelled, booking, REGISTRY, new Date('2023-04-01T01:00:00Z'))).facts;
    const checkedIn = map(envelope(CemeteryEvents.checkedIn, booking)).facts;
    expect(confirmed).toEqual([{ element: 'cemetery.bookings', divisionCode: REGISTRY, businessDate: '2023-04-05', urbanRural: null, value: 1, key: 'cemetery-booking:k1' }]);
    expect(cancelled).toEqual([{ element: 'cemetery.bookings', divisionCode: REGISTRY, businessDate: '2023-04-05', urbanRural: null, value: 0, key: 'cemetery-booking:k1' }]);
    expect(checkedIn).toEqual([{ element: 'cemetery.visitors', divisionCode: REGISTRY, businessDate: '2023-04-05', urbanRural: null, value: 3, key: 'cemetery-booking:k1:visitors' }]);
    expect(map(envelope(CemeteryEvents.noShow, booking)).facts.map((f) => [f.element, f.value])).toEqual([['cemetery.no-shows', 1]]);
  });

  it('count a social work activity on the day it was held, with the persons served', () => {
    const event = envelope(SocialWorkEvents.activityRecorded, { activityId: 'a1', stationId: 'st', kind: 'elderly-care-visit', heldOn: '2023-09-28', personsServed: 35 }, '430503101000');
    expect(map(event).facts.map((f) => [f.element, f.divisionCode, f.businessDate, f.value])).toEqual([
      ['social-work.activities', '430503101000', '2023-09-28', 1],
      ['social-work.persons-served', '430503101000', '2023-09-28', 35],
    ]);
  });
});
