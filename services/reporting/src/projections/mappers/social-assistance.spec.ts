import {
  CharityEvents,
  DibaoCaseEvents,
  DibaoEvents,
  PayrollEvents,
  TekunEvents,
  TemporaryAssistanceEvents,
  type CharityActivityRecordedV1,
  type CharityDonationReceivedV1,
  type DibaoApplicationDecidedV1,
  type DibaoHouseholdAdjustedV1,
  type DibaoHouseholdStartedV1,
  type DibaoHouseholdStoppedV1,
  type EventEnvelope,
  type PayrollCompletedV1,
  type TekunChangedV1,
  type TekunEndedV1,
  type TekunEnrolledV1,
  type TekunFuneralSubsidyGrantedV1,
  type TemporaryAssistanceGrantedV1,
} from '@civil/contracts';
import { catalogue } from '../elements';
import { mapperIndex, type EventMapping } from '../mapping';
import { ALL_ELEMENTS, ALL_MAPPERS } from './index';
import { SOCIAL_ASSISTANCE_ELEMENTS, SOCIAL_ASSISTANCE_MAPPERS } from './social-assistance';

const index = mapperIndex(SOCIAL_ASSISTANCE_MAPPERS);
const VILLAGE = '430503101203';
const COMMUNITY = '430503002004';
const HOUSEHOLD = '0190a1b2-0000-7000-8000-000000000001';
const PERSON = '0190a1b2-0000-7000-8000-000000000002';
/** The envelope's time is deliberately in another year than every business date below. */
const PUBLISHED = '2025-02-03T04:05:06.000Z';

function envelope<T>(type: string, divisioncode: string, data: T, overrides: Partial<Omit<EventEnvelope, 'data'>> = {}): EventEnvelope<T> {
  return {
    specversion: '1.0',
    id: '0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b',
    source: 'social-assistance',
    type,
    time: PUBLISHED,
    subject: 'test',
    datacontenttype: 'application/json',
    divisioncode,
    actor: 'demo-district-approver',
    data,
    ...overrides,
  };
}

function map(event: EventEnvelope): EventMapping {
  const mapper = index.get(event.type);
  if (!mapper) throw new Error(`no mapper for ${event.type}`);
  return mapper.map(event);
}

describe('social-assistance mappers', () => {
  it('are all in ALL_MAPPERS / ALL_ELEMENTS, each event type and element code once', () => {
    expect(() => mapperIndex(ALL_MAPPERS)).not.toThrow();
    expect(() => catalogue(ALL_ELEMENTS)).not.toThrow();
    for (const m of SOCIAL_ASSISTANCE_MAPPERS) expect(ALL_MAPPERS).toContain(m);
    for (const e of SOCIAL_ASSISTANCE_ELEMENTS) expect(ALL_ELEMENTS).toContain(e);
  });

  it('feeds only elements it defines', () => {
    const codes = new Set(SOCIAL_ASSISTANCE_ELEMENTS.map((e) => e.code));
    const required = [
      'dibao.new.households',
      'dibao.new.persons',
      'dibao.stopped.households',
      'dibao.stopped.persons',
      'dibao.paid',
      'dibao.person-months',
      'tekun.paid',
      'temporary.person-times',
      'temporary.paid',
      'charity.funds',
      'charity.households-visited',
      'charity.activities',
      'charity.goods-value',
      'charity.persons-served',
      'dibao.applications.decided',
      'dibao.households',
      'dibao.persons',
      'tekun.persons',
      'tekun.persons.centralized',
      'tekun.persons.dispersed',
    ];
    for (const code of required) expect(codes).toContain(code);
    expect(SOCIAL_ASSISTANCE_ELEMENTS.find((e) => e.code === 'dibao.persons')).toMatchObject({ kind: 'stock', entityKind: 'dibao-household', measure: 'persons' });
    expect(SOCIAL_ASSISTANCE_ELEMENTS.find((e) => e.code === 'tekun.persons.centralized')).toMatchObject({ kind: 'stock', entityKind: 'tekun-person', where: { careMode: 'centralized' } });
  });

  describe('低保 applications', () => {
    const decided = (decisionDate: string, reason: string | null): DibaoApplicationDecidedV1 => ({
      applicationId: '0190a1b2-0000-7000-8000-0000000000a1',
      householdId: HOUSEHOLD,
      urbanRural: 'rural',
      persons: 3,
      decisionDate,
      reason,
    });

    it('counts a submission on its date', () => {
      expect(map(envelope(DibaoEvents.applicationSubmitted, VILLAGE, decided('2023-03-09', null)))).toEqual({
        facts: [{ element: 'dibao.applications.submitted', divisionCode: VILLAGE, businessDate: '2023-03-09', urbanRural: 'rural', value: 1 }],
        states: [],
      });
    });

    it('counts an approval and a rejection as decided on the decision date', () => {
      expect(map(envelope(DibaoEvents.applicationApproved, VILLAGE, decided('2023-03-25', null))).facts).toEqual([
        { element: 'dibao.applications.decided', divisionCode: VILLAGE, businessDate: '2023-03-25', urbanRural: 'rural', value: 1 },
        { element: 'dibao.applications.approved', divisionCode: VILLAGE, businessDate: '2023-03-25', urbanRural: 'rural', value: 1 },
      ]);
      expect(map(envelope(DibaoEvents.applicationRejected, VILLAGE, decided('2023-04-02', '家庭人均收入高于低保标准'))).facts).toEqual([
        { element: 'dibao.applications.decided', divisionCode: VILLAGE, businessDate: '2023-04-02', urbanRural: 'rural', value: 1 },
        { element: 'dibao.applications.rejected', divisionCode: VILLAGE, businessDate: '2023-04-02', urbanRural: 'rural', value: 1 },
      ]);
    });

    it('counts a decision made within the statutory deadline as in time, one made after it not', () => {
      const inTime = { ...decided('2023-03-25', null), submittedOn: '2023-02-20', deadline: '2023-04-04', inTime: true };
      const late = { ...decided('2023-04-10', '家庭人均收入高于低保标准'), submittedOn: '2023-02-20', deadline: '2023-04-04', inTime: false };
      expect(map(envelope(DibaoEvents.applicationApproved, VILLAGE, inTime)).facts.map((f) => f.element)).toEqual([
        'dibao.applications.decided',
        'dibao.applications.approved',
        'dibao.applications.decided-in-time',
      ]);
      expect(map(envelope(DibaoEvents.applicationRejected, VILLAGE, late)).facts.map((f) => f.element)).toEqual(['dibao.applications.decided', 'dibao.applications.rejected']);
    });
  });

  describe('低保 households', () => {
    const started = (origin: 'application' | 'import' | undefined, effectivePeriod: string): DibaoHouseholdStartedV1 => ({
      householdId: HOUSEHOLD,
      caseId: '0190a1b2-0000-7000-8000-0000000000c1',
      urbanRural: 'urban',
      persons: 3,
      monthlyAmountFen: 118_800,
      effectivePeriod,
      ...(origin === undefined ? {} : { origin }),
      members: [{ hash: 'a1'.repeat(32), enc: 'v1.sealed-member' }],
    });

    it('starts a household from its effective period: a new case and an active version with its persons', () => {
      expect(map(envelope(DibaoEvents.householdStarted, COMMUNITY, started('application', '2023-04')))).toEqual({
        facts: [
          { element: 'dibao.new.households', divisionCode: COMMUNITY, businessDate: '2023-04-01', urbanRural: 'urban', value: 1 },
          { element: 'dibao.new.persons', divisionCode: COMMUNITY, businessDate: '2023-04-01', urbanRural: 'urban', value: 3 },
        ],
        states: [{ entityKind: 'dibao-household', entityId: HOUSEHOLD, effectiveFrom: '2023-04-01', active: true, divisionCode: COMMUNITY, urbanRural: 'urban', persons: 3 }],
      });
    });

    it('counts an event from before `origin` existed as a new case', () => {
      expect(map(envelope(DibaoEvents.householdStarted, COMMUNITY, started(undefined, '2023-04'))).facts).toHaveLength(2);
    });

    it('puts an imported (opening) case in the stock from its original start, not among the new cases', () => {
      expect(map(envelope(DibaoEvents.householdStarted, COMMUNITY, started('import', '2016-07')))).toEqual({
        facts: [],
        states: [{ entityKind: 'dibao-household', entityId: HOUSEHOLD, effectiveFrom: '2016-07-01', active: true, divisionCode: COMMUNITY, urbanRural: 'urban', persons: 3 }],
      });
    });

    it('adjusts the persons from the effective period of the new level', () => {
      const data: DibaoHouseholdAdjustedV1 = {
        householdId: HOUSEHOLD,
        caseId: '0190a1b2-0000-7000-8000-0000000000c2',
        urbanRural: 'urban',
        personsBefore: 3,
        personsAfter: 2,
        monthlyAmountBeforeFen: 118_800,
        monthlyAmountAfterFen: 79_200,
        effectivePeriod: '2023-08',
        reason: '子女就业，家庭人口减少',
      };
      expect(map(envelope(DibaoCaseEvents.householdAdjusted, COMMUNITY, data))).toEqual({
        facts: [
          { element: 'dibao.adjusted.households', divisionCode: COMMUNITY, businessDate: '2023-08-01', urbanRural: 'urban', value: 1 },
          { element: 'dibao.adjusted.persons-change', divisionCode: COMMUNITY, businessDate: '2023-08-01', urbanRural: 'urban', value: -1 },
        ],
        states: [{ entityKind: 'dibao-household', entityId: HOUSEHOLD, effectiveFrom: '2023-08-01', active: true, divisionCode: COMMUNITY, urbanRural: 'urban', persons: 2 }],
      });
    });

    it('stops a household from the first period no longer paid', () => {
      const data: DibaoHouseholdStoppedV1 = {
        householdId: HOUSEHOLD,
        caseId: '0190a1b2-0000-7000-8000-0000000000c2',
        urbanRural: 'rural',
        persons: 2,
        reason: '家庭人均收入超过低保标准',
        effectivePeriod: '2023-10',
      };
      expect(map(envelope(DibaoCaseEvents.householdStopped, VILLAGE, data))).toEqual({
        facts: [
          { element: 'dibao.stopped.households', divisionCode: VILLAGE, businessDate: '2023-10-01', urbanRural: 'rural', value: 1 },
          { element: 'dibao.stopped.persons', divisionCode: VILLAGE, businessDate: '2023-10-01', urbanRural: 'rural', value: 2 },
        ],
        states: [{ entityKind: 'dibao-household', entityId: HOUSEHOLD, effectiveFrom: '2023-10-01', active: false, divisionCode: VILLAGE, urbanRural: 'rural', persons: 2 }],
      });
    });
  });

  describe('payrolls', () => {
    const dibaoPayroll = (urbanAmount: number): PayrollCompletedV1 => ({
      period: '2023-05',
      programme: 'dibao',
      lines: [
        { townshipCode: '430503002000', urbanRural: 'urban', households: 210, persons: 352, amountFen: urbanAmount },
        { townshipCode: '430503101000', urbanRural: 'rural', households: 95, persons: 178, amountFen: 4_748_000 },
      ],
      totals: { households: 305, persons: 530, amountFen: urbanAmount + 4_748_000 },
    });

    it('gives amount, person-months and household-months per township × class, keyed by payroll cell, dated the period', () => {
      // The envelope's division is the payroll's common division (the district), not a township.
      expect(map(envelope(PayrollEvents.completed, '430503000000', dibaoPayroll(13_938_000)))).toEqual({
        facts: [
          { element: 'dibao.paid', divisionCode: '430503002000', businessDate: '2023-05-01', urbanRural: 'urban', value: 13_938_000, key: 'payroll:dibao:2023-05:430503002000:urban:paid' },
          { element: 'dibao.person-months', divisionCode: '430503002000', businessDate: '2023-05-01', urbanRural: 'urban', value: 352, key: 'payroll:dibao:2023-05:430503002000:urban:persons' },
          { element: 'dibao.household-months', divisionCode: '430503002000', businessDate: '2023-05-01', urbanRural: 'urban', value: 210, key: 'payroll:dibao:2023-05:430503002000:urban:households' },
          { element: 'dibao.paid', divisionCode: '430503101000', businessDate: '2023-05-01', urbanRural: 'rural', value: 4_748_000, key: 'payroll:dibao:2023-05:430503101000:rural:paid' },
          { element: 'dibao.person-months', divisionCode: '430503101000', businessDate: '2023-05-01', urbanRural: 'rural', value: 178, key: 'payroll:dibao:2023-05:430503101000:rural:persons' },
          { element: 'dibao.household-months', divisionCode: '430503101000', businessDate: '2023-05-01', urbanRural: 'rural', value: 95, key: 'payroll:dibao:2023-05:430503101000:rural:households' },
        ],
        states: [],
      });
    });

    it('restates a corrected payroll under the same keys, so the projection replaces instead of adding', () => {
      const first = map(envelope(PayrollEvents.completed, '430503000000', dibaoPayroll(13_938_000))).facts;
      const corrected = map(
        envelope(PayrollEvents.completed, '430503000000', dibaoPayroll(13_900_000), { id: '0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2c', time: '2025-02-04T00:00:00.000Z' }),
      ).facts;
      expect(corrected.map((f) => f.key)).toEqual(first.map((f) => f.key));
      expect(corrected[0]).toMatchObject({ element: 'dibao.paid', value: 13_900_000 });
      // The projection's rule (a key holds the latest event's fact): the total is the correction's, not the sum.
      const byKey = new Map([...first, ...corrected].map((f) => [f.key, f]));
      const paid = [...byKey.values()].filter((f) => f.element === 'dibao.paid').reduce((s, f) => s + f.value, 0);
      expect(paid).toBe(13_900_000 + 4_748_000);
    });

    it('maps a 特困 payroll to tekun.paid and tekun.person-months', () => {
      const data: PayrollCompletedV1 = {
        period: '2023-12',
        programme: 'tekun',
        lines: [{ townshipCode: '430503202000', urbanRural: 'rural', households: 64, persons: 64, amountFen: 5_804_800 }],
        totals: { households: 64, persons: 64, amountFen: 5_804_800 },
      };
      expect(map(envelope(PayrollEvents.completed, '430503202000', data)).facts).toEqual([
        { element: 'tekun.paid', divisionCode: '430503202000', businessDate: '2023-12-01', urbanRural: 'rural', value: 5_804_800, key: 'payroll:tekun:2023-12:430503202000:rural:paid' },
        { element: 'tekun.person-months', divisionCode: '430503202000', businessDate: '2023-12-01', urbanRural: 'rural', value: 64, key: 'payroll:tekun:2023-12:430503202000:rural:persons' },
      ]);
    });

    it('keeps the keys of the two programmes apart', () => {
      const tekun = map(envelope(PayrollEvents.completed, '430503000000', { ...dibaoPayroll(1), programme: 'tekun' as const })).facts.map((f) => f.key);
      const dibao = map(envelope(PayrollEvents.completed, '430503000000', dibaoPayroll(1))).facts.map((f) => f.key);
      expect(tekun.filter((k) => dibao.includes(k))).toEqual([]);
    });
  });

  describe('特困 persons', () => {
    const enrolled = (origin: 'application' | 'import', effectivePeriod: string): TekunEnrolledV1 => ({
      personId: PERSON,
      resident: { hash: 'b2'.repeat(32), enc: 'v1.sealed-person' },
      urbanRural: 'rural',
      careMode: 'centralized',
      selfCareLevel: 'partial',
      monthlyAmountFen: 90_700,
      effectivePeriod,
      origin,
    });

    it('enrols a person from the first period paid, with the care mode as attribute', () => {
      expect(map(envelope(TekunEvents.enrolled, VILLAGE, enrolled('application', '2023-07')))).toEqual({
        facts: [{ element: 'tekun.new.persons', divisionCode: VILLAGE, businessDate: '2023-07-01', urbanRural: 'rural', value: 1 }],
        states: [{ entityKind: 'tekun-person', entityId: PERSON, effectiveFrom: '2023-07-01', active: true, divisionCode: VILLAGE, urbanRural: 'rural', persons: 1, attributes: { careMode: 'centralized' } }],
      });
    });

    it('does not count an imported person as new', () => {
      expect(map(envelope(TekunEvents.enrolled, VILLAGE, enrolled('import', '2018-03')))).toMatchObject({ facts: [], states: [{ effectiveFrom: '2018-03-01', active: true }] });
    });

    it('moves a person to the new care mode from the effective period', () => {
      const data: TekunChangedV1 = {
        personId: PERSON,
        urbanRural: 'rural',
        careModeBefore: 'centralized',
        careModeAfter: 'dispersed',
        selfCareLevelBefore: 'partial',
        selfCareLevelAfter: 'full',
        monthlyAmountBeforeFen: 90_700,
        monthlyAmountAfterFen: 68_900,
        effectivePeriod: '2023-09',
        reason: '本人申请回家分散供养',
      };
      expect(map(envelope(TekunEvents.changed, VILLAGE, data))).toEqual({
        facts: [],
        states: [{ entityKind: 'tekun-person', entityId: PERSON, effectiveFrom: '2023-09-01', active: true, divisionCode: VILLAGE, urbanRural: 'rural', persons: 1, attributes: { careMode: 'dispersed' } }],
      });
    });

    it('ends support from the first period no longer paid', () => {
      const data: TekunEndedV1 = { personId: PERSON, urbanRural: 'rural', careMode: 'dispersed', reason: 'death', detail: '死亡医学证明', effectivePeriod: '2023-11' };
      expect(map(envelope(TekunEvents.ended, VILLAGE, data))).toEqual({
        facts: [{ element: 'tekun.ended.persons', divisionCode: VILLAGE, businessDate: '2023-11-01', urbanRural: 'rural', value: 1 }],
        states: [{ entityKind: 'tekun-person', entityId: PERSON, effectiveFrom: '2023-11-01', active: false, divisionCode: VILLAGE, urbanRural: 'rural', persons: 1, attributes: { careMode: 'dispersed' } }],
      });
    });

    it('counts a funeral subsidy on the day it was granted', () => {
      const data: TekunFuneralSubsidyGrantedV1 = { personId: PERSON, urbanRural: 'rural', amountFen: 300_000, dateOfDeath: '2023-10-10', grantedOn: '2023-10-15' };
      expect(map(envelope(TekunEvents.funeralSubsidyGranted, VILLAGE, data)).facts).toEqual([
        { element: 'tekun.funeral-subsidies', divisionCode: VILLAGE, businessDate: '2023-10-15', urbanRural: 'rural', value: 1 },
        { element: 'tekun.funeral-subsidy.paid', divisionCode: VILLAGE, businessDate: '2023-10-15', urbanRural: 'rural', value: 300_000 },
      ]);
    });
  });

  it('counts a temporary-assistance grant on its grant date: one case, its persons and its amount', () => {
    const data: TemporaryAssistanceGrantedV1 = {
      caseId: '0190a1b2-0000-7000-8000-0000000000d1',
      householdId: HOUSEHOLD,
      kind: 'emergency',
      persons: 4,
      amountFen: 380_000,
      urbanRural: 'urban',
      grantedOn: '2023-06-18',
    };
    expect(map(envelope(TemporaryAssistanceEvents.granted, COMMUNITY, data))).toEqual({
      facts: [
        { element: 'temporary.cases', divisionCode: COMMUNITY, businessDate: '2023-06-18', urbanRural: 'urban', value: 1 },
        { element: 'temporary.person-times', divisionCode: COMMUNITY, businessDate: '2023-06-18', urbanRural: 'urban', value: 4 },
        { element: 'temporary.paid', divisionCode: COMMUNITY, businessDate: '2023-06-18', urbanRural: 'urban', value: 380_000 },
      ],
      states: [],
    });
  });

  describe('charity', () => {
    it('pools money received on its receipt date; goods count as goods received, not funds', () => {
      const money: CharityDonationReceivedV1 = { donationId: 'd1', campaignId: null, kind: 'money', fundsInFen: 250_000_000, goodsInValueFen: 0, receivedOn: '2023-01-05' };
      expect(map(envelope(CharityEvents.donationReceived, '430503000000', money))).toEqual({
        facts: [{ element: 'charity.funds', divisionCode: '430503000000', businessDate: '2023-01-05', urbanRural: null, value: 250_000_000 }],
        states: [],
      });
      const goods: CharityDonationReceivedV1 = { donationId: 'd2', campaignId: 'c1', kind: 'goods', fundsInFen: 0, goodsInValueFen: 1_562_000, receivedOn: '2023-03-02' };
      expect(map(envelope(CharityEvents.donationReceived, '430503000000', goods)).facts).toEqual([
        { element: 'charity.goods-received-value', divisionCode: '430503000000', businessDate: '2023-03-02', urbanRural: null, value: 1_562_000 },
      ]);
    });

    it('counts an activity and what it did on the day it was held', () => {
      const visit: CharityActivityRecordedV1 = {
        activityId: 'a1',
        campaignId: null,
        kind: 'visit',
        heldOn: '2023-01-12',
        householdsVisited: 336,
        personsServed: 0,
        fundsOutFen: 16_800_000,
        goodsValueFen: 0,
      };
      expect(map(envelope(CharityEvents.activityRecorded, '430503001000', visit))).toEqual({
        facts: [
          { element: 'charity.activities', divisionCode: '430503001000', businessDate: '2023-01-12', urbanRural: null, value: 1 },
          { element: 'charity.households-visited', divisionCode: '430503001000', businessDate: '2023-01-12', urbanRural: null, value: 336 },
          { element: 'charity.funds-distributed', divisionCode: '430503001000', businessDate: '2023-01-12', urbanRural: null, value: 16_800_000 },
        ],
        states: [],
      });
      const distribution: CharityActivityRecordedV1 = {
        activityId: 'a2',
        campaignId: 'c1',
        kind: 'distribution',
        heldOn: '2023-03-15',
        householdsVisited: 0,
        personsServed: 156,
        fundsOutFen: 0,
        goodsValueFen: 1_538_000,
      };
      expect(map(envelope(CharityEvents.activityRecorded, '430503000000', distribution)).facts).toEqual([
        { element: 'charity.activities', divisionCode: '430503000000', businessDate: '2023-03-15', urbanRural: null, value: 1 },
        { element: 'charity.persons-served', divisionCode: '430503000000', businessDate: '2023-03-15', urbanRural: null, value: 156 },
        { element: 'charity.goods-value', divisionCode: '430503000000', businessDate: '2023-03-15', urbanRural: null, value: 1_538_000 },
      ]);
    });
  });

  it('never dates a fact or a state by the envelope time', () => {
    const events: EventEnvelope[] = [
      envelope(DibaoEvents.householdStarted, COMMUNITY, { householdId: HOUSEHOLD, caseId: 'c', urbanRural: 'urban', persons: 1, monthlyAmountFen: 1, effectivePeriod: '2023-02', origin: 'application' }),
      envelope(TemporaryAssistanceEvents.granted, COMMUNITY, { caseId: 'c', householdId: HOUSEHOLD, kind: 'expenditure', persons: 1, amountFen: 1, urbanRural: 'urban', grantedOn: '2023-02-02' }),
    ];
    for (const event of events) {
      const mapping = map(event);
      for (const d of [...mapping.facts.map((f) => f.businessDate), ...mapping.states.map((s) => s.effectiveFrom)]) expect(d.startsWith('2023-')).toBe(true);
    }
  });
});
