/**
 * What the parts of the social-affairs demo share: a seeded random generator (the data set is the
 * same on every run), the statutory calendar, the district's townships, people with valid resident
 * IDs and plausible names, the demo's staff actor, and a small pool to run service calls with
 * modest concurrency.
 */
import { CHINA_STATUTORY_CALENDAR_DATA, WorkingDayCalendar, addDays, buildResidentId, dayOfWeek } from '@civil/domain-kernel';
import type { Actor } from '@civil/contracts';
import { seededRng, type Rng } from '@civil/platform';

export { seededRng, type Rng };

export function intBetween(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

export function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** Splits `total` over the weights in whole numbers (largest remainder), deterministically. */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, rest: e - Math.floor(e) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left-- <= 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}

/** Runs `work` over `items` with at most `concurrency` in flight, in order of start. */
export async function inPool<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) await work(items[i] as T, i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** Groups items by a date and runs each date's items in a pool, date after date (so serials follow the calendar). */
export async function dayByDay<T>(items: readonly T[], dateOf: (item: T) => string, concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  const byDate = new Map<string, T[]>();
  for (const item of items) {
    const list = byDate.get(dateOf(item));
    if (list) list.push(item);
    else byDate.set(dateOf(item), [item]);
  }
  for (const date of [...byDate.keys()].sort()) await inPool(byDate.get(date) ?? [], concurrency, work);
}

/** The statutory calendar the kernel carries, as the services use it. */
export const CALENDAR = new WorkingDayCalendar({
  holidays: Object.values(CHINA_STATUTORY_CALENDAR_DATA).flatMap((year) => year.holidays),
  workingWeekends: Object.values(CHINA_STATUTORY_CALENDAR_DATA).flatMap((year) => year.workingWeekends),
});

/**
 * Days off before the kernel's calendar starts (2023): the holiday blocks of 2021 and 2022 (元旦,
 * 春节, 清明, 劳动节, 端午, 中秋, 国庆) as the notices of those years set them; before 2021 the demo
 * only keeps to weekdays. Only the demo's back-dated records use this.
 */
const EARLIER_DAYS_OFF: readonly [string, string][] = [
  ['2021-01-01', '2021-01-03'],
  ['2021-02-11', '2021-02-17'],
  ['2021-04-03', '2021-04-05'],
  ['2021-05-01', '2021-05-05'],
  ['2021-06-12', '2021-06-14'],
  ['2021-09-19', '2021-09-21'],
  ['2021-10-01', '2021-10-07'],
  ['2022-01-01', '2022-01-03'],
  ['2022-01-31', '2022-02-06'],
  ['2022-04-03', '2022-04-05'],
  ['2022-04-30', '2022-05-04'],
  ['2022-06-03', '2022-06-05'],
  ['2022-09-10', '2022-09-12'],
  ['2022-10-01', '2022-10-07'],
];

/** Whether the registry works on the date: the kernel's calendar from 2023, the list above before. */
export function isWorkingDay(date: string): boolean {
  if (date >= '2022-12-31') return CALENDAR.isWorkingDay(date);
  return dayOfWeek(date) <= 5 && !EARLIER_DAYS_OFF.some(([from, to]) => date >= from && date <= to);
}

const workingDayLists = new Map<string, readonly string[]>();

/** Every working day from `from` to `to`, both included (the lists are kept: plans ask often). */
export function workingDays(from: string, to: string): readonly string[] {
  const key = `${from}/${to}`;
  let days = workingDayLists.get(key);
  if (days === undefined) {
    const list: string[] = [];
    for (let d = from; d <= to; d = addDays(d, 1)) if (isWorkingDay(d)) list.push(d);
    days = list;
    workingDayLists.set(key, days);
  }
  return days;
}

/** The first working day after `date`. */
export function nextWorkingDay(date: string): string {
  let d = addDays(date, 1);
  while (!isWorkingDay(d)) d = addDays(d, 1);
  return d;
}

/** 大祥区's township-level units (街道, 镇, 乡) with their names. */
export const TOWNSHIPS: readonly { code: string; name: string }[] = [
  { code: '430503001000', name: '中心路街道' },
  { code: '430503002000', name: '红旗路街道' },
  { code: '430503003000', name: '城北路街道' },
  { code: '430503004000', name: '城西街道' },
  { code: '430503005000', name: '翠园街道' },
  { code: '430503006000', name: '百春园街道' },
  { code: '430503007000', name: '城南街道' },
  { code: '430503008000', name: '火车南站街道' },
  { code: '430503009000', name: '学院路街道' },
  { code: '430503010000', name: '雨溪街道' },
  { code: '430503011000', name: '檀江街道' },
  { code: '430503101000', name: '罗市镇' },
  { code: '430503202000', name: '蔡锷乡' },
  { code: '430503203000', name: '板桥乡' },
];

/** Counties a partner from outside the district often comes from (邵阳's other counties, Changsha, Guangdong). */
const OTHER_COUNTIES = ['430502', '430511', '430522', '430523', '430524', '430525', '430527', '430528', '430581', '430582', '430102', '430105', '440306', '440106', '441900'];

const SURNAMES = ['李', '王', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗', '邓', '曾', '谢', '唐', '彭', '蒋', '肖', '袁', '伍', '邹', '刘', '李', '王', '罗', '曾', '申', '姚', '宁', '贺', '尹'];
const MALE_GIVEN = ['伟', '强', '磊', '军', '洋', '勇', '杰', '涛', '明', '超', '刚', '建华', '国强', '志明', '德明', '浩', '鹏', '俊杰', '宇航', '子豪', '文博', '家乐', '振宇', '海峰', '晓东', '志勇', '建军', '凯', '斌', '亮', '林峰', '思远', '嘉豪', '立新', '卫东'];
const FEMALE_GIVEN = ['芳', '娜', '秀英', '敏', '静', '丽', '艳', '娟', '霞', '平', '桂英', '春梅', '玉兰', '小红', '婷', '雪', '慧', '倩', '佳怡', '梦瑶', '欣怡', '思雨', '雨涵', '诗琪', '晓燕', '丽娟', '文静', '美玲', '海燕', '红梅', '紫涵', '颖', '琳', '露', '璐'];

export type Sex = 'male' | 'female';

export interface DemoPerson {
  name: string;
  sex: Sex;
  birthDate: string;
  residentId: string;
  /** 户籍: a township of the district (12 digits) or another county (6 digits). */
  hukouDivisionCode: string;
}

/** Makes people with distinct resident IDs. Sequences 1–499 only: the allowance demo uses 500 and up. */
export class PeopleFactory {
  private readonly used = new Set<string>();

  constructor(private readonly rng: Rng) {}

  person(sex: Sex, birthDate: string, local: boolean): DemoPerson {
    const county = local ? '430503' : pick(this.rng, OTHER_COUNTIES);
    for (;;) {
      // The sequence's last digit gives the sex: odd for men, even for women.
      const sequence = 2 * intBetween(this.rng, 0, 248) + (sex === 'male' ? 1 : 2);
      const residentId = buildResidentId(county, birthDate, sequence).value;
      if (this.used.has(residentId)) continue;
      this.used.add(residentId);
      const given = pick(this.rng, sex === 'male' ? MALE_GIVEN : FEMALE_GIVEN);
      return { name: `${pick(this.rng, SURNAMES)}${given}`, sex, birthDate, residentId, hukouDivisionCode: local ? pick(this.rng, TOWNSHIPS).code : county };
    }
  }

  /** A birth date on which the person is exactly `age` on `onDate` (the birthday already passed that year). */
  birthDateForAge(onDate: string, age: number): string {
    const start = `${Number(onDate.slice(0, 4)) - age - 1}${onDate.slice(4)}`;
    return addDays(start.endsWith('-02-29') ? start.replace('-02-29', '-02-28') : start, intBetween(this.rng, 1, 364));
  }

  randomName(sex: Sex): string {
    return `${pick(this.rng, SURNAMES)}${pick(this.rng, sex === 'male' ? MALE_GIVEN : FEMALE_GIVEN)}`;
  }
}

/** The district's registry, seeded by migration 1764000003000. */
export const REGISTRY_ID = '0193a0a0-0000-7000-8000-000000000001';
/** The district's social work station, seeded by migration 1764000023000. */
export const STATION_ID = '0193a0a0-0000-7000-8000-0000000000d1';

/** The district registry's staff: registrars, who also record organisations, social work and counselling. */
export const REGISTRAR: Actor = { userId: 'demo-registrar', kind: 'staff', roles: ['registrar'], divisions: ['430503'] };
/** Reads the figures back as the bureau's leaders would. */
export const READER: Actor = { userId: 'demo-leader', kind: 'staff', roles: ['leader'], divisions: ['430503'] };
