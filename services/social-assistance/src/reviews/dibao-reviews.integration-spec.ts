import { v7 as uuidv7 } from 'uuid';
import { DataSource } from 'typeorm';
import { buildResidentId } from '@civil/domain-kernel';
import { DibaoCaseEvents, type Actor } from '@civil/contracts';
import { Outbox, PersonalDataCipher, sealResidentId, serviceDataSourceOptions } from '@civil/platform';
import { createTestDatabase, domainErrorOf } from '@civil/testing';
import { Households1764000005000 } from '../migrations/1764000005000-households';
import { AssistanceBase1764000006000 } from '../migrations/1764000006000-assistance-base';
import { Verification1764000007000 } from '../migrations/1764000007000-verification';
import { DibaoReviews1764000011000 } from '../migrations/1764000011000-dibao-reviews';
import { DibaoReviewRule1764000017000 } from '../migrations/1764000017000-dibao-review-rule';
import { ResidentIdsAtRest1764000060000 } from '../migrations/1764000060000-resident-ids-at-rest';
import { DibaoReviewsService } from './dibao-reviews.service';

/** Dynamic management against real PostgreSQL: scheduling is set-based, decisions keep history. */
describe('DibaoReviewsService (PostgreSQL)', () => {
  let dataSource: DataSource;
  let reviews: DibaoReviewsService;
  const approver: Actor = { userId: 'approver', kind: 'staff', roles: ['district-approver'], divisions: ['430503000000'] };
  let sequence = 0;
  const cipher = PersonalDataCipher.fromEnvironment({});

  /** A household with one open case from 2023-01; `irregular` adds a working-age member's business income. */
  async function caseFor(division: string, options: { irregular: boolean }): Promise<{ caseId: string; householdId: string }> {
    const householdId = uuidv7();
    await dataSource.query(`INSERT INTO household (id, division_code, urban_rural, address, created_by) VALUES ($1, $2, 'urban', '演示', 't')`, [householdId, division]);
    sequence += 1;
    const person = buildResidentId('430503', options.irregular ? '1985-04-04' : '1940-04-04', sequence);
    const memberId = uuidv7();
    await dataSource.query(
      `INSERT INTO household_member (id, household_id, name, resident_id_hash, resident_id_enc, relationship, birth_date, sex) VALUES ($1, $2, '户主', $3, $6, 'head', $4, $5)`,
      [memberId, householdId, sealResidentId(cipher, person.value).hash, person.birthDate, person.sex, sealResidentId(cipher, person.value).enc],
    );
    if (options.irregular) {
      await dataSource.query(`INSERT INTO member_income (id, member_id, kind, monthly_amount_fen, source, as_of, recorded_by) VALUES ($1, $2, 'business', 20000, '市场监管', '2023-01-01', 't')`, [uuidv7(), memberId]);
    }
    const caseId = uuidv7();
    await dataSource.query(
      `INSERT INTO dibao_case (id, household_id, division_code, urban_rural, covered_persons, monthly_amount_fen, start_period) VALUES ($1, $2, $3, 'urban', 2, 60000, '2023-01')`,
      [caseId, householdId, division],
    );
    return { caseId, householdId };
  }

  beforeAll(async () => {
    dataSource = new DataSource(
      serviceDataSourceOptions({ url: await createTestDatabase('reviews'), entities: [], migrations: [Households1764000005000, AssistanceBase1764000006000, Verification1764000007000, DibaoReviews1764000011000, DibaoReviewRule1764000017000, ResidentIdsAtRest1764000060000], applicationName: 'reviews-test' }),
    );
    await dataSource.initialize();
    await dataSource.runMigrations();
    reviews = new DibaoReviewsService(new Outbox('social-assistance', dataSource), dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('schedules yearly and half-yearly reviews set-based, once, within the caller’s divisions', async () => {
    const steady = await caseFor('430503001000', { irregular: false });
    const irregular = await caseFor('430503001000', { irregular: true });
    const elsewhere = await caseFor('430503202000', { irregular: true });

    const township: Actor = { userId: 'r', kind: 'staff', roles: ['township-reviewer'], divisions: ['430503001'] };
    expect(await reviews.schedule('2023-12-31', township)).toEqual({ scheduled: 1 });
    const due = (await reviews.listDue('2023-12-31', township)).items;
    expect(due.map((r) => [r.caseId, r.cadence, r.dueOn])).toEqual([[irregular.caseId, 'half-yearly', '2023-07-01']]);

    expect(await reviews.schedule('2024-01-01', approver)).toEqual({ scheduled: 2 });
    expect(await reviews.schedule('2024-01-01', approver)).toEqual({ scheduled: 0 });
    const all = (await reviews.listDue('2024-01-01', approver)).items;
    expect(all.map((r) => r.caseId).sort()).toEqual([steady.caseId, irregular.caseId, elsewhere.caseId].sort());
    expect(all.find((r) => r.caseId === steady.caseId)?.dueOn).toBe('2024-01-01');
    const citizen: Actor = { userId: 'c', kind: 'citizen', roles: ['citizen'], divisions: [] };
    await domainErrorOf(reviews.schedule('2024-01-01', citizen), 'FORBIDDEN');
  });

  it('continue, adjust and stop take effect from the next period, with reasons and events', async () => {
    const kept = await caseFor('430503002000', { irregular: true });
    const adjusted = await caseFor('430503002000', { irregular: false });
    const stopped = await caseFor('430503002000', { irregular: false });
    await reviews.schedule('2024-01-31', approver);
    const pending = (await reviews.listDue('2024-01-31', approver)).items;
    const reviewOf = (caseId: string): string => pending.find((r) => r.caseId === caseId)?.id ?? '';

    const continued = await reviews.decide({ reviewId: reviewOf(kept.caseId), outcome: 'continue', reason: '家庭情况无变化' }, approver, '2023-07-10');
    expect(continued).toMatchObject({ outcome: 'continue', decidedOn: '2023-07-10', effectivePeriod: null });
    await domainErrorOf(reviews.decide({ reviewId: reviewOf(kept.caseId), outcome: 'stop', reason: '重复' }, approver, '2023-07-11'), 'CONFLICT');
    // The next review counts from the decision: half a year later.
    await reviews.schedule('2024-06-30', approver);
    expect((await reviews.listDue('2024-06-30', approver)).items.find((r) => r.caseId === kept.caseId)?.dueOn).toBe('2024-01-10');

    await reviews.decide({ reviewId: reviewOf(adjusted.caseId), outcome: 'adjust', reason: '子女就业，收入增加', monthlyAmountFen: 30000, coveredPersons: 1 }, approver, '2024-01-15');
    const cases = await dataSource.query<{ start_period: string; end_period: string | null; monthly_amount_fen: string; covered_persons: number; stop_reason: string | null }[]>(
      `SELECT start_period, end_period, monthly_amount_fen, covered_persons, stop_reason FROM dibao_case WHERE household_id = $1 ORDER BY start_period`,
      [adjusted.householdId],
    );
    expect(cases).toEqual([
      { start_period: '2023-01', end_period: '2024-01', monthly_amount_fen: '60000', covered_persons: 2, stop_reason: 'adjusted: 子女就业，收入增加' },
      { start_period: '2024-02', end_period: null, monthly_amount_fen: '30000', covered_persons: 1, stop_reason: null },
    ]);

    await reviews.decide({ reviewId: reviewOf(stopped.caseId), outcome: 'stop', reason: '家庭人均收入超过低保标准' }, approver, '2024-01-20');
    const [closed] = await dataSource.query<{ end_period: string }[]>(`SELECT end_period FROM dibao_case WHERE household_id = $1`, [stopped.householdId]);
    expect(closed?.end_period).toBe('2024-01');

    const events = await dataSource.query<{ type: string; data: Record<string, unknown> }[]>(
      `SELECT type, envelope->'data' AS data FROM outbox WHERE envelope->>'subject' IN ($1, $2) ORDER BY id`,
      [`household/${adjusted.householdId}`, `household/${stopped.householdId}`],
    );
    expect(events).toEqual([
      { type: DibaoCaseEvents.householdAdjusted, data: expect.objectContaining({ personsBefore: 2, personsAfter: 1, monthlyAmountBeforeFen: 60000, monthlyAmountAfterFen: 30000, effectivePeriod: '2024-02' }) },
      { type: DibaoCaseEvents.householdStopped, data: expect.objectContaining({ persons: 2, reason: '家庭人均收入超过低保标准', effectivePeriod: '2024-02' }) },
    ]);
    const outsider: Actor = { userId: 'o', kind: 'staff', roles: ['district-approver'], divisions: ['430503203000'] };
    const [another] = (await reviews.listDue('2024-06-30', approver)).items;
    await domainErrorOf(reviews.decide({ reviewId: another?.id ?? '', outcome: 'continue', reason: '无变化' }, outsider, '2024-02-01'), 'OUT_OF_DIVISION_SCOPE');
  });

  it('takes the review intervals from the rule in force, a township row overriding the county’s', async () => {
    // 蔡锷乡 reviews stable households every 24 months and irregular ones every 3 from 2023.
    await dataSource.query(
      `INSERT INTO rule_dibao_review (division_code, effective_from, stable_interval_months, irregular_interval_months, working_age_from, working_age_to, irregular_income_kinds, is_demo)
       VALUES ('430503202000', '2023-01-01', 24, 3, 16, 60, '{business,other}', true)`,
    );
    const steady = await caseFor('430503202000', { irregular: false });
    const irregular = await caseFor('430503202000', { irregular: true });
    const township: Actor = { userId: 'cai', kind: 'staff', roles: ['township-reviewer'], divisions: ['430503202'] };
    await reviews.schedule('2024-12-31', township);
    const due = (await reviews.listDue('2024-12-31', township)).items.filter((r) => r.caseId === steady.caseId || r.caseId === irregular.caseId);
    expect(due.map((r) => [r.caseId, r.cadence, r.dueOn])).toEqual([[irregular.caseId, 'half-yearly', '2023-04-01']]);
    await reviews.schedule('2025-01-01', township);
    const later = (await reviews.listDue('2025-01-01', township)).items.find((r) => r.caseId === steady.caseId);
    expect(later?.dueOn).toBe('2025-01-01');
  });
});
