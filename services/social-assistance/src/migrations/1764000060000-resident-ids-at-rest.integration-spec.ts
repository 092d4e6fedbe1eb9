import { DataSource, type MigrationInterface } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { buildResidentId } from '@civil/domain-kernel';
import { PersonalDataCipher, serviceDataSourceOptions } from '@civil/platform';
import { createTestDatabase } from '@civil/testing';
import { SERVICE_MIGRATIONS } from '../data-source';
import { ResidentIdsAtRest1764000060000 } from './1764000060000-resident-ids-at-rest';

/**
 * The backfill of ResidentIdsAtRest1764000060000: a database at the previous migration with
 * plaintext numbers (more facts than one batch), then the migration: every number becomes a
 * hash and a ciphertext of itself, the plaintext columns are gone, and the unique indexes hold
 * on the hashes. `down` restores the plaintext.
 */
describe('migration ResidentIdsAtRest1764000060000 (PostgreSQL)', () => {
  const cipher = PersonalDataCipher.fromEnvironment(process.env);
  const FACTS = 5_003; // one full batch of 5000 and a partial one
  let url: string;
  let dataSource: DataSource;
  const member = buildResidentId('430503', '1970-01-01', 11);
  const applicant = buildResidentId('430503', '1972-02-02', 12);
  const tekunPerson = buildResidentId('430503', '1940-03-03', 13);
  const householdId = uuidv7();

  async function connect(migrations: (new () => MigrationInterface)[]): Promise<DataSource> {
    const ds = new DataSource(serviceDataSourceOptions({ url, entities: [], migrations, applicationName: 'resident-ids-migration-test' }));
    await ds.initialize();
    return ds;
  }

  beforeAll(async () => {
    url = await createTestDatabase('resident_ids_migration');
    // The schema as it was before: every migration but the new one.
    const before = SERVICE_MIGRATIONS.filter((m) => m !== ResidentIdsAtRest1764000060000);
    const old = await connect(before);
    await old.runMigrations();
    await old.query(`INSERT INTO household (id, division_code, urban_rural, address, created_by) VALUES ($1, '430503101001', 'rural', '罗市镇', 'test')`, [householdId]);
    await old.query(`INSERT INTO household_member (id, household_id, name, resident_id, relationship, birth_date, sex) VALUES ($1, $2, '张三', $3, 'head', $4, $5)`, [
      uuidv7(),
      householdId,
      member.value,
      member.birthDate,
      member.sex,
    ]);
    await old.query(
      `INSERT INTO dibao_application (id, household_id, applicant_resident_id, division_code, urban_rural, status, deadline, notice_days, deadline_working_days, extended_deadline_working_days)
       VALUES ($1, $2, $3, '430503101001', 'rural', 'SUBMITTED', '2024-01-31', 7, 30, 45)`,
      [uuidv7(), householdId, applicant.value],
    );
    await old.query(
      `INSERT INTO tekun_person (id, resident_id, name, division_code, urban_rural, care_mode, self_care_level, monthly_amount_fen, start_period)
       VALUES ($1, $2, '王五', '430503101001', 'rural', 'dispersed', 'full', 73300, '2023-04')`,
      [uuidv7(), tekunPerson.value],
    );
    const factIds = Array.from({ length: FACTS }, (_, i) => buildResidentId('430503', '1960-01-01', 100 + (i % 800)).value);
    await old.query(
      `INSERT INTO verification_import_fact (source_id, resident_id, category, kind, monthly_amount_fen, description, as_of, batch)
       SELECT 'fund', r, 'income', 'wages', n, '', '2023-11-30', 'b1' FROM unnest($1::text[]) WITH ORDINALITY AS f(r, n)`,
      [factIds],
    );
    await old.destroy();

    dataSource = await connect(SERVICE_MIGRATIONS);
    const applied = await dataSource.runMigrations();
    expect(applied.map((m) => m.name)).toEqual(['ResidentIdsAtRest1764000060000']);
  }, 120_000);

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('replaces every plaintext column by a hash and a ciphertext that decrypts to the original', async () => {
    const plainColumns = await dataSource.query<{ table_name: string; column_name: string }[]>(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND column_name LIKE '%resident_id' ORDER BY 1, 2`,
    );
    expect(plainColumns).toEqual([]);
    const check = async (sql: string, expected: string): Promise<void> => {
      const rows = await dataSource.query<{ hash: string; enc: string }[]>(sql);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.hash).toBe(cipher.lookupHash(expected));
      expect(cipher.decrypt(rows[0]?.enc ?? '')).toBe(expected);
    };
    await check(`SELECT resident_id_hash AS hash, resident_id_enc AS enc FROM household_member`, member.value);
    await check(`SELECT applicant_resident_id_hash AS hash, applicant_resident_id_enc AS enc FROM dibao_application`, applicant.value);
    await check(`SELECT resident_id_hash AS hash, resident_id_enc AS enc FROM tekun_person`, tekunPerson.value);
    const facts = await dataSource.query<{ hash: string; enc: string; n: string }[]>(
      `SELECT resident_id_hash AS hash, resident_id_enc AS enc, monthly_amount_fen AS n FROM verification_import_fact ORDER BY id`,
    );
    expect(facts).toHaveLength(FACTS);
    for (const fact of facts) {
      const expected = buildResidentId('430503', '1960-01-01', 100 + ((Number(fact.n) - 1) % 800)).value;
      expect(fact.hash).toBe(cipher.lookupHash(expected));
      expect(cipher.decrypt(fact.enc)).toBe(expected);
    }
  });

  it('keeps the unique indexes on the hashes', async () => {
    const indexes = await dataSource.query<{ indexname: string; indexdef: string }[]>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN ('household_member_person', 'tekun_person_one_open', 'dibao_application_applicant', 'verification_import_fact_lookup') ORDER BY 1`,
    );
    expect(indexes.map((i) => [i.indexname, /UNIQUE/.test(i.indexdef), i.indexdef.includes('resident_id_hash')])).toEqual([
      ['dibao_application_applicant', false, true],
      ['household_member_person', true, true],
      ['tekun_person_one_open', true, true],
      ['verification_import_fact_lookup', false, true],
    ]);
    const sealed = { hash: cipher.lookupHash(member.value), enc: cipher.encrypt(member.value) };
    await expect(
      dataSource.query(
        `INSERT INTO household_member (id, household_id, name, resident_id_hash, resident_id_enc, relationship, birth_date, sex) VALUES ($1, $2, '又一个', $3, $4, 'spouse', $5, $6)`,
        [uuidv7(), householdId, sealed.hash, sealed.enc, member.birthDate, member.sex],
      ),
    ).rejects.toMatchObject({ code: '23505' });
  });

  it('down restores the plaintext columns from the ciphertexts', async () => {
    await dataSource.undoLastMigration();
    const [restored] = await dataSource.query<{ resident_id: string }[]>(`SELECT resident_id FROM household_member`);
    expect(restored?.resident_id).toBe(member.value);
    const [app] = await dataSource.query<{ applicant_resident_id: string }[]>(`SELECT applicant_resident_id FROM dibao_application`);
    expect(app?.applicant_resident_id).toBe(applicant.value);
    const [facts] = await dataSource.query<{ n: number; distinct_ids: number }[]>(`SELECT count(*)::int AS n, count(DISTINCT resident_id)::int AS distinct_ids FROM verification_import_fact`);
    expect(facts).toEqual({ n: FACTS, distinct_ids: 800 });
    // And up again, as a re-deploy would.
    await dataSource.runMigrations();
    const [again] = await dataSource.query<{ enc: string }[]>(`SELECT resident_id_enc AS enc FROM household_member`);
    expect(cipher.decrypt(again?.enc ?? '')).toBe(member.value);
  });
});
