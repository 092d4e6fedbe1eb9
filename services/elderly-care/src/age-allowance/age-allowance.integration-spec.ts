import { DataSource } from 'typeorm';
import { buildResidentId } from '@civil/domain-kernel';
import {
  AgeAllowanceEvents,
  DomainError,
  httpStatusFor,
  parseOrThrow,
  recordOlderResidentDeathSchema,
  registerOlderResidentSchema,
  type Actor,
  type AgeAllowanceBand,
  type OlderResidentView,
  type RegisterOlderResidentInput,
} from '@civil/contracts';
import { Outbox, PersonalDataCipher } from '@civil/platform';
import { createTestDatabase, domainErrorOf } from '@civil/testing';
import { serviceDataSource } from '../data-source';
import { AgeAllowancePayrollService } from './age-allowance-payroll.service';
import { AgeAllowanceSweepService } from './age-allowance-sweep.service';
import { bandIn } from './age-allowance.domain';
import { OlderResidentsService } from './older-residents.service';

/** The register, the monthly sweep and the payroll against real PostgreSQL. */
describe('age allowances (PostgreSQL)', () => {
  let dataSource: DataSource;
  let residents: OlderResidentsService;
  let sweeps: AgeAllowanceSweepService;
  let payrolls: AgeAllowancePayrollService;
  const officer: Actor = { userId: 'ec-1', kind: 'staff', roles: ['elderly-care-officer'], divisions: ['430503'] };
  const township: Actor = { userId: 'ec-2', kind: 'staff', roles: ['elderly-care-officer'], divisions: ['430503101'] };
  const finance: Actor = { userId: 'fin-1', kind: 'staff', roles: ['finance-officer'], divisions: ['430503'] };
  const TODAY = '2023-12-31';
  let sequence = 100;
  const idBornOn = (birthDate: string): string => buildResidentId('430503', birthDate, sequence++).value;
  const registered: string[] = [];

  const register = async (birthDate: string, more: Partial<RegisterOlderResidentInput> = {}): Promise<OlderResidentView> => {
    const residentId = idBornOn(birthDate);
    registered.push(residentId);
    return residents.register({ residentId, name: `老人${sequence}`, divisionCode: '430503101000', residenceBasis: 'hukou', ...more }, officer, TODAY);
  };
  const sweepAndPay = async (period: string): Promise<void> => {
    await sweeps.sweep({ period }, officer, TODAY);
    for (const band of ['high-age', 'longevity'] as const) await payrolls.runPayroll({ period, band }, officer, TODAY);
  };
  /** The band and amount paid to a person in a period, or null. */
  const paid = async (person: OlderResidentView, period: string): Promise<[AgeAllowanceBand, number] | null> => {
    const rows = await dataSource.query<{ band: AgeAllowanceBand; amount_fen: number }[]>(
      `SELECT p.band, p.amount_fen FROM age_allowance_payment p JOIN age_allowance_enrolment e ON e.id = p.enrolment_id WHERE e.person_id = $1 AND p.period = $2`,
      [person.id, period],
    );
    expect(rows.length).toBeLessThanOrEqual(1);
    return rows[0] ? [rows[0].band, rows[0].amount_fen] : null;
  };
  const count = async (sql: string, params: unknown[] = []): Promise<number> => {
    const [row] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM (${sql}) AS q`, params);
    return row?.n ?? 0;
  };
  const eventsFor = async (type: string, subject: string): Promise<unknown[]> => {
    const rows = await dataSource.query<{ data: unknown }[]>(`SELECT envelope->'data' AS data FROM outbox WHERE type = $1 AND envelope->>'subject' = $2 ORDER BY id`, [type, subject]);
    return rows.map((r) => r.data);
  };
  const tableState = async (): Promise<unknown[]> =>
    dataSource.query(
      `SELECT 'e' AS t, id::text, band, first_period, last_period, end_reason, ended_at::text AS at FROM age_allowance_enrolment
       UNION ALL SELECT 'p', enrolment_id::text, band, period, amount_fen::text, resident_id_hash, NULL FROM age_allowance_payment
       UNION ALL SELECT 'r', period, band, persons::text, amount_fen::text, run_by, completed_at::text FROM age_allowance_payroll
       UNION ALL SELECT 's', period, run_by, first_run_at::text, NULL, NULL, NULL FROM age_allowance_sweep
       UNION ALL SELECT 'o', id::text, type, NULL, NULL, NULL, NULL FROM outbox
       UNION ALL SELECT 'x', id::text, next_change, paid_through, stop_reason, to_char(died_on, 'YYYY-MM-DD'), NULL FROM older_resident
       ORDER BY 1, 2, 3, 4`,
    );

  beforeAll(async () => {
    dataSource = new DataSource(serviceDataSource(await createTestDatabase('age_allowances'), 6));
    await dataSource.initialize();
    await dataSource.runMigrations();
    const outbox = new Outbox('elderly-care', dataSource);
    residents = new OlderResidentsService(dataSource, PersonalDataCipher.fromEnvironment(process.env));
    sweeps = new AgeAllowanceSweepService(outbox);
    payrolls = new AgeAllowancePayrollService(outbox, dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  let dayBefore: OlderResidentView; // 90 on 2023-05-31, the day before June's first
  let dayOf: OlderResidentView; // 90 on 2023-06-01, June's first day
  let midMonth: OlderResidentView; // 90 on 2023-05-17
  let centenarian: OlderResidentView; // 100 on 2023-06-10
  let dies: OlderResidentView; // 93, dies 2023-06-15
  let diesLate: OlderResidentView; // 95, dies 2023-06-30, recorded after July's payroll
  let movesAway: OlderResidentView; // 92, moves 2023-06-20
  let newcomer: OlderResidentView; // 101, moved in 2023-05-10
  let young: OlderResidentView; // 85

  it('refuses a payroll before its sweep, and one without a rate in force, writing nothing', async () => {
    await register('1930-01-01');
    await domainErrorOf(payrolls.runPayroll({ period: '2023-03', band: 'high-age' }, officer, TODAY), 'CONFLICT');
    // The demo rates start on 2023-01-01.
    await sweeps.sweep({ period: '2022-12' }, officer, TODAY);
    const noRate = await domainErrorOf(payrolls.runPayroll({ period: '2022-12', band: 'high-age' }, officer, TODAY), 'CONFLICT');
    expect(noRate.message).toMatch(/no high-age rate is in force on 2022-12-01/);
    expect(await count(`SELECT 1 FROM age_allowance_payroll`)).toBe(0);
    expect(await count(`SELECT 1 FROM age_allowance_payment`)).toBe(0);
    await domainErrorOf(payrolls.runPayroll({ period: '2024-02', band: 'high-age' }, officer, TODAY), 'VALIDATION_FAILED');
    await domainErrorOf(sweeps.sweep({ period: '2024-02' }, officer, TODAY), 'VALIDATION_FAILED');
    await domainErrorOf(sweeps.sweep({ period: '2023-05' }, township, TODAY), 'OUT_OF_DIVISION_SCOPE');
    await domainErrorOf(payrolls.runPayroll({ period: '2023-05', band: 'high-age' }, finance, TODAY), 'FORBIDDEN');
  });

  it('pays from the month after the 90th birthday, moves to longevity after the 100th, stops after death and moving away', async () => {
    dayBefore = await register('1933-05-31');
    dayOf = await register('1933-06-01');
    midMonth = await register('1933-05-17');
    centenarian = await register('1923-06-10');
    dies = await register('1930-02-02');
    diesLate = await register('1928-03-03');
    movesAway = await register('1931-04-04', { divisionCode: '430503001000' });
    newcomer = await register('1922-01-01', { residentSince: '2023-05-10', residenceBasis: 'usual-residence' });
    young = await register('1938-07-07');
    expect([dayBefore.highAgeFrom, dayOf.highAgeFrom, midMonth.highAgeFrom, centenarian.longevityFrom, newcomer.highAgeFrom, newcomer.longevityFrom]).toEqual([
      '2023-06', '2023-07', '2023-06', '2023-07', '2023-06', '2023-06',
    ]);
    expect(dayBefore.residentId).toMatch(/^430503\*{8}\d{3}[\dX]$/);

    await sweepAndPay('2023-05');
    await sweepAndPay('2023-06');
    // Recorded after June's payroll: June is paid (the month of death / of the move), July is not.
    await residents.recordDeath({ id: dies.id, diedOn: '2023-06-15' }, officer, TODAY);
    await residents.recordMoveAway({ id: movesAway.id, movedOn: '2023-06-20', destination: '长沙市' }, officer, TODAY);
    await sweepAndPay('2023-07');
    // Died in June, recorded only after July was paid: July is to be recovered.
    expect(await residents.recordDeath({ id: diesLate.id, diedOn: '2023-06-30' }, officer, TODAY)).toMatchObject({ paidThrough: '2023-06', overpaidPeriods: ['2023-07'] });
    await sweepAndPay('2023-08');

    const H: [AgeAllowanceBand, number] = ['high-age', 10000];
    const L: [AgeAllowanceBand, number] = ['longevity', 30000];
    const table = async (person: OlderResidentView) => Promise.all(['2023-05', '2023-06', '2023-07', '2023-08'].map((p) => paid(person, p)));
    expect(await table(dayBefore)).toEqual([null, H, H, H]);
    expect(await table(dayOf)).toEqual([null, null, H, H]);
    expect(await table(midMonth)).toEqual([null, H, H, H]);
    expect(await table(centenarian)).toEqual([H, H, L, L]);
    expect(await table(dies)).toEqual([H, H, null, null]);
    expect(await table(diesLate)).toEqual([H, H, H, null]);
    expect(await table(movesAway)).toEqual([H, H, null, null]);
    expect(await table(newcomer)).toEqual([null, L, L, L]);
    expect(await table(young)).toEqual([null, null, null, null]);

    expect((await residents.get(centenarian.id, officer)).enrolments).toEqual([
      { id: expect.any(String), band: 'high-age', firstPeriod: '2013-07', lastPeriod: '2023-06', endReason: 'moved-band' },
      { id: expect.any(String), band: 'longevity', firstPeriod: '2023-07', lastPeriod: null, endReason: null },
    ]);
    expect((await residents.get(dies.id, finance)).enrolments).toEqual([{ id: expect.any(String), band: 'high-age', firstPeriod: '2020-03', lastPeriod: '2023-06', endReason: 'died' }]);
    expect((await residents.get(movesAway.id, officer)).enrolments).toMatchObject([{ lastPeriod: '2023-06', endReason: 'moved-away' }]);
    expect((await residents.get(newcomer.id, officer)).enrolments).toMatchObject([{ band: 'longevity', firstPeriod: '2023-06' }]);
    expect((await residents.get(young.id, officer)).enrolments).toEqual([]);

    expect(await payrolls.getPayroll({ period: '2023-07', band: 'longevity' }, finance)).toMatchObject({ persons: 2, amountFen: 60000, alreadyRun: false });
  });

  it('writes the enrolment and payroll events with exact payloads and no resident ID', async () => {
    const [highAge, longevity] = (await residents.get(centenarian.id, officer)).enrolments;
    expect(await eventsFor(AgeAllowanceEvents.enrolmentMoved, `age-allowance-enrolment/${highAge?.id}`)).toEqual([
      { personId: centenarian.id, fromEnrolmentId: highAge?.id, fromBand: 'high-age', lastPeriod: '2023-06', toEnrolmentId: longevity?.id, toBand: 'longevity', firstPeriod: '2023-07' },
    ]);
    // The move is one event: no separate start of the longevity enrolment.
    expect(await eventsFor(AgeAllowanceEvents.enrolmentStarted, `age-allowance-enrolment/${longevity?.id}`)).toEqual([]);
    const [died] = (await residents.get(dies.id, officer)).enrolments;
    expect(await eventsFor(AgeAllowanceEvents.enrolmentStarted, `age-allowance-enrolment/${died?.id}`)).toEqual([{ enrolmentId: died?.id, personId: dies.id, band: 'high-age', firstPeriod: '2020-03' }]);
    expect(await eventsFor(AgeAllowanceEvents.enrolmentStopped, `age-allowance-enrolment/${died?.id}`)).toEqual([
      { enrolmentId: died?.id, personId: dies.id, band: 'high-age', lastPeriod: '2023-06', reason: 'died' },
    ]);
    const [moved] = (await residents.get(movesAway.id, officer)).enrolments;
    expect(await eventsFor(AgeAllowanceEvents.enrolmentStopped, `age-allowance-enrolment/${moved?.id}`)).toEqual([
      { enrolmentId: moved?.id, personId: movesAway.id, band: 'high-age', lastPeriod: '2023-06', reason: 'moved-away' },
    ]);
    const [started] = await dataSource.query<{ divisioncode: string; source: string }[]>(
      `SELECT envelope->>'divisioncode' AS divisioncode, envelope->>'source' AS source FROM outbox WHERE envelope->>'subject' = $1`,
      [`age-allowance-enrolment/${moved?.id}`],
    );
    expect(started).toEqual({ divisioncode: '430503001000', source: '/civil/elderly-care' });

    // June: dayBefore, midMonth, centenarian, dies, diesLate, movesAway and the first test's person (93) in high-age.
    expect(await eventsFor(AgeAllowanceEvents.payrollCompleted, 'age-allowance-payroll/high-age/2023-06')).toEqual([
      {
        period: '2023-06',
        band: 'high-age',
        persons: 7,
        amountFen: 70000,
        lines: [
          { townshipCode: '430503001000', persons: 1, amountFen: 10000 },
          { townshipCode: '430503101000', persons: 6, amountFen: 60000 },
        ],
      },
    ]);
    expect(await eventsFor(AgeAllowanceEvents.payrollCompleted, 'age-allowance-payroll/longevity/2023-06')).toEqual([
      { period: '2023-06', band: 'longevity', persons: 1, amountFen: 30000, lines: [{ townshipCode: '430503101000', persons: 1, amountFen: 30000 }] },
    ]);
    const envelopes = await dataSource.query<{ envelope: string }[]>(`SELECT envelope::text AS envelope FROM outbox`);
    const all = envelopes.map((e) => e.envelope).join('\n');
    for (const residentId of registered) expect(all).not.toContain(residentId);
  });

  it('running the sweep and the payroll again changes nothing', async () => {
    const before = await tableState();
    expect(await sweeps.sweep({ period: '2023-08' }, officer, TODAY)).toEqual({ period: '2023-08', started: 0, moved: 0, stopped: 0 });
    // An earlier period after a later one: nothing either.
    expect(await sweeps.sweep({ period: '2023-06' }, officer, TODAY)).toMatchObject({ started: 0, moved: 0, stopped: 0 });
    expect(await payrolls.runPayroll({ period: '2023-08', band: 'high-age' }, officer, TODAY)).toMatchObject({ persons: 4, amountFen: 40000, alreadyRun: true });
    expect(await payrolls.runPayroll({ period: '2023-07', band: 'longevity' }, officer, TODAY)).toMatchObject({ persons: 2, alreadyRun: true });
    expect(await tableState()).toEqual(before);
  });

  it('two sweeps and three payroll runs at once enrol and pay each person once', async () => {
    await register('1933-08-08'); // 90 in August: high-age from September
    const swept = await Promise.all([1, 2].map(() => sweeps.sweep({ period: '2023-09' }, officer, TODAY)));
    expect(swept.map((s) => s.started).sort()).toEqual([0, 1]);
    const results = await Promise.all([1, 2, 3].map(() => payrolls.runPayroll({ period: '2023-09', band: 'high-age' }, officer, TODAY)));
    expect(results.filter((r) => !r.alreadyRun)).toHaveLength(1);
    expect(new Set(results.map((r) => `${r.persons}/${r.amountFen}`))).toEqual(new Set(['5/50000']));
    expect(await count(`SELECT 1 FROM age_allowance_payment WHERE period = '2023-09'`)).toBe(5);
    expect(await count(`SELECT 1 FROM outbox WHERE type = $1 AND envelope->>'subject' = 'age-allowance-payroll/high-age/2023-09'`, [AgeAllowanceEvents.payrollCompleted])).toBe(1);
  });

  it('refuses bad input with 400 naming each field, and what the rules refuse, writing nothing', async () => {
    const before = await tableState();
    const [people] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM older_resident`);
    const fieldsOf = (run: () => unknown): string[] => {
      try {
        run();
      } catch (error) {
        if (!(error instanceof DomainError)) return ['(not a domain error)'];
        expect(httpStatusFor(error.code)).toBe(400);
        return (error.fields ?? []).map((f) => f.field).sort();
      }
      return [];
    };
    expect(
      fieldsOf(() => parseOrThrow(registerOlderResidentSchema, { residentId: '430503193305311234', name: '', divisionCode: '4305', residenceBasis: 'abroad', residentSince: 'soon', extra: 1 })),
    ).toEqual(['(body)', 'divisionCode', 'name', 'residenceBasis', 'residentId', 'residentSince']);
    expect(fieldsOf(() => parseOrThrow(recordOlderResidentDeathSchema, { id: 'x', diedOn: '2023-02-30' }))).toEqual(['diedOn', 'id']);

    const tooYoung = await domainErrorOf(residents.register({ residentId: idBornOn('1970-01-01'), name: '甲', divisionCode: '430503101000', residenceBasis: 'hukou', residentSince: '2024-01-05' }, officer, TODAY), 'VALIDATION_FAILED');
    expect(tooYoung.fields?.map((f) => `${f.field}:${f.rule}`)).toEqual(['residentId:older-resident', 'residentSince:not-in-future']);
    const future = await domainErrorOf(residents.recordDeath({ id: young.id, diedOn: '2024-01-01' }, officer, TODAY), 'VALIDATION_FAILED');
    expect(future.fields).toEqual([{ field: 'diedOn', rule: 'not-in-future', message: expect.any(String) }]);
    const beforeBirth = await domainErrorOf(residents.recordDeath({ id: young.id, diedOn: '1938-07-06' }, officer, TODAY), 'VALIDATION_FAILED');
    expect(beforeBirth.fields).toEqual([{ field: 'diedOn', rule: 'not-before-birth', message: expect.any(String) }]);
    const beforeMovingIn = await domainErrorOf(residents.recordMoveAway({ id: newcomer.id, movedOn: '2023-05-01' }, officer, TODAY), 'VALIDATION_FAILED');
    expect(beforeMovingIn.fields?.map((f) => f.rule)).toEqual(['not-before-residence']);
    await domainErrorOf(residents.recordDeath({ id: dies.id, diedOn: '2023-06-16' }, officer, TODAY), 'CONFLICT');
    await domainErrorOf(residents.recordDeath({ id: movesAway.id, diedOn: '2023-07-01' }, officer, TODAY), 'CONFLICT');
    await domainErrorOf(residents.recordMoveAway({ id: movesAway.id, movedOn: '2023-07-01' }, officer, TODAY), 'CONFLICT');
    await domainErrorOf(residents.register({ residentId: registered[1] ?? '', name: '乙', divisionCode: '430503101000', residenceBasis: 'hukou' }, officer, TODAY), 'CONFLICT');
    await domainErrorOf(residents.register({ residentId: idBornOn('1930-01-01'), name: '丙', divisionCode: '430503001000', residenceBasis: 'hukou' }, township, TODAY), 'OUT_OF_DIVISION_SCOPE');
    await domainErrorOf(residents.register({ residentId: idBornOn('1930-01-01'), name: '丁', divisionCode: '430503101000', residenceBasis: 'hukou' }, finance, TODAY), 'FORBIDDEN');
    await domainErrorOf(residents.get(movesAway.id, township), 'OUT_OF_DIVISION_SCOPE');
    expect(await tableState()).toEqual(before);
    const [after] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM older_resident`);
    expect(after?.n).toBe(people?.n);
    expect(await residents.get(young.id, officer)).toMatchObject({ diedOn: null, paidThrough: null });
  });

  it('sums the year by band', async () => {
    expect(await payrolls.yearSummary(2023, finance)).toEqual({
      year: 2023,
      bands: [
        // high-age: May 5 (with the first test's person), June 7, July 5, August 4, September 5.
        { band: 'high-age', payrolls: 5, personMonths: 26, amountFen: 260000 },
        // longevity: May 0, June 1, July 2, August 2 (September's not run).
        { band: 'longevity', payrolls: 4, personMonths: 5, amountFen: 150000 },
      ],
    });
  });
});

/** The set-based SQL against the rule as age-allowance.domain states it, month by month over three years. */
describe('age allowances: the sweep and payroll follow the rule (PostgreSQL)', () => {
  let dataSource: DataSource;
  const officer: Actor = { userId: 'ec-1', kind: 'staff', roles: ['admin'], divisions: ['430503'] };
  const TODAY = '2024-12-31';

  beforeAll(async () => {
    dataSource = new DataSource(serviceDataSource(await createTestDatabase('age_allowance_rules'), 4));
    await dataSource.initialize();
    await dataSource.runMigrations();
    // This database only: the demo rates reach back to 2022, so 2022's boundaries can be paid.
    await dataSource.query(`UPDATE age_allowance_rate SET effective_from = '2020-01-01'`);
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('pays each person in each month exactly the band bandIn gives', async () => {
    const outbox = new Outbox('elderly-care', dataSource);
    const residents = new OlderResidentsService(dataSource, PersonalDataCipher.fromEnvironment(process.env));
    const sweeps = new AgeAllowanceSweepService(outbox);
    const payrolls = new AgeAllowancePayrollService(outbox, dataSource);
    const people: { birth: string; since?: string; died?: string; moved?: string }[] = [
      { birth: '1932-02-29' }, // 90 on 2022-03-01 (a common year): from 2022-04
      { birth: '1932-03-01' },
      { birth: '1932-02-28' }, // from 2022-03
      { birth: '1924-02-29' }, // 100 on 2024-02-29: longevity from 2024-03
      { birth: '1922-03-01' }, // 100 on 2022-03-01: longevity from 2022-04
      { birth: '1933-01-01' }, // 90 on New Year's Day: from 2023-02
      { birth: '1932-12-31' }, // from 2023-01
      { birth: '1923-12-01', died: '2023-12-15' }, // dies in the month of the 100th birthday: never longevity
      { birth: '1923-11-10', died: '2023-12-05' }, // one month of longevity
      { birth: '1934-05-05', died: '2023-03-03' }, // dies at 88: nothing
      { birth: '1932-06-15', since: '2023-07-31' }, // moved in at 91: from 2023-08
      { birth: '1921-06-15', since: '2022-01-01' }, // moved in at 100: longevity from 2022-02, never high-age
      { birth: '1932-07-07', moved: '2022-07-31' }, // moves away the month of the 90th birthday: nothing
      { birth: '1932-05-05', moved: '2022-06-01' }, // one month of high-age
    ];
    const registered: OlderResidentView[] = [];
    let sequence = 500;
    for (const p of people) {
      const residentId = buildResidentId('430503', p.birth, sequence++).value;
      const person = await residents.register(
        { residentId, name: '老人', divisionCode: '430503101000', residenceBasis: 'hukou', ...(p.since ? { residentSince: p.since } : {}) },
        officer,
        TODAY,
      );
      if (p.died) await residents.recordDeath({ id: person.id, diedOn: p.died }, officer, TODAY);
      if (p.moved) await residents.recordMoveAway({ id: person.id, movedOn: p.moved }, officer, TODAY);
      registered.push(await residents.get(person.id, officer));
    }
    const periods: string[] = [];
    for (let year = 2022; year <= 2024; year++) for (let month = 1; month <= 12; month++) periods.push(`${year}-${String(month).padStart(2, '0')}`);
    for (const period of periods) {
      await sweeps.sweep({ period }, officer, TODAY);
      for (const band of ['high-age', 'longevity'] as const) await payrolls.runPayroll({ period, band }, officer, TODAY);
    }
    const rows = await dataSource.query<{ person_id: string; period: string; band: AgeAllowanceBand }[]>(
      `SELECT e.person_id, p.period, p.band FROM age_allowance_payment p JOIN age_allowance_enrolment e ON e.id = p.enrolment_id`,
    );
    const paidBand = new Map(rows.map((r) => [`${r.person_id}/${r.period}`, r.band]));
    const actual = registered.map((person) => periods.map((period) => paidBand.get(`${person.id}/${period}`) ?? null));
    const expected = registered.map((person) => periods.map((period) => bandIn(period, person)));
    expect(actual).toEqual(expected);
    // Spot checks of the rule itself.
    const at = (i: number, period: string) => expected[i]?.[periods.indexOf(period)];
    expect([at(0, '2022-03'), at(0, '2022-04'), at(2, '2022-03'), at(3, '2024-02'), at(3, '2024-03')]).toEqual([null, 'high-age', 'high-age', 'high-age', 'longevity']);
    expect([at(7, '2023-12'), at(7, '2024-01'), at(8, '2023-12'), at(8, '2024-01'), at(11, '2022-02'), at(12, '2022-08'), at(13, '2022-06'), at(13, '2022-07')]).toEqual([
      'high-age',
      null,
      'longevity',
      null,
      'longevity',
      null,
      'high-age',
      null,
    ]);
    expect(expected[9]?.every((band) => band === null)).toBe(true);
  });
});
