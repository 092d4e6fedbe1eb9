import { AGE_BANDS, ageBandThresholds, benchSizes, maleShareAt, provinceDivisions, readResidentId, residentIdCheckCharacter, residentIdCheckCharacterSql, scaleTable, villageRanges, type ProvinceDivision } from './province';

/**
 * The check character computed independently of the library: weight of position i (1-based) is
 * 2^(18-i) mod 11, the character is (12 - sum mod 11) mod 11 with 10 written X (GB 11643-1999).
 * (@civil/domain-kernel's ResidentId cannot be imported here: its Jest set-up imports this library.)
 */
function referenceCheck(first17: string): string {
  let sum = 0;
  for (let i = 1; i <= 17; i++) sum += Number(first17.charAt(i - 1)) * (2 ** (18 - i) % 11);
  const value = (12 - (sum % 11)) % 11;
  return value === 10 ? 'X' : String(value);
}

/** The level of a 12-digit code, refusing a non-zero part under a zero one (as DivisionCode.parse). */
function levelOf(code: string): string {
  const parts = [code.slice(0, 2), code.slice(2, 4), code.slice(4, 6), code.slice(6, 9), code.slice(9, 12)].map(Number);
  const depth = parts.findIndex((p) => p === 0);
  if (parts[0] === 0 || (depth !== -1 && parts.slice(depth).some((p) => p !== 0))) return 'invalid';
  return ['province', 'city', 'county', 'township', 'village'][(depth === -1 ? 5 : depth) - 1] ?? 'invalid';
}

/** The parent's code: the code cut at the level above, padded with zeros. */
function parentOf(code: string): string | null {
  const keep = { province: 0, city: 2, county: 4, township: 6, village: 9 }[levelOf(code)] ?? 0;
  return keep === 0 ? null : code.slice(0, keep).padEnd(12, '0');
}

/**
 * Evaluates the SQL check-character expression for a 17-digit literal: it only uses substr,
 * ::int, *, +, % and a final substr, so a literal substitution and a small reading of those
 * forms reproduces what PostgreSQL computes (the integration of the whole generator is checked
 * against ResidentId at load time, verifyProvinceSample).
 */
function evaluateCheckSql(first17: string): string {
  const sql = residentIdCheckCharacterSql(`'${first17}'`);
  const terms = [...sql.matchAll(/substr\('(\d{17})', (\d+), 1\)::int \* (\d+)/g)];
  expect(terms).toHaveLength(17);
  const sum = terms.reduce((s, m) => s + Number((m[1] ?? '').charAt(Number(m[2]) - 1)) * Number(m[3]), 0);
  const table = /^substr\('([0-9X]{11})'/.exec(sql)?.[1] ?? '';
  expect(sql.endsWith('% 11) + 1, 1)')).toBe(true);
  return table.charAt(sum % 11);
}

describe('resident ID check characters', () => {
  it('match the standard example and an independent computation, in TypeScript and in the SQL', () => {
    expect(residentIdCheckCharacter('11010519491231002')).toBe('X'); // GB 11643-1999's example
    expect(evaluateCheckSql('11010519491231002')).toBe('X');
    expect(readResidentId('11010519491231002X')).toEqual({ addressCode: '110105', birthDate: '1949-12-31', sex: 'female' });
    expect(() => readResidentId('110105194912310021')).toThrow(/check character/);
    expect(() => readResidentId('11010519490231002X'.slice(0, 17) + residentIdCheckCharacter('11010519490231002'))).toThrow(/birth date/);
    const samples = ['43050319440404003', '11010519491231002', '43052119800101001'];
    // enough varied numbers to hit every one of the 11 characters
    for (let i = 0; i < 400; i++) samples.push(`4305${String(2 + (i % 90)).padStart(2, '0')}19${String(10 + (i % 80)).padStart(2, '0')}0${1 + (i % 9)}${String(10 + (i % 18)).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`);
    const seen = new Set<string>();
    for (const first17 of samples) {
      const check = evaluateCheckSql(first17);
      expect(check).toBe(referenceCheck(first17));
      expect(residentIdCheckCharacter(first17)).toBe(check);
      seen.add(check);
    }
    expect(seen.size).toBe(11);
  });
});

describe('provinceDivisions', () => {
  const tree = provinceDivisions({ seed: 7 });
  const byCode = new Map(tree.map((d) => [d.code, d]));

  it('has unique 12-digit codes, well formed at the level given', () => {
    expect(byCode.size).toBe(tree.length);
    expect(tree.filter((d) => !/^\d{12}$/.test(d.code) || levelOf(d.code) !== d.level)).toEqual([]);
  });

  it('nests: every parent comes first and its code is the child code cut at the parent level', () => {
    const seen = new Set<string>();
    const wrong = tree.filter((d) => {
      const ok = d.level === 'province' ? d.parentCode === null : d.parentCode !== null && seen.has(d.parentCode) && parentOf(d.code) === d.parentCode;
      seen.add(d.code);
      return !ok;
    });
    expect(wrong).toEqual([]);
    expect(tree[0]?.level).toBe('province');
  });

  it('uses the statistical code ranges: 街道 001–099, 镇 101–199, 乡 201–299; 社区 urban ≤ 199, 村 rural ≥ 201', () => {
    const wrong = tree.filter((d) => {
      if (d.level === 'township') {
        const part = Number(d.code.slice(6, 9));
        const kind = part <= 99 ? 'subdistrict' : part <= 199 ? 'town' : part <= 299 ? 'township' : 'other';
        return kind !== (d.kind === 'street' ? 'subdistrict' : d.kind) || d.urbanRural !== (d.kind === 'street' ? 'urban' : 'rural') || d.weight !== 0;
      }
      if (d.level === 'village') {
        const part = Number(d.code.slice(9));
        const inRange = d.kind === 'community' ? part >= 1 && part <= 199 : part >= 201 && part <= 399;
        return !inRange || d.urbanRural !== (d.kind === 'community' ? 'urban' : 'rural') || d.weight <= 0;
      }
      return d.weight !== 0;
    });
    expect(wrong).toEqual([]);
    expect(new Set(tree.filter((d) => d.level === 'township').map((d) => d.kind))).toEqual(new Set(['street', 'town', 'township']));
  });

  it('has the size of a province: 14 cities, 8–12 counties each, 12–18 townships and villages below', () => {
    const childCount = new Map<string, number>();
    for (const d of tree) if (d.parentCode !== null) childCount.set(d.parentCode, (childCount.get(d.parentCode) ?? 0) + 1);
    const children = (d: ProvinceDivision): number => childCount.get(d.code) ?? 0;
    const levels = (level: string): ProvinceDivision[] => tree.filter((d) => d.level === level);
    expect(levels('province')).toHaveLength(1);
    expect(levels('city')).toHaveLength(14);
    expect(levels('city').map((c) => c.code.slice(2, 4))).toEqual(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '31']);
    expect(levels('city').filter((c) => children(c) < 8 || children(c) > 12)).toEqual([]);
    expect(levels('county').filter((c) => children(c) < 12 || children(c) > 18)).toEqual([]);
    expect(levels('township').filter((c) => children(c) < 12 || children(c) > 18)).toEqual([]);
    const villages = levels('village');
    expect(villages.length).toBeGreaterThan(14 * 8 * 12 * 12);
    expect(villages.length).toBeLessThan(14 * 12 * 18 * 18);
    const population = villages.reduce((s, v) => s + v.weight, 0);
    expect(population).toBeGreaterThan(40_000_000);
    expect(population).toBeLessThan(90_000_000);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(JSON.stringify(provinceDivisions({ seed: 7 }))).toBe(JSON.stringify(tree));
    expect(JSON.stringify(provinceDivisions({ seed: 8 }))).not.toBe(JSON.stringify(tree));
  });

  it('takes another province code and number of cities, and refuses nonsense', () => {
    const small = provinceDivisions({ provinceCode: '36', cities: 2 });
    expect(small.every((d) => d.code.startsWith('36'))).toBe(true);
    expect(small.filter((d) => d.level === 'city')).toHaveLength(2);
    expect(() => provinceDivisions({ provinceCode: '03' })).toThrow(/two digits/);
    expect(() => provinceDivisions({ cities: 0 })).toThrow(/cities/);
  });
});

describe('villageRanges', () => {
  const villages = provinceDivisions({ seed: 3 }).filter((d) => d.level === 'village');

  it.each([0, 1, 9_999, 2_000_000])('gives %i persons exactly once, in contiguous ranges', (persons) => {
    const ranges = villageRanges(villages, persons);
    let next = 1;
    const gaps = ranges.filter((r) => {
      const ok = r.from === next && r.to >= r.from - 1;
      next = r.to + 1;
      return !ok;
    });
    expect(gaps).toEqual([]);
    expect(next - 1).toBe(persons);
  });

  it('spreads persons in proportion to the weights (within one person)', () => {
    const persons = 2_000_000;
    const total = villages.reduce((s, v) => s + v.weight, 0);
    const off = villageRanges(villages, persons).filter((r, i) => Math.abs(r.to - r.from + 1 - (persons * (villages[i]?.weight ?? 0)) / total) > 1);
    expect(off).toEqual([]);
  });
});

describe('age structure', () => {
  it('is census-like: about 19 % under 15, 18–21 % aged 60 and over, 0.1–0.5 % aged 90 and over', () => {
    const total = AGE_BANDS.reduce((s, b) => s + b.weight, 0);
    const share = (from: number, to = 200): number => AGE_BANDS.filter((b) => b.from >= from && b.to <= to).reduce((s, b) => s + b.weight, 0) / total;
    expect(share(0, 14)).toBeGreaterThan(0.16);
    expect(share(0, 14)).toBeLessThan(0.22);
    expect(share(60)).toBeGreaterThan(0.18);
    expect(share(60)).toBeLessThan(0.21);
    expect(share(90)).toBeGreaterThan(0.001);
    expect(share(90)).toBeLessThan(0.005);
  });

  it('has contiguous bands and increasing width_bucket thresholds starting at 0', () => {
    AGE_BANDS.forEach((b, i) => expect(b.from).toBe(i === 0 ? 0 : (AGE_BANDS[i - 1]?.to ?? -1) + 1));
    const thresholds = ageBandThresholds();
    expect(thresholds).toHaveLength(AGE_BANDS.length);
    expect(thresholds[0]).toBe(0);
    for (let i = 1; i < thresholds.length; i++) expect(thresholds[i]).toBeGreaterThan(thresholds[i - 1] ?? 1);
    expect(thresholds[thresholds.length - 1]).toBeLessThan(1);
  });

  it('has more women than men among the old', () => {
    expect(maleShareAt(30)).toBeGreaterThan(0.5);
    expect(maleShareAt(85)).toBeLessThan(0.5);
  });
});

describe('benchSizes and scaleTable', () => {
  const saved = process.env.BENCH_SIZES;
  afterEach(() => {
    if (saved === undefined) delete process.env.BENCH_SIZES;
    else process.env.BENCH_SIZES = saved;
  });

  it('reads BENCH_SIZES, else the single size', () => {
    delete process.env.BENCH_SIZES;
    expect(benchSizes(200_000)).toEqual([200_000]);
    process.env.BENCH_SIZES = '10000, 100_000,1000000';
    expect(benchSizes(200_000)).toEqual([10_000, 100_000, 1_000_000]);
    process.env.BENCH_SIZES = '10000,ten';
    expect(() => benchSizes(1)).toThrow(/BENCH_SIZES/);
  });

  it('prints growth against the previous size of the same job', () => {
    const lines = scaleTable([
      { job: 'a', size: 10_000, rows: 9_000, serviceSeconds: 1, rawSeconds: 0.5 },
      { job: 'a', size: 100_000, rows: 90_000, serviceSeconds: 12, rawSeconds: 5 },
    ]);
    expect(lines[2]).toContain('| 10,000 | 9,000 | 1.00 | 0.50 | 2.00× | 9,000 | — | — |');
    expect(lines[3]).toContain('| 100,000 | 90,000 | 12.00 | 5.00 | 2.40× | 7,500 | 12.0× (raw 10.0×) | 10× |');
  });
});
