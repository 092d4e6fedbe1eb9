import { AgeAllowanceEvents, CareInstitutionEvents, HomeAdaptationEvents, createEvent, type AgeAllowancePayrollCompletedV1, type EventEnvelope } from '@civil/contracts';
import type { EntityManager } from 'typeorm';
import { catalogue } from '../elements';
import { mapperIndex } from '../mapping';
import { ProjectionService } from '../projection.service';
import { ELDERLY_CARE_ELEMENTS, ELDERLY_CARE_MAPPERS } from './elderly-care';

const PUBLISHED = new Date('2024-03-15T02:00:00Z');

function envelope<T>(type: string, data: T, divisioncode = '430503101008', time = PUBLISHED): EventEnvelope<T> {
  return createEvent({ source: '/civil/elderly-care', type, subject: 'x/1', divisioncode, actor: 'user:1', data, time });
}

const index = mapperIndex(ELDERLY_CARE_MAPPERS);
const map = (event: EventEnvelope) => {
  const mapper = index.get(event.type);
  if (!mapper) throw new Error(`no mapper for ${event.type}`);
  return mapper.map(event);
};

describe('elderly care mappers', () => {
  it('define the elements the report uses, once each', () => {
    const elements = catalogue(ELDERLY_CARE_ELEMENTS);
    for (const code of ['institutions', 'institutions.public', 'institutions.private', 'home-adaptation.completed', 'home-adaptation.subsidy', 'age-allowance.high-age.paid', 'age-allowance.longevity.paid']) {
      expect(elements.has(code)).toBe(true);
    }
    expect(elements.get('institutions.public')).toMatchObject({ kind: 'stock', entityKind: 'care-institution', where: { ownership: 'public' } });
  });

  it('count an institution from its opening date and no longer from its closing date', () => {
    const beds = { nursing: 20, general: 40 };
    const registered = envelope(CareInstitutionEvents.registered, { institutionId: 'i1', ownership: 'public', openedOn: '2012-06-01', beds, totalBeds: 60 });
    const closed = envelope(CareInstitutionEvents.closed, { institutionId: 'i1', ownership: 'public', openedOn: '2012-06-01', closedOn: '2023-10-01', beds, totalBeds: 60 });
    const version = { entityKind: 'care-institution', entityId: 'i1', divisionCode: '430503101008', urbanRural: null, persons: 0, attributes: { ownership: 'public' } };
    expect(map(registered)).toEqual({ facts: [], states: [{ ...version, effectiveFrom: '2012-06-01', active: true }] });
    expect(map(closed)).toEqual({ facts: [], states: [{ ...version, effectiveFrom: '2023-10-01', active: false }] });
  });

  it('count a completed home adaptation and its subsidy on the day it was paid, in its township', () => {
    const event = envelope(HomeAdaptationEvents.completed, { caseId: 'c1', subsidyFen: 350_000, completedOn: '2023-08-18', townshipCode: '430503101' });
    expect(map(event)).toEqual({
      facts: [
        { element: 'home-adaptation.completed', divisionCode: '430503101000', businessDate: '2023-08-18', urbanRural: null, value: 1, key: 'home-adaptation:c1' },
        { element: 'home-adaptation.subsidy', divisionCode: '430503101000', businessDate: '2023-08-18', urbanRural: null, value: 350_000, key: 'home-adaptation:c1:subsidy' },
      ],
      states: [],
    });
  });

  const payroll = (fen: number): AgeAllowancePayrollCompletedV1 => ({ period: '2023-12', band: 'longevity', persons: 25, amountFen: fen, lines: [{ townshipCode: '430503101', persons: 25, amountFen: fen }] });

  it('pay an age-allowance payroll by township on the first day of its period', () => {
    const event = envelope(AgeAllowanceEvents.payrollCompleted, payroll(750_000), '430503000000');
    expect(map(event).facts).toEqual([
      { element: 'age-allowance.longevity.paid', divisionCode: '430503101000', businessDate: '2023-12-01', urbanRural: null, value: 750_000, key: 'age-allowance-payroll:longevity:2023-12:430503101:paid' },
      { element: 'age-allowance.longevity.person-months', divisionCode: '430503101000', businessDate: '2023-12-01', urbanRural: null, value: 25, key: 'age-allowance-payroll:longevity:2023-12:430503101:persons' },
    ]);
  });

  it('keep the corrected payroll’s figures, whichever order the runs arrive in', async () => {
    const first = envelope(AgeAllowanceEvents.payrollCompleted, payroll(750_000), '430503000000', new Date('2023-12-05T01:00:00Z'));
    const corrected = envelope(AgeAllowanceEvents.payrollCompleted, payroll(780_000), '430503000000', new Date('2023-12-06T01:00:00Z'));
    for (const order of [
      [first, corrected],
      [corrected, first],
    ]) {
      const written: unknown[][] = [];
      const manager = { query: (_sql: string, params: unknown[]) => Promise.resolve(written.push(params)) } as unknown as EntityManager;
      const projection = new ProjectionService(ELDERLY_CARE_MAPPERS);
      await projection.write(order.map((event) => ({ event, mapping: projection.map(event)! })), manager);
      const [keys, , , , , values] = written[0] as [string[], unknown, unknown, unknown, unknown, number[]];
      expect(keys.map((k, i) => [k, values[i]])).toEqual([
        ['age-allowance-payroll:longevity:2023-12:430503101:paid', 780_000],
        ['age-allowance-payroll:longevity:2023-12:430503101:persons', 25],
      ]);
    }
  });

  it('keep age-allowance enrolments from their first period, a move to longevity ending high-age the month after the last paid', () => {
    const started = envelope(AgeAllowanceEvents.enrolmentStarted, { enrolmentId: 'e1', personId: 'p1', band: 'high-age', firstPeriod: '2023-03' });
    const moved = envelope(AgeAllowanceEvents.enrolmentMoved, { personId: 'p1', fromEnrolmentId: 'e1', fromBand: 'high-age', lastPeriod: '2023-06', toEnrolmentId: 'e2', toBand: 'longevity', firstPeriod: '2023-07' });
    const stopped = envelope(AgeAllowanceEvents.enrolmentStopped, { enrolmentId: 'e2', personId: 'p1', band: 'longevity', lastPeriod: '2023-12', reason: 'died' });
    const base = { entityKind: 'age-allowance-enrolment', divisionCode: '430503101008', urbanRural: null, persons: 1 };
    expect(map(started).states).toEqual([{ ...base, entityId: 'e1', effectiveFrom: '2023-03-01', active: true, attributes: { band: 'high-age' } }]);
    expect(map(moved).states).toEqual([
      { ...base, entityId: 'e1', effectiveFrom: '2023-07-01', active: false, attributes: { band: 'high-age' } },
      { ...base, entityId: 'e2', effectiveFrom: '2023-07-01', active: true, attributes: { band: 'longevity' } },
    ]);
    expect(map(stopped).states).toEqual([{ ...base, entityId: 'e2', effectiveFrom: '2024-01-01', active: false, attributes: { band: 'longevity' } }]);
  });
});
