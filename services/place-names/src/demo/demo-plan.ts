/**
 * The demo gazetteer of 大祥区, planned without I/O from a seeded random generator (the same on
 * every run and every machine): 3969 records in the five database classes, 3012 in other
 * categories, each with the result the 2023 quality-audit campaign records for it.
 */
import { addDays } from '@civil/domain-kernel';
import type { Actor, AuditCorrections, AuditOutcome, NewPlaceName, PlaceNameCategory } from '@civil/contracts';
import { SEED_COUNTY, SEED_TOWNSHIPS, seedVillageUnits } from '../divisions/district-seed';
import { SEED_2023 } from './seed-2023';
import { seededRng, type Rng } from '@civil/platform';

export { seededRng, type Rng };

function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

export const COUNTY = SEED_COUNTY;
/** The district's 14 township-level units (domain.md): 11 街道, 罗市镇, 蔡锷乡, 板桥乡. */
const TOWNSHIPS = SEED_TOWNSHIPS;


/**
 * Records per category. The five classes add up to 3969: 行政区划 155 (the district, its 14
 * townships, its 140 communities and villages), 群众自治组织 140 (their committees' seats), 街路巷
 * 1180, 居民点 1650, 自然地理实体 844. The other categories add up to 3012.
 */
export const DEMO_COUNTS: Readonly<Record<PlaceNameCategory, number>> = {
  'administrative-division': 155,
  'committee-seat': 140,
  'street-road-lane': 1180,
  'residential-area-or-building': 1650,
  'natural-feature': 844,
  'park-or-protected-area': 112,
  infrastructure: 1900,
  other: 1000,
};

/**
 * Syllable-like characters the generated names are composed from: each with a different toneless
 * pinyin (so two names never sound alike), none of them part of a word the naming rules refuse.
 */
const SYLLABLES = [...'青松枫林竹梅兰桂荷柳杉樟石泉溪塘湾岭平桥湖港田园康安宁福祥瑞兴盛新春秋阳光明秀雅翠龙金银玉丹霞云雪红紫白东南北文德仁义礼智诚泰乐桃莲菊蓉枣茶稻麦沙'];

/** Generic terms (通名) per category. */
const GENERICS: Readonly<Record<Exclude<PlaceNameCategory, 'administrative-division' | 'committee-seat'>, readonly string[]>> = {
  'street-road-lane': ['路', '街', '巷', '大道'],
  'residential-area-or-building': ['小区', '花园', '苑', '家园', '新村', '公寓', '屋场', '大厦'],
  'natural-feature': ['山', '岭', '冲', '塘', '溪', '坳', '峰', '岩'],
  'park-or-protected-area': ['公园', '广场', '游园', '湿地公园'],
  infrastructure: ['桥', '公交站', '水库', '电站', '泵站', '渠', '变电站', '隧道', '码头'],
  other: ['亭', '古井', '牌坊', '古道', '驿站', '纪念园', '市场', '文化站'],
};

/** Words the naming rules refuse ("大、洋、怪、重" names); no generated name contains one. */
export const REFUSED_WORDS = ['宇宙', '中央', '天下', '世界', '环球', '中国', '中华', '全国', '特区', '首府', '皇', '帝', '王府', '御府'] as const;

/**
 * The seed's two renamings (东方威尼斯小区 → 东方华庭, 大顺米兰豪苑 → 文庭雅苑): recorded under their old
 * names, then renamed through the naming workflow on these dates of 2023. Their townships are a
 * demo assumption; the report does not say where they are.
 */
export const RENAMING_HOOK: readonly {
  oldName: string;
  newName: string;
  divisionCode: string;
  origin: string;
  steps: { submittedOn: string; approvedOn: string; announcedOn: string };
}[] = [
  {
    oldName: SEED_2023.renamings[0].oldName,
    newName: SEED_2023.renamings[0].newName,
    divisionCode: '430503007000',
    origin: '“东方”沿用原名，“华庭”取华美庭院之意',
    steps: { submittedOn: '2023-05-08', approvedOn: '2023-06-16', announcedOn: '2023-06-30' },
  },
  {
    oldName: SEED_2023.renamings[1].oldName,
    newName: SEED_2023.renamings[1].newName,
    divisionCode: '430503009000',
    origin: '取“文雅庭苑”之意，与学院路文化氛围相合',
    steps: { submittedOn: '2023-08-14', approvedOn: '2023-09-20', announcedOn: '2023-10-09' },
  },
];

export const APPROVING_AUTHORITY = '邵阳市大祥区人民政府';

/** Runs the district's gazetteer and opens the campaign. */
export const DEMO_OFFICER: Actor = { userId: 'demo-place-names', kind: 'staff', roles: ['place-names-officer'], divisions: [COUNTY.code] };
/** The second officer who reviews naming proposals (the reviewer may not be the submitter). */
export const DEMO_REVIEWING_OFFICER: Actor = { userId: 'demo-place-names-2', kind: 'staff', roles: ['place-names-officer'], divisions: [COUNTY.code] };
/** The district approver of naming proposals. */
export const DEMO_APPROVER: Actor = { userId: 'demo-district-approver', kind: 'staff', roles: ['district-approver'], divisions: [COUNTY.code] };
/** The campaign's reviewers (township staff); their assignment lets them correct their records. */
export const DEMO_REVIEWERS: readonly Actor[] = Array.from({ length: 6 }, (_, i) => ({
  userId: `demo-place-names-reviewer-${i + 1}`,
  kind: 'staff' as const,
  roles: ['township-reviewer' as const],
  divisions: [COUNTY.code],
}));

export type PlannedResult =
  | { outcome: 'reviewed'; reviewedOn: string; note: string }
  | { outcome: Exclude<AuditOutcome, 'reviewed'>; reviewedOn: string; note: string; corrections: Omit<AuditCorrections, 'expectedVersion'> };

export interface PlannedPlace {
  input: NewPlaceName;
  result: PlannedResult;
}

/** Unique key of a record in the plan and in the database: division and standard name. */
export function placeKey(divisionCode: string, name: string): string {
  return `${divisionCode}|${name}`;
}

/** Outcome shares of the 2023 campaign: 72 % confirmed as is, 16 % corrected, 12 % supplemented. */
const OUTCOME_SHARES: readonly [AuditOutcome, number][] = [
  ['reviewed', 0.72],
  ['corrected', 0.16],
  ['supplemented', 0.12],
];

export interface DemoPlanOptions {
  seed?: number;
  /** Scales the generated categories (not the divisions and their committees); 1 = the report's figures. */
  scale?: number;
}

export function planPlaceNamesDemo(options: DemoPlanOptions = {}): PlannedPlace[] {
  const rng = seededRng(options.seed ?? 2023);
  const scale = options.scale ?? 1;
  const used = new Set<string>();
  const places: PlannedPlace[] = [];

  const coordinates = (): { longitude: number; latitude: number } => ({
    longitude: Math.round((111.38 + rng() * 0.22) * 1e6) / 1e6,
    latitude: Math.round((27.1 + rng() * 0.16) * 1e6) / 1e6,
  });
  const add = (input: NewPlaceName, prefix: string): void => {
    used.add(input.name);
    const withDetails: NewPlaceName = { ...input };
    if (rng() < 0.7) Object.assign(withDetails, coordinates());
    if (rng() < 0.6) Object.assign(withDetails, { approvingAuthority: APPROVING_AUTHORITY, approvalDate: addDays('1995-01-01', Math.floor(rng() * 9000)) });
    places.push({ input: withDetails, result: planResult(rng, withDetails, prefix) });
  };
  const freshPrefix = (generic: string): string => {
    for (let attempt = 0; attempt < 10_000; attempt += 1) {
      const first = pick(rng, SYLLABLES);
      const second = pick(rng, SYLLABLES);
      if (first === second) continue;
      const prefix = first + second;
      if (!used.has(prefix + generic)) return prefix;
    }
    throw new Error(`no free name with ${generic}`);
  };
  const township = (code: string): string => TOWNSHIPS.find((t) => t.code === code)?.name ?? COUNTY.name;

  // 行政区划 and 群众自治组织: the district, its townships, their communities and villages and the committees' seats.
  add({ name: COUNTY.name, category: 'administrative-division', divisionCode: COUNTY.code, type: '区', locationDescription: '邵阳市市辖区' }, '大祥');
  for (const t of TOWNSHIPS) {
    add({ name: t.name, category: 'administrative-division', divisionCode: t.code, type: t.level === 'street' ? '街道' : t.level === 'town' ? '镇' : '乡', locationDescription: `${COUNTY.name}辖` }, t.name.slice(0, 2));
  }
  // The village-level units are the division register's demo communities and villages (district-seed.ts).
  for (const unit of TOWNSHIPS.flatMap(seedVillageUnits)) {
    const community = unit.level === 'community';
    const prefix = unit.name.slice(0, 2);
    add({ name: unit.name, category: 'administrative-division', divisionCode: unit.code, type: community ? '社区' : '村', locationDescription: `${unit.township.name}辖` }, prefix);
    const seat = `${unit.name}${community ? '居民委员会' : '村民委员会'}`;
    add({ name: seat, category: 'committee-seat', divisionCode: unit.code, type: community ? '居民委员会' : '村民委员会', locationDescription: `${unit.township.name}${unit.name}` }, prefix);
  }

  // The seed's two residential areas under their 2023 names (renamed later by the naming workflow).
  for (const r of RENAMING_HOOK) {
    add({ name: r.oldName, category: 'residential-area-or-building', divisionCode: r.divisionCode, type: '小区', locationDescription: `${township(r.divisionCode)}境内` }, r.oldName.slice(0, 2));
  }

  for (const [category, generics] of Object.entries(GENERICS) as [keyof typeof GENERICS, readonly string[]][]) {
    const already = places.filter((p) => p.input.category === category).length;
    const wanted = Math.round(DEMO_COUNTS[category] * scale) - already;
    for (let i = 0; i < wanted; i += 1) {
      const generic = pick(rng, generics);
      const prefix = freshPrefix(generic);
      const t = pick(rng, TOWNSHIPS);
      add({ name: prefix + generic, category, divisionCode: t.code, type: generic, locationDescription: `${t.name}境内` }, prefix);
    }
  }
  return places;
}

/** The result the campaign records: confirmed, a location description corrected, or the origin (and coordinates) filled in. */
function planResult(rng: Rng, input: NewPlaceName, prefix: string): PlannedResult {
  const reviewedOn = addDays('2023-03-01', Math.floor(rng() * 275));
  const draw = rng();
  let outcome: AuditOutcome = 'reviewed';
  let cumulative = 0;
  for (const [o, share] of OUTCOME_SHARES) {
    cumulative += share;
    if (draw < cumulative) {
      outcome = o;
      break;
    }
  }
  switch (outcome) {
    case 'reviewed':
      return { outcome, reviewedOn, note: '与实地及档案一致' };
    case 'corrected':
      return { outcome, reviewedOn, note: '地理位置描述与实地不符，已更正', corrections: { locationDescription: `${input.locationDescription ?? ''}，经实地核对更正` } };
    case 'supplemented':
      return {
        outcome,
        reviewedOn,
        note: '补录地名含义',
        corrections: {
          origin: `以当地${prefix}得名`,
          ...(input.longitude === undefined ? { longitude: Math.round((111.38 + rng() * 0.22) * 1e6) / 1e6, latitude: Math.round((27.1 + rng() * 0.16) * 1e6) / 1e6 } : {}),
        },
      };
  }
}
