/**
 * The working-day mix: which request comes next, its body, and what its answer counts as. Every
 * request number i draws its kind from a fixed 100-slot schedule (the weights below, spread evenly),
 * so any stretch of the run has the same proportions; every write gets a fresh, valid body.
 */
import type autocannon from 'autocannon';
import { addDays } from '@civil/domain-kernel';
import { GENERIC, SPECIFIC, toneless } from '../place-names-data';
import { CEMETERY_DAYS, CEMETERY_SLOTS_PER_DAY, EVENT_TYPES, MARRIAGE_DAILY_CAPACITY, MARRIAGE_DAYS, REFUSERS, REGISTRY, SITE, partnerId, placeNameBody, type Seed, type TrackedEvent } from './seed';

export type Kind =
  | 'search'
  | 'place read'
  | 'slot list'
  | 'cemetery booking'
  | 'temporary assistance'
  | '低保 application'
  | 'marriage appointment'
  | 'double booking (refusal)'
  | 'overdue list'
  | 'institutions list'
  | 'counter read'
  | 'household read'
  | 'application read'
  | 'place name created';

/** Requests per 100, by kind; who asks; the event a 2xx write emits (checked against reporting). */
export const WEIGHTS: readonly { kind: Kind; weight: number; who: string; emits?: TrackedEvent }[] = [
  { kind: 'search', weight: 58, who: 'anonymous: GET /place-names?q=… (name, prefix, pinyin, initials, contains; a fifth within a township)' },
  { kind: 'place read', weight: 3, who: 'anonymous: GET /place-names/:id' },
  { kind: 'slot list', weight: 3, who: 'anonymous: GET cemetery slots of a day' },
  { kind: 'cemetery booking', weight: 7, who: 'citizen: POST cemetery booking (own grave number, one visitor)', emits: EVENT_TYPES.cemeteryConfirmed },
  { kind: 'temporary assistance', weight: 4, who: 'citizen: POST 临时救助 application for own household (emits no event when applied for)' },
  { kind: '低保 application', weight: 1, who: 'citizen: POST 低保 application, one per household', emits: EVENT_TYPES.dibaoSubmitted },
  { kind: 'marriage appointment', weight: 1, who: 'citizen: POST marriage appointment, one per citizen', emits: EVENT_TYPES.marriageBooked },
  { kind: 'double booking (refusal)', weight: 1, who: 'citizen already holding an appointment books again: 409 expected' },
  { kind: 'overdue list', weight: 4, who: 'clerk: GET overdue 低保 applications as of today (LOAD_OVERDUE_AHEAD_DAYS later)' },
  { kind: 'institutions list', weight: 3, who: 'elderly-care officer: GET institutions' },
  { kind: 'counter read', weight: 3, who: 'leader: GET /reports/counters?eventType=…' },
  { kind: 'household read', weight: 4, who: 'clerk: GET household' },
  { kind: 'application read', weight: 4, who: 'clerk: GET 低保 application' },
  { kind: 'place name created', weight: 4, who: 'place-names officer: POST /place-names', emits: EVENT_TYPES.placeNamed },
];

/** The 100 slots, each kind spread evenly (slot s goes to the kind whose next ideal position is earliest). */
function schedule(): Kind[] {
  const total = WEIGHTS.reduce((sum, w) => sum + w.weight, 0);
  if (total !== 100) throw new Error(`weights add up to ${total}, not 100`);
  const positions = WEIGHTS.flatMap((w) => Array.from({ length: w.weight }, (_, k) => ({ kind: w.kind, at: (k + 0.5) / w.weight })));
  return positions.sort((a, b) => a.at - b.at).map((p) => p.kind);
}

/** What the load generator saw, per kind. */
export interface KindTally {
  sent: number;
  ok: number;
  /** A refusal the mix provokes on purpose, answered as intended. */
  refusedAsIntended: number;
  byStatus: Map<number, number>;
  latencies: number[];
  samples: Map<number, string>;
  /** Kinds that ran out of fresh citizens or households and sent another kind instead. */
  substituted: number;
}

interface Context {
  kind?: Kind;
  started?: bigint;
}

function queries(seedNames: number): string[] {
  const list: string[] = [];
  const n = SPECIFIC.length;
  for (let k = 0; k < 500; k++) {
    const i = (k * 7919 + 13) % Math.max(1, seedNames);
    const a = SPECIFIC[i % n] ?? '';
    const b = SPECIFIC[Math.floor(i / n) % n] ?? '';
    const g = GENERIC[Math.floor(i / (n * n)) % GENERIC.length] ?? '';
    const py = [toneless(a)[0] ?? '', toneless(b)[0] ?? '', ...toneless(g)];
    const q = [`${a}${b}${g}`, `${a}${b}`, py.join(''), py.map((s) => s.charAt(0)).join(''), `${b}${[...g][0] ?? ''}`][k % 5] ?? a;
    list.push(k % 5 === 0 ? `q=${encodeURIComponent(q)}&divisionCode=430503001001` : `q=${encodeURIComponent(q)}`);
  }
  return list;
}

export class Mix {
  readonly tally = new Map<Kind, KindTally>();
  /** 低保 application ids answered 201 during the run (read back by the clerk). */
  private readonly applicationIds: string[];
  private readonly slots: Kind[] = schedule();
  private readonly searches: string[];
  private next = 0;
  private counts = new Map<Kind, number>();
  private readonly maxMarriages: number;

  /** `overdueAheadDays`: the clerk asks for the overdue list as of that many days after today (0: today). */
  constructor(
    private readonly seed: Seed,
    gazetteer: number,
    private readonly overdueAheadDays = 0,
  ) {
    for (const w of WEIGHTS) this.tally.set(w.kind, { sent: 0, ok: 0, refusedAsIntended: 0, byStatus: new Map(), latencies: [], samples: new Map(), substituted: 0 });
    this.applicationIds = [...seed.applicationIds];
    this.searches = queries(gazetteer);
    // one appointment per citizen (the refusers excluded), at most the places of the booking days
    this.maxMarriages = Math.min(seed.households.length - REFUSERS, MARRIAGE_DAYS * (MARRIAGE_DAILY_CAPACITY - 1));
  }

  /** The next request: its kind goes in the connection's context for the answer. */
  readonly request: autocannon.Request = {
    method: 'GET',
    setupRequest: (request, context: Context) => {
      let kind = this.slots[this.next++ % this.slots.length] ?? 'search';
      if (kind === '低保 application' && this.nth(kind, false) + this.seed.firstDibaoHousehold >= this.seed.households.length) kind = this.substitute(kind, 'temporary assistance');
      if (kind === 'marriage appointment' && this.nth(kind, false) >= this.maxMarriages) kind = this.substitute(kind, 'cemetery booking');
      const n = this.nth(kind, true);
      (this.tally.get(kind) as KindTally).sent += 1;
      context.kind = kind;
      context.started = process.hrtime.bigint();
      return { ...request, ...this.build(kind, n) };
    },
    onResponse: (status, body, context: Context) => {
      const kind = context.kind;
      if (!kind) return;
      const t = this.tally.get(kind) as KindTally;
      if (context.started !== undefined) t.latencies.push(Number(process.hrtime.bigint() - context.started) / 1e6);
      t.byStatus.set(status, (t.byStatus.get(status) ?? 0) + 1);
      if (kind === 'double booking (refusal)') {
        if (status === 409 && body.includes('already hold')) t.refusedAsIntended += 1;
        else if (!t.samples.has(status)) t.samples.set(status, body.slice(0, 400));
        return;
      }
      if (status >= 200 && status < 300) {
        t.ok += 1;
        if (kind === '低保 application' && this.applicationIds.length < 10_000) this.applicationIds.push((JSON.parse(body) as { id: string }).id);
      } else if (!t.samples.has(status)) t.samples.set(status, body.slice(0, 400));
      context.kind = undefined;
    },
  };

  private nth(kind: Kind, take: boolean): number {
    const n = this.counts.get(kind) ?? 0;
    if (take) this.counts.set(kind, n + 1);
    return n;
  }

  private substitute(from: Kind, to: Kind): Kind {
    (this.tally.get(from) as KindTally).substituted += 1;
    return to;
  }

  private build(kind: Kind, n: number): { method: 'GET' | 'POST'; path: string; headers: Record<string, string>; body?: string } {
    const { tokens, households, slots, placeIds, today } = this.seed;
    const as = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
    const post = (path: string, token: string, body: unknown): { method: 'POST'; path: string; headers: Record<string, string>; body: string } => ({
      method: 'POST',
      path,
      headers: { ...as(token), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const get = (path: string, token?: string): { method: 'GET'; path: string; headers: Record<string, string> } => ({ method: 'GET', path, headers: token ? as(token) : {} });
    const household = (i: number): Seed['households'][number] => households[i % households.length] as Seed['households'][number];
    switch (kind) {
      case 'search':
        return get(`/api/v1/place-names?${this.searches[n % this.searches.length] ?? 'q=%E8%B7%AF'}`);
      case 'place read':
        return get(`/api/v1/place-names/${placeIds[n % placeIds.length] ?? ''}`);
      case 'slot list':
        return get(`/api/v1/social-affairs/cemetery/sites/${SITE}/slots?date=${addDays(today, 1 + (n % CEMETERY_DAYS))}`);
      case 'cemetery booking': {
        // a grave of its own per booking (never above 3 visitors a day), consecutive bookings over all slots
        const slot = slots[(n * 7) % (CEMETERY_DAYS * CEMETERY_SLOTS_PER_DAY)] as Seed['slots'][number];
        return post('/api/v1/social-affairs/cemetery/bookings', household(n).token, { slotId: slot.id, graveNumber: `负载区-${n}号`, visitorName: `祭扫人${n}`, mobile: `139${String(n % 100_000_000).padStart(8, '0')}`, visitors: 1 });
      }
      case 'temporary assistance': {
        const h = household(n * 13);
        return post('/api/v1/social-assistance/temporary-assistance/applications', h.token, { householdId: h.id, cause: `家庭成员突发疾病住院，自付医疗费用较高（第${n}次申请）`, persons: 2, amountFen: 50_000 + (n % 100) * 1000 });
      }
      case '低保 application': {
        const h = household(this.seed.firstDibaoHousehold + n);
        return post('/api/v1/social-assistance/dibao-applications', h.token, { householdId: h.id });
      }
      case 'marriage appointment':
        return post('/api/v1/social-affairs/marriage-appointments', household(n).token, { registryId: REGISTRY, onDate: addDays(today, 1 + (n % MARRIAGE_DAYS)), partnerResidentId: partnerId(n) });
      case 'double booking (refusal)': {
        const i = households.length - 1 - (n % REFUSERS);
        return post('/api/v1/social-affairs/marriage-appointments', household(i).token, { registryId: REGISTRY, onDate: addDays(today, MARRIAGE_DAYS + 1), partnerResidentId: partnerId(i + 1) });
      }
      case 'overdue list':
        return get(`/api/v1/social-assistance/dibao-applications/overdue?today=${addDays(today, this.overdueAheadDays)}`, tokens.clerk);
      case 'institutions list':
        return get(`/api/v1/elderly-care/institutions${n % 2 === 0 ? '' : '?status=open'}`, tokens.elderly);
      case 'counter read': {
        const types = Object.values(EVENT_TYPES);
        return get(`/api/v1/reports/counters?eventType=${encodeURIComponent(types[n % types.length] ?? '')}`, tokens.leader);
      }
      case 'household read':
        return get(`/api/v1/social-assistance/households/${household(n * 7).id}`, tokens.clerk);
      case 'application read':
        return get(`/api/v1/social-assistance/dibao-applications/${this.applicationIds[(n * 7) % this.applicationIds.length] ?? ''}`, tokens.clerk);
      case 'place name created':
        return post('/api/v1/place-names', tokens.officer, placeNameBody(n, 'load'));
      default: {
        const never: never = kind;
        throw new Error(`unknown kind ${String(never)}`);
      }
    }
  }
}
