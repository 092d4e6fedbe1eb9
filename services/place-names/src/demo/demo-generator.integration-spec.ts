import { PLACE_NAMES_MIGRATIONS } from '../data-source';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { PlaceNameAuditEvents, PlaceNameEvents } from '@civil/contracts';
import { Outbox, serviceDataSourceOptions } from '@civil/platform';
import { createTestDatabase } from '@civil/testing';
import { compareWithSeed, formatComparison } from './demo-command';
import { SearchService } from '../gazetteer/search.service';
import { PlaceNamesDemoGenerator, type PlaceNamesDemoResult } from './demo-generator';

/**
 * The whole 2023 demo data set of place names (6981 records, the campaign over them) generated
 * through the services against real PostgreSQL, then generated again: the second run adds nothing.
 */
describe('the 2023 demo data set of place names (PostgreSQL)', () => {
  let dataSource: DataSource;
  let outbox: Outbox;
  let first: PlaceNamesDemoResult;
  let seconds: number;

  const totals = async (): Promise<Record<string, number>> => {
    const [row] = await dataSource.query<Record<string, number>[]>(
      `SELECT (SELECT count(*) FROM place_name)::int AS places, (SELECT count(*) FROM place_name WHERE demo)::int AS demo,
              (SELECT count(*) FROM place_name_version)::int AS versions, (SELECT count(*) FROM audit_campaign)::int AS campaigns,
              (SELECT count(*) FROM audit_record)::int AS records, (SELECT count(*) FROM outbox)::int AS outbox`,
    );
    if (!row) throw new Error('no totals');
    return row;
  };

  beforeAll(async () => {
    dataSource = new DataSource(
      serviceDataSourceOptions({
        url: await createTestDatabase('place_names_demo_2023'),
        entities: [],
        migrations: PLACE_NAMES_MIGRATIONS,
        applicationName: 'place-names-demo-test',
        poolSize: 4,
      }),
    );
    await dataSource.initialize();
    await dataSource.runMigrations();
    outbox = new Outbox('place-names', dataSource);
    const started = Date.now();
    first = await new PlaceNamesDemoGenerator(dataSource, outbox, pino({ level: 'warn' })).generate();
    seconds = (Date.now() - started) / 1000;
    process.stdout.write(`place-names demo generated in ${seconds.toFixed(1)} s\n${formatComparison(compareWithSeed(first))}`);
  }, 600_000);

  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('reproduces the report’s figures: 3969 records of the five classes and 3000+ others reviewed in 2023', () => {
    expect(compareWithSeed(first).filter((r) => !r.matches)).toEqual([]);
    expect(first.records).toEqual({
      'administrative-division': 155,
      'natural-feature': 844,
      'street-road-lane': 1180,
      'committee-seat': 140,
      'residential-area-or-building': 1650,
      other: 3012,
    });
    expect(first.reviewed).toEqual(first.records);
    expect(first.created).toEqual({ records: 6981, results: 6981 });
    expect(first.campaign).toMatchObject({ status: 'closed', pending: 0 });
  });

  it('flags every record demo, with its named event, and applies the corrections to the records', async () => {
    const t = await totals();
    expect(t).toMatchObject({ places: 6981, demo: 6981, campaigns: 1, records: 6981 });
    const [events] = await dataSource.query<{ named: number; reviewed: number; corrected: number }[]>(
      `SELECT count(*) FILTER (WHERE type = $1)::int AS named, count(*) FILTER (WHERE type = $2)::int AS reviewed, count(*) FILTER (WHERE type = $3)::int AS corrected FROM outbox`,
      [PlaceNameEvents.named, PlaceNameAuditEvents.recordReviewed, PlaceNameEvents.corrected],
    );
    expect(events).toEqual({ named: 6981, reviewed: 6981, corrected: first.outcomes.corrected + first.outcomes.supplemented });
    const [changed] = await dataSource.query<{ n: number; supplemented: number }[]>(
      `SELECT count(*) FILTER (WHERE p.version - (SELECT count(*) FROM naming_proposal np WHERE np.place_name_id = p.id AND np.status = 'announced') = 2)::int AS n, count(*) FILTER (WHERE r.status = 'supplemented' AND p.origin IS NOT NULL)::int AS supplemented
         FROM audit_record r JOIN place_name p ON p.id = r.place_name_id`,
    );
    expect(changed).toEqual({ n: first.outcomes.corrected + first.outcomes.supplemented, supplemented: first.outcomes.supplemented });
  });

  it('renames 东方威尼斯小区 and 大顺米兰豪苑 through announced proposals, the old names still found as former', async () => {
    expect(first.renamings).toEqual(['东方威尼斯小区 → 东方华庭', '大顺米兰豪苑 → 文庭雅苑']);
    const proposals = await dataSource.query<{ name: string; status: string; created_by: string; reviewer: string }[]>(
      `SELECT name, status, created_by, reviewer FROM naming_proposal ORDER BY name`,
    );
    expect(proposals.map((p) => [p.name, p.status])).toEqual([
      ['东方华庭', 'announced'],
      ['文庭雅苑', 'announced'],
    ]);
    expect(proposals.every((p) => p.created_by !== p.reviewer)).toBe(true);
    const found = await new SearchService(dataSource).search({ q: '东方威尼斯', limit: 5 });
    expect(found.items[0]).toMatchObject({ name: '东方华庭', matched: { name: '东方威尼斯小区', status: 'former' } });
  });

  it('adds nothing when run again', async () => {
    const before = await totals();
    const again = await new PlaceNamesDemoGenerator(dataSource, outbox, pino({ level: 'warn' })).generate();
    expect(again.created).toEqual({ records: 0, results: 0 });
    expect(await totals()).toEqual(before);
    expect(compareWithSeed(again).filter((r) => !r.matches)).toEqual([]);
  });
});
