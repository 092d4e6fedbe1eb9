import { v7 as uuidv7 } from 'uuid';
import { DataSource } from 'typeorm';
import { buildResidentId } from '@civil/domain-kernel';
import { DibaoEvents, type Actor, type DibaoHouseholdStartedV1 } from '@civil/contracts';
import { Outbox, PersonalDataCipher, sealResidentId, serviceDataSourceOptions } from '@civil/platform';
import { createTestDatabase, domainErrorOf } from '@civil/testing';
import { CalendarService } from '../calendar/calendar.service';
import { Households1764000005000 } from '../migrations/1764000005000-households';
import { AssistanceBase1764000006000 } from '../migrations/1764000006000-assistance-base';
import { Verification1764000007000 } from '../migrations/1764000007000-verification';
import { HolidayCalendar1764000009000 } from '../migrations/1764000009000-holiday-calendar';
import { DibaoProcedure1764000015000 } from '../migrations/1764000015000-dibao-procedure';
import { DibaoAssets1764000016000 } from '../migrations/1764000016000-dibao-assets';
import { ResidentIdsAtRest1764000060000 } from '../migrations/1764000060000-resident-ids-at-rest';
import { BenefitPreviewService } from './benefit-preview.service';
import { DibaoApplicationsService } from './dibao-applications.service';

/** The whole 低保 procedure against real PostgreSQL, with the dates chosen by the test. */
describe('DibaoApplicationsService (PostgreSQL)', () => {
  let dataSource: DataSource;
  let service: DibaoApplicationsService;
  const cipher = PersonalDataCipher.fromEnvironment({});
  const clerk: Actor = { userId: 'clerk', kind: 'staff', roles: ['clerk'], divisions: ['430503101000'] };
  const reviewer: Actor = { userId: 'reviewer', kind: 'staff', roles: ['township-reviewer'], divisions: ['430503101000'] };
  const approver: Actor = { userId: 'approver', kind: 'staff', roles: ['district-approver'], divisions: ['430503000000'] };

  let sequence = 0;
  async function household(): Promise<string> {
    const id = uuidv7();
    await dataSource.query(`INSERT INTO household (id, division_code, urban_rural, address, created_by) VALUES ($1, '430503101000', 'rural', '罗市镇', 'test')`, [id]);
    // A new pair of people each time: the same person cannot be in two households.
    sequence += 2;
    const members = [buildResidentId('430503', '1970-01-01', sequence + 1), buildResidentId('430503', '1972-05-05', sequence + 2)];
    for (const [i, m] of members.entries()) {
      await dataSource.query(
        `INSERT INTO household_member (id, household_id, name, resident_id_hash, resident_id_enc, relationship, birth_date, sex) VALUES ($1, $2, $3, $4, $8, $5, $6, $7)`,
        [uuidv7(), id, `成员${i}`, sealResidentId(cipher, m.value).hash, i === 0 ? 'head' : 'spouse', m.birthDate, m.sex, sealResidentId(cipher, m.value).enc],
      );
    }
    return id;
  }

  async function throughNotice(householdId: string, start: string, noticeOn: string): Promise<string> {
    const app = await service.submit(householdId, clerk, start);
    await service.act(app.id, 'accept', {}, clerk, start);
    await service.act(app.id, 'record-verification', { reportId: 'v-1' }, clerk, start);
    await service.act(app.id, 'record-survey', { investigators: ['甲', '乙'], findings: '入户核实' }, reviewer, start);
    await service.act(app.id, 'record-democratic-review', { attendees: 9, outcome: 'agree', notes: '同意' }, reviewer, noticeOn);
    await service.act(app.id, 'township-audit', { passed: true, opinion: '符合条件' }, reviewer, noticeOn);
    return app.id;
  }

  beforeAll(async () => {
    dataSource = new DataSource(
      serviceDataSourceOptions({
        url: await createTestDatabase('dibao'),
        entities: [],
        migrations: [Households1764000005000, AssistanceBase1764000006000, Verification1764000007000, HolidayCalendar1764000009000, DibaoProcedure1764000015000, DibaoAssets1764000016000, ResidentIdsAtRest1764000060000],
        applicationName: 'dibao-test',
      }),
    );
    await dataSource.initialize();
    await dataSource.runMigrations();
    const calendars = new CalendarService(dataSource);
    await calendars.onModuleInit();
    service = new DibaoApplicationsService(new Outbox('social-assistance', dataSource), calendars, dataSource, cipher);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('approval after the public notice starts a 低保 case from the next month and emits the events', async () => {
    const householdId = await household();
    const id = await throughNotice(householdId, '2023-12-01', '2023-12-08');
    const early = await domainErrorOf(service.act(id, 'approve', { monthlyAmountFen: 52000, coveredPersons: 2 }, approver, '2023-12-14'), 'CONFLICT');
    expect(early.message).toMatch(/notice/i);
    const approved = await service.act(id, 'approve', { monthlyAmountFen: 52000, coveredPersons: 2 }, approver, '2023-12-15');
    expect(approved.status).toBe('APPROVED');
    expect(approved.benefitStartPeriod).toBe('2024-01');

    const cases = await dataSource.query<{ start_period: string; covered_persons: number; monthly_amount_fen: string }[]>(
      `SELECT start_period, covered_persons, monthly_amount_fen FROM dibao_case WHERE household_id = $1`,
      [householdId],
    );
    expect(cases).toEqual([{ start_period: '2024-01', covered_persons: 2, monthly_amount_fen: '52000' }]);
    const events = await dataSource.query<{ type: string }[]>(`SELECT type FROM outbox WHERE envelope->>'subject' IN ($1, $2) ORDER BY id`, [
      `dibao-application/${id}`,
      `household/${householdId}`,
    ]);
    expect(events.map((e) => e.type)).toEqual([DibaoEvents.applicationSubmitted, DibaoEvents.applicationApproved, DibaoEvents.householdStarted]);
    // The decision says whether it met the statutory deadline (30 working days from 2023-12-01).
    const [decision] = await dataSource.query<{ data: Record<string, unknown> }[]>(`SELECT envelope->'data' AS data FROM outbox WHERE type = $1 AND envelope->>'subject' = $2`, [
      DibaoEvents.applicationApproved,
      `dibao-application/${id}`,
    ]);
    expect(decision?.data).toMatchObject({ decisionDate: '2023-12-15', submittedOn: '2023-12-01', inTime: true });
    expect(String(decision?.data.deadline) > '2023-12-15').toBe(true);
    // Other departments learn who lives in a 低保 household from the start event, not our tables.
    // Sealed: each member's lookup hash and ciphertext, never the number (issue 8).
    const [started] = await dataSource.query<{ data: DibaoHouseholdStartedV1 }[]>(`SELECT envelope->'data' AS data FROM outbox WHERE type = $1 AND envelope->>'subject' = $2`, [
      DibaoEvents.householdStarted,
      `household/${householdId}`,
    ]);
    expect(started?.data).not.toHaveProperty('memberResidentIds');
    const members = await dataSource.query<{ resident_id_enc: string }[]>(`SELECT resident_id_enc FROM household_member WHERE household_id = $1`, [householdId]);
    const sealedMembers = started?.data.members ?? [];
    expect(sealedMembers.map((m) => cipher.unseal(m)).sort()).toEqual(members.map((m) => cipher.decrypt(m.resident_id_enc)).sort());
    expect(sealedMembers.length).toBeGreaterThan(0);

    // A second application for a household already on 低保 cannot be approved into a second case.
    const again = await throughNotice(householdId, '2024-02-01', '2024-02-05');
    await domainErrorOf(service.act(again, 'approve', { monthlyAmountFen: 1, coveredPersons: 1 }, approver, '2024-02-20'), 'CONFLICT');
  });

  it('takes the notice and deadline from the procedure rule in force on submission, and keeps them when the rule changes', async () => {
    // From 2025 罗市镇 gives 10 days of notice and 20 working days (a township rule overrides the county's).
    await dataSource.query(
      `INSERT INTO rule_dibao_procedure (division_code, effective_from, notice_days, deadline_working_days, extended_deadline_working_days, is_demo)
       VALUES ('430503101000', '2025-01-01', 10, 20, 35, true)`,
    );
    const before = await throughNotice(await household(), '2024-12-02', '2024-12-09'); // under the county's 7 days / 30 working days
    const after = await throughNotice(await household(), '2025-03-03', '2025-03-10');
    expect((await service.get(after, clerk, '2025-03-10')).deadline).toBe('2025-03-31'); // 20 working days after 3 March
    await domainErrorOf(service.act(after, 'approve', { monthlyAmountFen: 1000, coveredPersons: 2 }, approver, '2025-03-19'), 'CONFLICT'); // day 9 of 10
    expect((await service.act(after, 'approve', { monthlyAmountFen: 1000, coveredPersons: 2 }, approver, '2025-03-20')).status).toBe('APPROVED');
    // The December application keeps 7 days and 30 working days although it is decided under the new rule.
    expect((await service.get(before, clerk, '2025-01-05')).deadline).toBe('2025-01-14');
    expect((await service.act(before, 'approve', { monthlyAmountFen: 1000, coveredPersons: 2 }, approver, '2024-12-16')).status).toBe('APPROVED');
  });

  it('a rejection needs a written reason and emits the rejected event; nothing else changes', async () => {
    const householdId = await household();
    const app = await service.submit(householdId, clerk, '2023-05-04');
    await service.act(app.id, 'accept', {}, clerk, '2023-05-04');
    const noReason = await domainErrorOf(service.act(app.id, 'reject', { reason: '' }, approver, '2023-05-10'), 'VALIDATION_FAILED');
    expect(noReason.fields?.map((f) => f.field)).toEqual(['payload.reason']);
    const rejected = await service.act(app.id, 'reject', { reason: '家庭人均收入高于当地低保标准' }, approver, '2023-05-10');
    expect(rejected.status).toBe('REJECTED');
    expect(rejected.rejectionReason).toBe('家庭人均收入高于当地低保标准');
    const [event] = await dataSource.query<{ data: { reason: string } }[]>(`SELECT envelope->'data' AS data FROM outbox WHERE type = $1 AND envelope->>'subject' = $2`, [
      DibaoEvents.applicationRejected,
      `dibao-application/${app.id}`,
    ]);
    expect(event?.data.reason).toBe('家庭人均收入高于当地低保标准');
    expect(await dataSource.query(`SELECT 1 FROM dibao_case WHERE household_id = $1`, [householdId])).toEqual([]);
  });

  it('two caseworkers acting at once: one action lands, the other is told to reload', async () => {
    const app = await service.submit(await household(), clerk, '2023-06-01');
    const results = await Promise.allSettled([service.act(app.id, 'accept', {}, clerk, '2023-06-01'), service.act(app.id, 'accept', {}, clerk, '2023-06-01')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [log] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM dibao_application_action WHERE application_id = $1`, [app.id]);
    expect(log?.n).toBe(2);
  });

  it('previews the benefit from the rule in force and the latest recorded incomes, showing every input', async () => {
    const householdId = await household();
    const app = await service.submit(householdId, clerk, '2023-07-03');
    const [head] = await dataSource.query<{ id: string }[]>(`SELECT id FROM household_member WHERE household_id = $1 AND relationship = 'head'`, [householdId]);
    const income = (kind: string, fen: number, asOf: string) =>
      dataSource.query(`INSERT INTO member_income (id, member_id, kind, monthly_amount_fen, source, as_of, recorded_by) VALUES ($1, $2, $3, $4, '人社', $5, 't')`, [uuidv7(), head?.id, kind, fen, asOf]);
    await income('wages', 50000, '2023-01-31'); // superseded by the June figure
    await income('wages', 30000, '2023-06-30');
    await income('pension', 90000, '2023-09-30'); // after the preview date: not counted
    const preview = await new BenefitPreviewService(dataSource).preview(app.id, clerk, '2023-07-03');
    // Rural demo standard 430.00元, floor 20 %; 2 persons, income 300.00元 → 150.00元 per capita;
    // gap 280.00元 per person (above the 86.00元 floor) × 2 = 560.00元, no top-ups (two adults).
    expect(preview).toMatchObject({
      standardFen: 43000,
      floorBp: 2000,
      householdSize: 2,
      householdMonthlyIncomeFen: 30000,
      perCapitaIncomeFen: 15000,
      basePerPersonFen: 28000,
      topUpsFen: 0,
      monthlyAmountFen: 56000,
      eligible: true,
    });
    expect(preview.incomes).toEqual([expect.objectContaining({ kind: 'wages', monthlyAmountFen: 30000, asOf: '2023-06-30' })]);
    await income('pension', 90000, '2023-06-30');
    const above = await new BenefitPreviewService(dataSource).preview(app.id, clerk, '2023-07-03');
    expect(above).toMatchObject({ eligible: false, reason: 'income-at-or-above-standard', monthlyAmountFen: 0 });
    const outsider: Actor = { userId: 'x', kind: 'staff', roles: ['clerk'], divisions: ['430503001000'] };
    await domainErrorOf(new BenefitPreviewService(dataSource).preview(app.id, outsider, '2023-07-03'), 'OUT_OF_DIVISION_SCOPE');
  });

  it('fails the asset test on a car or on deposits above the limit, and pays nothing then', async () => {
    const householdId = await household();
    const app = await service.submit(householdId, clerk, '2023-07-03');
    const [head] = await dataSource.query<{ id: string }[]>(`SELECT id FROM household_member WHERE household_id = $1 AND relationship = 'head'`, [householdId]);
    const asset = (kind: string, fen: number, asOf: string) =>
      dataSource.query(`INSERT INTO member_asset (id, member_id, kind, value_fen, source, as_of, recorded_by) VALUES ($1, $2, $3, $4, '核对', $5, 't')`, [uuidv7(), head?.id, kind, fen, asOf]);
    const preview = async (): Promise<Awaited<ReturnType<BenefitPreviewService['preview']>>> => new BenefitPreviewService(dataSource).preview(app.id, clerk, '2023-07-03');
    // Rural demo standard 430.00元 × 24 months = 10,320.00元 of deposits per person; two persons.
    await asset('deposit', 2_064_000, '2023-06-01');
    expect(await preview()).toMatchObject({ eligible: true, assets: { passed: true, financialPerCapitaFen: 1_032_000, financialLimitPerCapitaFen: 1_032_000 } });
    await asset('vehicle', 500_000, '2023-06-01'); // an electric tricycle: exempt
    expect((await preview()).assets.passed).toBe(true);
    await asset('vehicle', 8_000_000, '2023-06-15'); // the latest record: a car
    await asset('deposit', 2_064_002, '2023-06-20');
    const failed = await preview();
    expect(failed).toMatchObject({ eligible: false, reason: 'assets-above-limits', monthlyAmountFen: 0, assets: { passed: false, largestVehicleFen: 8_000_000 } });
    expect(failed.assets.failures).toHaveLength(2);
  });

  it('lists open applications past their deadline in the caller’s divisions only', async () => {
    const late = await service.submit(await household(), clerk, '2023-03-01');
    const onTime = await service.submit(await household(), clerk, '2023-04-20');
    await service.act(late.id, 'accept', {}, clerk, '2023-03-02');
    const overdue = (await service.listOverdue(clerk, '2023-05-10')).items;
    const listed = overdue.map((i) => i.id);
    expect(listed).toContain(late.id);
    expect(listed).not.toContain(onTime.id);
    // The list reads its page in two statements; each entry is exactly what reading it alone shows.
    for (const item of overdue) expect(item).toEqual(await service.get(item.id, clerk, '2023-05-10'));
    expect(overdue.find((i) => i.id === late.id)?.actions.map((a) => a.action)).toEqual(['submit', 'accept']);
    const elsewhere: Actor = { userId: 'other', kind: 'staff', roles: ['clerk'], divisions: ['430503001000'] };
    expect((await service.listOverdue(elsewhere, '2023-05-10')).items).toEqual([]);
    await service.act(late.id, 'withdraw', { reason: '外出务工' }, clerk, '2023-05-11');
    expect((await service.listOverdue(clerk, '2023-05-12')).items.map((i) => i.id)).not.toContain(late.id);
    const citizen: Actor = { userId: 'c', kind: 'citizen', roles: ['citizen'], divisions: [], residentId: '34052419800101001X' };
    await domainErrorOf(service.listOverdue(citizen, '2023-05-10'), 'FORBIDDEN');
  });

  it('the deadline counts 30 working days over the calendar table, and extends to 45', async () => {
    // 2023-09-20 + 30 working days, skipping 中秋国庆 (Sep 29 – Oct 6) and counting the 调休 Saturdays Oct 7 and 8.
    const app = await service.submit(await household(), clerk, '2023-09-20');
    expect(app.deadline).toBe('2023-11-07'); // Sep 21–28: 6; Oct 7–8 (调休): 8; Oct 9 – Nov 3: 28; Nov 6, 7: 30
    const extended = await service.act(app.id, 'extend-deadline', { reason: '需补充核对' }, approver, '2023-09-21');
    expect(extended.deadline).toBe('2023-11-28');
  });
});
