import { Injectable } from '@nestjs/common';
import { Period, todayInShanghai } from '@civil/domain-kernel';
import {
  AgeAllowanceEvents,
  DomainError,
  actorCoversDivision,
  type Actor,
  type AgeAllowanceBand,
  type AgeAllowanceEndReason,
  type AgeAllowanceEnrolmentMovedV1,
  type AgeAllowanceEnrolmentStartedV1,
  type AgeAllowanceEnrolmentStoppedV1,
  type AgeAllowanceSweepInput,
  type AgeAllowanceSweepView,
} from '@civil/contracts';
import { Outbox, type DomainEvent } from '@civil/platform';
import { DISTRICT, WRITERS, requireRole } from './age-allowance.access';

/** Sweeps serialise on this transaction-level advisory lock (any number, fixed for the service). */
const SWEEP_LOCK = 4_305_031_000;
/** Events go into the outbox in slices of this many (the first sweep enrols everyone at once). */
const EVENT_SLICE = 5_000;

interface ChangedRow {
  id: string;
  person_id: string;
  band: AgeAllowanceBand;
  division_code: string;
  first_period: string;
  last_period: string | null;
  end_reason: AgeAllowanceEndReason | null;
}

/** The sweep's period, typed as the columns are so their indexes serve. */
const P = `$1::char(7)`;
/** The month before / after a char(7) period column, in SQL. */
const previousPeriod = (column: string): string => `to_char(to_date(${column}, 'YYYY-MM') - interval '1 month', 'YYYY-MM')`;
const nextPeriod = (column: string): string => `to_char(to_date(${column}, 'YYYY-MM') + interval '1 month', 'YYYY-MM')`;

/**
 * The last month of a high-age enrolment once known: the month of the 100th birthday (the month
 * before longevity_from) or of death / moving away, whichever is earlier.
 */
const HIGH_AGE_LAST = `least(${previousPeriod('r.longevity_from')}, r.paid_through)`;
const HIGH_AGE_END_REASON = `CASE WHEN r.paid_through IS NOT NULL AND r.paid_through <= ${previousPeriod('r.longevity_from')} THEN r.stop_reason ELSE 'moved-band' END`;

/**
 * The sweep's first statement: of the people due by $1, end the open enrolments not paid in $1 —
 * a high-age one once the person is in longevity, any once the month of death or of moving away
 * is before $1 — with the true last month.
 */
export function sweepEndSql(): string {
  return `
    UPDATE age_allowance_enrolment e
       SET last_period = s.last_period, end_reason = s.end_reason, ended_at = now()
      FROM (SELECT e2.id,
                   CASE e2.band WHEN 'high-age' THEN ${HIGH_AGE_LAST} ELSE r.paid_through END AS last_period,
                   CASE e2.band WHEN 'high-age' THEN ${HIGH_AGE_END_REASON} ELSE r.stop_reason END AS end_reason
              FROM older_resident r JOIN age_allowance_enrolment e2 ON e2.person_id = r.id AND e2.last_period IS NULL
             WHERE r.next_change <= ${P}
               AND (r.paid_through < ${P} OR (e2.band = 'high-age' AND r.longevity_from <= ${P}))) AS s
     WHERE e.id = s.id
    RETURNING e.id, e.person_id, e.band, e.division_code, e.first_period, e.last_period, e.end_reason`;
}

/**
 * The sweep's second statement: of the people due by $1, enrol per band whoever has reached it by
 * $1 and was alive and in the district in its first month, unless enrolled in that band already
 * (one enrolment per person and band: ON CONFLICT DO NOTHING makes a concurrent or repeated run
 * harmless). A person reaching a band only after its end (a sweep run late) is enrolled already
 * ended. Nobody is enrolled in high-age who was registered at 100 or over. The resident ID's hash
 * and ciphertext are copied from the register as they are (no number is handled here).
 */
export function sweepStartSql(): string {
  return `
    INSERT INTO age_allowance_enrolment (id, person_id, band, resident_id_hash, resident_id_enc, division_code, first_period, last_period, end_reason)
    SELECT uuidv7(), r.id, b.band, r.resident_id_hash, r.resident_id_enc, r.division_code, b.first_period,
           CASE WHEN b.last_period < ${P} THEN b.last_period END, CASE WHEN b.last_period < ${P} THEN b.end_reason END
      FROM older_resident r
     CROSS JOIN LATERAL (VALUES ('high-age', r.high_age_from, ${HIGH_AGE_LAST}, ${HIGH_AGE_END_REASON}),
                                ('longevity', r.longevity_from, r.paid_through, r.stop_reason)) AS b (band, first_period, last_period, end_reason)
     WHERE r.next_change <= ${P}
       AND b.first_period <= ${P}
       AND (b.band = 'longevity' OR r.high_age_from < r.longevity_from)
       AND (r.paid_through IS NULL OR r.paid_through >= b.first_period)
       AND NOT EXISTS (SELECT 1 FROM age_allowance_enrolment x WHERE x.person_id = r.id AND x.band = b.band)
    ON CONFLICT (person_id, band) DO NOTHING
    RETURNING id, person_id, band, division_code, first_period, last_period, end_reason`;
}

/**
 * The sweep's last statement: the people due by $1 are next due at the first of their change
 * months (high-age start, longevity start, the month after the last payable one) after $1, or
 * never; nothing changes after the stop.
 */
export function sweepAdvanceSql(): string {
  const stopsFrom = `CASE WHEN r.paid_through IS NOT NULL THEN ${nextPeriod('r.paid_through')} END`;
  return `
    UPDATE older_resident r
       SET next_change = (SELECT min(c) FROM (VALUES (CASE WHEN r.high_age_from < r.longevity_from THEN r.high_age_from::text END), (r.longevity_from::text), (${stopsFrom})) AS v (c)
                           WHERE c > ${P} AND (r.paid_through IS NULL OR c <= ${stopsFrom}))
     WHERE r.next_change <= ${P}`;
}

/**
 * The monthly sweep: from the register to enrolments, set-based, for a period. Who has reached a
 * band is enrolled (high-age from the month after the 90th birthday, longevity from the month after
 * the 100th); whoever moved band, died or moved away has the enrolment ended with its last month.
 * It reads only the people due by the period (older_resident.next_change: the next month their
 * allowance changes), so its cost follows the month's changes, not the register's size. The
 * result depends only on the register and the period, so running it twice — or for an earlier
 * period after a later one — changes nothing; sweeps serialise on an advisory lock.
 */
@Injectable()
export class AgeAllowanceSweepService {
  constructor(private readonly outbox: Outbox) {}

  async sweep(input: AgeAllowanceSweepInput, actor: Actor, today = todayInShanghai()): Promise<AgeAllowanceSweepView> {
    requireRole(actor, WRITERS, 'the age-allowance sweep is run by the elderly-care office');
    if (actor.kind !== 'system' && !actorCoversDivision(actor, DISTRICT)) throw new DomainError('OUT_OF_DIVISION_SCOPE', 'the sweep covers the whole district');
    if (Period.parse(input.period).isAfter(Period.fromDate(today).next())) {
      throw DomainError.validation([{ field: 'period', rule: 'not-beyond-next-month', message: 'a sweep is run for this month or the next at the latest' }]);
    }
    return this.outbox.transaction(async (tx) => {
      await tx.manager.query(`SELECT pg_advisory_xact_lock($1)`, [SWEEP_LOCK]);
      const ended = await tx.manager.query<[ChangedRow[], number]>(sweepEndSql(), [input.period]);
      const started = await tx.manager.query<ChangedRow[]>(sweepStartSql(), [input.period]);
      await tx.manager.query(sweepAdvanceSql(), [input.period]);
      await tx.manager.query(`INSERT INTO age_allowance_sweep (period, run_by) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [input.period, actor.userId]);
      const events = sweepEvents(ended[0], started);
      for (let i = 0; i < events.length; i += EVENT_SLICE) await tx.emit(actor, events.slice(i, i + EVENT_SLICE));
      return { period: input.period, ...countEvents(events) };
    });
  }
}

type SweepEvent = DomainEvent<AgeAllowanceEnrolmentStartedV1 | AgeAllowanceEnrolmentMovedV1 | AgeAllowanceEnrolmentStoppedV1>;

/**
 * One event per change: `started` for a new enrolment; `moved` for a high-age enrolment ended by
 * the 100th birthday together with the longevity one that follows it (no separate `started`);
 * `stopped` for an end by death or moving away. A row enrolled already ended gives both.
 */
export function sweepEvents(ended: ChangedRow[], started: ChangedRow[]): SweepEvent[] {
  const endings = [...ended, ...started.filter((row) => row.last_period !== null)];
  const longevityOf = new Map(started.filter((row) => row.band === 'longevity').map((row) => [row.person_id, row]));
  const movedPersons = new Set(endings.filter((row) => row.end_reason === 'moved-band').map((row) => row.person_id));
  const events: SweepEvent[] = [];
  for (const row of started) {
    if (row.band === 'longevity' && movedPersons.has(row.person_id)) continue;
    const data: AgeAllowanceEnrolmentStartedV1 = { enrolmentId: row.id, personId: row.person_id, band: row.band, firstPeriod: row.first_period };
    events.push({ type: AgeAllowanceEvents.enrolmentStarted, subject: `age-allowance-enrolment/${row.id}`, divisionCode: row.division_code, data });
  }
  for (const row of endings) {
    if (row.end_reason === 'moved-band') {
      const next = longevityOf.get(row.person_id);
      if (!next) throw new Error(`enrolment ${row.id} moved band but no longevity enrolment was made`);
      const data: AgeAllowanceEnrolmentMovedV1 = {
        personId: row.person_id,
        fromEnrolmentId: row.id,
        fromBand: 'high-age',
        lastPeriod: row.last_period ?? '',
        toEnrolmentId: next.id,
        toBand: 'longevity',
        firstPeriod: next.first_period,
      };
      events.push({ type: AgeAllowanceEvents.enrolmentMoved, subject: `age-allowance-enrolment/${row.id}`, divisionCode: row.division_code, data });
    } else if (row.end_reason !== null && row.last_period !== null) {
      const data: AgeAllowanceEnrolmentStoppedV1 = { enrolmentId: row.id, personId: row.person_id, band: row.band, lastPeriod: row.last_period, reason: row.end_reason };
      events.push({ type: AgeAllowanceEvents.enrolmentStopped, subject: `age-allowance-enrolment/${row.id}`, divisionCode: row.division_code, data });
    }
  }
  return events;
}

function countEvents(events: SweepEvent[]): { started: number; moved: number; stopped: number } {
  const count = (type: string): number => events.filter((e) => e.type === type).length;
  return { started: count(AgeAllowanceEvents.enrolmentStarted), moved: count(AgeAllowanceEvents.enrolmentMoved), stopped: count(AgeAllowanceEvents.enrolmentStopped) };
}
