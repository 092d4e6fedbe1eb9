import type { BackendService, Stack } from '@civil/launcher';
import { CareInstitutionEvents, PlaceNameEvents, SocialAssistanceEvents, SocialOrganisationEvents, creditCodeCheckChar } from '@civil/contracts';
import { buildResidentId } from '@civil/domain-kernel';
import { GatewayClient, counterTotal, eventually, queryService } from './api';

/**
 * Writes to every department through the gateway while a fault drill breaks something, and the
 * check that follows it: each service's own record of what it committed (its outbox rows by event
 * type, written in the same transaction as the business row) against what reporting archived and
 * counted. Callers see timeouts, 503s and refused connections while a part is down; what must
 * hold is that every write a service committed reaches reporting exactly once.
 */

interface WriteKind {
  service: BackendService;
  eventType: string;
  path: string;
  token: (tokens: LoadTokens) => string;
  body: (tag: string, n: number) => unknown;
}

interface LoadTokens {
  placeNames: string;
  clerk: string;
  registrar: string;
  elderlyCare: string;
}

const WRITE_KINDS: readonly WriteKind[] = [
  {
    service: 'place-names',
    eventType: PlaceNameEvents.named,
    path: '/api/v1/place-names',
    token: (t) => t.placeNames,
    body: (tag, n) => ({ name: `${tag}路${n}`, category: 'street-road-lane', divisionCode: '430503004' }),
  },
  {
    service: 'social-assistance',
    eventType: SocialAssistanceEvents.householdRegistered,
    path: '/api/v1/social-assistance/households',
    token: (t) => t.clerk,
    body: (tag, n) => ({
      divisionCode: '430503101',
      urbanRural: 'rural',
      address: `${tag} ${n} 组`,
      members: [{ name: '演练户主', residentId: residentIdFor(tag, n), relationship: 'head' }],
    }),
  },
  {
    service: 'social-affairs',
    eventType: SocialOrganisationEvents.registered,
    path: '/api/v1/social-affairs/organisations',
    token: (t) => t.registrar,
    body: (tag, n) => ({
      type: 'social-group',
      name: `${tag}协会${n}`,
      creditCode: creditCodeFor(tag, n),
      divisionCode: '430503101',
      address: '大祥区演练路1号',
      legalRepresentative: '赵六',
      businessScope: '演练',
    }),
  },
  {
    service: 'elderly-care',
    eventType: CareInstitutionEvents.registered,
    path: '/api/v1/elderly-care/institutions',
    token: (t) => t.elderlyCare,
    body: (tag, n) => ({
      name: `${tag}敬老院${n}`,
      ownership: 'public',
      divisionCode: '430503101',
      address: '罗市镇',
      openedOn: '2020-01-01',
      beds: { 'self-care': 10, 'semi-dependent': 0, dependent: 0 },
    }),
  },
];

/** The event types the load writes, one per department. */
export const LOAD_EVENT_TYPES = WRITE_KINDS.map((k) => k.eventType);

/**
 * A distinct resident ID per (tag, n): the tag picks a birth year (one tag per drill), n the day
 * and the sequence, so no two households of any drill share a member.
 */
function residentIdFor(tag: string, n: number): string {
  const year = 1940 + (hash(tag) % 40);
  const day = new Date(Date.UTC(year, 0, 1 + Math.floor(n / 900)));
  return buildResidentId('430503', day.toISOString().slice(0, 10), 100 + (n % 900)).value;
}

function creditCodeFor(tag: string, n: number): string {
  const first17 = `51430503MJ${String(hash(tag) % 100).padStart(2, '0')}${String(n).padStart(5, '0')}`;
  return first17 + creditCodeCheckChar(first17);
}

function hash(text: string): number {
  let h = 0;
  for (const ch of text) h = (h * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return h;
}

export interface KindOutcome {
  created: number;
  /** Answers other than 201 (503 while a service is down, 504 on a timeout), by status. */
  refused: Record<number, number>;
  /** The first answer of each refused status, to say what went wrong. */
  firstAnswer: Record<number, string>;
  /** Requests that got no HTTP answer (gateway down, connection reset). */
  unanswered: number;
}

export interface WriteLoadResult {
  byService: Record<string, KindOutcome>;
  /** Writes accepted (201) after the given mark, per service: proof each recovered. */
  createdSinceMark: Record<string, number>;
}

export interface WriteLoad {
  /** Starts counting `createdSinceMark` afresh. */
  mark(): void;
  stop(): Promise<WriteLoadResult>;
}

export async function loadTokens(api: GatewayClient): Promise<LoadTokens> {
  return {
    placeNames: await api.token({ userId: 'drill-pn', kind: 'staff', roles: ['place-names-officer'], divisions: ['430503'] }),
    clerk: await api.token({ userId: 'drill-clerk', kind: 'staff', roles: ['clerk'], divisions: ['430503101'] }),
    registrar: await api.token({ userId: 'drill-registrar', kind: 'staff', roles: ['registrar'], divisions: ['430503'] }),
    elderlyCare: await api.token({ userId: 'drill-ec', kind: 'staff', roles: ['elderly-care-officer'], divisions: ['430503'] }),
  };
}

/**
 * `workers` callers in closed loops, each sending the four kinds of write in turn, until stop().
 * A failed call is counted and followed by a short pause (a caller backing off), never retried:
 * the drill is about what the platform did with the calls it got.
 */
export function startWriteLoad(api: GatewayClient, tokens: LoadTokens, tag: string, workers = 4): WriteLoad {
  const byService: Record<string, KindOutcome> = {};
  let sinceMark: Record<string, number> = {};
  for (const kind of WRITE_KINDS) byService[kind.service] = { created: 0, refused: {}, firstAnswer: {}, unanswered: 0 };
  let running = true;
  let sequence = 0;

  const worker = async (): Promise<void> => {
    while (running) {
      const n = sequence++;
      const kind = WRITE_KINDS[n % WRITE_KINDS.length] as WriteKind;
      const outcome = byService[kind.service] as KindOutcome;
      try {
        const response = await fetch(`${api.baseUrl}${kind.path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${kind.token(tokens)}`, 'content-type': 'application/json' },
          body: JSON.stringify(kind.body(tag, Math.floor(n / WRITE_KINDS.length))),
          signal: AbortSignal.timeout(20_000),
        });
        const text = await response.text();
        if (response.status === 201) {
          outcome.created += 1;
          sinceMark[kind.service] = (sinceMark[kind.service] ?? 0) + 1;
        } else {
          outcome.refused[response.status] = (outcome.refused[response.status] ?? 0) + 1;
          outcome.firstAnswer[response.status] ??= text.slice(0, 300);
          await pause(100);
        }
      } catch {
        outcome.unanswered += 1;
        await pause(100);
      }
    }
  };
  const loops = Array.from({ length: workers }, () => worker());
  return {
    mark: () => {
      sinceMark = {};
    },
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return { byService, createdSinceMark: sinceMark };
    },
  };
}

/** Every department accepted writes during the drill, and again after the fault (since mark()). */
export function expectEveryServiceRecovered(result: WriteLoadResult): void {
  for (const [service, outcome] of Object.entries(result.byService)) {
    expect({ service, created: outcome.created > 0 }).toEqual({ service, created: true });
    expect({ service, afterwards: (result.createdSinceMark[service] ?? 0) > 0 }).toEqual({ service, afterwards: true });
  }
}

export interface Totals {
  service: BackendService;
  eventType: string;
  /** Outbox rows of the type in the service's own database: what it committed. */
  committed: number;
  /** Of those, not yet published to JetStream. */
  unpublished: number;
  /** Distinct events of the type in reporting's archive (its primary key is the event id). */
  archived: number;
  /** Reporting's live counter for the type. */
  counted: number;
}

export async function totals(stack: Stack, api: GatewayClient, leaderToken: string): Promise<Totals[]> {
  const rows: Totals[] = [];
  for (const kind of WRITE_KINDS) {
    const [own] = await queryService<{ committed: string; unpublished: string }>(
      stack,
      kind.service,
      `SELECT count(*) AS committed, count(*) FILTER (WHERE published_at IS NULL) AS unpublished FROM outbox WHERE type = $1`,
      [kind.eventType],
    );
    const [archive] = await queryService<{ archived: string }>(stack, 'reporting', `SELECT count(*) AS archived FROM event_archive WHERE type = $1`, [kind.eventType]);
    rows.push({
      service: kind.service,
      eventType: kind.eventType,
      committed: Number(own?.committed),
      unpublished: Number(own?.unpublished),
      archived: Number(archive?.archived),
      counted: await counterTotal(api, leaderToken, kind.eventType),
    });
  }
  return rows;
}

/**
 * Waits until, for every department, reporting archived and counted exactly what the service
 * committed, and all of it was published; then checks it stays so (nothing trickles in twice).
 */
export async function expectTotalsAgree(stack: Stack, api: GatewayClient, leaderToken: string, timeoutMs = 90_000): Promise<Totals[]> {
  const agree = (rows: Totals[]): boolean => rows.every((r) => r.unpublished === 0 && r.archived === r.committed && r.counted === r.committed);
  let last: Totals[] = [];
  try {
    await eventually(
      async () => {
        last = await totals(stack, api, leaderToken);
        return agree(last) ? true : undefined;
      },
      timeoutMs,
      'every service’s committed events in reporting',
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${JSON.stringify(last, null, 2)}`);
  }
  await pause(1500);
  const settled = await totals(stack, api, leaderToken);
  expect(settled).toEqual(last);
  return settled;
}

function pause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
