/**
 * The state a working day starts from, set up through the gateway as clerks, registrars and
 * officers would (plus a bulk gazetteer written in SQL with the search bench's generator, marked
 * demo, since 20,000 names one POST at a time would dominate the set-up):
 *
 *  - staff tokens: a clerk, a leader, a place-names officer, an elderly-care officer, a registrar;
 *  - HOUSEHOLDS 低保/临时救助 households registered by the clerk (a head and a child each, valid
 *    430503 resident IDs), and one citizen token per head: these citizens are the mix's applicants;
 *  - 10 days × 8 slots × 1000 places at 雨溪公墓 opened by the registrar;
 *  - 200 place names recorded by the officer; the 20,000-name gazetteer the searches run against;
 *  - 20 低保 applications (households 0–19) and REFUSERS marriage appointments (the last REFUSERS
 *    heads) so that the staff reads have applications to open and the deliberate double booking
 *    has citizens who already hold an appointment.
 */
import { Client } from 'pg';
import { addDays, buildResidentId, todayInShanghai } from '@civil/domain-kernel';
import type { Stack } from '@civil/launcher';
import { devToken, inBatches, must } from './http';
import { generatePlaceNames } from '../place-names-data';

/** 雨溪公墓, the reference site of the cemetery migration (as in cemetery-bench). */
export const SITE = '0193a0a0-0000-7000-8000-0000000000c1';
/** 邵阳市大祥区婚姻登记处, reference data: 40 appointments a day, booked up to 90 days ahead. */
export const REGISTRY = '0193a0a0-0000-7000-8000-000000000001';
export const MARRIAGE_DAILY_CAPACITY = 40;
/** Days the mix books marriages on (today + 1 … today + 89); day 90 is kept for the refused double bookings. */
export const MARRIAGE_DAYS = 89;
export const CEMETERY_DAYS = 10;
export const CEMETERY_SLOTS_PER_DAY = 8;
const CEMETERY_CAPACITY = 1000;
const SEEDED_APPLICATIONS = 20;
export const REFUSERS = 20;
const API_PLACE_NAMES = 200;
const PARALLEL = 16;

export const EVENT_TYPES = {
  householdRegistered: 'civil.social-assistance.household.registered.v1',
  dibaoSubmitted: 'civil.social-assistance.dibao-application.submitted.v1',
  marriageBooked: 'civil.social-affairs.marriage-appointment.booked.v1',
  cemeteryConfirmed: 'civil.social-affairs.cemetery-booking.confirmed.v1',
  placeNamed: 'civil.place-names.place-name.named.v1',
} as const;
export type TrackedEvent = (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES];

const HOUSEHOLD_DIVISIONS = [
  { code: '430503001', urbanRural: 'urban' },
  { code: '430503003', urbanRural: 'urban' },
  { code: '430503007', urbanRural: 'urban' },
  { code: '430503101', urbanRural: 'rural' },
  { code: '430503202', urbanRural: 'rural' },
] as const;
/** Township codes of 大祥区's streets, where the officer records new names. */
export const STREET_TOWNSHIPS = ['430503001', '430503002', '430503003', '430503004', '430503005', '430503006', '430503007', '430503008', '430503009', '430503010', '430503011'];

/** Resident IDs of the seed: head i, child i, and the partner the head names when booking a marriage. */
export function headId(i: number): string {
  return buildResidentId('430503', addDays('1960-01-01', i), 101).value;
}
function childId(i: number): string {
  return buildResidentId('430503', addDays('1995-01-01', i), 202).value;
}
export function partnerId(i: number): string {
  return buildResidentId('430503', addDays('1962-01-01', i), 304).value;
}

export interface Household {
  id: string;
  divisionCode: string;
  head: string;
  token: string;
}
export interface Slot {
  id: string;
  visitDate: string;
  startsAt: string;
}
export interface Seed {
  tokens: { clerk: string; leader: string; officer: string; elderly: string; registrar: string };
  households: Household[];
  slots: Slot[];
  placeIds: string[];
  applicationIds: string[];
  /** The first household whose 低保 application the mix may file (the ones before were filed in set-up). */
  firstDibaoHousehold: number;
  today: string;
  /** Writes answered 2xx during the set-up, per event type they emit. */
  accepted: Map<TrackedEvent, number>;
}

export async function seed(stack: Stack, households: number, gazetteer: number, out: (line: string) => void): Promise<Seed> {
  const url = stack.gatewayUrl;
  const accepted = new Map<TrackedEvent, number>();
  const count = (type: TrackedEvent, n = 1): void => void accepted.set(type, (accepted.get(type) ?? 0) + n);
  const district = ['430503'];
  const tokens = {
    clerk: await devToken(url, { userId: 'load-clerk', kind: 'staff', roles: ['clerk'], divisions: district }),
    leader: await devToken(url, { userId: 'load-leader', kind: 'staff', roles: ['leader'], divisions: district }),
    officer: await devToken(url, { userId: 'load-officer', kind: 'staff', roles: ['place-names-officer'], divisions: district }),
    elderly: await devToken(url, { userId: 'load-elderly', kind: 'staff', roles: ['elderly-care-officer'], divisions: district }),
    registrar: await devToken(url, { userId: 'load-registrar', kind: 'staff', roles: ['registrar'], divisions: district }),
  };
  const today = todayInShanghai();

  const t0 = Date.now();
  const registered = await inBatches(households, PARALLEL, async (i) => {
    const division = HOUSEHOLD_DIVISIONS[i % HOUSEHOLD_DIVISIONS.length] ?? HOUSEHOLD_DIVISIONS[0];
    const head = headId(i);
    const body = await must<{ id: string; divisionCode: string }>(url, 'POST', '/api/v1/social-assistance/households', 201, {
      token: tokens.clerk,
      body: {
        divisionCode: division.code,
        urbanRural: division.urbanRural,
        address: `负载测试户 ${i} 号`,
        members: [
          { name: `户主${i}`, residentId: head, relationship: 'head' },
          { name: `子女${i}`, residentId: childId(i), relationship: 'child' },
        ],
      },
    });
    count(EVENT_TYPES.householdRegistered);
    const token = await devToken(url, { userId: `load-citizen-${i}`, kind: 'citizen', roles: ['citizen'], residentId: head });
    return { id: body.id, divisionCode: body.divisionCode, head, token };
  });
  out(`  ${registered.length} households registered and their heads' citizen tokens issued in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const fromDate = addDays(today, 1);
  const opened = await must<{ items: Slot[] }>(url, 'POST', '/api/v1/social-affairs/cemetery/slots', 201, {
    token: tokens.registrar,
    body: {
      siteId: SITE,
      fromDate,
      toDate: addDays(fromDate, CEMETERY_DAYS - 1),
      slots: Array.from({ length: CEMETERY_SLOTS_PER_DAY }, (_, h) => ({ startsAt: `${String(6 + h).padStart(2, '0')}:00`, endsAt: `${String(7 + h).padStart(2, '0')}:00`, capacity: CEMETERY_CAPACITY })),
    },
  });
  const slots = opened.items.sort((a, b) => `${a.visitDate}T${a.startsAt}`.localeCompare(`${b.visitDate}T${b.startsAt}`));
  if (slots.length !== CEMETERY_DAYS * CEMETERY_SLOTS_PER_DAY) throw new Error(`expected ${CEMETERY_DAYS * CEMETERY_SLOTS_PER_DAY} cemetery slots, got ${slots.length}`);

  const db = new Client({ connectionString: stack.databaseUrl('place-names') });
  await db.connect();
  try {
    await generatePlaceNames(db, 0, gazetteer);
  } finally {
    await db.end();
  }
  const placeIds = await inBatches(API_PLACE_NAMES, PARALLEL, async (i) => {
    const body = await must<{ id: string }>(url, 'POST', '/api/v1/place-names', 201, { token: tokens.officer, body: placeNameBody(i, 'seed') });
    count(EVENT_TYPES.placeNamed);
    return body.id;
  });

  const applicationIds = await inBatches(SEEDED_APPLICATIONS, PARALLEL, async (i) => {
    const household = registered[i] as Household;
    const body = await must<{ id: string }>(url, 'POST', '/api/v1/social-assistance/dibao-applications', 201, { token: household.token, body: { householdId: household.id } });
    count(EVENT_TYPES.dibaoSubmitted);
    return body.id;
  });
  await inBatches(REFUSERS, PARALLEL, async (k) => {
    const i = households - 1 - k;
    const household = registered[i] as Household;
    await must(url, 'POST', '/api/v1/social-affairs/marriage-appointments', 201, {
      token: household.token,
      body: { registryId: REGISTRY, onDate: addDays(today, 1 + (k % MARRIAGE_DAYS)), partnerResidentId: partnerId(i) },
    });
    count(EVENT_TYPES.marriageBooked);
  });
  out(`  ${slots.length} cemetery slots opened, ${gazetteer} gazetteer names generated, ${placeIds.length} names recorded, ${applicationIds.length} 低保 applications filed, ${REFUSERS} marriage appointments booked`);
  return { tokens, households: registered, slots, placeIds, applicationIds, firstDibaoHousehold: SEEDED_APPLICATIONS, today, accepted };
}

const CHARS = [...'东南西北中新老上下大小红青白金银玉松柏桃李梅竹兰菊荷花山水江河湖溪塘桥田园林峰云星月阳光明华兴旺福寿康宁安平和顺丰茂'];
const GENERICS = ['路', '街', '巷', '大道', '小区', '花园', '桥', '苑'];
const CATEGORY: Record<string, string> = { 路: 'street-road-lane', 街: 'street-road-lane', 巷: 'street-road-lane', 大道: 'street-road-lane', 小区: 'residential-area-or-building', 花园: 'residential-area-or-building', 苑: 'residential-area-or-building', 桥: 'infrastructure' };

/**
 * Name number i of a series: three specific characters (the generated gazetteer has two, so no
 * clash) and a generic term, in one of the street townships; distinct for every i below 60³ × 8.
 */
export function placeNameBody(i: number, series: 'seed' | 'load'): Record<string, unknown> {
  const n = CHARS.length;
  const j = series === 'seed' ? i : i + API_PLACE_NAMES;
  const generic = GENERICS[Math.floor(j / (n * n * n)) % GENERICS.length] ?? '路';
  const name = `${CHARS[j % n]}${CHARS[Math.floor(j / n) % n]}${CHARS[Math.floor(j / (n * n)) % n]}${generic}`;
  return { name, category: CATEGORY[generic] ?? 'other', type: generic, divisionCode: STREET_TOWNSHIPS[j % STREET_TOWNSHIPS.length] };
}
