import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildResidentId } from '@civil/domain-kernel';
import { DibaoEvents, TekunEvents, type Actor } from '@civil/contracts';
import { Outbox, PersonalDataCipher } from '@civil/platform';
import { createTestDatabase, domainErrorOf } from '@civil/testing';
import { CalendarService } from '../calendar/calendar.service';
import { serviceDataSource } from '../data-source';
import { DibaoApplicationsService } from '../dibao/dibao-applications.service';
import { PayrollService } from '../payroll/payroll.service';
import { TekunService } from '../tekun/tekun.service';
import { TableSource, importVerificationCsv } from '../verification/table-source.adapter';
import { VerificationService } from '../verification/verification.service';
import { HouseholdsService } from './households.service';

/**
 * Issue 8: a dump of the service's database alone does not expose resident IDs. Data is written
 * through the services (households, a 低保 application through approval, a 特困 enrolment, a
 * verification from an imported extract, both payrolls and their bank files), then every row of
 * every table is dumped and searched for the numbers. Lookups by number keep working on the hash.
 */
describe('resident IDs at rest (PostgreSQL)', () => {
  const cipher = PersonalDataCipher.fromEnvironment({});
  const clerk: Actor = { userId: 'clerk', kind: 'staff', roles: ['clerk'], divisions: ['430503101000'] };
  const reviewer: Actor = { userId: 'reviewer', kind: 'staff', roles: ['township-reviewer'], divisions: ['430503101000'] };
  const approver: Actor = { userId: 'approver', kind: 'staff', roles: ['district-approver'], divisions: ['430503000000'] };
  const finance: Actor = { userId: 'finance', kind: 'staff', roles: ['finance-officer'], divisions: ['430503000000'] };

  const head = buildResidentId('430503', '1970-01-01', 501);
  const spouse = buildResidentId('430503', '1972-05-05', 502);
  const elder = buildResidentId('430503', '1950-06-01', 503);
  const stranger = buildResidentId('430503', '1980-02-02', 504);
  const everyId = [head, spouse, elder, stranger].map((id) => id.value);
  const headCitizen: Actor = { userId: 'citizen-head', kind: 'citizen', roles: ['citizen'], divisions: [], residentId: head.value };

  let dataSource: DataSource;
  let dir: string;
  let households: HouseholdsService;
  let applications: DibaoApplicationsService;
  let payroll: PayrollService;
  let tekun: TekunService;
  let householdId: string;
  let elderId: string;
  const bankFiles: string[] = [];
  let verificationReportId: string;

  beforeAll(async () => {
    dataSource = new DataSource(serviceDataSource(await createTestDatabase('resident_ids_at_rest'), 4));
    await dataSource.initialize();
    await dataSource.runMigrations();
    dir = await mkdtemp(join(tmpdir(), 'at-rest-'));
    const outbox = new Outbox('social-assistance', dataSource);
    const calendars = new CalendarService(dataSource);
    await calendars.onModuleInit();
    households = new HouseholdsService(outbox, dataSource, cipher);
    applications = new DibaoApplicationsService(outbox, calendars, dataSource, cipher);
    payroll = new PayrollService(outbox, dataSource, cipher);
    tekun = new TekunService(outbox, dataSource, cipher);

    // A household of two, registered by the clerk; the head applies for 低保 as a citizen.
    const household = await households.register(
      {
        divisionCode: '430503101001',
        urbanRural: 'rural',
        address: '罗市镇 东风村1组',
        members: [
          { name: '张三', residentId: head.value, relationship: 'head' },
          { name: '李四', residentId: spouse.value, relationship: 'spouse' },
        ],
      },
      clerk,
    );
    householdId = household.id;
    const app = await applications.submit(householdId, headCitizen, '2023-12-01');
    await applications.act(app.id, 'accept', {}, clerk, '2023-12-01');
    await applications.act(app.id, 'record-verification', { reportId: 'v-1' }, clerk, '2023-12-01');
    await applications.act(app.id, 'record-survey', { investigators: ['甲', '乙'], findings: '入户核实' }, reviewer, '2023-12-01');
    await applications.act(app.id, 'record-democratic-review', { attendees: 9, outcome: 'agree', notes: '同意' }, reviewer, '2023-12-08');
    await applications.act(app.id, 'township-audit', { passed: true, opinion: '符合条件' }, reviewer, '2023-12-08');
    const approved = await applications.act(app.id, 'approve', { monthlyAmountFen: 52000, coveredPersons: 2 }, approver, '2023-12-15');
    expect(approved.benefitStartPeriod).toBe('2024-01');

    // An older person alone, enrolled in 特困 support: found by resident ID (the hash) in the registry.
    const alone = await households.register({ divisionCode: '430503101001', urbanRural: 'rural', address: '罗市镇 东风村2组', members: [{ name: '王五', residentId: elder.value, relationship: 'head' }] }, clerk);
    elderId = alone.members[0]?.id ?? '';
    const enrolled = await tekun.enrol(
      { residentId: elder.value, livesOnOwnLabour: false, legalSupporters: { status: 'none', detail: '' }, careMode: 'dispersed', selfCareLevel: 'full', decisionDate: '2023-03-15' },
      approver,
      '2023-03-20',
    );
    expect(enrolled.personId).toBe(elderId);

    // A verification answered from an imported extract (about the head, and about someone else).
    const extract = join(dir, 'fund.csv');
    await writeFile(
      extract,
      `source_id,resident_id,category,kind,monthly_amount_fen,value_fen,description,as_of\nfund,${head.value},income,wages,180000,,工资,2023-11-30\nfund,${stranger.value},income,wages,99,,另一户,2023-11-30\n`,
    );
    await importVerificationCsv(dataSource, cipher, extract);
    const verification = new VerificationService(dataSource, [new TableSource(dataSource, cipher, 'fund', '公积金')], { deadlineMs: 2000 }, cipher);
    const report = await verification.verify(householdId, clerk);
    verificationReportId = report.id;
    expect(report.members.map((m) => m.incomes.map((i) => i.monthlyAmountFen))).toEqual([[180000], []]);

    // Both payrolls, and their bank files (which carry the full numbers).
    await payroll.run('2024-01', 'dibao', approver);
    await payroll.run('2023-04', 'tekun', approver);
    bankFiles.push(await payroll.exportCsvText('2024-01', 'dibao', finance), await payroll.exportCsvText('2023-04', 'tekun', finance));
  }, 120_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await dataSource.destroy();
  });

  it('a dump of every table holds neither a resident ID nor its last 12 characters', async () => {
    const tables = await dataSource.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    // The outbox too: events carry resident IDs sealed (hash and ciphertext), never the number.
    const dumped = tables.map((t) => t.table_name);
    expect(dumped).toEqual(expect.arrayContaining(['household_member', 'dibao_application', 'tekun_person', 'verification_import_fact', 'verification_request', 'payment_line', 'outbox']));
    const [events] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM outbox WHERE type = ANY($1::text[])`, [[DibaoEvents.householdStarted, TekunEvents.enrolled]]);
    expect(events?.n).toBeGreaterThanOrEqual(2);
    let dump = '';
    for (const table of dumped) {
      const rows = await dataSource.query<{ row: string }[]>(`SELECT row_to_json(t)::text AS row FROM "${table}" t`);
      dump += rows.map((r) => r.row).join('\n');
    }
    // The data was written: the members, the application, the 特困 person, the facts are there.
    for (const hash of everyId.map((id) => cipher.lookupHash(id))) expect(dump).toContain(hash);
    for (const id of everyId) {
      expect(dump).not.toContain(id);
      expect(dump).not.toContain(id.slice(6));
    }
  });

  it('stores a hash and a ciphertext per column, the ciphertext decrypts only with the key', async () => {
    const [member] = await dataSource.query<{ resident_id_hash: string; resident_id_enc: string }[]>(
      `SELECT resident_id_hash, resident_id_enc FROM household_member WHERE household_id = $1 AND relationship = 'head'`,
      [householdId],
    );
    expect(member?.resident_id_hash).toBe(cipher.lookupHash(head.value));
    expect(member?.resident_id_enc).toMatch(/^v1\./);
    expect(cipher.decrypt(member?.resident_id_enc ?? '')).toBe(head.value);
    const otherKey = new PersonalDataCipher(randomBytes(32).toString('base64'));
    expect(() => otherKey.decrypt(member?.resident_id_enc ?? '')).toThrow();
    expect(otherKey.lookupHash(head.value)).not.toBe(member?.resident_id_hash);

    const [application] = await dataSource.query<{ applicant_resident_id_hash: string; applicant_resident_id_enc: string }[]>(
      `SELECT applicant_resident_id_hash, applicant_resident_id_enc FROM dibao_application WHERE household_id = $1`,
      [householdId],
    );
    expect(application?.applicant_resident_id_hash).toBe(cipher.lookupHash(head.value));
    expect(cipher.decrypt(application?.applicant_resident_id_enc ?? '')).toBe(head.value);
    const [person] = await dataSource.query<{ resident_id_hash: string; resident_id_enc: string }[]>(`SELECT resident_id_hash, resident_id_enc FROM tekun_person WHERE member_id = $1`, [elderId]);
    expect(person?.resident_id_hash).toBe(cipher.lookupHash(elder.value));
    expect(cipher.decrypt(person?.resident_id_enc ?? '')).toBe(elder.value);
    const facts = await dataSource.query<{ resident_id_hash: string; resident_id_enc: string }[]>(`SELECT resident_id_hash, resident_id_enc FROM verification_import_fact ORDER BY id`);
    expect(facts.map((f) => [f.resident_id_hash, cipher.decrypt(f.resident_id_enc)])).toEqual([
      [cipher.lookupHash(head.value), head.value],
      [cipher.lookupHash(stranger.value), stranger.value],
    ]);
  });

  it('lookups by resident ID still work: a second registration is refused, members are recognised, 特困 is unique per person', async () => {
    const again = await domainErrorOf(
      households.register({ divisionCode: '430503101001', urbanRural: 'rural', address: '罗市镇 别处', members: [{ name: '张三', residentId: head.value.toLowerCase(), relationship: 'head' }] }, clerk),
      'CONFLICT',
    );
    expect(again.message).toMatch(/already belongs/);
    // The household's own member sees it (masked); someone else is told it does not exist.
    const seen = await households.get(householdId, { ...headCitizen, residentId: spouse.value });
    expect(seen.members.map((m) => m.residentId)).toEqual([head.masked(), spouse.masked()]);
    await domainErrorOf(households.get(householdId, { ...headCitizen, residentId: stranger.value }), 'NOT_FOUND');
    // Revealed in full only with personal-data:reveal, decrypted.
    const revealed = await households.get(householdId, { ...clerk, permissions: ['personal-data:reveal'] });
    expect(revealed.members.map((m) => [m.residentId, m.birthDate, m.sex])).toEqual([
      [head.value, head.birthDate, head.sex],
      [spouse.value, spouse.birthDate, spouse.sex],
    ]);
    const enrolAgain = await domainErrorOf(
      tekun.enrol({ residentId: elder.value, livesOnOwnLabour: false, legalSupporters: { status: 'none', detail: '' }, careMode: 'dispersed', selfCareLevel: 'full', decisionDate: '2023-03-15' }, approver, '2023-03-20'),
      'CONFLICT',
    );
    expect(enrolAgain.message).toContain(elder.masked());
    await domainErrorOf(tekun.assess({ residentId: stranger.value, livesOnOwnLabour: false, legalSupporters: { status: 'none', detail: '' } }, approver), 'NOT_FOUND');
  });

  it('the stored verification report is masked; the bank files carry the full numbers, decrypted', async () => {
    const [stored] = await dataSource.query<{ report: { members: { residentId: string }[] } }[]>(`SELECT report FROM verification_request WHERE id = $1`, [verificationReportId]);
    expect(stored?.report.members.map((m) => m.residentId)).toEqual([head.masked(), spouse.masked()]);
    const [dibaoFile, tekunFile] = bankFiles;
    expect(dibaoFile).toContain(`,张三,${head.value},`);
    expect(tekunFile).toContain(`,王五,${elder.value},`);
  });
});
