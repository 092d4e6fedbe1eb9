/**
 * What the parts of the elderly-care demo share: a seeded random generator (the data set is the
 * same on every run), the district's townships, names, the demo's actors, a small pool.
 */
import { addDays, dayOfWeek } from '@civil/domain-kernel';
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

/** Runs `work` over `items` with at most `concurrency` in flight, in order of start. */
export async function inPool<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) await work(items[i] as T, i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** The date itself when it is Monday–Friday, else the following Monday. */
export function weekdayOnOrAfter(date: string): string {
  const dow = dayOfWeek(date);
  return dow <= 5 ? date : addDays(date, 8 - dow);
}

/** A date `min`–`max` days after `date`, on a weekday. */
export function weekdayAfter(rng: Rng, date: string, min: number, max: number): string {
  return weekdayOnOrAfter(addDays(date, intBetween(rng, min, max)));
}

/** The district's townships (streets, the town and the two 乡). */
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

const SURNAMES = ['李', '王', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '罗', '邓', '曾', '谢', '唐', '彭', '蒋', '肖', '袁', '伍', '邹', '申', '姚', '宁', '贺', '尹'];
const GIVEN = ['秀英', '桂英', '玉兰', '春梅', '淑珍', '桂兰', '凤英', '翠兰', '德明', '国华', '建国', '志明', '长生', '福生', '金生', '树林', '冬梅', '菊香', '满秀', '正清', '光辉', '炳南', '友良', '运生'];

/** An older person's name, the same for the same number. */
export function olderName(n: number): string {
  return `${SURNAMES[n % SURNAMES.length] ?? '李'}${GIVEN[Math.floor(n / SURNAMES.length) % GIVEN.length] ?? '秀英'}`;
}

/** The district's elderly-care office: registers, sweeps, pays and records. */
export const OFFICER: Actor = { userId: 'demo-elderly-care', kind: 'staff', roles: ['elderly-care-officer'], divisions: ['430503'] };
/** Reads the figures back as the bureau's leaders would. */
export const READER: Actor = { userId: 'demo-leader', kind: 'staff', roles: ['leader'], divisions: ['430503'] };
