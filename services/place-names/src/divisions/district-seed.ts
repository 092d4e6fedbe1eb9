/**
 * 大祥区 (430503) as seeded: its 14 township-level units with their real names and statistical
 * codes (domain.md), and the demo communities and villages under them — made-up names marked
 * 示例 (and `demo` in the tables), since the real village-level names are not in our sources.
 * The divisions migration seeds these, and the place-names demo data set records the same units in
 * the gazetteer, so the register and the gazetteer agree.
 */
export interface SeedTownship {
  code: string;
  name: string;
  level: 'street' | 'town' | 'township';
  urbanRural: 'urban' | 'rural';
}

export interface SeedVillageUnit {
  code: string;
  name: string;
  level: 'community' | 'village';
  urbanRural: 'urban' | 'rural';
  township: SeedTownship;
}

export const SEED_COUNTY = { code: '430503000000', name: '大祥区' } as const;

export const SEED_TOWNSHIPS: readonly SeedTownship[] = [
  { code: '430503001000', name: '中心路街道', level: 'street', urbanRural: 'urban' },
  { code: '430503002000', name: '红旗路街道', level: 'street', urbanRural: 'urban' },
  { code: '430503003000', name: '城北路街道', level: 'street', urbanRural: 'urban' },
  { code: '430503004000', name: '城西街道', level: 'street', urbanRural: 'urban' },
  { code: '430503005000', name: '翠园街道', level: 'street', urbanRural: 'urban' },
  { code: '430503006000', name: '百春园街道', level: 'street', urbanRural: 'urban' },
  { code: '430503007000', name: '城南街道', level: 'street', urbanRural: 'urban' },
  { code: '430503008000', name: '火车南站街道', level: 'street', urbanRural: 'urban' },
  { code: '430503009000', name: '学院路街道', level: 'street', urbanRural: 'urban' },
  { code: '430503010000', name: '雨溪街道', level: 'street', urbanRural: 'urban' },
  { code: '430503011000', name: '檀江街道', level: 'street', urbanRural: 'urban' },
  { code: '430503101000', name: '罗市镇', level: 'town', urbanRural: 'rural' },
  { code: '430503202000', name: '蔡锷乡', level: 'township', urbanRural: 'rural' },
  { code: '430503203000', name: '板桥乡', level: 'township', urbanRural: 'rural' },
];

/** Communities per 街道; villages of the town and the two townships: 11 × 8 + 20 + 16 + 16 = 140 units. */
const COMMUNITIES_PER_STREET = 8;
const VILLAGES_BY_TOWNSHIP: Readonly<Record<string, number>> = { '430503101000': 20, '430503202000': 16, '430503203000': 16 };

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六', '十七', '十八', '十九', '二十'];

/**
 * The demo village-level units of one township: communities get village parts 001–199, villages
 * 201–399 (the statistical code rule), named after the township: 中心路示例社区一, 罗市示例村一.
 */
export function seedVillageUnits(township: SeedTownship): SeedVillageUnit[] {
  const base = township.name.replace(/(街道|镇|乡)$/, '');
  const count = township.level === 'street' ? COMMUNITIES_PER_STREET : (VILLAGES_BY_TOWNSHIP[township.code] ?? 0);
  return Array.from({ length: count }, (_, i) => {
    const numeral = NUMERALS[i] ?? String(i + 1);
    const prefix = township.code.slice(0, 9);
    return township.level === 'street'
      ? { code: `${prefix}${String(1 + i).padStart(3, '0')}`, name: `${base}示例社区${numeral}`, level: 'community', urbanRural: 'urban', township }
      : { code: `${prefix}${String(201 + i)}`, name: `${base}示例村${numeral}`, level: 'village', urbanRural: 'rural', township };
  });
}
