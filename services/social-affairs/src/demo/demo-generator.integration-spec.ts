import { DataSource } from 'typeorm';
import pino from 'pino';
import { Outbox } from '@civil/platform';
import { createTestDatabase } from '@civil/testing';
import { CounsellingEvents, DivorceEvents, MarriageEvents, SocialOrganisationEvents, SocialWorkEvents } from '@civil/contracts';
import { serviceDataSource } from '../data-source';
import { generateCounsellingDemo, planCounselling, type CounsellingDemoResult } from './counselling-demo';
import { compareWithSeed } from './demo-command';
import { SocialAffairsDemoGenerator, socialAffairsDemoFigures } from './demo-generator';
import { generateOrganisationsDemo, type OrganisationsDemoResult } from './organisations-demo';
import { DIVORCE_APPLICATIONS, REISSUES, generateRegistrationsDemo, type RegistrationsDemoResult } from './registrations-demo';
import { generateSocialWorkDemo } from './social-work-demo';
import { SEED_2023 } from './seed-2023';

/**
 * The social-affairs parts of the 2023 demo data set generated through the services against real
 * PostgreSQL (the allowance part is checked on its own); every figure is read back from the
 * service's records and from the events left in the outbox.
 */
describe('the 2023 demo data set of social affairs (PostgreSQL)', () => {
  let dataSource: DataSource;
  let outbox: Outbox;
  let registrations: RegistrationsDemoResult;
  let counselling: CounsellingDemoResult;
  let organisations: OrganisationsDemoResult;

  beforeAll(async () => {
    dataSource = new DataSource(serviceDataSource(await createTestDatabase('social_affairs_demo_2023'), 6));
    await dataSource.initialize();
    await dataSource.runMigrations();
    outbox = new Outbox('social-affairs', dataSource);
    const logger = pino({ level: 'warn' });
    registrations = await generateRegistrationsDemo(dataSource, outbox, logger);
    counselling = await generateCounsellingDemo(dataSource, outbox, logger, planCounselling(registrations.plan));
    organisations = await generateOrganisationsDemo(dataSource, outbox, logger);
    await generateSocialWorkDemo(dataSource, outbox, logger);
  }, 600_000);

  afterAll(async () => {
    await dataSource.destroy();
  });

  const count = async (type: string, filter = 'true', params: unknown[] = []): Promise<number> => {
    const [row] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM outbox WHERE type = $1 AND ${filter}`, [type, ...params]);
    return row?.n ?? -1;
  };
  const in2023 = (field: string): string => `envelope->'data'->>'${field}' LIKE '2023-%'`;

  it('reproduces every figure of the report it generates (the allowances are the lead’s part)', async () => {
    const figures = await socialAffairsDemoFigures(dataSource, outbox, SEED_2023.year);
    const rows = compareWithSeed(figures);
    expect(rows.filter((r) => !r.matches)).toEqual([]);
    expect(figures).toMatchObject({
      marriages: 1753,
      divorces: 722,
      certificateAccuracyBp: 10_000,
      certificates: 1753 + 722 + REISSUES,
      organisations: { socialGroups: 27, privateNonEnterprise: 108, total: 135 },
    });
    expect(figures.socialWork.activities).toBeGreaterThanOrEqual(SEED_2023.socialWorkActivitiesAtLeast);
    expect(figures.counselling.sessions).toBe(counselling.sessions);
    expect(rows.find((r) => r.figure === 'social organisations in total')).toMatchObject({ report: '133', demo: '135', matches: true });
  });

  it('leaves in the outbox one marriage.registered event per registration, 1753 of them dated 2023, and a certificate for each', async () => {
    expect(await count(MarriageEvents.registered, in2023('registeredOn'))).toBe(SEED_2023.marriages);
    expect(await count(MarriageEvents.registered)).toBe(SEED_2023.marriages + registrations.plan.earlierMarriages.length);
    expect(await count(MarriageEvents.certificateIssued, `${in2023('issuedOn')} AND (envelope->'data'->>'matchesRegistration')::boolean`)).toBe(SEED_2023.marriages);
    expect(await count(MarriageEvents.certificateReissued, in2023('issuedOn'))).toBe(REISSUES);
    expect(await count(MarriageEvents.appointmentBooked)).toBe(registrations.appointments);
    const [spread] = await dataSource.query<{ months: number; days: number; earliest: string; latest: string }[]>(
      `SELECT count(DISTINCT date_trunc('month', registered_on))::int AS months, count(DISTINCT registered_on)::int AS days,
              to_char(min(registered_on), 'YYYY-MM-DD') AS earliest, to_char(max(registered_on), 'YYYY-MM-DD') AS latest
         FROM marriage_registration WHERE registered_on >= '2023-01-01'`,
    );
    expect(spread).toMatchObject({ months: 12 });
    expect(spread?.days).toBeGreaterThan(200);
    const [registry] = await dataSource.query<{ n: number }[]>(`SELECT count(DISTINCT registry_id)::int AS n FROM marriage_registration`);
    expect(registry?.n).toBe(1);
  });

  it('leaves 722 divorce.registered events dated 2023, each dissolving an earlier marriage registered here, and the other applications’ events', async () => {
    expect(await count(DivorceEvents.registered, in2023('registeredOn'))).toBe(SEED_2023.divorces);
    expect(await count(DivorceEvents.registered)).toBe(SEED_2023.divorces);
    const applications = SEED_2023.divorces + DIVORCE_APPLICATIONS.withdrawn + DIVORCE_APPLICATIONS.lapsed + DIVORCE_APPLICATIONS.openAtYearEnd;
    expect(await count(DivorceEvents.received)).toBe(applications);
    expect(await count(DivorceEvents.withdrawn)).toBe(DIVORCE_APPLICATIONS.withdrawn);
    expect(await count(DivorceEvents.lapsed)).toBe(DIVORCE_APPLICATIONS.lapsed);
    const [dissolved] = await dataSource.query<{ before2023: number; divorced: number }[]>(
      `SELECT count(*) FILTER (WHERE m.registered_on < '2023-01-01')::int AS before2023,
              (SELECT count(*) FROM person_marital_status WHERE status = 'divorced')::int AS divorced
         FROM outbox o JOIN marriage_registration m ON m.id = (o.envelope->'data'->>'marriageRegistrationId')::uuid WHERE o.type = $1`,
      [DivorceEvents.registered],
    );
    expect(dissolved).toEqual({ before2023: SEED_2023.divorces, divorced: 2 * SEED_2023.divorces });
  });

  it('leaves the organisations’ events: 27 + 108 registered, their inspections, changes and gradings', async () => {
    expect(await count(SocialOrganisationEvents.registered, `envelope->'data'->>'type' = 'social-group'`)).toBe(27);
    expect(await count(SocialOrganisationEvents.registered, `envelope->'data'->>'type' = 'private-non-enterprise'`)).toBe(108);
    expect(await count(SocialOrganisationEvents.deregistered)).toBe(0);
    expect(await count(SocialOrganisationEvents.inspected)).toBe(organisations.inspections);
    expect(await count(SocialOrganisationEvents.inspected, `envelope->'data'->>'year' = '2022'`)).toBeGreaterThan(100);
    expect(await count(SocialOrganisationEvents.changed)).toBe(organisations.changes);
    expect(await count(SocialOrganisationEvents.graded)).toBe(organisations.gradings);
    const [results] = await dataSource.query<{ pass: number; total: number }[]>(`SELECT count(*) FILTER (WHERE result = 'pass')::int AS pass, count(*)::int AS total FROM social_organisation_inspection WHERE year = 2022`);
    expect((results?.pass ?? 0) / (results?.total ?? 1)).toBeGreaterThan(0.8);
  });

  it('leaves the social work station’s activities and the counselling events', async () => {
    expect(await count(SocialWorkEvents.activityRecorded, in2023('heldOn'))).toBe(24);
    expect(await count(CounsellingEvents.booked)).toBe(counselling.bookings);
    expect(await count(CounsellingEvents.cancelled)).toBe(counselling.cancelled);
    expect(await count(CounsellingEvents.sessionRecorded)).toBe(counselling.sessions);
    const kinds = await dataSource.query<{ kind: string }[]>(`SELECT DISTINCT envelope->'data'->>'kind' AS kind FROM outbox WHERE type = $1 ORDER BY 1`, [CounsellingEvents.sessionRecorded]);
    expect(kinds.map((k) => k.kind)).toEqual(['divorce-mediation', 'premarital', 'psychological']);
    const [wednesdays] = await dataSource.query<{ n: number; other: number }[]>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE extract(isodow FROM session_date) <> 3)::int AS other FROM counselling_day WHERE session_date BETWEEN '2023-01-01' AND '2023-12-31'`,
    );
    // Every Wednesday but 25 January (春节), 5 April (清明), 3 May (劳动节) and 4 October (国庆).
    expect(wednesdays).toEqual({ n: 48, other: 0 });
  });

  it('refuses to generate into a database that already has marriage registrations', async () => {
    const generator = new SocialAffairsDemoGenerator(dataSource, outbox, pino({ level: 'silent' }));
    await expect(generator.generate()).rejects.toThrow('empty social-affairs database');
  });
});
