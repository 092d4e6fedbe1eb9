import { Client } from 'pg';
import { createTestDatabase } from './integration-env';
import { AGE_BANDS, loadProvince, readResidentId } from './province';

/** loadProvince against a real PostgreSQL: the SQL half of the generator (persons, IDs, determinism). */
describe('loadProvince', () => {
  let db: Client;
  const PERSONS = 30_000;

  beforeAll(async () => {
    db = new Client({ connectionString: await createTestDatabase('province') });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
  });

  const digest = async (): Promise<string> =>
    (await db.query<{ h: string }>(`SELECT md5(string_agg(n || resident_id || name || sex || birth_date || village_code, ',' ORDER BY n)) AS h FROM province_person`)).rows[0]?.h ?? '';

  it('writes N persons with valid, unique resident IDs that agree with their rows', async () => {
    const loaded = await loadProvince(db, { persons: PERSONS, seed: 11, verifySample: PERSONS });
    expect(loaded.persons).toBe(PERSONS);
    const rows = (await db.query<{ resident_id: string; sex: string; birth_date: string; county_code: string; village_code: string }>(
      `SELECT resident_id, sex, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, county_code, village_code FROM province_person`,
    )).rows;
    expect(rows).toHaveLength(PERSONS);
    expect(new Set(rows.map((r) => r.resident_id)).size).toBe(PERSONS);
    const wrong = rows.filter((r) => {
      const id = readResidentId(r.resident_id);
      return id.addressCode !== r.county_code || id.birthDate !== r.birth_date || id.sex !== r.sex || !r.village_code.startsWith(r.county_code);
    });
    expect(wrong).toEqual([]);
    const xs = rows.filter((r) => r.resident_id.endsWith('X')).length;
    expect(xs).toBeGreaterThan(PERSONS / 11 / 2); // one in eleven ends in X
  });

  it('follows the age structure and the village weights', async () => {
    const [shares] = (
      await db.query<{ under15: number; over60: number; over90: number; male: number; villages: number }>(
        `SELECT avg((birth_date > date '2023-09-01' - interval '15 years')::int)::float AS under15,
                avg((birth_date <= date '2023-09-01' - interval '60 years')::int)::float AS over60,
                avg((birth_date <= date '2023-09-01' - interval '90 years')::int)::float AS over90,
                avg((sex = 'male')::int)::float AS male,
                count(DISTINCT village_code)::int AS villages
           FROM province_person`,
      )
    ).rows;
    const total = AGE_BANDS.reduce((s, b) => s + b.weight, 0);
    const expected = (from: number, to = 200): number => AGE_BANDS.filter((b) => b.from >= from && b.to <= to).reduce((s, b) => s + b.weight, 0) / total;
    expect(Math.abs((shares?.under15 ?? 0) - expected(0, 14))).toBeLessThan(0.01);
    expect(Math.abs((shares?.over60 ?? 0) - expected(60))).toBeLessThan(0.01);
    expect(Math.abs((shares?.over90 ?? 0) - expected(90))).toBeLessThan(0.002);
    expect(shares?.male).toBeGreaterThan(0.49);
    expect(shares?.male).toBeLessThan(0.53);
    // 30,000 persons over ≈ 32,000 villages of weight 800–6,000: most villages get somebody, urban ones more.
    const [urban] = (
      await db.query<{ per_community: number; per_village: number }>(
        `SELECT avg(person_to - person_from + 1) FILTER (WHERE kind = 'community')::float AS per_community,
                avg(person_to - person_from + 1) FILTER (WHERE kind = 'village')::float AS per_village
           FROM province_division WHERE level = 'village'`,
      )
    ).rows;
    expect(urban?.per_community ?? 0).toBeGreaterThan(2 * (urban?.per_village ?? 0));
  });

  it('is deterministic for a seed and differs for another', async () => {
    const first = await digest();
    await loadProvince(db, { persons: PERSONS, seed: 11, verifySample: 0 });
    expect(await digest()).toBe(first);
    await loadProvince(db, { persons: PERSONS, seed: 12, verifySample: 0 });
    expect(await digest()).not.toBe(first);
  });
});
