import { DataSource } from 'typeorm';
import { v7 as randomUUID } from 'uuid';
import type { EventEnvelope } from '@civil/contracts';
import { serviceDataSourceOptions, seededRng } from '@civil/platform';
import { createTestDatabase } from '@civil/testing';
import { REPORTING_MIGRATIONS } from '../data-source';
import { DataElementsService, yearRange } from './data-elements.service';
import type { DataElement } from './elements';
import type { EventMapper } from './mapping';
import { ProjectionService } from './projection.service';
import { RebuildService } from './rebuild.service';

/**
 * The projection core against real PostgreSQL with two test mappers: payments (a flow; a
 * restated payment replaces the earlier one by key) and households (a stock of dated versions).
 * Whatever the order and however often events arrive, and whether applied live or rebuilt from
 * the archive, the tables and the figures are the same.
 */
const TOWNSHIPS = ['430503001000', '430503002000', '430503101000'];

const MAPPERS: EventMapper[] = [
  {
    types: ['civil.test.payment.made.v1'],
    map: (event) => {
      const data = event.data as { township: string; urbanRural: 'urban' | 'rural'; date: string; amount: number; restates?: string };
      return {
        facts: [{ element: 'test.paid', divisionCode: data.township, businessDate: data.date, urbanRural: data.urbanRural, value: data.amount, ...(data.restates ? { key: data.restates } : {}) }],
        states: [],
      };
    },
  },
  {
    types: ['civil.test.household.changed.v1'],
    map: (event) => {
      const data = event.data as { id: string; township: string; urbanRural: 'urban' | 'rural'; from: string; persons: number; active: boolean; mode: string };
      return {
        facts: data.active ? [] : [{ element: 'test.stopped', divisionCode: data.township, businessDate: data.from, urbanRural: data.urbanRural, value: 1 }],
        states: [
          { entityKind: 'test-household', entityId: data.id, effectiveFrom: data.from, active: data.active, divisionCode: data.township, urbanRural: data.urbanRural, persons: data.persons, attributes: { mode: data.mode } },
        ],
      };
    },
  },
];

const ELEMENTS: DataElement[] = [
  { code: 'test.paid', kind: 'flow', label: 'paid', unit: 'fen' },
  { code: 'test.stopped', kind: 'flow', label: 'stopped', unit: 'households' },
  { code: 'test.households', kind: 'stock', label: 'households', unit: 'households', entityKind: 'test-household', measure: 'entities' },
  { code: 'test.persons', kind: 'stock', label: 'persons', unit: 'persons', entityKind: 'test-household', measure: 'persons' },
  { code: 'test.persons.centralized', kind: 'stock', label: 'centralized', unit: 'persons', entityKind: 'test-household', measure: 'persons', where: { mode: 'centralized' } },
];

/** A deterministic generator, so a failure can be replayed. */
const rng = seededRng;

function envelope(type: string, time: string, data: unknown): EventEnvelope {
  return {
    specversion: '1.0',
    id: randomUUID(),
    type,
    source: '/civil/test',
    subject: 'test/1',
    time,
    datacontenttype: 'application/json',
    divisioncode: '430503000000',
    actor: 'test',
    data,
  } as unknown as EventEnvelope;
}

/** 2023's events: payments (some restated later), households started, changed and stopped. */
function events(seed: number): EventEnvelope[] {
  const random = rng(seed);
  const out: EventEnvelope[] = [];
  let clock = Date.parse('2023-01-01T00:00:00Z');
  const tick = (): string => new Date((clock += 60_000)).toISOString();
  const day = (): string => `2023-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
  for (let i = 0; i < 200; i += 1) {
    const township = TOWNSHIPS[i % 3] ?? '';
    const urbanRural = i % 2 === 0 ? 'urban' : 'rural';
    out.push(envelope('civil.test.payment.made.v1', tick(), { township, urbanRural, date: day(), amount: 1000 + i, ...(i % 10 === 0 ? { restates: `payroll-${i}` } : {}) }));
  }
  // restatements: a later event for the same key replaces the amount
  for (let i = 0; i < 200; i += 10) out.push(envelope('civil.test.payment.made.v1', tick(), { township: TOWNSHIPS[i % 3], urbanRural: i % 2 === 0 ? 'urban' : 'rural', date: '2023-06-15', amount: 5, restates: `payroll-${i}` }));
  for (let h = 0; h < 60; h += 1) {
    const base = { id: `h${h}`, township: TOWNSHIPS[h % 3], urbanRural: h % 2 === 0 ? 'urban' : 'rural', mode: h % 3 === 0 ? 'centralized' : 'dispersed' };
    out.push(envelope('civil.test.household.changed.v1', tick(), { ...base, from: '2022-12-01', persons: 2, active: true }));
    if (h % 4 === 0) out.push(envelope('civil.test.household.changed.v1', tick(), { ...base, from: '2023-05-01', persons: 3, active: true }));
    if (h % 5 === 0) out.push(envelope('civil.test.household.changed.v1', tick(), { ...base, from: '2023-09-01', persons: 3, active: false }));
  }
  return out;
}

function shuffledWithDuplicates(list: readonly EventEnvelope[], seed: number): EventEnvelope[] {
  const random = rng(seed);
  const copy = [...list, ...list.filter(() => random() < 0.3)];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as EventEnvelope, copy[i] as EventEnvelope];
  }
  return copy;
}

describe('projections (PostgreSQL)', () => {
  let dataSource: DataSource;
  let projections: ProjectionService;
  let elements: DataElementsService;
  const stream = events(7);

  const snapshot = async (): Promise<unknown[]> =>
    dataSource.query(
      `SELECT 'fact' AS t, key AS k, element || '|' || division_code || '|' || business_date || '|' || coalesce(urban_rural, '-') || '|' || value || '|' || event_id AS v FROM fact
       UNION ALL
       SELECT 'state', entity_kind || '|' || entity_id || '|' || event_id, effective_from || '|' || active || '|' || persons || '|' || attributes::text FROM state_version
       ORDER BY 1, 2`,
    );

  type Figures = Record<'paid' | 'paidUrban' | 'paidTownship' | 'stopped' | 'households' | 'persons' | 'centralized' | 'householdsMidYear' | 'personsMidYear', number>;
  const figures = async (): Promise<Figures> => {
    const year = yearRange(2023);
    return {
      paid: await elements.value('test.paid', year),
      paidUrban: await elements.value('test.paid', year, { urbanRural: 'urban' }),
      paidTownship: await elements.value('test.paid', year, { divisionCode: '430503101000' }),
      stopped: await elements.value('test.stopped', year),
      households: await elements.value('test.households', year),
      persons: await elements.value('test.persons', year),
      centralized: await elements.value('test.persons.centralized', year),
      householdsMidYear: await elements.value('test.households', { from: '2023-01-01', to: '2023-07-01' }),
      personsMidYear: await elements.value('test.persons', { from: '2023-01-01', to: '2023-07-01' }),
    };
  };

  const applyLive = async (list: readonly EventEnvelope[]): Promise<void> => {
    for (const event of list) await dataSource.transaction((manager) => projections.apply(event, manager));
  };

  beforeAll(async () => {
    dataSource = new DataSource(serviceDataSourceOptions({ url: await createTestDatabase('reporting_projections'), entities: [], migrations: REPORTING_MIGRATIONS, applicationName: 'projections-test' }));
    await dataSource.initialize();
    await dataSource.runMigrations();
    projections = new ProjectionService(MAPPERS);
    elements = new DataElementsService(dataSource, ELEMENTS);
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('computes flows over business dates and stocks as of the period end, with filters', async () => {
    await applyLive(stream);
    const f = await figures();
    const restated = Array.from({ length: 20 }, (_, k) => 1000 + k * 10);
    const plain = Array.from({ length: 200 }, (_, i) => 1000 + i).reduce((a, b) => a + b, 0);
    expect(f.paid).toBe(plain - restated.reduce((a, b) => a + b, 0) + 20 * 5);
    expect(f.stopped).toBe(12); // h % 5 === 0 of 60
    expect(f.households).toBe(48); // 60 started, 12 stopped on 2023-09-01
    expect(f.householdsMidYear).toBe(60);
    // persons at year end: active households, 3 persons for those adjusted in May
    const active = Array.from({ length: 60 }, (_, h) => h).filter((h) => h % 5 !== 0);
    expect(f.persons).toBe(active.reduce((n, h) => n + (h % 4 === 0 ? 3 : 2), 0));
    expect(f.personsMidYear).toBe(Array.from({ length: 60 }, (_, h) => (h % 4 === 0 ? 3 : 2)).reduce((a, b) => a + b, 0));
    expect(f.centralized).toBe(active.filter((h) => h % 3 === 0).reduce((n, h) => n + (h % 4 === 0 ? 3 : 2), 0));
    expect(f.paidUrban + (await elements.value('test.paid', yearRange(2023), { urbanRural: 'rural' }))).toBe(f.paid);
    expect(f.paidTownship).toBeGreaterThan(0);
    expect(f.paidTownship).toBeLessThan(f.paid);
  });

  it('gives the same tables and figures for events in another order, delivered more than once', async () => {
    const live = await snapshot();
    const liveFigures = await figures();
    await dataSource.query(`TRUNCATE fact, state_version`);
    await applyLive(shuffledWithDuplicates(stream, 11));
    expect(await snapshot()).toEqual(live);
    expect(await figures()).toEqual(liveFigures);
  });

  it('rebuilds from the archive to exactly the incrementally built state', async () => {
    const live = await snapshot();
    const liveFigures = await figures();
    for (const event of stream) {
      await dataSource.query(
        `INSERT INTO event_archive (id, type, source, subject, division_code, event_time, actor, envelope) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [event.id, event.type, event.source, event.subject, event.divisioncode, event.time, event.actor, JSON.stringify(event)],
      );
    }
    // a stale extra row that the rebuild must clear
    await dataSource.query(`INSERT INTO fact (key, element, division_code, business_date, value, event_id, event_time) VALUES ('stale', 'test.paid', '430503001000', '2023-01-01', 999999, $1, now())`, [randomUUID()]);
    const result = await new RebuildService(dataSource, projections).rebuild();
    expect(result).toMatchObject({ events: stream.length, mapped: stream.length });
    expect(await snapshot()).toEqual(live);
    expect(await figures()).toEqual(liveFigures);
  });

  it('groups a flow by month and township, and a stock by month-end', async () => {
    const byMonth = await elements.grouped('test.paid', yearRange(2023), {}, 'month');
    expect(byMonth.reduce((n, r) => n + r.value, 0)).toBe((await figures()).paid);
    const byTownship = await elements.grouped('test.paid', yearRange(2023), {}, 'township');
    expect(byTownship.map((r) => r.group)).toEqual(TOWNSHIPS);
    const stock = await elements.grouped('test.households', yearRange(2023), {}, 'month');
    expect(stock).toHaveLength(12);
    expect(stock[7]).toEqual({ group: '2023-08', value: 60 });
    expect(stock[8]).toEqual({ group: '2023-09', value: 48 });
  });
});
