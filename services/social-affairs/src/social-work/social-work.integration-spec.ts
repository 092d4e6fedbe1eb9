import { DataSource } from 'typeorm';
import { SocialWorkEvents, parseOrThrow, recordSocialWorkActivitySchema, DomainError, type Actor, type RecordSocialWorkActivityInput } from '@civil/contracts';
import { Outbox } from '@civil/platform';
import { createTestDatabase, domainErrorOf } from '@civil/testing';
import { serviceDataSource } from '../data-source';
import { SocialWorkService } from './social-work.service';

/** Social work activities against real PostgreSQL. */
describe('SocialWorkService (PostgreSQL)', () => {
  let dataSource: DataSource;
  let service: SocialWorkService;
  const STATION = '0193a0a0-0000-7000-8000-0000000000d1';
  const staff: Actor = { userId: 'sw', kind: 'staff', roles: ['registrar'], divisions: ['430503'] };
  const township: Actor = { userId: 'yx', kind: 'staff', roles: ['registrar'], divisions: ['430503010'] };
  const activity = (more: Partial<RecordSocialWorkActivityInput> = {}): RecordSocialWorkActivityInput => ({
    stationId: STATION,
    kind: 'elderly-care-visit',
    title: '关怀慰问空巢及孤寡老人',
    divisionCode: '430503010000',
    heldOn: '2023-04-12',
    personsServed: 25,
    ...more,
  });

  beforeAll(async () => {
    dataSource = new DataSource(serviceDataSource(await createTestDatabase('social_work'), 4));
    await dataSource.initialize();
    await dataSource.runMigrations();
    service = new SocialWorkService(new Outbox('social-affairs', dataSource), dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('records activities with their event and sums them by kind within the caller’s divisions', async () => {
    const first = await service.record(activity(), staff, '2023-12-31');
    await service.record(activity({ kind: 'children-in-difficulty', title: '留守儿童关爱', personsServed: 18, divisionCode: '430503101000' }), staff, '2023-12-31');
    await service.record(activity({ heldOn: '2024-01-03' }), staff, '2024-01-05');
    const [event] = await dataSource.query<{ data: Record<string, unknown> }[]>(`SELECT envelope->'data' AS data FROM outbox WHERE type = $1 AND envelope->>'subject' = $2`, [
      SocialWorkEvents.activityRecorded,
      `social-work-activity/${first.id}`,
    ]);
    expect(event?.data).toEqual({ activityId: first.id, stationId: STATION, kind: 'elderly-care-visit', heldOn: '2023-04-12', personsServed: 25 });
    expect(await service.summary(2023, staff)).toEqual({
      year: 2023,
      activities: 2,
      personsServed: 43,
      byKind: [
        { kind: 'children-in-difficulty', activities: 1, personsServed: 18 },
        { kind: 'elderly-care-visit', activities: 1, personsServed: 25 },
      ],
    });
    expect((await service.summary(2023, township)).personsServed).toBe(25);
  });

  it('refuses a future date, a place outside the caller’s divisions, a citizen, and bad fields — writing nothing', async () => {
    const [before] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM social_work_activity`);
    expect((await domainErrorOf(service.record(activity({ heldOn: '2024-02-01' }), staff, '2024-01-31'), 'VALIDATION_FAILED')).fields?.map((f) => f.field)).toEqual(['heldOn']);
    await domainErrorOf(service.record(activity({ divisionCode: '430503101000' }), township, '2023-12-31'), 'OUT_OF_DIVISION_SCOPE');
    await domainErrorOf(service.record(activity(), { userId: 'c', kind: 'citizen', roles: ['citizen'], divisions: [], residentId: 'x' }, '2023-12-31'), 'FORBIDDEN');
    try {
      parseOrThrow(recordSocialWorkActivitySchema, { ...activity(), kind: 'party', personsServed: 0, title: '' });
      throw new Error('expected a validation error');
    } catch (error) {
      expect(error instanceof DomainError ? error.fields?.map((f) => f.field).sort() : error).toEqual(['kind', 'personsServed', 'title']);
    }
    const [after] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM social_work_activity`);
    expect(after?.n).toBe(before?.n);
  });
});
