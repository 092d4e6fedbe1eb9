import pino from 'pino';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { ResidentId, buildResidentId } from '@civil/domain-kernel';
import {
  AgeAllowanceEvents,
  CareInstitutionEvents,
  DibaoEvents,
  HomeAdaptationEvents,
  TekunEvents,
  createEvent,
  type DibaoHouseholdStartedV1,
  type TekunEnrolledV1,
} from '@civil/contracts';
import { Outbox, PersonalDataCipher, sealResidentId } from '@civil/platform';
import { createTestDatabase } from '@civil/testing';
import { serviceDataSource } from '../data-source';
import { applyAssistanceStatusEvent } from '../home-adaptation/assistance-status.consumer';
import { HomeAdaptationService } from '../home-adaptation/home-adaptation.service';
import { planOlderResidents } from './age-allowances-demo';
import { READER } from './demo-support';
import { generateHomeAdaptationDemo } from './home-adaptation-demo';
import { compareWithSeed, formatComparison } from './demo-command';
import { ElderlyCareDemoGenerator, elderlyCareDemoFigures, type ElderlyCareDemoAggregates } from './demo-generator';
import { INSPECTIONS_2023, planStays } from './institutions-demo';
import { SEED_2023 } from './seed-2023';

const cipher = PersonalDataCipher.fromEnvironment(process.env);

/**
 * The whole 2023 demo data set of elderly care generated through the services against real
 * PostgreSQL, the 低保/特困 read model fed with social assistance's events through the consumer's
 * apply function (as the JetStream consumer would); every figure is read back from the service's
 * records and from the events left in the outbox.
 */
describe('the 2023 demo data set of elderly care (PostgreSQL)', () => {
  let dataSource: DataSource;
  let outbox: Outbox;
  let aggregates: ElderlyCareDemoAggregates;

  beforeAll(async () => {
    dataSource = new DataSource(serviceDataSource(await createTestDatabase('elderly_care_demo_2023'), 6));
    await dataSource.initialize();
    await dataSource.runMigrations();
    outbox = new Outbox('elderly-care', dataSource);
    await feedAssistanceReadModel(dataSource);
    aggregates = await new ElderlyCareDemoGenerator(dataSource, outbox, cipher, pino({ level: 'warn' }), { waitForAssistanceMs: 10_000, assistanceSettleMs: 0 }).generate();
  }, 600_000);

  afterAll(async () => {
    await dataSource?.destroy();
  });

  const count = async (type: string, filter = 'true', params: unknown[] = []): Promise<number> => {
    const [row] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM outbox WHERE type = $1 AND ${filter}`, [type, ...params]);
    return row?.n ?? -1;
  };

  it('reproduces every figure of the report, as the service’s readers give them', async () => {
    const figures = await elderlyCareDemoFigures(dataSource, outbox, cipher, SEED_2023.year);
    const rows = compareWithSeed(figures);
    expect(rows.filter((r) => !r.matches)).toEqual([]);
    expect(figures).toMatchObject({
      institutions: { total: 13, public: 5, private: 8 },
      homeAdaptation: { completed: 66, target: 66 },
      ageAllowances: { highAgeFen: 124_920_000, longevityFen: 9_000_000, payrolls: 24, highAgePersonMonths: 12_492, longevityPersonMonths: 300 },
    });
    expect(figures.homeAdaptation.minSubsidyFen).toBeGreaterThanOrEqual(300_000);
    expect(figures.homeAdaptation.maxSubsidyFen).toBeLessThanOrEqual(400_000);
    expect(aggregates.generated.homeAdaptation).toMatchObject({ completed: 66, formerlyPoor: 0, failedAcceptance: 2 });
    expect(formatComparison(rows)).toContain('124920000');
  });

  it('leaves 24 payroll events paying 124.92万 high-age and 9万 longevity, matching the payments, and the enrolment events', async () => {
    const fromEvents = await dataSource.query<{ band: string; fen: string; payrolls: number }[]>(
      `SELECT envelope->'data'->>'band' AS band, sum((envelope->'data'->>'amountFen')::bigint)::bigint AS fen, count(*)::int AS payrolls
         FROM outbox WHERE type = $1 AND envelope->'data'->>'period' LIKE '2023-%' GROUP BY 1 ORDER BY 1`,
      [AgeAllowanceEvents.payrollCompleted],
    );
    expect(fromEvents).toEqual([
      { band: 'high-age', fen: String(SEED_2023.ageAllowances.highAgeFen), payrolls: 12 },
      { band: 'longevity', fen: String(SEED_2023.ageAllowances.longevityFen), payrolls: 12 },
    ]);
    const fromPayments = await dataSource.query<{ band: string; fen: string }[]>(`SELECT band, sum(amount_fen)::bigint AS fen FROM age_allowance_payment WHERE period LIKE '2023-%' GROUP BY band ORDER BY band`);
    expect(fromPayments.map((p) => [p.band, p.fen])).toEqual(fromEvents.map((e) => [e.band, e.fen]));
    const plan = planOlderResidents();
    const [register] = await dataSource.query<{ n: number; died: number }[]>(`SELECT count(*)::int AS n, count(died_on)::int AS died FROM older_resident`);
    expect(register).toEqual({ n: plan.length, died: plan.filter((p) => p.diedOn !== undefined).length });
    expect(await count(AgeAllowanceEvents.enrolmentStopped, `envelope->'data'->>'reason' = 'died'`)).toBe(plan.filter((p) => p.diedOn !== undefined).length);
    // Everyone turning 100 in 2023 moved band in the month after the birthday.
    const turning100 = plan.filter((p) => p.kind === 'turning-100').length;
    expect(await count(AgeAllowanceEvents.enrolmentMoved, `envelope->'data'->>'firstPeriod' LIKE '2023-%'`)).toBe(turning100);
    expect(await count(AgeAllowanceEvents.enrolmentStarted)).toBeGreaterThan(1000);
    // Nobody paid after the month of death, nobody paid twice a month.
    const [afterDeath] = await dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM age_allowance_payment p JOIN older_resident r ON r.resident_id_hash = p.resident_id_hash WHERE r.paid_through IS NOT NULL AND p.period > r.paid_through`,
    );
    expect(afterDeath?.n).toBe(0);
  });

  it('leaves 66 home-adaptation completed events dated 2023, each subsidy within 3000–4000元, for eligible older people', async () => {
    const completed = await dataSource.query<{ fen: number; on: string }[]>(
      `SELECT (envelope->'data'->>'subsidyFen')::int AS fen, envelope->'data'->>'completedOn' AS on FROM outbox WHERE type = $1`,
      [HomeAdaptationEvents.completed],
    );
    expect(completed).toHaveLength(66);
    expect(completed.every((c) => c.fen >= 300_000 && c.fen <= 400_000 && c.on.startsWith('2023-'))).toBe(true);
    const { generated } = aggregates;
    expect(await count(HomeAdaptationEvents.applied)).toBe(generated.homeAdaptation.completed + generated.homeAdaptation.refused + generated.homeAdaptation.openAtYearEnd);
    expect(await count(HomeAdaptationEvents.refused)).toBe(generated.homeAdaptation.refused);
    expect(await count(HomeAdaptationEvents.approved)).toBe(66 + generated.homeAdaptation.openAtYearEnd);
    const cases = await dataSource.query<{ resident_id_enc: string; household_bases: string[]; person_bases: string[]; applied_on: string }[]>(
      `SELECT resident_id_enc, household_bases, person_bases, to_char(applied_on, 'YYYY-MM-DD') AS applied_on FROM home_adaptation_case WHERE status = 'completed'`,
    );
    for (const c of cases) {
      expect(ResidentId.parse(cipher.decrypt(c.resident_id_enc)).ageOn(c.applied_on)).toBeGreaterThanOrEqual(80);
      expect(c.person_bases).toContain('very-old');
      expect(c.household_bases.some((b) => b === 'dibao' || b === 'dispersed-tekun')).toBe(true);
    }
    expect(new Set(cases.flatMap((c) => c.household_bases))).toEqual(new Set(['dibao', 'dispersed-tekun']));
  });

  it('leaves the institutions’ events: 5 public and 8 private registered before 2023, the stays, the inspections and rectifications', async () => {
    expect(await count(CareInstitutionEvents.registered, `envelope->'data'->>'ownership' = 'public' AND envelope->'data'->>'openedOn' < '2023-01-01'`)).toBe(5);
    expect(await count(CareInstitutionEvents.registered, `envelope->'data'->>'ownership' = 'private' AND envelope->'data'->>'openedOn' < '2023-01-01'`)).toBe(8);
    const stays = planStays();
    expect(await count(CareInstitutionEvents.residentAdmitted)).toBe(stays.length);
    expect(await count(CareInstitutionEvents.residentAdmitted, `envelope->'data'->>'admittedOn' LIKE '2023-%'`)).toBe(aggregates.generated.institutions.admittedIn2023);
    expect(aggregates.generated.institutions.admittedIn2023).toBeGreaterThan(20);
    expect(await count(CareInstitutionEvents.residentDischarged)).toBe(aggregates.generated.institutions.dischargedIn2023);
    expect(aggregates.generated.institutions.dischargedIn2023).toBeGreaterThan(20);
    expect(await count(CareInstitutionEvents.inspectionRecorded, `envelope->'data'->>'inspectedOn' LIKE '2023-%'`)).toBe(INSPECTIONS_2023.length);
    const rectified = INSPECTIONS_2023.flatMap((i) => i.findings).filter((f) => f.rectifiedOn !== undefined).length;
    expect(await count(CareInstitutionEvents.findingRectified)).toBe(rectified);
    expect(await count(CareInstitutionEvents.findingRectified, `(envelope->'data'->>'late')::boolean`)).toBe(1);
    expect(aggregates.institutions.occupied).toBeGreaterThan(0);
    expect(aggregates.institutions.occupied).toBeLessThan(aggregates.institutions.beds);
  });

  it('refuses to generate into a database that already has the demo data', async () => {
    await expect(new ElderlyCareDemoGenerator(dataSource, outbox, cipher, pino({ level: 'silent' })).generate()).rejects.toThrow('empty elderly-care database');
  });
});

/** Without social assistance's events (the stream never came), the cases go to declared 脱贫 households. */
describe('the 2023 home adaptations without social assistance’s events (PostgreSQL)', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = new DataSource(serviceDataSource(await createTestDatabase('elderly_care_demo_2023_formerly_poor'), 6));
    await dataSource.initialize();
    await dataSource.runMigrations();
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('waits a bounded time, then completes the 66 cases for 脱贫 households declared with evidence', async () => {
    const outbox = new Outbox('elderly-care', dataSource);
    const result = await generateHomeAdaptationDemo(dataSource, outbox, cipher, pino({ level: 'silent' }), { waitMs: 1000 });
    expect(result).toMatchObject({ completed: 66, fromReadModel: 0, formerlyPoor: 66, refused: 0, openAtYearEnd: 0 });
    const progress = await new HomeAdaptationService(outbox, dataSource, cipher).progress({ year: 2023 }, READER);
    expect(progress).toMatchObject({ completed: 66, target: 66 });
    const [bases] = await dataSource.query<{ n: number; evidence: number }[]>(
      `SELECT count(*)::int AS n, count(formerly_poor_evidence)::int AS evidence FROM home_adaptation_case WHERE status = 'completed' AND household_bases = ARRAY['formerly-poor']::text[]`,
    );
    expect(bases).toEqual({ n: 66, evidence: 66 });
  });
});

/**
 * Social assistance's events as the consumer would apply them: 70 households on 低保 since 2022
 * with an older member of 80–95 and a younger one, 20 特困 persons of 80 and over cared for at home,
 * and decoys the demo must not pick (a 特困 集中 person, a 低保 household whose members are all under 80).
 */
async function feedAssistanceReadModel(dataSource: DataSource): Promise<void> {
  await dataSource.transaction(async (manager) => {
    for (let i = 0; i < 72; i++) {
      const householdId = uuidv7();
      const older = buildResidentId('430503', `${1928 + (i % 14)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`, 100 + i).value;
      const younger = buildResidentId('430503', `${1960 + (i % 20)}-0${1 + (i % 9)}-1${i % 10}`, 300 + i).value;
      const members = i < 70 ? [older, younger] : [younger];
      const data: DibaoHouseholdStartedV1 = { householdId, caseId: uuidv7(), urbanRural: i % 3 === 0 ? 'urban' : 'rural', persons: members.length, monthlyAmountFen: 60_000, effectivePeriod: '2022-06', origin: 'import', members: members.map((id) => sealResidentId(cipher, id)) };
      const event = createEvent({ source: '/civil/social-assistance', type: DibaoEvents.householdStarted, subject: `household/${householdId}`, divisioncode: `4305031010${String(10 + (i % 20)).padStart(2, '0')}`, actor: 'import', data });
      await applyAssistanceStatusEvent(event, manager, cipher);
    }
    for (let i = 0; i < 21; i++) {
      const personId = uuidv7();
      const residentId = buildResidentId('430503', `${1925 + (i % 15)}-${String(1 + (i % 12)).padStart(2, '0')}-0${1 + (i % 9)}`, 500 + i).value;
      const data: TekunEnrolledV1 = {
        personId,
        resident: sealResidentId(cipher, residentId),
        urbanRural: 'rural',
        careMode: i < 20 ? 'dispersed' : 'centralized',
        selfCareLevel: i % 4 === 0 ? 'partial' : 'full',
        monthlyAmountFen: 98_000,
        effectivePeriod: '2021-03',
        origin: 'import',
      };
      const event = createEvent({ source: '/civil/social-assistance', type: TekunEvents.enrolled, subject: `tekun-person/${personId}`, divisioncode: `4305032020${String(10 + (i % 9)).padStart(2, '0')}`, actor: 'import', data });
      await applyAssistanceStatusEvent(event, manager, cipher);
    }
  });
}
