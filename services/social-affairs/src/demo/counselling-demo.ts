/**
 * 「镜圆」 marriage and family counselling in the 2023 demo: four counsellors of the district's
 * registry; every Wednesday of 2023 that is not a statutory holiday opened with four slots; each
 * day a few bookings of the three kinds, made by the registry's staff for the couples: premarital
 * sessions for couples about to marry, divorce mediation for couples in cooling-off (those who
 * reconcile withdraw their application the next working day — see registrations-demo), and
 * psychological sessions for one person. A few bookings are cancelled. The report has no figure for
 * it; the amounts are modest and plausible.
 */
import { addDays, dayOfWeek } from '@civil/domain-kernel';
import type { CounsellingKind, CounsellingOutcome, CounsellorRole } from '@civil/contracts';
import type { Outbox } from '@civil/platform';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { CounsellingService } from '../counselling/counselling.service';
import { CALENDAR, REGISTRAR, REGISTRY_ID, inPool, intBetween, pick, seededRng, shuffled, type Rng } from './demo-support';
import { firstSessionWednesdayAfter, type RegistrationsPlan } from './registrations-demo';
import { SEED_2023 } from './seed-2023';

const YEAR = SEED_2023.year;

type SlotName = 'family' | 'lawyer' | 'psychologist' | 'social-worker';
const SLOTS: readonly { slot: SlotName; startsAt: string; endsAt: string; counsellor: string; role: CounsellorRole; capacity: number }[] = [
  { slot: 'family', startsAt: '09:00', endsAt: '10:30', counsellor: '刘春华', role: 'family-counsellor', capacity: 2 },
  { slot: 'lawyer', startsAt: '10:30', endsAt: '12:00', counsellor: '陈志刚', role: 'lawyer', capacity: 2 },
  { slot: 'psychologist', startsAt: '14:30', endsAt: '16:00', counsellor: '王晓燕', role: 'psychologist', capacity: 2 },
  { slot: 'social-worker', startsAt: '16:00', endsAt: '17:30', counsellor: '赵丽娟', role: 'social-worker', capacity: 2 },
];

export interface PlannedCounselling {
  sessionDate: string;
  slot: SlotName;
  client: string;
  partner?: string;
  kind: CounsellingKind;
  outcome: CounsellingOutcome;
  durationMinutes: number;
  followUpNeeded: boolean;
  /** Booked this many days before the session. */
  bookedDaysAhead: number;
  /** Cancelled the day before instead of held. */
  cancelled: boolean;
}

export interface CounsellingPlan {
  days: string[];
  bookings: PlannedCounselling[];
}

/** The Wednesdays of the year on which sessions are held (not statutory holidays). */
export function sessionDays(year = YEAR): string[] {
  const days: string[] = [];
  for (let d = `${year}-01-01`; d <= `${year}-12-31`; d = addDays(d, 1)) if (dayOfWeek(d) === 3 && CALENDAR.isWorkingDay(d)) days.push(d);
  return days;
}

export function planCounselling(registrations: RegistrationsPlan, seed = 2023_0308): CounsellingPlan {
  const rng = seededRng(seed);
  const days = sessionDays();
  const placesLeft = new Map<string, number>(days.flatMap((d) => SLOTS.map((s) => [`${d} ${s.slot}`, s.capacity] as [string, number])));
  const take = (day: string, slots: readonly SlotName[]): SlotName | undefined => {
    const slot = slots.find((s) => (placesLeft.get(`${day} ${s}`) ?? 0) > 0);
    if (slot !== undefined) placesLeft.set(`${day} ${slot}`, (placesLeft.get(`${day} ${slot}`) ?? 0) - 1);
    return slot;
  };
  const bookings: PlannedCounselling[] = [];
  const add = (rngFor: Rng, b: Omit<PlannedCounselling, 'bookedDaysAhead' | 'cancelled'>, mayCancel: boolean): void => {
    bookings.push({ ...b, bookedDaysAhead: intBetween(rngFor, 2, 12), cancelled: mayCancel && rngFor() < 0.06 });
  };

  // Divorce mediation on the first session day of the cooling-off: the couples who then withdraw reconciled.
  for (const d of registrations.divorces) {
    const c = registrations.earlierMarriages[d.marriage];
    if (!c) continue;
    const reconciled = d.outcome === 'withdrawn';
    if (reconciled ? rng() > 0.8 : d.outcome !== 'registered' || rng() > 0.15) continue;
    const day = firstSessionWednesdayAfter(d.receivedOn);
    const slot = take(day, ['lawyer', 'family']);
    if (slot === undefined) continue;
    const r = rng();
    const outcome: CounsellingOutcome = reconciled ? 'reconciled' : r < 0.7 ? 'proceeding-with-divorce' : r < 0.9 ? 'continuing' : 'referred';
    add(rng, { sessionDate: day, slot, client: c.woman.residentId, partner: c.man.residentId, kind: 'divorce-mediation', outcome, durationMinutes: intBetween(rng, 60, 120), followUpNeeded: outcome === 'continuing' }, !reconciled);
  }

  // Premarital sessions for couples registering within the next six weeks; psychological sessions.
  const premarital = new Set<number>();
  const everyone = registrations.earlierMarriages.flatMap((c) => [c.man.residentId, c.woman.residentId]);
  const psychological = new Set<string>();
  for (const day of days) {
    const upcoming = registrations.marriages.flatMap((c, i) => (c.registeredOn > day && c.registeredOn <= addDays(day, 42) && !premarital.has(i) ? [i] : []));
    for (const i of shuffled(rng, upcoming).slice(0, intBetween(rng, 1, 2))) {
      const slot = take(day, ['social-worker', 'family']);
      const c = registrations.marriages[i];
      if (slot === undefined || !c) break;
      premarital.add(i);
      add(rng, { sessionDate: day, slot, client: c.woman.residentId, partner: c.man.residentId, kind: 'premarital', outcome: rng() < 0.95 ? 'completed' : 'referred', durationMinutes: intBetween(rng, 60, 90), followUpNeeded: false }, true);
    }
    for (let n = intBetween(rng, 0, 2); n > 0; n--) {
      const client = pick(rng, everyone);
      if (psychological.has(client) || take(day, ['psychologist']) === undefined) continue;
      psychological.add(client);
      const referred = rng() < 0.2;
      add(rng, { sessionDate: day, slot: 'psychologist', client, kind: 'psychological', outcome: referred ? 'referred' : 'completed', durationMinutes: intBetween(rng, 45, 90), followUpNeeded: !referred && rng() < 0.3 }, true);
    }
  }
  bookings.sort((a, b) => a.sessionDate.localeCompare(b.sessionDate) || a.slot.localeCompare(b.slot));
  return { days, bookings };
}

/** Shanghai time on a date, as the services' `now`. */
const at = (date: string, time: string): Date => new Date(`${date}T${time}:00+08:00`);

export interface CounsellingDemoResult {
  days: number;
  bookings: number;
  cancelled: number;
  sessions: number;
}

export async function generateCounsellingDemo(dataSource: DataSource, outbox: Outbox, logger: Logger, plan: CounsellingPlan, concurrency = 4): Promise<CounsellingDemoResult> {
  const service = new CounsellingService(outbox, dataSource);
  const counsellors = new Map<string, string>();
  for (const s of SLOTS) counsellors.set(s.counsellor, (await service.registerCounsellor({ registryId: REGISTRY_ID, name: s.counsellor, role: s.role }, REGISTRAR)).id);
  const slotIds = new Map<string, string>();
  await inPool(plan.days, concurrency, async (day) => {
    const opened = await service.openDay(
      { registryId: REGISTRY_ID, sessionDate: day, slots: SLOTS.map((s) => ({ startsAt: s.startsAt, endsAt: s.endsAt, counsellorId: counsellors.get(s.counsellor) ?? '', capacity: s.capacity })) },
      REGISTRAR,
      addDays(day, -14),
    );
    for (const item of opened.items) {
      const slot = SLOTS.find((s) => s.startsAt === item.startsAt);
      if (slot) slotIds.set(`${day} ${slot.slot}`, item.id);
    }
  });
  let sessions = 0;
  let cancelled = 0;
  await inPool(plan.bookings, concurrency, async (b) => {
    const booked = await service.book(
      { slotId: slotIds.get(`${b.sessionDate} ${b.slot}`) ?? '', clientResidentId: b.client, ...(b.partner === undefined ? {} : { partnerResidentId: b.partner }) },
      REGISTRAR,
      at(addDays(b.sessionDate, -b.bookedDaysAhead), '10:00'),
    );
    if (b.cancelled) {
      await service.cancel({ id: booked.id }, REGISTRAR, at(addDays(b.sessionDate, -1), '15:00'));
      cancelled++;
    } else {
      await service.recordSession({ id: booked.id, kind: b.kind, outcome: b.outcome, durationMinutes: b.durationMinutes, followUpNeeded: b.followUpNeeded }, REGISTRAR, at(b.sessionDate, '18:00'));
      sessions++;
    }
  });
  logger.info({ days: plan.days.length, bookings: plan.bookings.length, sessions, cancelled }, 'demo: 「镜圆」 counselling recorded');
  return { days: plan.days.length, bookings: plan.bookings.length, cancelled, sessions };
}
