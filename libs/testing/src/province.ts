/**
 * Province-scale synthetic data for benchmarks: a division tree for one province and N persons
 * spread over its villages with a census-like age structure and valid resident IDs.
 *
 * - {@link provinceDivisions}: the tree, in TypeScript, deterministic from a seed. By default
 *   湖南省 (43): 14 prefecture-level units (01–13 and 31, as 湘西 is), 8–12 counties each (2–4
 *   districts 02…, counties 21…, and in most cities one county-level city 81…), 12–18
 *   township-level units per county (街道 001–099, 镇 101–199, 乡 201–299 — the statistical code
 *   ranges `DivisionCode.townshipKind` reads) and 12–18 village-level units per township
 *   (社区 001–199 urban, 村 201–399 rural), every code 12 digits as the services store them
 *   (`char(12)`, `^[0-9]{12}$`), a child's code extending its parent's. ≈ 34,000 units, ≈ 31,000 of
 *   them villages, whose weights (community 2,500–6,000, village 800–2,200 residents) add up to a
 *   province of ≈ 60 million.
 * - {@link loadProvince}: the tree and N persons (default 2,000,000) written set-based into the
 *   tables `province_division` and `province_person` of a database: one `INSERT … SELECT` over
 *   `generate_series` per village range, randomness from `hashint8extended(i, seed)`, so the same
 *   seed and N give the same rows (no `random()`, no order dependence). Person i lives in the
 *   village whose range holds i (ranges proportional to the village weights, see
 *   {@link villageRanges}); age by 5-year band from {@link AGE_BANDS} (≈ Hunan, 2020 census),
 *   birth date exact to the day against `asOf`; sex by age (men 52 % under 60, 48 % at 60–79,
 *   40 % at 80 and over); the resident ID is the county code, the birth date, a sequence whose
 *   parity is the sex (odd men, even women; numbered within county, birth date and sex, so the IDs
 *   are unique) and the ISO 7064 MOD 11-2 check character computed in SQL
 *   ({@link residentIdCheckCharacterSql}, the same weights as `ResidentId.checkCharacter`).
 *   After loading, a sample of the rows is re-checked ({@link verifyProvinceSample}; pass
 *   `ResidentId.parse` of @civil/domain-kernel as `parse` to check with the platform's own rules —
 *   this library cannot import it: domain-kernel's Jest set-up imports this library).
 */
import { appendFileSync } from 'node:fs';

/** The five levels of a 12-digit statistical division code (as DivisionCode in @civil/domain-kernel names them). */
export type DivisionLevel = 'province' | 'city' | 'county' | 'township' | 'village';

/** The levels of place-names' `division` table (街道 = street, 社区 = community). */
export type DivisionKind = 'province' | 'city' | 'county' | 'street' | 'town' | 'township' | 'community' | 'village';

export interface ProvinceDivision {
  code: string;
  name: string;
  level: DivisionLevel;
  kind: DivisionKind;
  parentCode: string | null;
  urbanRural: 'urban' | 'rural';
  /** Relative population of a village-level unit; 0 above that level. */
  weight: number;
}

export interface ProvinceOptions {
  /** Default 1. */
  seed?: number;
  /** Two digits, default '43'. */
  provinceCode?: string;
  /** Default '湖南省'. */
  provinceName?: string;
  /** Prefecture-level units, 1–20; default 14. */
  cities?: number;
}

export interface ProvincePersonsOptions extends ProvinceOptions {
  /** Default 2,000,000. */
  persons?: number;
  /** The date ages are computed on, 'YYYY-MM-DD'; default '2023-09-01'. */
  asOf?: string;
  /** Persons re-checked after loading (0: none); default 2000. */
  verifySample?: number;
  /** Reads a resident ID for that check; default {@link readResidentId}. */
  parse?: (id: string) => ResidentIdFacts;
}

export interface LoadedProvince {
  divisions: number;
  villages: number;
  persons: number;
}

/** Anything with a `query(text, params)`: a pg Client or Pool, a TypeORM DataSource or EntityManager. */
export interface Queryable {
  query(text: string, params?: unknown[]): Promise<unknown>;
}

export const DEFAULT_PROVINCE_PERSONS = 2_000_000;

/**
 * Age structure by 5-year band [from, to] inclusive, weight in per mille of the population —
 * roughly Hunan at the 2020 census (0–14 ≈ 19 %, 60 and over ≈ 19 %, 80 and over ≈ 2.4 %).
 */
export const AGE_BANDS: readonly { from: number; to: number; weight: number }[] = [
  { from: 0, to: 4, weight: 52 },
  { from: 5, to: 9, weight: 64 },
  { from: 10, to: 14, weight: 62 },
  { from: 15, to: 19, weight: 53 },
  { from: 20, to: 24, weight: 48 },
  { from: 25, to: 29, weight: 60 },
  { from: 30, to: 34, weight: 80 },
  { from: 35, to: 39, weight: 68 },
  { from: 40, to: 44, weight: 64 },
  { from: 45, to: 49, weight: 82 },
  { from: 50, to: 54, weight: 88 },
  { from: 55, to: 59, weight: 73 },
  { from: 60, to: 64, weight: 55 },
  { from: 65, to: 69, weight: 52 },
  { from: 70, to: 74, weight: 38 },
  { from: 75, to: 79, weight: 23 },
  { from: 80, to: 84, weight: 14 },
  { from: 85, to: 89, weight: 7 },
  { from: 90, to: 94, weight: 2.4 },
  { from: 95, to: 99, weight: 0.55 },
  { from: 100, to: 104, weight: 0.05 },
];

/** Share of men by age, as the generator draws sex. */
export function maleShareAt(age: number): number {
  return age < 60 ? 0.52 : age < 80 ? 0.48 : 0.4;
}

// GB 11643-1999: weight i is 2^(17-i) mod 11 (the weights of ResidentId.checkCharacter).
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';

/** The ISO 7064 MOD 11-2 check character of 17 digits (as ResidentId.checkCharacter). */
export function residentIdCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error(`a check character needs exactly 17 digits, got "${first17}"`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17.charAt(i)) * (ID_WEIGHTS[i] ?? 0);
  return CHECK_CHARACTERS.charAt(sum % 11);
}

/** What a resident ID says: the address code, the birth date and the sex (sequence parity). */
export interface ResidentIdFacts {
  addressCode: string;
  birthDate: string;
  sex: 'male' | 'female';
}

/** A strict reading of an 18-character resident ID: format, real birth date, check character. */
export function readResidentId(id: string): ResidentIdFacts {
  if (!/^[1-9]\d{16}[\dX]$/.test(id)) throw new Error(`not an 18-character resident ID: "${id}"`);
  if (residentIdCheckCharacter(id.slice(0, 17)) !== id.charAt(17)) throw new Error(`wrong check character in ${id}`);
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  const date = new Date(`${birthDate}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== birthDate) throw new Error(`no such birth date in ${id}`);
  return { addressCode: id.slice(0, 6), birthDate, sex: Number(id.charAt(16)) % 2 === 1 ? 'male' : 'female' };
}

/**
 * SQL for the ISO 7064 MOD 11-2 check character of a 17-digit text expression. Put the
 * expression in a column first: it is repeated 17 times.
 */
export function residentIdCheckCharacterSql(first17: string): string {
  const terms = ID_WEIGHTS.map((w, i) => `substr(${first17}, ${i + 1}, 1)::int * ${w}`).join(' + ');
  return `substr('${CHECK_CHARACTERS}', ((${terms}) % 11) + 1, 1)`;
}

/** Small, fast, seedable PRNG (mulberry32); the tree needs a few hundred thousand draws. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAME_CHARACTERS = [...'安宝昌长成崇大德东凤福富高广桂汉和衡红华怀黄佳建江金锦景靖兰乐连林龙隆罗茂梅民明南宁平清庆荣瑞山韶胜石双顺泰桃天通旺新兴秀阳永玉元岳云泽樟湘资沅澧溪洲'];
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * The division tree of one province, parents before children, deterministic from the seed.
 * Codes: province PP0000000000, city PPCC00000000, county PPCCDD000000, township PPCCDDTTT000,
 * village PPCCDDTTTVVV.
 */
export function provinceDivisions(options: ProvinceOptions = {}): ProvinceDivision[] {
  const seed = options.seed ?? 1;
  const province = options.provinceCode ?? '43';
  const cities = options.cities ?? 14;
  if (!/^[1-9]\d$/.test(province)) throw new Error(`provinceCode must be two digits not starting with 0, got "${province}"`);
  if (!Number.isInteger(cities) || cities < 1 || cities > 20) throw new Error(`cities must be 1–20, got ${cities}`);
  const random = prng(seed);
  const between = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  const name = (): string => `${NAME_CHARACTERS[between(0, NAME_CHARACTERS.length - 1)]}${NAME_CHARACTERS[between(0, NAME_CHARACTERS.length - 1)]}`;
  const out: ProvinceDivision[] = [];
  const provinceCode = `${province}0000000000`;
  out.push({ code: provinceCode, name: options.provinceName ?? '湖南省', level: 'province', kind: 'province', parentCode: null, urbanRural: 'urban', weight: 0 });
  for (let c = 1; c <= cities; c++) {
    // 13 cities numbered 01–13 and then, as 湘西 (4331), autonomous prefectures from 31.
    const autonomous = c > 13;
    const cityCode = `${province}${pad(autonomous ? 31 + c - 14 : c, 2)}00000000`;
    out.push({ code: cityCode, name: `${name()}${autonomous ? '自治州' : '市'}`, level: 'city', kind: 'city', parentCode: provinceCode, urbanRural: 'urban', weight: 0 });
    const counties = between(8, 12);
    const districts = autonomous ? 0 : between(2, 4);
    const countyCities = counties - districts >= 5 ? 1 : 0;
    for (let k = 0; k < counties; k++) {
      const kind = k < districts ? 'district' : k < counties - countyCities ? 'county' : 'county-city';
      const part = kind === 'district' ? 2 + k : kind === 'county' ? 21 + k - districts : 81 + k - (counties - countyCities);
      const countyCode = `${cityCode.slice(0, 4)}${pad(part, 2)}000000`;
      const urbanCounty = kind === 'district';
      out.push({ code: countyCode, name: `${name()}${kind === 'district' ? '区' : kind === 'county' ? '县' : '市'}`, level: 'county', kind: 'county', parentCode: cityCode, urbanRural: urbanCounty ? 'urban' : 'rural', weight: 0 });
      const townships = between(12, 18);
      const streets = urbanCounty ? Math.ceil(townships * 0.6) : kind === 'county-city' ? between(3, 5) : between(1, 3);
      const towns = Math.ceil((townships - streets) * (urbanCounty ? 1 : 0.6));
      for (let t = 0; t < townships; t++) {
        const tKind: DivisionKind = t < streets ? 'street' : t < streets + towns ? 'town' : 'township';
        const tPart = tKind === 'street' ? 1 + t : tKind === 'town' ? 101 + t - streets : 201 + t - streets - towns;
        const townshipCode = `${countyCode.slice(0, 6)}${pad(tPart, 3)}000`;
        const suffix = tKind === 'street' ? '街道' : tKind === 'town' ? '镇' : '乡';
        out.push({ code: townshipCode, name: `${name()}${suffix}`, level: 'township', kind: tKind, parentCode: countyCode, urbanRural: tKind === 'street' ? 'urban' : 'rural', weight: 0 });
        const villages = between(12, 18);
        const communities = tKind === 'street' ? villages : tKind === 'town' ? between(1, 3) : 0;
        for (let v = 0; v < villages; v++) {
          const community = v < communities;
          const vPart = community ? 1 + v : 201 + v - communities;
          out.push({
            code: `${townshipCode.slice(0, 9)}${pad(vPart, 3)}`,
            name: `${name()}${community ? '社区' : '村'}`,
            level: 'village',
            kind: community ? 'community' : 'village',
            parentCode: townshipCode,
            urbanRural: community ? 'urban' : 'rural',
            weight: community ? between(2500, 6000) : between(800, 2200),
          });
        }
      }
    }
  }
  return out;
}

/**
 * Person numbers of each village for N persons: contiguous ranges [from, to] (1-based, to < from
 * when a village gets nobody), proportional to the weights, together exactly 1…N.
 */
export function villageRanges(villages: readonly { weight: number }[], persons: number): { from: number; to: number }[] {
  const total = villages.reduce((sum, v) => sum + v.weight, 0);
  if (total <= 0) throw new Error('the villages have no weight');
  let before = 0;
  return villages.map((v) => {
    const from = Math.floor((persons * before) / total) + 1;
    before += v.weight;
    return { from, to: Math.floor((persons * before) / total) };
  });
}

/** Cumulative age-band thresholds for `width_bucket`: [0, c1, …, c(n-1)], c the cumulative shares. */
export function ageBandThresholds(): number[] {
  const total = AGE_BANDS.reduce((sum, b) => sum + b.weight, 0);
  const thresholds = [0];
  let cumulative = 0;
  for (const band of AGE_BANDS.slice(0, -1)) {
    cumulative += band.weight;
    thresholds.push(cumulative / total);
  }
  return thresholds;
}

function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return (result as { rows?: T[] }).rows ?? [];
}

/** A uniform number in [0, 1) from person i and a stream k, in SQL. */
const uniformSql = (seed: number, stream: number): string => `((hashint8extended(i::bigint, ${seed * 16 + stream}::bigint) & 2147483647)::float8 / 2147483648.0)`;

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范廖石金'];
const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅建国志文辉鹏飞云燕林斌波宇浩凯琳晶雪婷倩丹欣怡子轩涵'];
const sqlTextArray = (values: readonly string[]): string => `ARRAY[${values.map((v) => `'${v}'`).join(',')}]::text[]`;

/**
 * Creates `province_division` and `province_person` (dropping earlier ones) and fills them:
 * the tree of {@link provinceDivisions} and N persons, set-based. Returns the counts.
 */
export async function loadProvince(db: Queryable, options: ProvincePersonsOptions = {}): Promise<LoadedProvince> {
  const seed = options.seed ?? 1;
  const persons = options.persons ?? DEFAULT_PROVINCE_PERSONS;
  const asOf = options.asOf ?? '2023-09-01';
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 2 ** 40) throw new Error(`seed must be a whole number 0…2^40, got ${seed}`);
  if (!Number.isSafeInteger(persons) || persons < 0) throw new Error(`persons must be a whole number, got ${persons}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new Error(`asOf must be YYYY-MM-DD, got "${asOf}"`);
  const divisions = provinceDivisions(options);
  const villages = divisions.filter((d) => d.level === 'village');
  const ranges = villageRanges(villages, persons);
  const rangeOf = new Map(villages.map((v, i) => [v.code, ranges[i]]));

  await db.query(`DROP TABLE IF EXISTS province_person`);
  await db.query(`DROP TABLE IF EXISTS province_division`);
  await db.query(`
    CREATE TABLE province_division (
      code char(12) PRIMARY KEY CHECK (code ~ '^[0-9]{12}$'),
      name text NOT NULL,
      level text NOT NULL,
      kind text NOT NULL,
      parent_code char(12) REFERENCES province_division (code),
      urban_rural text NOT NULL,
      weight int NOT NULL,
      person_from int,
      person_to int
    )`);
  await db.query(
    `INSERT INTO province_division (code, name, level, kind, parent_code, urban_rural, weight, person_from, person_to)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[], $9::int[])`,
    [
      divisions.map((d) => d.code),
      divisions.map((d) => d.name),
      divisions.map((d) => d.level),
      divisions.map((d) => d.kind),
      divisions.map((d) => d.parentCode),
      divisions.map((d) => d.urbanRural),
      divisions.map((d) => d.weight),
      divisions.map((d) => rangeOf.get(d.code)?.from ?? null),
      divisions.map((d) => rangeOf.get(d.code)?.to ?? null),
    ],
  );
  await db.query(`
    CREATE TABLE province_person (
      n int PRIMARY KEY,
      resident_id char(18) NOT NULL,
      name text NOT NULL,
      sex text NOT NULL CHECK (sex IN ('male', 'female')),
      birth_date date NOT NULL,
      village_code char(12) NOT NULL,
      county_code char(6) NOT NULL,
      urban_rural text NOT NULL,
      seq int NOT NULL CHECK (seq BETWEEN 1 AND 999)
    )`);
  const bandFrom = `ARRAY[${AGE_BANDS.map((b) => b.from).join(',')}]::int[]`;
  const bandWidth = `ARRAY[${AGE_BANDS.map((b) => b.to - b.from + 1).join(',')}]::int[]`;
  const thresholds = `ARRAY[${ageBandThresholds().join(',')}]::float8[]`;
  await db.query(
    `INSERT INTO province_person (n, resident_id, name, sex, birth_date, village_code, county_code, urban_rural, seq)
     SELECT n, first17 || ${residentIdCheckCharacterSql('first17')}, name, CASE WHEN male THEN 'male' ELSE 'female' END, birth_date, village_code, county_code, urban_rural, seq
       FROM (SELECT s.*, s.county_code || to_char(s.birth_date, 'YYYYMMDD') || lpad(s.seq::text, 3, '0') AS first17
               FROM (SELECT a.*, 2 * row_number() OVER (PARTITION BY a.county_code, a.birth_date, a.male ORDER BY a.n)::int - CASE WHEN a.male THEN 1 ELSE 0 END AS seq
                       FROM (SELECT i AS n, v.code AS village_code, left(v.code, 6) AS county_code, v.urban_rural,
                                    ($1::date - make_interval(years => g.age))::date - floor(${uniformSql(seed, 2)} * 365)::int AS birth_date,
                                    ${uniformSql(seed, 3)} < CASE WHEN g.age < 60 THEN ${maleShareAt(0)} WHEN g.age < 80 THEN ${maleShareAt(60)} ELSE ${maleShareAt(80)} END AS male,
                                    (${sqlTextArray(SURNAMES)})[1 + floor(${uniformSql(seed, 4)} * ${SURNAMES.length})::int]
                                      || (${sqlTextArray(GIVEN)})[1 + floor(${uniformSql(seed, 5)} * ${GIVEN.length})::int]
                                      || CASE WHEN ${uniformSql(seed, 6)} < 0.7 THEN (${sqlTextArray(GIVEN)})[1 + floor(${uniformSql(seed, 7)} * ${GIVEN.length})::int] ELSE '' END AS name
                               FROM province_division v
                               CROSS JOIN LATERAL generate_series(v.person_from, v.person_to) AS i
                               CROSS JOIN LATERAL (SELECT width_bucket(${uniformSql(seed, 0)}, ${thresholds}) AS band) AS b
                               CROSS JOIN LATERAL (SELECT (${bandFrom})[b.band] + floor(${uniformSql(seed, 1)} * (${bandWidth})[b.band])::int AS age) AS g
                              WHERE v.level = 'village' AND v.person_to >= v.person_from) AS a) AS s) AS p`,
    [asOf],
  );
  await db.query(`CREATE UNIQUE INDEX province_person_resident_id ON province_person (resident_id)`);
  await db.query(`ANALYZE province_division`);
  await db.query(`ANALYZE province_person`);
  const sample = options.verifySample ?? 2000;
  if (sample > 0 && persons > 0) await verifyProvinceSample(db, { sample, ...(options.parse ? { parse: options.parse } : {}) });
  return { divisions: divisions.length, villages: villages.length, persons };
}

/**
 * Re-reads a spread sample of `province_person` and checks every field against the number: the
 * check character, address code = county, birth date, sex = sequence parity, a village code
 * under the county. `parse` reads the number (default {@link readResidentId}; the benches pass
 * the platform's `ResidentId.parse`). Throws on the first mismatch; returns the rows checked.
 */
export async function verifyProvinceSample(db: Queryable, options: { sample?: number; parse?: (id: string) => ResidentIdFacts } = {}): Promise<number> {
  const sample = options.sample ?? 2000;
  const parse = options.parse ?? readResidentId;
  const [count] = rowsOf<{ n: number }>(await db.query(`SELECT count(*)::int AS n FROM province_person`));
  const total = count?.n ?? 0;
  const step = Math.max(1, Math.floor(total / sample));
  const rows = rowsOf<{ resident_id: string; sex: string; birth_date: string; village_code: string; county_code: string; parent_code: string; level: string }>(
    await db.query(
      `SELECT p.resident_id, p.sex, to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date, p.village_code, p.county_code, v.parent_code, v.level
         FROM province_person p JOIN province_division v ON v.code = p.village_code
        WHERE p.n % $1 = 0 OR p.n = 1 ORDER BY p.n LIMIT $2`,
      [step, sample + 1],
    ),
  );
  for (const row of rows) {
    const id = parse(row.resident_id);
    const agrees =
      id.addressCode === row.county_code && row.village_code.startsWith(row.county_code) && row.parent_code === `${row.village_code.slice(0, 9)}000` &&
      row.level === 'village' && id.birthDate === row.birth_date && id.sex === row.sex;
    if (!agrees) throw new Error(`province_person ${row.resident_id} does not agree with its row: ${JSON.stringify(row)}`);
  }
  return rows.length;
}

/** Sizes for a scaling run: BENCH_SIZES=10000,100000,1000000, else the single size given. */
export function benchSizes(single: number, variable = 'BENCH_SIZES'): number[] {
  const raw = process.env[variable];
  if (raw === undefined || raw.trim() === '') return [single];
  const sizes = raw.split(',').map((s) => Number(s.trim().replace(/_/g, '')));
  for (const size of sizes) if (!Number.isSafeInteger(size) || size < 1) throw new Error(`${variable} must be positive integers separated by commas, got "${raw}"`);
  return sizes;
}

/** One size of a bulk job: the rows it wrote, its time and the raw baseline's time. */
export interface ScaleResult {
  job: string;
  size: number;
  rows: number;
  serviceSeconds: number;
  rawSeconds: number;
  /** What the rows are, if not obvious ('payment lines', 'facts'). */
  note?: string;
}

/** The scaling table of one job: rows, times, ratio to raw, rows/s and growth against the previous size. */
export function scaleTable(results: readonly ScaleResult[], options: { jobColumn?: boolean } = {}): string[] {
  const count = (n: number): string => n.toLocaleString('en-US');
  const lines = [
    `| ${options.jobColumn ? 'job | ' : ''}size | rows | service s | raw s | ratio to raw | rows/s | growth (time ÷ previous) | size factor |`,
    `|${options.jobColumn ? '---|' : ''}---:|---:|---:|---:|---:|---:|---:|---:|`,
  ];
  let previous: ScaleResult | undefined;
  for (const r of results) {
    const sameJob = previous !== undefined && previous.job === r.job;
    const growth = sameJob && previous ? `${(r.serviceSeconds / previous.serviceSeconds).toFixed(1)}× (raw ${(r.rawSeconds / previous.rawSeconds).toFixed(1)}×)` : '—';
    const factor = sameJob && previous ? `${(r.size / previous.size).toFixed(0)}×` : '—';
    const rate = r.serviceSeconds > 0 ? count(Math.round(r.rows / r.serviceSeconds)) : '—';
    lines.push(
      `| ${options.jobColumn ? `${r.job} | ` : ''}${count(r.size)} | ${count(r.rows)}${r.note ? ` ${r.note}` : ''} | ${r.serviceSeconds.toFixed(2)} | ${r.rawSeconds.toFixed(2)} | ${(r.serviceSeconds / r.rawSeconds).toFixed(2)}× | ${rate} | ${growth} | ${factor} |`,
    );
    previous = r;
  }
  return lines;
}

/** Appends the results as JSON lines to BENCH_SCALE_OUT when set (the `scale` driver collects them). */
export function recordScaleResult(result: ScaleResult): void {
  const file = process.env.BENCH_SCALE_OUT;
  if (file === undefined || file === '') return;
  appendFileSync(file, `${JSON.stringify(result)}\n`);
}
