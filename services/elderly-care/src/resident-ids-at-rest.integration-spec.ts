import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { buildResidentId } from '@civil/domain-kernel';
import { DibaoEvents, TekunEvents, createEvent, type Actor, type DibaoHouseholdStartedV1, type TekunEnrolledV1 } from '@civil/contracts';
import { Outbox, PersonalDataCipher, sealResidentId, serviceDataSourceOptions } from '@civil/platform';
import { createTestDatabase, domainErrorOf } from '@civil/testing';
import { AgeAllowancePayrollService } from './age-allowance/age-allowance-payroll.service';
import { AgeAllowanceSweepService } from './age-allowance/age-allowance-sweep.service';
import { OlderResidentsService } from './age-allowance/older-residents.service';
import { maskResidentIdForCity } from './city-feed/city-feed.domain';
import { CityFeedService } from './city-feed/city-feed.service';
import { SERVICE_NAME, serviceDataSource } from './data-source';
import { applyAssistanceStatusEvent } from './home-adaptation/assistance-status.consumer';
import { HomeAdaptationService } from './home-adaptation/home-adaptation.service';
import { InstitutionsService } from './institutions/institutions.service';
import { AgeAllowanceRates1764000004000 } from './migrations/1764000004000-age-allowance-rates';
import { Institutions1764000030000 } from './migrations/1764000030000-institutions';
import { AgeAllowances1764000031000 } from './migrations/1764000031000-age-allowances';
import { HomeAdaptation1764000032000 } from './migrations/1764000032000-home-adaptation';
import { CityFeed1764000033000 } from './migrations/1764000033000-city-feed';
import { ResidentIdsAtRest1764000062000 } from './migrations/1764000062000-resident-ids-at-rest';

const cipher = PersonalDataCipher.fromEnvironment(process.env);
const officer: Actor = { userId: 'ec-1', kind: 'staff', roles: ['elderly-care-officer'], divisions: ['430503'] };
const revealing: Actor = { ...officer, permissions: ['personal-data:reveal'] };

/** Every row of every table of the schema, as JSON text: what a dump of the database holds. */
async function dumpSchema(dataSource: DataSource): Promise<{ tables: string[]; textColumns: number; dump: string }> {
  const tables = (
    await dataSource.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
    )
  ).map((t) => t.table_name);
  const [columns] = await dataSource.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM information_schema.columns
      WHERE table_schema = current_schema() AND (data_type IN ('text', 'jsonb', 'json', 'character', 'character varying') OR udt_name IN ('_text', '_varchar'))`,
  );
  const parts: string[] = [];
  for (const table of tables) {
    const rows = await dataSource.query<{ row: string }[]>(`SELECT row_to_json(t)::text AS row FROM ${table} t`);
    parts.push(`-- ${table}`, ...rows.map((r) => r.row));
  }
  return { tables, textColumns: columns?.n ?? 0, dump: parts.join('\n') };
}

/** Neither the number nor its last twelve characters (birth date, sequence, check) in the dump, in any case. */
function expectAbsent(dump: string, residentIds: readonly string[]): void {
  const haystack = dump.toUpperCase();
  for (const id of residentIds) {
    expect({ id, found: haystack.includes(id.toUpperCase()) }).toEqual({ id, found: false });
    expect({ id, tail: haystack.includes(id.slice(6).toUpperCase()) }).toEqual({ id, tail: false });
  }
}

/**
 * Issue 8: resident IDs at rest. Data written through the service — older residents with a sweep
 * and payrolls, a care stay, 低保/特困 status from events, home adaptations (one with a 残疾人证
 * number) and the city feed — then a dump of every table holds none of the numbers, lookups by
 * number still work, and a ciphertext only opens with the key.
 */
describe('resident IDs at rest (PostgreSQL)', () => {
  let dataSource: DataSource;
  let outbox: Outbox;
  let residents: OlderResidentsService;
  let institutions: InstitutionsService;
  let adaptations: HomeAdaptationService;
  let feed: CityFeedService;
  const TODAY = '2024-12-31';
  const VILLAGE = '430503101201';
  let sequence = 100;
  const used: string[] = [];
  const person = (birthDate: string): string => {
    const id = buildResidentId('430503', birthDate, sequence++).value;
    used.push(id);
    return id;
  };

  const nonagenarian = person('1930-03-15');
  const centenarian = person('1922-02-10');
  const inCare = person('1938-08-08');
  const dibaoOlder = person('1935-05-05');
  const dibaoYounger = person('1968-06-16');
  const tekunDispersed = person('1936-09-19');
  const formerlyPoor = person('1939-12-12');
  const householdId = uuidv7();
  const dibaoCaseId = uuidv7();
  let institutionId: string;
  let stayId: string;
  let dibaoAdaptation: string;
  let nonagenarianId: string;

  beforeAll(async () => {
    dataSource = new DataSource(serviceDataSource(await createTestDatabase('resident_ids_at_rest'), 6));
    await dataSource.initialize();
    await dataSource.runMigrations();
    outbox = new Outbox(SERVICE_NAME, dataSource);
    residents = new OlderResidentsService(dataSource, cipher);
    institutions = new InstitutionsService(outbox, dataSource, cipher);
    adaptations = new HomeAdaptationService(outbox, dataSource, cipher);
    feed = new CityFeedService(dataSource, { url: undefined, token: undefined, batchSize: 10, intervalMs: 1000, maxAttempts: 3, backoffMs: 10, maxBackoffMs: 100, timeoutMs: 1000 }, cipher);

    // Age allowances: the register, June's sweep and both payrolls (the centenarian's high-age enrolment ended at 100).
    nonagenarianId = (await residents.register({ residentId: nonagenarian, name: '高龄甲', divisionCode: '430503101000', residenceBasis: 'hukou' }, officer, '2023-05-20')).id;
    await residents.register({ residentId: centenarian, name: '长寿乙', divisionCode: '430503101000', residenceBasis: 'hukou' }, officer, '2023-05-20');
    await new AgeAllowanceSweepService(outbox).sweep({ period: '2023-06' }, officer, '2023-06-01');
    const payrolls = new AgeAllowancePayrollService(outbox, dataSource);
    for (const band of ['high-age', 'longevity'] as const) await payrolls.runPayroll({ period: '2023-06', band }, officer, '2023-06-01');

    // A care stay.
    institutionId = (
      await institutions.register(
        { name: '雨溪敬老院', ownership: 'public', divisionCode: '430503010000', address: '雨溪街道福寿路1号', openedOn: '2020-01-01', beds: { 'self-care': 10, 'semi-dependent': 5, dependent: 2 } },
        officer,
        TODAY,
      )
    ).id;
    stayId = (await institutions.admit({ institutionId, residentId: inCare, residentName: '李奶奶', admittedOn: '2024-01-10', bedType: 'self-care', funding: 'tekun-centralized' }, officer, TODAY)).id;

    // 低保 and 特困 status as social assistance's events tell it.
    await dataSource.transaction(async (manager) => {
      const started: DibaoHouseholdStartedV1 = {
        householdId,
        caseId: dibaoCaseId,
        urbanRural: 'rural',
        persons: 2,
        monthlyAmountFen: 60_000,
        effectivePeriod: '2022-06',
        members: [sealResidentId(cipher, dibaoOlder), sealResidentId(cipher, dibaoYounger)],
      };
      await applyAssistanceStatusEvent(
        createEvent({ source: '/civil/social-assistance', type: DibaoEvents.householdStarted, subject: `household/${householdId}`, divisioncode: VILLAGE, actor: 'approver', data: started }),
        manager,
        cipher,
      );
      const personId = uuidv7();
      const enrolled: TekunEnrolledV1 = {
        personId,
        resident: sealResidentId(cipher, tekunDispersed),
        urbanRural: 'rural',
        careMode: 'dispersed',
        selfCareLevel: 'full',
        monthlyAmountFen: 98_000,
        effectivePeriod: '2021-03',
        origin: 'import',
      };
      await applyAssistanceStatusEvent(
        createEvent({ source: '/civil/social-assistance', type: TekunEvents.enrolled, subject: `tekun-person/${personId}`, divisioncode: VILLAGE, actor: 'approver', data: enrolled }),
        manager,
        cipher,
      );
    });

    // Home adaptations: a 低保 household (taken to payment, so the city feed has it), a 特困 person
    // with a 残疾人证, a declared 脱贫 household.
    const application = { name: '王奶奶', divisionCode: VILLAGE, address: '大祥区某村 3 组 12 号', appliedOn: '2023-04-10' };
    dibaoAdaptation = (await adaptations.apply({ ...application, residentId: dibaoOlder }, officer, TODAY)).id;
    const id = dibaoAdaptation;
    await adaptations.assess({ id, assessedOn: '2023-04-12', needs: ['卫生间无扶手'], assessor: '评估员甲' }, officer, TODAY);
    await adaptations.plan({ id, approvedOn: '2023-04-14', items: [{ name: '安装扶手', category: 'basic', amountFen: 350_000 }] }, officer, TODAY);
    await adaptations.recordWorks({ id, contractor: '某装饰公司', startedOn: '2023-04-17', completedOn: '2023-04-20' }, officer, TODAY);
    await adaptations.accept({ id, inspectedOn: '2023-04-24', result: 'passed', inspector: '验收员乙' }, officer, TODAY);
    await adaptations.pay({ id, paidOn: '2023-05-04', voucher: 'PZ-001' }, officer, TODAY);
    await adaptations.apply({ ...application, residentId: tekunDispersed, disabilityCertificateNumber: `${tekunDispersed}42` }, officer, TODAY);
    await adaptations.apply({ ...application, residentId: formerlyPoor, formerlyPoor: { evidence: '脱贫户档案 DX-2020-017' } }, officer, TODAY);
  }, 120_000);

  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('leaves no resident ID, nor its last twelve characters, anywhere in a dump of the schema', async () => {
    const { tables, textColumns, dump } = await dumpSchema(dataSource);
    expect(tables).toEqual(
      expect.arrayContaining([
        'older_resident',
        'age_allowance_enrolment',
        'age_allowance_payment',
        'care_admission',
        'home_adaptation_case',
        'assistance_tekun_view',
        'assistance_dibao_member_view',
        'city_feed_entry',
        'outbox',
      ]),
    );
    expect(textColumns).toBeGreaterThan(50);
    // Everything was written (the dump is not empty by accident) …
    const [written] = await dataSource.query<Record<string, number>[]>(
      `SELECT (SELECT count(*) FROM older_resident)::int AS residents, (SELECT count(*) FROM age_allowance_enrolment)::int AS enrolments,
              (SELECT count(*) FROM age_allowance_payment)::int AS payments, (SELECT count(*) FROM care_admission)::int AS stays,
              (SELECT count(*) FROM home_adaptation_case)::int AS cases, (SELECT count(*) FROM assistance_tekun_view)::int AS tekun,
              (SELECT count(*) FROM assistance_dibao_member_view)::int AS members, (SELECT count(*) FROM city_feed_entry)::int AS feed`,
    );
    expect(written).toEqual({ residents: 2, enrolments: 3, payments: 2, stays: 1, cases: 3, tekun: 1, members: 2, feed: 3 });
    // … and kept by hash, which is in the dump …
    for (const id of used) expect(dump).toContain(cipher.lookupHash(id));
    // … but never the number.
    expectAbsent(dump, used);
    expectAbsent(dump, [`${tekunDispersed}42`]);
  });

  it('keeps the birth dates SQL needs beside the hashes, and ciphertexts that decrypt to the numbers', async () => {
    const members = await dataSource.query<{ resident_id_hash: string; resident_id_enc: string; birth_date: string }[]>(
      `SELECT resident_id_hash, resident_id_enc, to_char(birth_date, 'YYYY-MM-DD') AS birth_date FROM assistance_dibao_member_view ORDER BY birth_date`,
    );
    expect(members.map((m) => [m.resident_id_hash, cipher.decrypt(m.resident_id_enc), m.birth_date])).toEqual([
      [cipher.lookupHash(dibaoOlder), dibaoOlder, '1935-05-05'],
      [cipher.lookupHash(dibaoYounger), dibaoYounger, '1968-06-16'],
    ]);
    const [tekun] = await dataSource.query<{ resident_id_enc: string; birth_date: string }[]>(`SELECT resident_id_enc, to_char(birth_date, 'YYYY-MM-DD') AS birth_date FROM assistance_tekun_view`);
    expect(tekun && [cipher.decrypt(tekun.resident_id_enc), tekun.birth_date]).toEqual([tekunDispersed, '1936-09-19']);
    const [certificate] = await dataSource.query<{ enc: string; household_key: string }[]>(
      `SELECT disability_certificate_enc AS enc, household_key FROM home_adaptation_case WHERE resident_id_hash = $1`,
      [cipher.lookupHash(tekunDispersed)],
    );
    expect(certificate && cipher.decrypt(certificate.enc)).toBe(`${tekunDispersed}42`);
    expect(certificate?.household_key).toBe(`resident/${cipher.lookupHash(tekunDispersed)}`);
  });

  it('still finds people by resident ID: a second registration, an overlapping stay and a second adaptation are refused', async () => {
    await domainErrorOf(residents.register({ residentId: nonagenarian, name: '高龄甲', divisionCode: '430503101000', residenceBasis: 'hukou' }, officer, '2023-07-01'), 'CONFLICT');
    const lower = nonagenarian.replace('X', 'x');
    if (lower !== nonagenarian) await domainErrorOf(residents.register({ residentId: lower, name: '高龄甲', divisionCode: '430503101000', residenceBasis: 'hukou' }, officer, '2023-07-01'), 'CONFLICT');
    const twice = await domainErrorOf(
      institutions.admit({ institutionId, residentId: inCare, residentName: '李奶奶', admittedOn: '2024-05-01', bedType: 'self-care', funding: 'self-paying' }, officer, TODAY),
      'CONFLICT',
    );
    expect(twice.fields?.map((f) => f.rule)).toEqual(['one-stay-at-a-time']);
    await domainErrorOf(adaptations.apply({ name: '王奶奶', divisionCode: VILLAGE, address: 'x', appliedOn: '2023-06-01', residentId: formerlyPoor, formerlyPoor: { evidence: '档案' } }, officer, TODAY), 'CONFLICT');
    // The 低保 and 特困 status were found by hash when the applications were checked.
    const cases = await dataSource.query<{ household_bases: string[]; household_key: string }[]>(
      `SELECT household_bases, household_key FROM home_adaptation_case ORDER BY created_at, id`,
    );
    expect(cases.map((c) => c.household_bases)).toEqual([['dibao'], ['dispersed-tekun'], ['formerly-poor']]);
    expect(cases[0]?.household_key).toBe(`dibao-household/${householdId}`);
    // A second application for the 低保 household (found by the member's hash) in the same year.
    const sameHousehold = await domainErrorOf(adaptations.apply({ name: '王奶奶', divisionCode: VILLAGE, address: 'x', appliedOn: '2023-07-03', residentId: dibaoOlder }, officer, TODAY), 'CONFLICT');
    expect(sameHousehold.message).toContain('already has a home adaptation in 2023');
  });

  it('shows the number masked, in full to a caller allowed to reveal it, and masked for the city', async () => {
    const masked = (id: string): string => `${id.slice(0, 6)}********${id.slice(14)}`;
    expect((await residents.get(nonagenarianId, officer)).residentId).toBe(masked(nonagenarian));
    expect((await residents.get(nonagenarianId, revealing)).residentId).toBe(nonagenarian);
    expect((await adaptations.get({ id: dibaoAdaptation }, revealing)).residentId).toBe(dibaoOlder);
    const stays = await institutions.listAdmissions({ institutionId }, officer);
    expect(stays.items.map((s) => [s.id, s.residentId])).toEqual([[stayId, masked(inCare)]]);
    const page = await feed.page({ limit: 50 }, officer);
    const people = page.items.flatMap((i) => (i.record.kind === 'institution' ? [] : [i.record.residentIdMasked]));
    expect(people.sort()).toEqual([maskResidentIdForCity(inCare), maskResidentIdForCity(dibaoOlder)].sort());
  });

  it('a ciphertext decrypts only with the key; the hash depends on the key too', async () => {
    const [row] = await dataSource.query<{ resident_id_enc: string; resident_id_hash: string }[]>(`SELECT resident_id_enc, resident_id_hash FROM older_resident WHERE id = $1`, [nonagenarianId]);
    if (!row) throw new Error('no row');
    expect(row.resident_id_enc).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(cipher.decrypt(row.resident_id_enc)).toBe(nonagenarian);
    const otherKey = new PersonalDataCipher(randomBytes(32).toString('base64'));
    expect(() => otherKey.decrypt(row.resident_id_enc)).toThrow();
    expect(otherKey.lookupHash(nonagenarian)).not.toBe(row.resident_id_hash);
    const tampered = `${row.resident_id_enc.slice(0, -2)}${row.resident_id_enc.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(() => cipher.decrypt(tampered)).toThrow();
    // The same number encrypts differently each time: equal ciphertexts reveal nothing.
    expect(cipher.encrypt(nonagenarian)).not.toBe(cipher.encrypt(nonagenarian));
  });
});

/** The migration's backfill: plaintext rows written at the previous schema, then 1764000062000. */
describe('migration 1764000062000: resident IDs at rest, backfilled (PostgreSQL)', () => {
  let dataSource: DataSource;
  const MEMBERS = 2_600; // more than one batch of distinct numbers
  const id = (birthDate: string, sequence: number): string => buildResidentId('430503', birthDate, sequence).value;
  const older = id('1931-04-30', 11);
  const stay = id('1940-02-29', 12);
  const applicant = id('1938-10-01', 13);
  const certified = id('1937-01-31', 14);
  const tekun = id('1929-11-11', 15);
  const person = uuidv7();
  const enrolment = uuidv7();
  const institution = uuidv7();
  const dibaoCase = uuidv7();
  const memberIds = Array.from({ length: MEMBERS }, (_, i) => id(`19${30 + (i % 60)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`, 1 + (i % 999)));
  const distinctMembers = [...new Set(memberIds)];

  beforeAll(async () => {
    const url = await createTestDatabase('resident_ids_backfill');
    const previous = new DataSource(
      serviceDataSourceOptions({
        url,
        entities: [],
        migrations: [AgeAllowanceRates1764000004000, AgeAllowances1764000031000, HomeAdaptation1764000032000, Institutions1764000030000, CityFeed1764000033000],
        applicationName: 'resident-ids-backfill',
      }),
    );
    await previous.initialize();
    await previous.runMigrations();
    await previous.transaction(async (m) => {
      await m.query(
        `INSERT INTO older_resident (id, resident_id, name, division_code, residence_basis, birth_date, high_age_from, longevity_from, next_change, registered_by)
         VALUES ($1, $2, '甲', '430503101000', 'hukou', '1931-04-30', '2021-05', '2031-05', '2031-05', 'test')`,
        [person, older],
      );
      await m.query(`INSERT INTO age_allowance_enrolment (id, person_id, band, resident_id, division_code, first_period) VALUES ($1, $2, 'high-age', $3, '430503101000', '2021-05')`, [
        enrolment,
        person,
        older,
      ]);
      await m.query(
        `INSERT INTO age_allowance_payment (period, band, resident_id, enrolment_id, division_code, amount_fen)
         SELECT to_char(date '2023-01-01' + make_interval(months => k), 'YYYY-MM'), 'high-age', $1, $2, '430503101000', 10000 FROM generate_series(0, 11) AS k`,
        [older, enrolment],
      );
      await m.query(
        `INSERT INTO care_institution (id, name, ownership, division_code, address, opened_on, registered_by) VALUES ($1, '敬老院', 'public', '430503010000', '某路', '2020-01-01', 'test')`,
        [institution],
      );
      await m.query(
        `INSERT INTO care_admission (id, institution_id, resident_id, resident_name, birth_date, bed_type, funding, admitted_on, discharged_on, discharge_reason, admitted_by)
         VALUES ($1, $2, $3, '乙', '1940-02-29', 'self-care', 'other', '2024-01-10', NULL, NULL, 'test'), ($4, $2, $3, '乙', '1940-02-29', 'self-care', 'other', '2023-01-10', '2023-06-01', 'home', 'test')`,
        [uuidv7(), institution, stay, uuidv7()],
      );
      const adaptation = `INSERT INTO home_adaptation_case (id, resident_id, name, division_code, township_code, address, household_key, year, status, household_bases, person_bases, findings,
                                                           disability_certificate, applied_on, created_by)
                          VALUES ($1, $2, '丙', '430503101201', '430503101000', '某村', $3, 2023, 'applied', '{}', '{}', '[]', $4, '2023-03-01', 'test')`;
      await m.query(adaptation, [uuidv7(), applicant, `resident/${applicant}`, null]);
      await m.query(adaptation, [uuidv7(), certified, `dibao-household/${uuidv7()}`, `${certified}41`]);
      await m.query(`INSERT INTO assistance_tekun_view (person_id, resident_id, division_code, care_mode, first_period) VALUES ($1, $2, '430503202010', 'dispersed', '2021-03'), ($3, NULL, '430503202010', 'dispersed', '2021-03')`, [
        uuidv7(),
        tekun,
        uuidv7(),
      ]);
      await m.query(`INSERT INTO assistance_dibao_case_view (case_id, household_id, division_code, first_period) VALUES ($1, $2, '430503101201', '2022-06')`, [dibaoCase, uuidv7()]);
      await m.query(`INSERT INTO assistance_dibao_member_view (case_id, resident_id) SELECT $1, unnest($2::text[])`, [dibaoCase, distinctMembers]);
    });
    await previous.destroy();
    dataSource = new DataSource(serviceDataSource(url, 2));
    await dataSource.initialize();
    expect((await dataSource.runMigrations()).map((m) => m.name)).toEqual(['ResidentIdsAtRest1764000062000']);
  }, 120_000);

  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('drops every plaintext column', async () => {
    const columns = await dataSource.query<{ column: string }[]>(
      `SELECT table_name || '.' || column_name AS column FROM information_schema.columns
        WHERE table_schema = current_schema() AND column_name IN ('resident_id', 'disability_certificate') ORDER BY 1`,
    );
    expect(columns).toEqual([]);
    const { dump } = await dumpSchema(dataSource);
    expectAbsent(dump, [older, stay, applicant, certified, tekun, ...distinctMembers.slice(0, 200)]);
  });

  it('backfills hash and ciphertext that decrypt to the originals, with the right birth dates', async () => {
    const check = async (table: string, where = 'true'): Promise<string[]> => {
      const rows = await dataSource.query<{ resident_id_hash: string; resident_id_enc: string }[]>(`SELECT resident_id_hash, resident_id_enc FROM ${table} WHERE ${where}`);
      return rows.map((r) => {
        const plain = cipher.decrypt(r.resident_id_enc);
        expect(r.resident_id_hash).toBe(cipher.lookupHash(plain));
        return plain;
      });
    };
    expect(await check('older_resident')).toEqual([older]);
    expect(await check('age_allowance_enrolment')).toEqual([older]);
    expect(new Set(await check('age_allowance_payment'))).toEqual(new Set([older]));
    expect(await check('care_admission')).toEqual([stay, stay]);
    expect((await check('home_adaptation_case')).sort()).toEqual([applicant, certified].sort());
    expect(await check('assistance_tekun_view', 'resident_id_hash IS NOT NULL')).toEqual([tekun]);
    expect((await check('assistance_dibao_member_view')).sort()).toEqual([...distinctMembers].sort());

    const [unknown] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM assistance_tekun_view WHERE resident_id_hash IS NULL AND resident_id_enc IS NULL AND birth_date IS NULL`);
    expect(unknown?.n).toBe(1);
    const [tekunRow] = await dataSource.query<{ birth_date: string }[]>(`SELECT to_char(birth_date, 'YYYY-MM-DD') AS birth_date FROM assistance_tekun_view WHERE resident_id_hash IS NOT NULL`);
    expect(tekunRow?.birth_date).toBe('1929-11-11');
    const members = await dataSource.query<{ resident_id_enc: string; birth_date: string }[]>(`SELECT resident_id_enc, to_char(birth_date, 'YYYY-MM-DD') AS birth_date FROM assistance_dibao_member_view`);
    for (const m of members) {
      const plain = cipher.decrypt(m.resident_id_enc);
      expect(m.birth_date).toBe(`${plain.slice(6, 10)}-${plain.slice(10, 12)}-${plain.slice(12, 14)}`);
    }

    const cases = await dataSource.query<{ hash: string; household_key: string; certificate: string | null }[]>(
      `SELECT resident_id_hash AS hash, household_key, disability_certificate_enc AS certificate FROM home_adaptation_case ORDER BY applied_on, id`,
    );
    const byHash = new Map(cases.map((c) => [c.hash, c]));
    expect(byHash.get(cipher.lookupHash(applicant))).toMatchObject({ household_key: `resident/${cipher.lookupHash(applicant)}`, certificate: null });
    const certifiedCase = byHash.get(cipher.lookupHash(certified));
    expect(certifiedCase?.household_key).toMatch(/^dibao-household\//);
    expect(certifiedCase?.certificate && cipher.decrypt(certifiedCase.certificate)).toBe(`${certified}41`);
  });

  it('recreates the keys and unique indexes on the hashes', async () => {
    const hash = cipher.lookupHash(older);
    await expect(
      dataSource.query(
        `INSERT INTO older_resident (id, resident_id_hash, resident_id_enc, name, division_code, residence_basis, birth_date, high_age_from, longevity_from, registered_by)
         VALUES ($1, $2, 'v1.x', '甲', '430503101000', 'hukou', '1931-04-30', '2021-05', '2031-05', 'test')`,
        [uuidv7(), hash],
      ),
    ).rejects.toMatchObject({ code: '23505' });
    await expect(
      dataSource.query(`INSERT INTO age_allowance_payment (period, band, resident_id_hash, resident_id_enc, enrolment_id, division_code, amount_fen) VALUES ('2023-05', 'longevity', $1, 'v1.x', $2, '430503101000', 1)`, [
        hash,
        enrolment,
      ]),
    ).rejects.toMatchObject({ code: '23505' });
    await expect(
      dataSource.query(
        `INSERT INTO care_admission (id, institution_id, resident_id_hash, resident_id_enc, resident_name, birth_date, bed_type, funding, admitted_on, admitted_by)
         VALUES ($1, $2, $3, 'v1.x', '乙', '1940-02-29', 'self-care', 'other', '2024-03-01', 'test')`,
        [uuidv7(), institution, cipher.lookupHash(stay)],
      ),
    ).rejects.toMatchObject({ code: '23505' });
    const indexes = await dataSource.query<{ indexdef: string }[]>(`SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexdef LIKE '%resident_id_hash%' ORDER BY indexname`);
    expect(indexes.length).toBeGreaterThanOrEqual(7);
  });

  it('does not go back: down refuses rather than write the numbers in the clear again', async () => {
    await expect(new ResidentIdsAtRest1764000062000().down()).rejects.toThrow('irreversible');
  });
});
