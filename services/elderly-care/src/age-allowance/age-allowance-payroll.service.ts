import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Period, todayInShanghai } from '@civil/domain-kernel';
import {
  AgeAllowanceEvents,
  DomainError,
  actorCoversDivision,
  type Actor,
  type AgeAllowanceBand,
  type AgeAllowancePayrollCompletedV1,
  type AgeAllowancePayrollKey,
  type AgeAllowancePayrollView,
  type AgeAllowanceYearSummary,
} from '@civil/contracts';
import { Outbox } from '@civil/platform';
import { DISTRICT, READERS, WRITERS, requireRole } from './age-allowance.access';

const NOT_NULL_VIOLATION = '23502';

interface PayrollRow {
  period: string;
  band: AgeAllowanceBand;
  persons: number;
  amount_fen: string;
  completed_at: Date;
}

/**
 * The payroll's one statement, returning the township totals of what it wrote. $1 period, $2 band,
 * $3 the period's first day. Pays every enrolment
 * of the band in force in $1 at the rate in force on its first day (effective_to inclusive) for
 * the person's division: the most specific age_allowance_rate row among county, city and province.
 * A person without one leaves amount_fen NULL, which the NOT NULL constraint turns into a refusal
 * of the whole run rather than a silent omission.
 */
export function payrollInsertSql(): string {
  // Three hash joins against the few rate rows in force beat a per-person lookup.
  const level = (digits: number): string => `rpad(left(e.division_code, ${digits}), 12, '0')`;
  return `
    WITH rate AS (
      SELECT division_code, monthly_amount_fen FROM age_allowance_rate
       WHERE band = $2 AND effective_from <= $3::date AND (effective_to IS NULL OR effective_to >= $3::date)),
    paid AS (
      INSERT INTO age_allowance_payment (period, band, resident_id_hash, resident_id_enc, enrolment_id, division_code, amount_fen)
      SELECT $1, e.band, e.resident_id_hash, e.resident_id_enc, e.id, e.division_code, coalesce(county.monthly_amount_fen, city.monthly_amount_fen, province.monthly_amount_fen)
        FROM age_allowance_enrolment e
        LEFT JOIN rate county ON county.division_code = ${level(6)}
        LEFT JOIN rate city ON city.division_code = ${level(4)}
        LEFT JOIN rate province ON province.division_code = ${level(2)}
       WHERE e.band = $2 AND e.first_period <= $1 AND (e.last_period IS NULL OR e.last_period >= $1)
      RETURNING division_code, amount_fen)
    SELECT rpad(left(division_code, 9), 12, '0') AS township_code, count(*)::int AS persons, sum(amount_fen)::bigint AS amount_fen
      FROM paid GROUP BY 1 ORDER BY 1`;
}

/**
 * The monthly payroll of a band: once per period and band (the payroll row is claimed with
 * INSERT … ON CONFLICT DO NOTHING, so a second or concurrent run changes nothing), one
 * INSERT … SELECT of the payments, township totals and the completion event, in one transaction.
 * It needs a sweep for the period (or a later one) first, so the enrolments are current.
 */
@Injectable()
export class AgeAllowancePayrollService {
  constructor(
    private readonly outbox: Outbox,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async runPayroll(key: AgeAllowancePayrollKey, actor: Actor, today = todayInShanghai()): Promise<AgeAllowancePayrollView> {
    requireRole(actor, WRITERS, 'age-allowance payrolls are run by the elderly-care office');
    if (actor.kind !== 'system' && !actorCoversDivision(actor, DISTRICT)) throw new DomainError('OUT_OF_DIVISION_SCOPE', 'the payroll covers the whole district');
    const period = Period.parse(key.period);
    if (period.isAfter(Period.fromDate(today).next())) {
      throw DomainError.validation([{ field: 'period', rule: 'not-beyond-next-month', message: 'a payroll is run for this month or the next at the latest' }]);
    }
    try {
      const created = await this.outbox.transaction(async (tx) => {
        const [claimed] = await tx.manager.query<{ created: number }[]>(
          `WITH run AS (INSERT INTO age_allowance_payroll (period, band, run_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1) SELECT count(*)::int AS created FROM run`,
          [key.period, key.band, actor.userId],
        );
        if (claimed?.created !== 1) return false;
        const [swept] = await tx.manager.query<{ ok: boolean }[]>(`SELECT EXISTS (SELECT 1 FROM age_allowance_sweep WHERE period >= $1) AS ok`, [key.period]);
        if (swept?.ok !== true) throw new DomainError('CONFLICT', `run the age-allowance sweep for ${key.period} before its payroll`);
        const lines = await tx.manager.query<{ township_code: string; persons: number; amount_fen: string }[]>(payrollInsertSql(), [key.period, key.band, period.firstDay()]);
        const persons = lines.reduce((n, l) => n + l.persons, 0);
        const amountFen = lines.reduce((n, l) => n + Number(l.amount_fen), 0);
        await tx.manager.query(`UPDATE age_allowance_payroll SET persons = $3, amount_fen = $4, completed_at = now() WHERE period = $1 AND band = $2`, [key.period, key.band, persons, amountFen]);
        const completed: AgeAllowancePayrollCompletedV1 = {
          period: key.period,
          band: key.band,
          persons,
          amountFen,
          lines: lines.map((l) => ({ townshipCode: l.township_code, persons: l.persons, amountFen: Number(l.amount_fen) })),
        };
        await tx.emit(actor, [{ type: AgeAllowanceEvents.payrollCompleted, subject: `age-allowance-payroll/${key.band}/${key.period}`, divisionCode: DISTRICT, data: completed }]);
        return true;
      });
      return { ...(await this.getPayroll(key, actor)), alreadyRun: !created };
    } catch (error) {
      if ((error as { code?: unknown }).code === NOT_NULL_VIOLATION) {
        throw new DomainError('CONFLICT', `no ${key.band} rate is in force on ${period.firstDay()} for every person's division: add it to age_allowance_rate`);
      }
      throw error;
    }
  }

  async getPayroll(key: AgeAllowancePayrollKey, actor: Actor): Promise<AgeAllowancePayrollView> {
    requireRole(actor, READERS, 'age-allowance payrolls are for elderly-care staff, finance, auditors and leaders');
    const [row] = await this.dataSource.query<PayrollRow[]>(`SELECT period, band, persons, amount_fen, completed_at FROM age_allowance_payroll WHERE period = $1 AND band = $2`, [key.period, key.band]);
    if (!row) throw new DomainError('NOT_FOUND', `no ${key.band} payroll for ${key.period}`);
    return { period: row.period, band: row.band, persons: row.persons, amountFen: Number(row.amount_fen), completedAt: row.completed_at.toISOString(), alreadyRun: false };
  }

  /** The year's payrolls by band: payrolls run, person-months and amount (the report's 124.92万 and 9万 for 2023). */
  async yearSummary(year: number, actor: Actor): Promise<AgeAllowanceYearSummary> {
    requireRole(actor, READERS, 'age-allowance figures are for elderly-care staff, finance, auditors and leaders');
    const rows = await this.dataSource.query<{ band: AgeAllowanceBand; payrolls: number; person_months: number; amount_fen: string }[]>(
      `SELECT band, count(*)::int AS payrolls, sum(persons)::int AS person_months, sum(amount_fen)::bigint AS amount_fen
         FROM age_allowance_payroll WHERE period LIKE $1 GROUP BY band ORDER BY band`,
      [`${year}-%`],
    );
    return { year, bands: rows.map((r) => ({ band: r.band, payrolls: r.payrolls, personMonths: r.person_months, amountFen: Number(r.amount_fen) })) };
  }
}
