import { DataSource } from 'typeorm';
import pino from 'pino';
import { Outbox } from '@civil/platform';
import { createTestDatabase } from '@civil/testing';
import { DibaoEvents, TekunEvents, TemporaryAssistanceEvents, CharityEvents, PayrollEvents } from '@civil/contracts';
import { serviceDataSource } from '../data-source';
import { compareWithSeed } from './demo-command';
import { DemoGenerator, demoAggregates } from './demo-generator';
import { SEED_2023 } from './seed-2023';

/**
 * The whole 2023 demo data set generated through the services against real PostgreSQL; its
 * aggregates, read back from the service's own records, must be the annual report's figures.
 */
describe('the 2023 demo data set (PostgreSQL)', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = new DataSource(serviceDataSource(await createTestDatabase('demo_2023'), 6));
    await dataSource.initialize();
    await dataSource.runMigrations();
    const generator = new DemoGenerator(dataSource, new Outbox('social-assistance', dataSource), pino({ level: 'warn' }));
    await generator.generate();
  }, 900_000);

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('reproduces every social-assistance figure of the report', async () => {
    const rows = compareWithSeed(await demoAggregates(dataSource, SEED_2023.year));
    expect(rows.filter((r) => !r.matches)).toEqual([]);
    expect(rows.length).toBeGreaterThanOrEqual(17);
  });

  it('spreads the caseload over the 14 township-level units', async () => {
    const rows = await dataSource.query<{ township: string }[]>(`SELECT DISTINCT township_code AS township FROM payment_line WHERE programme = 'dibao' AND period = '2023-12'`);
    expect(rows.length).toBe(14);
  });

  it('leaves in the outbox the events reporting builds the same figures from', async () => {
    const count = async (type: string, filter = 'true'): Promise<number> => {
      const [row] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM outbox WHERE type = $1 AND ${filter}`, [type]);
      return row?.n ?? -1;
    };
    expect(await count(DibaoEvents.householdStarted, `envelope->'data'->>'origin' = 'application'`)).toBe(SEED_2023.dibao.newHouseholds);
    expect(await count(DibaoEvents.householdStarted, `envelope->'data'->>'origin' = 'import'`)).toBe(SEED_2023.dibao.yearEnd.urban.households + SEED_2023.dibao.yearEnd.rural.households - SEED_2023.dibao.newHouseholds + SEED_2023.dibao.stoppedHouseholds);
    expect(await count('civil.social-assistance.dibao-household.stopped.v1')).toBe(SEED_2023.dibao.stoppedHouseholds);
    expect(await count(PayrollEvents.completed)).toBe(24);
    expect(await count(TekunEvents.funeralSubsidyGranted)).toBeGreaterThan(0);
    const [granted] = await dataSource.query<{ persons: number; amount: string }[]>(
      `SELECT sum((envelope->'data'->>'persons')::int)::int AS persons, sum((envelope->'data'->>'amountFen')::bigint)::text AS amount FROM outbox WHERE type = $1`,
      [TemporaryAssistanceEvents.granted],
    );
    expect([granted?.persons, Number(granted?.amount)]).toEqual([SEED_2023.temporary.personTimes, SEED_2023.temporary.amountFen]);
    expect(await count(CharityEvents.activityRecorded)).toBeGreaterThanOrEqual(SEED_2023.charity.activitiesAtLeast);
  });

  it('refuses to generate into a database that already has households', async () => {
    const generator = new DemoGenerator(dataSource, new Outbox('social-assistance', dataSource), pino({ level: 'silent' }));
    await expect(generator.generate()).rejects.toThrow('empty social-assistance database');
  });
});
