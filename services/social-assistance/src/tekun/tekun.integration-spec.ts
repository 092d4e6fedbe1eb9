import { v7 as uuidv7 } from 'uuid';
import { DataSource } from 'typeorm';
import { buildResidentId } from '@civil/domain-kernel';
import { Outbox, PersonalDataCipher, sealResidentId, serviceDataSourceOptions } from '@civil/platform';
import { createTestDatabase, domainErrorOf } from '@civil/testing';
import { TekunEvents, type Actor, type EnrolTekunInput, type TekunChangedV1, type TekunEndedV1, type TekunEnrolledV1, type TekunFuneralSubsidyGrantedV1 } from '@civil/contracts';
import { Households1764000005000 } from '../migrations/1764000005000-households';
import { AssistanceBase1764000006000 } from '../migrations/1764000006000-assistance-base';
import { Verification1764000007000 } from '../migrations/1764000007000-verification';
import { Payroll1764000008000 } from '../migrations/1764000008000-payroll';
import { Tekun1764000012000 } from '../migrations/1764000012000-tekun';
import { ResidentIdsAtRest1764000060000 } from '../migrations/1764000060000-resident-ids-at-rest';
import { PayrollService } from '../payroll/payroll.service';
import { TekunService } from './tekun.service';

/**
 * 特困供养 against real PostgreSQL with the seeded demo rules: rural 低保 standard 430.00元 (basic
 * living 1.3× = 559.00元), minimum wage 1740元 (care allowance 174.00 / 290.06 / 580.12元, +50 %
 * for 集中), funeral subsidy 3000元.
 */
describe('TekunService (PostgreSQL)', () => {
  let dataSource: DataSource;
  let tekun: TekunService;
  let payroll: PayrollService;
  const approver: Actor = { userId: 'approver', kind: 'staff', roles: ['district-approver'], divisions: ['430503000000'] };
  const clerk: Actor = { userId: 'clerk', kind: 'staff', roles: ['clerk'], divisions: ['430503101000'] };
  const otherTownship: Actor = { userId: 'other', kind: 'staff', roles: ['district-approver'], divisions: ['430503202000'] };

  let sequence = 0;
  const cipher = PersonalDataCipher.fromEnvironment({});
  /** A person alone in a rural household of 罗市镇, born on `birthDate`; returns their resident ID and member id. */
  async function person(birthDate: string, income?: number): Promise<{ residentId: string; memberId: string }> {
    const householdId = uuidv7();
    const memberId = uuidv7();
    sequence += 1;
    const id = buildResidentId('430503', birthDate, 100 + sequence);
    await dataSource.query(`INSERT INTO household (id, division_code, urban_rural, address, created_by) VALUES ($1, '430503101001', 'rural', '罗市镇', 'test')`, [householdId]);
    await dataSource.query(
      `INSERT INTO household_member (id, household_id, name, resident_id_hash, resident_id_enc, relationship, birth_date, sex) VALUES ($1, $2, $3, $4, $7, 'head', $5, $6)`,
      [memberId, householdId, `特困${sequence}`, sealResidentId(cipher, id.value).hash, id.birthDate, id.sex, sealResidentId(cipher, id.value).enc],
    );
    if (income !== undefined) {
      await dataSource.query(
        `INSERT INTO member_income (id, member_id, kind, monthly_amount_fen, source, as_of, recorded_by) VALUES ($1, $2, 'pension', $3, '人社', '2023-01-01', 'test')`,
        [uuidv7(), memberId, income],
      );
    }
    return { residentId: id.value, memberId };
  }

  function enrolment(residentId: string, overrides: Partial<EnrolTekunInput> = {}): EnrolTekunInput {
    return {
      residentId,
      livesOnOwnLabour: false,
      legalSupporters: { status: 'none', detail: '' },
      careMode: 'dispersed',
      selfCareLevel: 'full',
      decisionDate: '2023-03-15',
      ...overrides,
    };
  }

  async function events<T>(type: string, memberId: string): Promise<T[]> {
    const rows = await dataSource.query<{ data: T }[]>(`SELECT envelope->'data' AS data FROM outbox WHERE type = $1 AND envelope->>'subject' = $2 ORDER BY id`, [
      type,
      `tekun-person/${memberId}`,
    ]);
    return rows.map((r) => r.data);
  }

  async function count(table: string): Promise<number> {
    const [row] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`);
    return row?.n ?? -1;
  }

  beforeAll(async () => {
    dataSource = new DataSource(
      serviceDataSourceOptions({
        url: await createTestDatabase('tekun'),
        entities: [],
        migrations: [Households1764000005000, AssistanceBase1764000006000, Verification1764000007000, Payroll1764000008000, Tekun1764000012000, ResidentIdsAtRest1764000060000],
        applicationName: 'tekun-test',
      }),
    );
    await dataSource.initialize();
    await dataSource.runMigrations();
    const outbox = new Outbox('social-assistance', dataSource);
    tekun = new TekunService(outbox, dataSource, cipher);
    payroll = new PayrollService(outbox, dataSource, cipher);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('enrols an eligible older person from the month after the decision, with the amount of the rule table and the enrolled event', async () => {
    const { residentId, memberId } = await person('1950-06-01');
    const view = await tekun.enrol(enrolment(residentId), approver, '2023-03-20');
    expect(view).toMatchObject({
      personId: memberId,
      status: 'active',
      careMode: 'dispersed',
      selfCareLevel: 'full',
      amount: { basicLivingFen: 55900, careAllowanceFen: 17400, monthlyAmountFen: 73300 },
      startPeriod: '2023-04',
      endPeriod: null,
    });
    expect(view.residentId).not.toContain('1950');
    const [enrolled] = await events<TekunEnrolledV1>(TekunEvents.enrolled, memberId);
    // The resident ID travels sealed (issue 8): its hash and a ciphertext that opens to it, never the number.
    expect(enrolled).toEqual({ personId: memberId, resident: { hash: cipher.lookupHash(residentId), enc: expect.stringMatching(/^v1\./) }, urbanRural: 'rural', careMode: 'dispersed', selfCareLevel: 'full', monthlyAmountFen: 73300, effectivePeriod: '2023-04', origin: 'application' });
    expect(cipher.unseal(enrolled?.resident ?? { hash: '', enc: '' })).toBe(residentId);
    const [stored] = await dataSource.query<{ eligibility: { eligible: boolean; conditions: { condition: string; met: boolean }[] } }[]>(
      `SELECT eligibility FROM tekun_person WHERE member_id = $1`,
      [memberId],
    );
    expect(stored?.eligibility.eligible).toBe(true);
    expect(stored?.eligibility.conditions.map((c) => c.condition)).toEqual(['unable-to-work', 'no-means-of-living', 'no-legal-supporter']);
  });

  it('assesses without writing, and refuses to enrol an ineligible person naming the failed conditions, writing nothing', async () => {
    const { residentId } = await person('1980-01-01', 50000);
    const report = await tekun.assess({ residentId, livesOnOwnLabour: false, legalSupporters: { status: 'none', detail: '' }, onDate: '2023-03-01' }, clerk);
    expect(report.eligible).toBe(false);
    expect(report.conditions.filter((c) => !c.met).map((c) => c.condition)).toEqual(['unable-to-work', 'no-means-of-living']);
    expect(report.perCapitaIncomeFen).toBe(50000);

    const before = { persons: await count('tekun_person'), outbox: await count('outbox') };
    const error = await domainErrorOf(tekun.enrol(enrolment(residentId), approver, '2023-03-20'));
    expect(error.code).toBe('NOT_ELIGIBLE');
    expect(error.message).toContain('unable-to-work');
    expect(error.message).toContain('no-means-of-living');
    expect({ persons: await count('tekun_person'), outbox: await count('outbox') }).toEqual(before);
  });

  it('enrols a working-age person with a qualifying disability, and refuses a second enrolment', async () => {
    const { residentId } = await person('1985-01-01');
    const input = enrolment(residentId, { disability: { category: 'intellectual', grade: 2, certificateNumber: 'C-1' }, careMode: 'centralized', institutionName: '罗市镇敬老院', selfCareLevel: 'partial' });
    const view = await tekun.enrol(input, approver, '2023-03-20');
    expect(view.amount).toEqual({ basicLivingFen: 55900, careAllowanceFen: 43509, monthlyAmountFen: 99409 });
    expect((await domainErrorOf(tekun.enrol(input, approver, '2023-03-20'))).code).toBe('CONFLICT');
  });

  it('lets only the district decide, only within its divisions', async () => {
    const { residentId } = await person('1940-01-01');
    expect((await domainErrorOf(tekun.enrol(enrolment(residentId), clerk, '2023-03-20'))).code).toBe('FORBIDDEN');
    expect((await domainErrorOf(tekun.enrol(enrolment(residentId), otherTownship, '2023-03-20'))).code).toBe('OUT_OF_DIVISION_SCOPE');
    expect((await domainErrorOf(tekun.assess({ residentId, livesOnOwnLabour: false, legalSupporters: { status: 'none', detail: '' } }, otherTownship))).code).toBe(
      'OUT_OF_DIVISION_SCOPE',
    );
  });

  it('refuses a decision dated in the future', async () => {
    const { residentId } = await person('1940-02-01');
    const error = await domainErrorOf(tekun.enrol(enrolment(residentId, { decisionDate: '2023-04-01' }), approver, '2023-03-20'));
    expect(error.fields?.map((f) => f.field)).toEqual(['decisionDate']);
  });

  it('changes care from the next month: the payroll pays the old amount in the decision month and the new one after', async () => {
    const { residentId, memberId } = await person('1945-01-01');
    await tekun.enrol(enrolment(residentId, { decisionDate: '2023-01-10' }), approver, '2023-01-10');
    const changed = await tekun.changeCare(
      { personId: memberId, careMode: 'centralized', selfCareLevel: 'none', institutionName: '大祥区社会福利中心', reason: '失能，入住敬老院', decisionDate: '2023-05-08' },
      approver,
      '2023-05-08',
    );
    expect(changed.history.map((h) => [h.startPeriod, h.endPeriod, h.monthlyAmountFen])).toEqual([
      ['2023-02', '2023-05', 73300],
      ['2023-06', null, 55900 + 87018],
    ]);
    const [changedEvent] = await events<TekunChangedV1>(TekunEvents.changed, memberId);
    expect(changedEvent).toMatchObject({ personId: memberId, resident: { hash: cipher.lookupHash(residentId) }, careModeBefore: 'dispersed', careModeAfter: 'centralized', effectivePeriod: '2023-06' });
    await payroll.run('2023-05', 'tekun', approver);
    await payroll.run('2023-06', 'tekun', approver);
    const lines = await dataSource.query<{ period: string; amount_fen: string }[]>(
      `SELECT l.period, l.amount_fen FROM payment_line l JOIN tekun_person t ON t.id = l.source_id WHERE t.member_id = $1 ORDER BY l.period`,
      [memberId],
    );
    expect(lines.map((l) => [l.period, Number(l.amount_fen)])).toEqual([
      ['2023-05', 73300],
      ['2023-06', 142918],
    ]);
    const unchanged = await domainErrorOf(
      tekun.changeCare({ personId: memberId, careMode: 'centralized', selfCareLevel: 'none', institutionName: '大祥区社会福利中心', reason: 'again' }, approver, '2023-05-09'),
    );
    expect(unchanged.code).toBe('CONFLICT');
  });

  it('ends support on death: paid through the month of death, the funeral subsidy granted, no second enrolment', async () => {
    const { residentId, memberId } = await person('1930-01-01');
    await tekun.enrol(enrolment(residentId, { decisionDate: '2023-01-05' }), approver, '2023-01-05');
    const ended = await tekun.end({ personId: memberId, reason: 'death', detail: '死亡医学证明 No.123', dateOfDeath: '2023-08-17', decisionDate: '2023-09-02' }, approver, '2023-09-02');
    expect(ended).toMatchObject({ status: 'ended', endPeriod: '2023-08', endReason: 'death', funeralSubsidy: { amountFen: 300000, grantedOn: '2023-09-02' } });
    const [endedEvent] = await events<TekunEndedV1>(TekunEvents.ended, memberId);
    expect(endedEvent).toMatchObject({ resident: { hash: cipher.lookupHash(residentId) }, reason: 'death', effectivePeriod: '2023-09', careMode: 'dispersed' });
    const [funeral] = await events<TekunFuneralSubsidyGrantedV1>(TekunEvents.funeralSubsidyGranted, memberId);
    expect(funeral).toEqual({ personId: memberId, urbanRural: 'rural', amountFen: 300000, dateOfDeath: '2023-08-17', grantedOn: '2023-09-02' });
    expect((await domainErrorOf(tekun.enrol(enrolment(residentId, { decisionDate: '2023-09-03' }), approver, '2023-09-03'))).code).toBe('CONFLICT');
    expect((await domainErrorOf(tekun.end({ personId: memberId, reason: 'other', detail: 'again' }, approver, '2023-09-03'))).code).toBe('NOT_FOUND');
  });

  it('never pays a person who died before the first paid month', async () => {
    const { residentId, memberId } = await person('1931-01-01');
    await tekun.enrol(enrolment(residentId, { decisionDate: '2023-10-20' }), approver, '2023-10-20');
    const ended = await tekun.end({ personId: memberId, reason: 'death', detail: '证明', dateOfDeath: '2023-10-25' }, approver, '2023-10-26');
    expect([ended.startPeriod, ended.endPeriod]).toEqual(['2023-11', '2023-10']);
    const census = await tekun.census('2023-11', approver);
    const [paid] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM tekun_person WHERE member_id = $1 AND start_period <= '2023-11' AND end_period >= '2023-11'`, [memberId]);
    expect(paid?.n).toBe(0);
    expect(census.persons).toBe(census.centralized + census.dispersed);
  });

  it('refuses a date of death after the decision', async () => {
    const { residentId, memberId } = await person('1932-01-01');
    await tekun.enrol(enrolment(residentId, { decisionDate: '2023-01-05' }), approver, '2023-01-05');
    const error = await domainErrorOf(tekun.end({ personId: memberId, reason: 'death', detail: 'x', dateOfDeath: '2023-06-02', decisionDate: '2023-06-01' }, approver, '2023-06-03'));
    expect(error.fields?.map((f) => f.field)).toEqual(['dateOfDeath']);
  });

  it('records care insurance per person, once per policy', async () => {
    const { residentId, memberId } = await person('1933-01-01');
    await tekun.enrol(enrolment(residentId), approver, '2023-03-20');
    const insurance = { personId: memberId, insurer: '中国平安财产保险股份有限公司邵阳分公司', policyNumber: 'P-2023-001', startsOn: '2023-01-01', endsOn: '2023-12-31' };
    const view = await tekun.recordCareInsurance(insurance, clerk);
    expect(view.careInsurance).toEqual([{ insurer: insurance.insurer, policyNumber: 'P-2023-001', startsOn: '2023-01-01', endsOn: '2023-12-31' }]);
    expect((await domainErrorOf(tekun.recordCareInsurance(insurance, clerk))).code).toBe('CONFLICT');
  });

  it('shows a person their own record and nobody else’s', async () => {
    const own = await person('1934-01-01');
    const other = await person('1934-02-01');
    await tekun.enrol(enrolment(own.residentId), approver, '2023-03-20');
    await tekun.enrol(enrolment(other.residentId), approver, '2023-03-20');
    const citizen: Actor = { userId: 'c', kind: 'citizen', roles: ['citizen'], divisions: [], residentId: own.residentId };
    expect((await tekun.get(own.memberId, citizen)).personId).toBe(own.memberId);
    expect((await domainErrorOf(tekun.get(other.memberId, citizen))).code).toBe('NOT_FOUND');
  });

  it('counts the persons supported in a month by care mode and township', async () => {
    const census = await tekun.census('2023-04', approver);
    const [expected] = await dataSource.query<{ centralized: number; dispersed: number }[]>(
      `SELECT count(*) FILTER (WHERE care_mode = 'centralized')::int AS centralized, count(*) FILTER (WHERE care_mode = 'dispersed')::int AS dispersed
         FROM tekun_person WHERE start_period <= '2023-04' AND (end_period IS NULL OR end_period >= '2023-04')`,
    );
    expect(census.centralized).toBe(expected?.centralized);
    expect(census.dispersed).toBe(expected?.dispersed);
    expect(census.persons).toBeGreaterThan(3);
    expect(census.byTownship.map((t) => t.townshipCode)).toEqual(['430503101000']);
    expect((await tekun.census('2023-04', otherTownship)).persons).toBe(0);
  });
});
