import type { DataSource, EntityManager } from 'typeorm';
import { ROLES, createEvent, type Actor, type CountersReport, type Role } from '@civil/contracts';
import { CountersHandlers, countersQuerySchema } from './counters.handlers';
import { CountersProjection } from './counters.projection';
import { domainErrorOf } from '@civil/testing';

const STAFF_ROLES: Role[] = ['leader', 'finance-officer', 'auditor', 'admin', 'clerk', 'place-names-officer', 'registrar', 'elderly-care-officer', 'township-reviewer', 'district-approver'];
const REPORT: CountersReport = { counters: [{ eventType: 'civil.place-names.place-name.named.v1', divisionCode: '430503101000', period: '2025-06', count: 2 }], totalEvents: 2 };

function staff(roles: Role[]): Actor {
  return { userId: 'u-1', kind: 'staff', roles, divisions: ['430503000000'] };
}

function untouchable<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get: (_target, property) => {
      throw new Error(`${name}.${String(property)} must not be used`);
    },
  });
}


describe('CountersHandlers.counts', () => {
  const refusing = () => new CountersHandlers(untouchable<CountersProjection>('projection'));

  it('has a staff list that covers every role except citizen', () => {
    expect([...STAFF_ROLES].sort()).toEqual(ROLES.filter((r) => r !== 'citizen').sort());
  });

  it('refuses a request without an actor', async () => {
    await domainErrorOf(refusing().counts({}, { subject: 'reporting.counters.get', actor: null }), 'FORBIDDEN');
  });

  it.each<[string, Actor]>([
    ['a citizen', { userId: 'c-1', kind: 'citizen', roles: ['citizen'], divisions: [], residentId: '34052419800101001X' }],
    ['a citizen who somehow holds a staff role', { userId: 'c-2', kind: 'citizen', roles: ['citizen', 'leader'], divisions: [] }],
    ['a staff member with only the citizen role', staff(['citizen'])],
    ['a staff member with no roles', staff([])],
  ])('refuses %s with FORBIDDEN without reading the projection', async (_label, actor) => {
    await domainErrorOf(refusing().counts({}, { subject: 'reporting.counters.get', actor }), 'FORBIDDEN');
  });

  it.each(STAFF_ROLES.map((r) => [r]))('lets a staff member with the %s role read the counters', async (role) => {
    const read = jest.fn(async () => REPORT);
    const handlers = new CountersHandlers({ read } as unknown as CountersProjection);
    expect(await handlers.counts({ eventType: 'civil.place-names.place-name.named.v1' }, { subject: 's', actor: staff([role]) })).toBe(REPORT);
    expect(read).toHaveBeenCalledWith('civil.place-names.place-name.named.v1');
  });

  it('lets the system actor read the counters', async () => {
    const read = jest.fn(async () => REPORT);
    const handlers = new CountersHandlers({ read } as unknown as CountersProjection);
    await handlers.counts({}, { subject: 's', actor: { userId: 'system', kind: 'system', roles: ['admin'], divisions: [] } });
    expect(read).toHaveBeenCalledWith(undefined);
  });
});

describe('countersQuerySchema', () => {
  it('accepts an optional event type and nothing else', () => {
    expect(countersQuerySchema.parse({})).toEqual({});
    expect(countersQuerySchema.parse({ eventType: 'civil.x.y.z.v1' })).toEqual({ eventType: 'civil.x.y.z.v1' });
    expect(countersQuerySchema.safeParse({ eventType: 'x'.repeat(201) }).success).toBe(false);
    expect(countersQuerySchema.safeParse({ period: '2025-06' }).success).toBe(false);
  });
});

describe('CountersProjection', () => {
  it('read maps rows to views, turning bigint count strings into numbers and summing them', async () => {
    const query = jest.fn(async () => [
      { event_type: 'civil.place-names.place-name.named.v1', division_code: '430503101000', period: '2025-06', count: '3' },
      { event_type: 'civil.social-assistance.household.registered.v1', division_code: '430503102000', period: '2025-07', count: '12' },
    ]);
    const projection = new CountersProjection({ query } as unknown as DataSource);
    expect(await projection.read()).toEqual({
      counters: [
        { eventType: 'civil.place-names.place-name.named.v1', divisionCode: '430503101000', period: '2025-06', count: 3 },
        { eventType: 'civil.social-assistance.household.registered.v1', divisionCode: '430503102000', period: '2025-07', count: 12 },
      ],
      totalEvents: 15,
    });
    expect(query).toHaveBeenCalledWith(expect.stringContaining('FROM event_counter'), [null]);
  });

  it('read passes the event type filter and reports zero for no rows', async () => {
    const query = jest.fn(async () => []);
    const projection = new CountersProjection({ query } as unknown as DataSource);
    expect(await projection.read('civil.x.y.z.v1')).toEqual({ counters: [], totalEvents: 0 });
    expect(query).toHaveBeenCalledWith(expect.any(String), ['civil.x.y.z.v1']);
  });

  it('apply upserts one count for the event’s type, division code and time', async () => {
    const query = jest.fn(async () => []);
    const event = createEvent({
      source: '/civil/place-names',
      type: 'civil.place-names.place-name.named.v1',
      subject: 'place-name/1',
      divisioncode: '430503101201',
      actor: 'u-1',
      data: {},
      time: new Date('2025-06-30T16:30:00.000Z'),
    });
    await new CountersProjection(untouchable<DataSource>('dataSource')).apply(event, { query } as unknown as EntityManager);
    expect(query).toHaveBeenCalledTimes(1);
    expect(query).toHaveBeenCalledWith(expect.stringMatching(/INSERT INTO event_counter[\s\S]*GROUP BY[\s\S]*ON CONFLICT/), [
      ['civil.place-names.place-name.named.v1'],
      ['430503101201'],
      ['2025-06-30T16:30:00.000Z'],
    ]);
  });
});
