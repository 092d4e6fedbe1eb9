/**
 * Marriage and divorce registration of the 2023 demo: 1,753 marriages registered in 2023 at the
 * district's registry (most by appointment, on working days over the year, with the crowds of
 * 14 February, 520 and 七夕), and 722 divorces registered in 2023 — each after its application and
 * the 30 days of cooling-off, within the appearance period. The marriages those divorces dissolve
 * were registered here in 2021 and 2022 (the marriage rule table starts with the Civil Code on
 * 2021-01-01, so the service registers nothing earlier); they do not count toward 2023. Around
 * them: applications withdrawn during cooling-off, lapsed ones, ones still open at year end, and a
 * few certificates reissued (补领). Everything goes through the services with the dates passed as
 * their `today`, so the outbox holds every event as in real use.
 */
import { addDays, dayOfWeek } from '@civil/domain-kernel';
import { SYSTEM_ACTOR, registerMarriageSchema } from '@civil/contracts';
import type { Outbox } from '@civil/platform';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { divorceTimeline } from '../divorce/divorce.domain';
import { DivorceService } from '../divorce/divorce.service';
import { MarriageRegistrationService } from '../marriage/marriage-registration.service';
import { CALENDAR, PeopleFactory, REGISTRAR, REGISTRY_ID, apportion, dayByDay, intBetween, isWorkingDay, nextWorkingDay, pick, seededRng, shuffled, workingDays, type DemoPerson, type Rng } from './demo-support';
import { SEED_2023 } from './seed-2023';

const YEAR = SEED_2023.year;

/** Applications besides the 722 registered: withdrawn in cooling-off, lapsed, still open on 31 December. */
export const DIVORCE_APPLICATIONS = { withdrawn: 70, lapsed: 25, openAtYearEnd: 30 } as const;
/** Earlier marriages nobody applied to dissolve in 2023 (some of them ask for a new certificate). */
const INTACT_EARLIER_MARRIAGES = 43;
export const REISSUES = 12;

export interface PlannedCouple {
  man: DemoPerson;
  woman: DemoPerson;
  registeredOn: string;
  /** Booked on this day for the registration day; absent when the couple came without an appointment. */
  bookedOn?: string;
}

export type DivorceOutcome = 'registered' | 'withdrawn' | 'lapsed' | 'open';

export interface PlannedDivorce {
  /** Index into `earlierMarriages`. */
  marriage: number;
  receivedOn: string;
  coolingOffEndsOn: string;
  appearByOn: string;
  outcome: DivorceOutcome;
  /** The day of the registration (registered) or of the withdrawal (withdrawn). */
  onDate?: string;
}

export interface RegistrationsPlan {
  earlierMarriages: PlannedCouple[];
  marriages: PlannedCouple[];
  divorces: PlannedDivorce[];
  reissues: { marriage: number; holder: 'man' | 'woman'; issuedOn: string }[];
}

/** The weight of each month for weddings (the weeks before the Spring Festival, the autumn). */
const MONTH_WEIGHT = [1.5, 1.1, 0.9, 0.9, 1.1, 0.8, 0.8, 1.0, 1.0, 1.2, 0.9, 1.0];
/** Days couples choose: 情人节, 520 (a Saturday the registry opened for), 七夕. */
const FAVOURED_DAYS: Record<string, number> = { '2023-02-14': 25, '2023-05-20': 40, '2023-08-22': 36 };

function couple(people: PeopleFactory, rng: Rng, registeredOn: string): PlannedCouple {
  let manAge: number;
  let womanAge: number;
  if (rng() < 0.08) {
    // Later in life (a first registration here; earlier marriages elsewhere are not in our records).
    manAge = intBetween(rng, 38, 60);
    womanAge = Math.max(30, manAge - intBetween(rng, 0, 8));
  } else {
    manAge = rng() < 0.04 ? 22 : 23 + Math.floor((rng() + rng()) * 6.5);
    womanAge = Math.max(20, manAge - intBetween(rng, -1, 5));
  }
  const manLocal = rng() < 0.72;
  const womanLocal = !manLocal || rng() < 0.6;
  return {
    man: people.person('male', people.birthDateForAge(registeredOn, manAge), manLocal),
    woman: people.person('female', people.birthDateForAge(registeredOn, womanAge), womanLocal),
    registeredOn,
  };
}

/** The whole plan: pure and the same on every run. */
export function planRegistrations(seed = 2023_0520): RegistrationsPlan {
  const rng = seededRng(seed);
  const people = new PeopleFactory(rng);

  // 2023: the favoured days, the rest of the working days weighted by month.
  const days = workingDays(`${YEAR}-01-01`, `${YEAR}-12-31`).filter((d) => !(d in FAVOURED_DAYS));
  const favoured = Object.values(FAVOURED_DAYS).reduce((a, b) => a + b, 0);
  const counts = apportion(SEED_2023.marriages - favoured, days.map((d) => MONTH_WEIGHT[Number(d.slice(5, 7)) - 1] ?? 1));
  const dated: string[] = [...Object.entries(FAVOURED_DAYS).flatMap(([d, n]) => Array<string>(n).fill(d)), ...days.flatMap((d, i) => Array<string>(counts[i] ?? 0).fill(d))].sort();
  const marriages = dated.map((registeredOn) => {
    const c = couple(people, rng, registeredOn);
    if (rng() < 0.85) c.bookedOn = addDays(registeredOn, -intBetween(rng, 3, 45));
    return c;
  });

  // Divorces registered in 2023: a registration day, and an application 31–60 days before it
  // whose cooling-off has ended by then and whose appearance period still runs.
  const rule = { coolingOffDays: 30, appearanceDays: 30 };
  const divorceDays = workingDays(`${YEAR}-01-03`, `${YEAR}-12-29`);
  const divorceCounts = apportion(SEED_2023.divorces, divorceDays.map((d) => (d.slice(5, 7) === '03' || d.slice(5, 7) === '04' ? 1.3 : 1)));
  const divorces: Omit<PlannedDivorce, 'marriage'>[] = [];
  divorceDays.forEach((registeredOn, i) => {
    for (let n = 0; n < (divorceCounts[i] ?? 0); n++) {
      const candidates = shuffled(rng, Array.from({ length: 28 }, (_, k) => k + 32));
      const receivedOn = candidates.map((k) => addDays(registeredOn, -k)).find((r) => {
        if (!isWorkingDay(r)) return false;
        const t = divorceTimeline(r, rule, CALENDAR);
        return t.coolingOffEndsOn < registeredOn && registeredOn <= t.appearByOn;
      });
      if (receivedOn === undefined) throw new Error(`no application day fits a divorce registered on ${registeredOn}`);
      divorces.push({ ...divorceTimeline(receivedOn, rule, CALENDAR), outcome: 'registered', onDate: registeredOn });
    }
  });
  const applicationDays = (from: string, to: string): readonly string[] => workingDays(from, to);
  for (const receivedOn of pickDays(rng, applicationDays(`${YEAR}-01-04`, `${YEAR}-11-20`), DIVORCE_APPLICATIONS.withdrawn)) {
    const t = divorceTimeline(receivedOn, rule, CALENDAR);
    // Withdrawn after the first counselling Wednesday of the cooling-off (see counselling-demo).
    divorces.push({ ...t, outcome: 'withdrawn', onDate: nextWorkingDay(firstSessionWednesdayAfter(receivedOn)) });
  }
  for (const receivedOn of pickDays(rng, applicationDays(`${YEAR}-01-04`, `${YEAR}-09-30`), DIVORCE_APPLICATIONS.lapsed)) divorces.push({ ...divorceTimeline(receivedOn, rule, CALENDAR), outcome: 'lapsed' });
  for (const receivedOn of pickDays(rng, applicationDays(`${YEAR}-12-01`, `${YEAR}-12-29`), DIVORCE_APPLICATIONS.openAtYearEnd)) divorces.push({ ...divorceTimeline(receivedOn, rule, CALENDAR), outcome: 'open' });
  divorces.sort((a, b) => a.receivedOn.localeCompare(b.receivedOn));

  // The earlier marriages: one for each application, married at least three months before it, and some more.
  const earlierDays = workingDays('2021-01-04', '2022-12-30');
  const earlierMarriages = Array.from({ length: divorces.length + INTACT_EARLIER_MARRIAGES }, () => couple(people, rng, pick(rng, earlierDays))).sort((a, b) =>
    a.registeredOn.localeCompare(b.registeredOn),
  );
  const free = new Set(earlierMarriages.map((_, i) => i));
  const planned: PlannedDivorce[] = divorces.map((d) => {
    const latest = addDays(d.receivedOn, -90);
    const eligible = [...free].filter((i) => (earlierMarriages[i]?.registeredOn ?? '9999') <= latest);
    const marriage = pick(rng, eligible);
    free.delete(marriage);
    return { ...d, marriage };
  });
  const reissueDays = workingDays(`${YEAR}-02-01`, `${YEAR}-12-20`);
  const reissues = shuffled(rng, [...free])
    .slice(0, REISSUES)
    .map((marriage) => ({ marriage, holder: rng() < 0.5 ? ('man' as const) : ('woman' as const), issuedOn: pick(rng, reissueDays) }));
  return { earlierMarriages, marriages, divorces: planned, reissues };
}

/** `n` days drawn from the list (a day may come twice), sorted. */
function pickDays(rng: Rng, days: readonly string[], n: number): string[] {
  return Array.from({ length: n }, () => pick(rng, days)).sort();
}

/** The first Wednesday after `date` on which counselling sessions are held (a working day). */
export function firstSessionWednesdayAfter(date: string): string {
  let d = addDays(date, 1);
  while (dayOfWeek(d) !== 3 || !CALENDAR.isWorkingDay(d)) d = addDays(d, 1);
  return d;
}

export interface RegistrationsDemoResult {
  plan: RegistrationsPlan;
  /** The registration id of each earlier marriage, by its index in the plan. */
  earlierMarriageIds: string[];
  appointments: number;
}

/** Carries out the plan through the marriage and divorce services. */
export async function generateRegistrationsDemo(dataSource: DataSource, outbox: Outbox, logger: Logger, plan = planRegistrations(), concurrency = 4): Promise<RegistrationsDemoResult> {
  const marriages = new MarriageRegistrationService(outbox, dataSource);
  const divorces = new DivorceService(outbox, dataSource);
  const declaration = { bothConsent: true, neitherMarried: true, noProhibitedKinship: true } as const;
  const register = async (c: PlannedCouple, appointmentId?: string): Promise<string> => {
    const input = registerMarriageSchema.parse({
      registryId: REGISTRY_ID,
      ...(appointmentId === undefined ? {} : { appointmentId }),
      parties: [
        { name: c.man.name, residentId: c.man.residentId, hukouDivisionCode: c.man.hukouDivisionCode },
        { name: c.woman.name, residentId: c.woman.residentId, hukouDivisionCode: c.woman.hukouDivisionCode },
      ],
      declaration,
      registeredOn: c.registeredOn,
    });
    return (await marriages.register(input, REGISTRAR, c.registeredOn)).id;
  };

  const earlierMarriageIds: string[] = [];
  await dayByDay(
    plan.earlierMarriages.map((c, i) => ({ c, i })),
    ({ c }) => c.registeredOn,
    concurrency,
    async ({ c, i }) => {
      earlierMarriageIds[i] = await register(c);
    },
  );
  logger.info({ marriages: plan.earlierMarriages.length }, 'demo: the 2021–2022 marriages registered');

  let appointments = 0;
  await dayByDay(plan.marriages, (c) => c.registeredOn, concurrency, async (c) => {
    let appointmentId: string | undefined;
    if (c.bookedOn !== undefined) {
      const booked = await marriages.bookAppointment({ registryId: REGISTRY_ID, onDate: c.registeredOn, residentId: c.man.residentId, partnerResidentId: c.woman.residentId }, REGISTRAR, c.bookedOn);
      appointmentId = booked.id;
      appointments++;
    }
    await register(c, appointmentId);
  });
  logger.info({ marriages: plan.marriages.length, appointments }, 'demo: the 2023 marriages registered');

  const applicationIds: string[] = [];
  await dayByDay(
    plan.divorces.map((d, i) => ({ d, i })),
    ({ d }) => d.receivedOn,
    concurrency,
    async ({ d, i }) => {
      const marriageRegistrationId = earlierMarriageIds[d.marriage] ?? '';
      const applied = await divorces.apply({ registryId: REGISTRY_ID, marriageRegistrationId, receivedOn: d.receivedOn }, REGISTRAR, d.receivedOn);
      if (applied.coolingOffEndsOn !== d.coolingOffEndsOn || applied.appearByOn !== d.appearByOn) throw new Error(`the divorce rules give another timeline for ${d.receivedOn} than the plan's`);
      applicationIds[i] = applied.id;
    },
  );
  const concluded = plan.divorces.map((d, i) => ({ d, id: applicationIds[i] ?? '' })).filter(({ d }) => d.onDate !== undefined);
  await dayByDay(concluded, ({ d }) => d.onDate ?? '', concurrency, async ({ d, id }) => {
    const onDate = d.onDate ?? '';
    if (d.outcome === 'withdrawn') {
      const c = plan.earlierMarriages[d.marriage];
      await divorces.withdraw({ applicationId: id, residentId: (d.marriage % 2 === 0 ? c?.woman : c?.man)?.residentId ?? '' }, REGISTRAR, onDate);
    } else {
      await divorces.register({ applicationId: id, bothPresent: true, registeredOn: onDate }, REGISTRAR, onDate);
    }
  });
  // The daily sweep, as the scheduler runs it, on the last day of the year.
  const { lapsed } = await divorces.lapse(SYSTEM_ACTOR, `${YEAR}-12-31`);
  if (lapsed !== DIVORCE_APPLICATIONS.lapsed) throw new Error(`the lapse sweep found ${lapsed} applications, the plan has ${DIVORCE_APPLICATIONS.lapsed}`);
  logger.info({ applications: plan.divorces.length, lapsed }, 'demo: the divorce applications decided');

  await dayByDay(plan.reissues, (r) => r.issuedOn, concurrency, async (r) => {
    const c = plan.earlierMarriages[r.marriage];
    const holder = r.holder === 'man' ? c?.man : c?.woman;
    await marriages.reissue(
      {
        registrationId: earlierMarriageIds[r.marriage] ?? '',
        residentId: holder?.residentId ?? '',
        archiveCheck: { archiveReference: `婚档${(c?.registeredOn ?? '').slice(0, 4)}-${String(r.marriage + 1).padStart(4, '0')}`, matches: true },
        issuedOn: r.issuedOn,
      },
      REGISTRAR,
      r.issuedOn,
    );
  });
  return { plan, earlierMarriageIds, appointments };
}
