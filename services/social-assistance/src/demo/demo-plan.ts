/**
 * The plan of the 2023 demo data set: who lives where, which 低保 cases were open on 1 January,
 * which started and stopped in which month at what amount, the 特困 persons, the temporary
 * assistance cases. Pure and deterministic (a seeded generator); `demo-generator.ts` carries it
 * out through the service's own domain code, and the payrolls then pay what the plan predicts.
 *
 * How the figures come out exact: persons and households are counted by construction; the
 * person-months of each class are fixed by the per-capita level (paid ÷ person-months must round
 * to the report's level) and reached by choosing the months of the cases that started or stopped
 * mid-year; the amount paid is reached to the fen by choosing each household's income, since the
 * benefit is (standard − per-capita income) × persons (+ top-ups for minors). 特困 amounts are
 * fixed by the rule table, so that total is reached by choosing self-care levels and mid-year
 * months. Temporary assistance amounts are free within the cap.
 */
import { buildResidentId, Period, addDays } from '@civil/domain-kernel';
import { computeDibaoBenefit, perCapitaMonthlyLevel } from '../dibao/domain/benefit';
import { SEED_2023, type UrbanRural } from './seed-2023';
import { seededRng, type Rng } from '@civil/platform';

export { seededRng, type Rng };

function intBetween(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

const YEAR = SEED_2023.year;
const period = (month: number): string => Period.of(YEAR, month).toString();
const date = (month: number, day: number): string => `${YEAR}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/** 大祥区's township-level units; urban households live in 街道 communities, rural ones in villages. */
const URBAN_TOWNSHIPS = ['001', '002', '003', '004', '005', '006', '007', '008', '009', '010', '011'];
const RURAL_TOWNSHIPS = ['101', '202', '203', '010', '011', '007'];
const TOWNSHIP_NAMES: Record<string, string> = {
  '001': '中心路街道',
  '002': '红旗路街道',
  '003': '城北路街道',
  '004': '城西街道',
  '005': '翠园街道',
  '006': '百春园街道',
  '007': '城南街道',
  '008': '火车南站街道',
  '009': '学院路街道',
  '010': '雨溪街道',
  '011': '檀江街道',
  '101': '罗市镇',
  '202': '蔡锷乡',
  '203': '板桥乡',
};

const SURNAMES = ['李', '王', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗', '邓', '曾', '谢', '唐', '彭', '蒋', '肖', '袁', '伍', '邹'];
const GIVEN = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞', '平', '刚', '桂英', '建华', '国强', '春梅', '志明', '玉兰', '德明', '小红'];

export interface PlannedMember {
  name: string;
  residentId: string;
  relationship: 'head' | 'spouse' | 'child' | 'parent';
  birthDate: string;
}

export interface PlannedHousehold {
  divisionCode: string;
  urbanRural: UrbanRural;
  address: string;
  members: PlannedMember[];
}

/** The household's recorded monthly income (on the head) that makes the benefit come out as planned. */
export interface PlannedIncome {
  monthlyAmountFen: number;
  kind: 'pension' | 'wages' | 'transfer';
  asOf: string;
}

export type DibaoCasePlan =
  | { origin: 'opening'; startPeriod: string; lastReviewedOn: string; stopMonth: number | null; stopReason: string | null }
  | { origin: 'new'; submitOn: string; approveOn: string; startMonth: number };

export interface PlannedDibaoHousehold {
  household: PlannedHousehold;
  income: PlannedIncome;
  plan: DibaoCasePlan;
  /** What the benefit rules must give: persons × per-person benefit + minors' top-ups. */
  monthlyAmountFen: number;
  /** Months paid in the year. */
  monthsPaid: number;
}

export interface PlannedTekunPerson {
  household: PlannedHousehold;
  careMode: 'centralized' | 'dispersed';
  selfCareLevel: 'full' | 'partial' | 'none';
  institutionName?: string;
  /** opening: supported since before the year; enrolled: decided in `decisionMonth`, paid from the next; died: in `deathMonth`. */
  origin: 'opening' | 'enrolled';
  decisionMonth: number | null;
  deathMonth: number | null;
  monthlyAmountFen: number;
  monthsPaid: number;
}

export interface PlannedTemporaryCase {
  /** Index into the 低保 households of the plan. */
  dibaoHouseholdIndex: number;
  kind: 'emergency' | 'expenditure';
  cause: string;
  persons: number;
  amountFen: number;
  onDate: string;
}

export interface DemoRules {
  dibaoStandardFen: Record<UrbanRural, number>;
  dibaoFloorBp: Record<UrbanRural, number>;
  minorTopUpBp: number;
  /** The monthly 特困 amount for a placement, from the rule table (computeTekunAmount). */
  tekunAmountFen: (urbanRural: UrbanRural, careMode: 'centralized' | 'dispersed', level: 'full' | 'partial' | 'none') => number;
  temporaryCapBp: number;
}

export interface DemoPlan {
  dibao: PlannedDibaoHousehold[];
  tekun: PlannedTekunPerson[];
  temporary: PlannedTemporaryCase[];
}

/** The date 低保 imports and 特困 imports are valued on: the day this system took over. */
export const TAKE_OVER_DATE = `${YEAR}-01-01`;

class People {
  private readonly used = new Set<string>();
  constructor(private readonly rng: Rng) {}

  person(relationship: PlannedMember['relationship'], birthDate: string, sex: 'male' | 'female', surname?: string): PlannedMember {
    for (let sequence = intBetween(this.rng, 0, 900); ; sequence = (sequence + 1) % 1000) {
      // Odd sequence numbers are men, even ones women (GB 11643).
      if ((sequence % 2 === 1) !== (sex === 'male')) continue;
      const id = buildResidentId('430503', birthDate, sequence);
      if (this.used.has(id.value)) continue;
      this.used.add(id.value);
      return { name: `${surname ?? pick(this.rng, SURNAMES)}${pick(this.rng, GIVEN)}`, residentId: id.value, relationship, birthDate };
    }
  }

  birthDate(ageFrom: number, ageTo: number): string {
    const age = intBetween(this.rng, ageFrom, ageTo);
    return addDays(`${YEAR - age - 1}-01-01`, intBetween(this.rng, 1, 364));
  }

  /** A household of `size`: a head, a spouse, then children (some minors) or a parent. */
  household(urbanRural: UrbanRural, size: number, township: string, headAge: [number, number] = [35, 85]): PlannedHousehold {
    const surname = pick(this.rng, SURNAMES);
    const headSex = this.rng() < 0.6 ? 'male' : 'female';
    const headBirth = this.birthDate(headAge[0], headAge[1]);
    const members: PlannedMember[] = [this.person('head', headBirth, headSex, surname)];
    const headYear = Number(headBirth.slice(0, 4));
    if (size >= 2) members.push(this.person('spouse', this.birthDate(YEAR - headYear - 3, YEAR - headYear + 3), headSex === 'male' ? 'female' : 'male'));
    for (let i = 2; i < size; i++) {
      const childAgeMax = Math.max(1, YEAR - headYear - 20);
      members.push(this.person('child', this.birthDate(Math.max(1, childAgeMax - 15), childAgeMax), this.rng() < 0.5 ? 'male' : 'female', surname));
    }
    const community = urbanRural === 'urban' ? String(intBetween(this.rng, 1, 8)).padStart(3, '0') : String(intBetween(this.rng, 201, 215));
    return {
      divisionCode: `430503${township}${community}`,
      urbanRural,
      address: `${TOWNSHIP_NAMES[township] ?? ''}${urbanRural === 'urban' ? `${community}社区` : `${community}村`}${intBetween(this.rng, 1, 60)}号`,
      members,
    };
  }
}

/** Household sizes for `households` households of `persons` persons in all, with some single people kept. */
function sizes(rng: Rng, households: number, persons: number): number[] {
  const result = Array.from({ length: households }, () => 1);
  let extra = persons - households;
  if (extra < 0) throw new Error(`${persons} persons cannot fill ${households} households`);
  const keepSingle = Math.min(households, 5);
  while (extra > 0) {
    const i = intBetween(rng, keepSingle, households - 1);
    if ((result[i] ?? 0) >= 6) continue;
    result[i] = (result[i] ?? 0) + 1;
    extra--;
  }
  return shuffled(rng, result);
}

/** Moves months (1–11) of flexible entries up or down until Σ size × months equals `target`. */
function fitMonths(entries: { size: number; months: number }[], target: number): void {
  let diff = target - entries.reduce((s, e) => s + e.size * e.months, 0);
  for (let pass = 0; diff !== 0; pass++) {
    if (pass > 100) throw new Error(`cannot fit person-months: ${diff} left`);
    for (const e of entries) {
      if (diff > 0 && e.months < 11 && e.size <= diff) {
        e.months++;
        diff -= e.size;
      } else if (diff < 0 && e.months > 1 && e.size <= -diff) {
        e.months--;
        diff += e.size;
      }
      if (diff === 0) break;
    }
  }
}

const STOP_REASONS = ['家庭人均收入超过低保标准', '家庭财产状况超过规定', '死亡', '迁出本区', '连续6个月未领取低保金'];

interface ClassTargets {
  urbanRural: UrbanRural;
  newHouseholds: number;
  newPersons: number;
  stoppedHouseholds: number;
  stoppedPersons: number;
  yearEndHouseholds: number;
  yearEndPersons: number;
  paidFen: number;
  levelFen: number;
}

function planDibaoClass(rng: Rng, people: People, rules: DemoRules, t: ClassTargets): PlannedDibaoHousehold[] {
  const townships = t.urbanRural === 'urban' ? URBAN_TOWNSHIPS : RURAL_TOWNSHIPS;
  const personMonths = Math.round(t.paidFen / t.levelFen);
  if (perCapitaMonthlyLevel(t.paidFen, personMonths) !== t.levelFen) throw new Error(`no whole number of person-months gives ${t.levelFen} fen from ${t.paidFen}`);
  const continuingHouseholds = t.yearEndHouseholds - t.newHouseholds;
  const continuingPersons = t.yearEndPersons - t.newPersons;

  type Draft = { size: number; months: number; group: 'continuing' | 'stopped' | 'new' };
  const drafts: Draft[] = [
    ...sizes(rng, continuingHouseholds, continuingPersons).map((size): Draft => ({ size, months: 12, group: 'continuing' })),
    ...sizes(rng, t.stoppedHouseholds, t.stoppedPersons).map((size): Draft => ({ size, months: intBetween(rng, 1, 11), group: 'stopped' })),
    ...sizes(rng, t.newHouseholds, t.newPersons).map((size): Draft => ({ size, months: intBetween(rng, 1, 11), group: 'new' })),
  ];
  const flexible = shuffled(
    rng,
    drafts.filter((d) => d.group !== 'continuing'),
  );
  // One single person paid for one month makes every fen of the amount reachable (weight 1).
  const anchor = flexible.find((d) => d.size === 1);
  if (!anchor) throw new Error('the plan needs a single-person household that started or stopped');
  anchor.months = 1;
  fitMonths(
    flexible.filter((d) => d !== anchor),
    personMonths - continuingPersons * 12 - 1,
  );

  const standard = rules.dibaoStandardFen[t.urbanRural];
  const floor = Math.round((standard * rules.dibaoFloorBp[t.urbanRural]) / 10_000);
  const planned = drafts.map((d) => {
    const township = pick(rng, townships);
    const household = people.household(t.urbanRural, d.size, township);
    let plan: DibaoCasePlan;
    if (d.group === 'new') {
      const startMonth = 13 - d.months;
      const approveOn = date(startMonth - 1, 25);
      plan = { origin: 'new', submitOn: addDays(approveOn, -16), approveOn, startMonth };
    } else {
      const stopMonth = d.group === 'stopped' ? d.months : null;
      const reviewMonth = stopMonth ?? intBetween(rng, 1, 12);
      plan = {
        origin: 'opening',
        startPeriod: Period.of(intBetween(rng, 2012, 2021), intBetween(rng, 1, 12)).toString(),
        lastReviewedOn: `${YEAR - 1}-${String(reviewMonth).padStart(2, '0')}-${String(intBetween(rng, 3, 20)).padStart(2, '0')}`,
        stopMonth,
        stopReason: stopMonth === null ? null : pick(rng, STOP_REASONS),
      };
    }
    const valuedOn = plan.origin === 'new' ? plan.approveOn : TAKE_OVER_DATE;
    const minors = household.members.filter((m) => ageOn(m.birthDate, valuedOn) < 18).length;
    return { draft: d, household, plan, valuedOn, topUpFen: minors * Math.round((standard * rules.minorTopUpBp) / 10_000) };
  });

  // Per-person benefit: one base for all, then +fen on the heaviest households until the total is exact.
  const fixed = planned.reduce((s, p) => s + p.draft.months * p.topUpFen, 0);
  const base = Math.floor((t.paidFen - fixed) / personMonths);
  if (base < floor || base >= standard) throw new Error(`a per-person benefit of ${base} fen is outside [${floor}, ${standard})`);
  const benefit = planned.map(() => base);
  let rest = t.paidFen - fixed - base * personMonths;
  const order = planned.map((p, i) => ({ i, weight: p.draft.size * p.draft.months })).sort((a, b) => b.weight - a.weight);
  for (let pass = 0; rest > 0; pass++) {
    if (pass > 10_000) throw new Error(`cannot place the last ${rest} fen`);
    for (const { i, weight } of order) {
      const step = Math.min(Math.floor(rest / weight), 30);
      if (step > 0 && (benefit[i] ?? 0) + step < standard) {
        benefit[i] = (benefit[i] ?? 0) + step;
        rest -= step * weight;
      }
    }
  }

  return planned.map((p, i) => {
    const perPerson = benefit[i] ?? base;
    const size = p.draft.size;
    const income: PlannedIncome = {
      monthlyAmountFen: size * (standard - perPerson),
      kind: ageOn(p.household.members[0]?.birthDate ?? TAKE_OVER_DATE, p.valuedOn) >= 60 ? 'pension' : pick(rng, ['wages', 'transfer'] as const),
      asOf: p.plan.origin === 'new' ? p.plan.submitOn : `${YEAR - 1}-12-01`,
    };
    const result = computeDibaoBenefit({
      rule: { monthlyStandardFen: standard, floorBp: rules.dibaoFloorBp[t.urbanRural], topUpsBp: { minor: rules.minorTopUpBp } },
      householdMonthlyIncomeFen: income.monthlyAmountFen,
      householdSize: size,
      coveredMembers: p.household.members.map((m) => ({ classifications: ageOn(m.birthDate, p.valuedOn) < 18 ? ['minor' as const] : [] })),
    });
    if (result.monthlyAmountFen !== size * perPerson + p.topUpFen) throw new Error('the benefit rules do not give the planned amount');
    return { household: p.household, income, plan: p.plan, monthlyAmountFen: result.monthlyAmountFen, monthsPaid: p.draft.months };
  });
}

function ageOn(birthDate: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return on.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

const INSTITUTIONS = ['大祥区社会福利中心', '罗市镇敬老院', '蔡锷乡敬老院', '板桥乡敬老院', '檀江街道敬老院'];
const LEVELS = ['full', 'partial', 'none'] as const;

/**
 * 特困: year-end persons by care mode as the report says, some enrolled during the year, some who
 * died during it; self-care levels and mid-year months chosen so the year's payrolls total exactly.
 */
function planTekun(rng: Rng, people: People, rules: DemoRules): PlannedTekunPerson[] {
  const seed = SEED_2023.tekun;
  type Draft = { careMode: 'centralized' | 'dispersed'; urbanRural: UrbanRural; level: (typeof LEVELS)[number]; origin: 'opening' | 'enrolled'; months: number; died: boolean };
  const drafts: Draft[] = [];
  const add = (careMode: Draft['careMode'], count: number, enrolled: number, died: number): void => {
    for (let i = 0; i < count + died; i++) {
      const isDead = i >= count;
      const isEnrolled = !isDead && i < enrolled;
      const levelRoll = rng();
      drafts.push({
        careMode,
        urbanRural: rng() < 0.2 ? 'urban' : 'rural',
        level: careMode === 'dispersed' ? (levelRoll < 0.8 ? 'full' : levelRoll < 0.95 ? 'partial' : 'none') : levelRoll < 0.4 ? 'full' : levelRoll < 0.75 ? 'partial' : 'none',
        origin: isEnrolled ? 'enrolled' : 'opening',
        months: isEnrolled || isDead ? intBetween(rng, 1, 11) : 12,
        died: isDead,
      });
    }
  };
  add('centralized', seed.centralized, 8, 4);
  add('dispersed', seed.dispersed, 40, 14);
  const amounts = new Map<string, number>();
  const amount = (d: Draft, level = d.level): number => {
    const key = `${d.urbanRural}/${d.careMode}/${level}`;
    let value = amounts.get(key);
    if (value === undefined) amounts.set(key, (value = rules.tekunAmountFen(d.urbanRural, d.careMode, level)));
    return value;
  };
  const total = (): number => drafts.reduce((s, d) => s + amount(d) * d.months, 0);

  type Move = { index: number; level?: Draft['level']; months?: number; delta: number };
  const moves = (): Move[] => {
    const list: Move[] = [];
    drafts.forEach((d, index) => {
      for (const level of LEVELS) if (level !== d.level) list.push({ index, level, delta: (amount(d, level) - amount(d)) * d.months });
      if (d.months < 12 && d.months < 11) list.push({ index, months: d.months + 1, delta: amount(d) });
      if (d.months < 12 && d.months > 1) list.push({ index, months: d.months - 1, delta: -amount(d) });
    });
    return list;
  };
  const apply = (m: Move): void => {
    const d = drafts[m.index];
    if (!d) return;
    if (m.level) d.level = m.level;
    if (m.months !== undefined) d.months = m.months;
  };

  // Greedy towards the target, then an exact finish with one or two moves on different persons.
  for (let round = 0; ; round++) {
    if (round > 5000) throw new Error('cannot reach the 特困 total');
    const rest = seed.paidFen - total();
    if (rest === 0) break;
    const all = moves();
    const byDelta = new Map<number, Move>();
    for (const m of all) byDelta.set(m.delta, m);
    const single = byDelta.get(rest);
    if (single) {
      apply(single);
      continue;
    }
    const pair = all.map((m) => [m, byDelta.get(rest - m.delta)] as const).find(([m, other]) => other !== undefined && other.index !== m.index);
    if (pair?.[1]) {
      apply(pair[0]);
      apply(pair[1]);
      continue;
    }
    const closer = all.filter((m) => Math.abs(rest - m.delta) < Math.abs(rest));
    apply(closer.length > 0 && Math.abs(rest) > 200_000 ? pick(rng, closer) : pick(rng, all));
  }

  return drafts.map((d) => {
    const township = d.urbanRural === 'urban' ? pick(rng, URBAN_TOWNSHIPS) : pick(rng, RURAL_TOWNSHIPS);
    const household = people.household(d.urbanRural, 1, township, [62, 92]);
    const decisionMonth = d.origin === 'enrolled' ? 12 - d.months : null;
    return {
      household,
      careMode: d.careMode,
      selfCareLevel: d.level,
      ...(d.careMode === 'centralized' ? { institutionName: pick(rng, INSTITUTIONS) } : {}),
      origin: d.origin,
      decisionMonth,
      deathMonth: d.died ? d.months : null,
      monthlyAmountFen: amount(d),
      monthsPaid: d.months,
    };
  });
}

const EMERGENCY_CAUSES = ['房屋失火', '突发重病住院', '交通事故', '洪涝灾害房屋受损', '意外伤害'];
const EXPENDITURE_CAUSES = ['大病医疗自付费用过高', '子女就学费用', '慢性病长期医疗支出', '重度残疾康复费用'];

/** 临时救助: cases over the year whose persons and amounts add up to the report's figures. */
function planTemporary(rng: Rng, rules: DemoRules, dibao: readonly PlannedDibaoHousehold[]): PlannedTemporaryCase[] {
  const seed = SEED_2023.temporary;
  const cases: PlannedTemporaryCase[] = [];
  let persons = 0;
  while (persons < seed.personTimes) {
    const index = intBetween(rng, 0, dibao.length - 1);
    const household = dibao[index];
    if (!household) continue;
    const size = Math.min(household.household.members.length, seed.personTimes - persons);
    const kind = rng() < 0.6 ? 'emergency' : 'expenditure';
    cases.push({
      dibaoHouseholdIndex: index,
      kind,
      cause: pick(rng, kind === 'emergency' ? EMERGENCY_CAUSES : EXPENDITURE_CAUSES),
      persons: size,
      amountFen: 0,
      onDate: date(intBetween(rng, 1, 12), intBetween(rng, 1, 28)),
    });
    persons += size;
  }
  const capOf = (c: PlannedTemporaryCase): number => {
    const standard = rules.dibaoStandardFen[dibao[c.dibaoHouseholdIndex]?.household.urbanRural ?? 'rural'];
    return Math.floor((standard * rules.temporaryCapBp) / 10_000);
  };
  // Amounts in whole yuan around the average per person, within the cap; the rest spread where there is room.
  const perPerson = seed.amountFen / seed.personTimes;
  for (const c of cases) c.amountFen = Math.min(capOf(c), Math.round((c.persons * perPerson * (0.6 + rng() * 0.5)) / 100) * 100);
  let rest = seed.amountFen - cases.reduce((s, c) => s + c.amountFen, 0);
  for (let pass = 0; rest !== 0; pass++) {
    if (pass > 1000) throw new Error(`cannot place ${rest} fen of temporary assistance`);
    for (const c of cases) {
      const room = rest > 0 ? capOf(c) - c.amountFen : 10_000 - c.amountFen;
      const step = rest > 0 ? Math.min(room, rest, 50_000) : Math.max(room, rest, -50_000);
      if ((rest > 0 && step > 0) || (rest < 0 && step < 0)) {
        c.amountFen += step;
        rest -= step;
      }
      if (rest === 0) break;
    }
  }
  return cases.sort((a, b) => a.onDate.localeCompare(b.onDate));
}

export function planDemo2023(rules: DemoRules, seedNumber = 2023): DemoPlan {
  const rng = seededRng(seedNumber);
  const people = new People(rng);
  const d = SEED_2023.dibao;
  // The seed gives flows for urban and rural together; the split is the plan's choice.
  const ruralNew = { households: 190, persons: 500 };
  const ruralStopped = { households: 130, persons: 200 };
  const urban = planDibaoClass(rng, people, rules, {
    urbanRural: 'urban',
    newHouseholds: d.newHouseholds - ruralNew.households,
    newPersons: d.newPersons - ruralNew.persons,
    stoppedHouseholds: d.stoppedHouseholds - ruralStopped.households,
    stoppedPersons: d.stoppedPersons - ruralStopped.persons,
    yearEndHouseholds: d.yearEnd.urban.households,
    yearEndPersons: d.yearEnd.urban.persons,
    paidFen: d.paidFen.urban,
    levelFen: d.perCapitaLevelFen.urban,
  });
  const rural = planDibaoClass(rng, people, rules, {
    urbanRural: 'rural',
    newHouseholds: ruralNew.households,
    newPersons: ruralNew.persons,
    stoppedHouseholds: ruralStopped.households,
    stoppedPersons: ruralStopped.persons,
    yearEndHouseholds: d.yearEnd.rural.households,
    yearEndPersons: d.yearEnd.rural.persons,
    paidFen: d.paidFen.rural,
    levelFen: d.perCapitaLevelFen.rural,
  });
  const dibao = [...urban, ...rural];
  return { dibao, tekun: planTekun(rng, people, rules), temporary: planTemporary(rng, rules, dibao) };
}

/** Exposed for the plan's own tests. */
export const planInternals = { period, date, fitMonths, sizes };
