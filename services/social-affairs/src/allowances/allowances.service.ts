import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Period, ResidentId, compareDates, todayInShanghai } from '@civil/domain-kernel';
import {
  AllowanceEvents,
  CHILD_PROGRAMMES,
  DomainError,
  actorCoversDivision,
  hasAnyRole,
  residentIdFor,
  type Actor,
  type AllowanceEndReason,
  type AllowanceEndedV1,
  type AllowanceEnrolledV1,
  type AllowanceEnrolmentView,
  type AllowanceFinding,
  type AllowancePayrollCompletedV1,
  type AllowancePayrollKey,
  type AllowancePayrollView,
  type AllowanceProgramme,
  type AllowanceYearSummary,
  type AssessChildInput,
  type ChildAssessmentView,
  type DisabilityCategory,
  type EndAllowanceInput,
  type EnrolChildInput,
  type EnrolDisabilityInput,
  type Role,
} from '@civil/contracts';
import { Outbox, PersonalDataCipher, sealResidentId } from '@civil/platform';
import { environmentCipher } from '../resident-ids';
import { CARE_ALLOWANCE_GRADES, CHILD_AGE_LIMIT, assessChild, certificateClass, firstPeriodAfter } from './allowances.domain';

const DECIDERS: readonly Role[] = ['registrar', 'admin'];
const READERS: readonly Role[] = ['registrar', 'admin', 'finance-officer', 'auditor', 'leader'];
const PAYROLL_RUNNERS: readonly Role[] = ['registrar', 'admin'];

/** The allowances are paid by the district: its payroll covers every township. */
const DISTRICT = '430503000000';

const UNIQUE_VIOLATION = '23505';
const NOT_NULL_VIOLATION = '23502';

interface EnrolmentRow {
  id: string;
  programme: AllowanceProgramme;
  resident_id_enc: string;
  name: string;
  division_code: string;
  grade: number | null;
  category: DisabilityCategory | null;
  decided_on: string;
  first_period: string;
  last_period: string | null;
  end_reason: AllowanceEndReason | null;
  findings: AllowanceFinding[];
}
const ENROLMENT_COLUMNS = `id, programme, resident_id_enc, name, division_code, grade, category, to_char(decided_on, 'YYYY-MM-DD') AS decided_on, first_period, last_period, end_reason, findings`;

interface PayrollRow {
  period: string;
  programme: AllowanceProgramme;
  persons: number;
  amount_fen: string;
  completed_at: Date;
}

/**
 * 孤儿 and 事实无人抚养儿童 allowances and the two disability subsidies: assessment, enrolment from
 * the month after the decision, ending, and a set-based monthly payroll with one payment per
 * person, programme and month. Whether a certificate holder lives in a 低保 household comes from
 * this service's own record of social assistance's case events (see DibaoCasesConsumer).
 */
@Injectable()
export class AllowancesService {
  constructor(
    private readonly outbox: Outbox,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: PersonalDataCipher = environmentCipher(),
  ) {}

  assessChild(input: AssessChildInput, actor: Actor, today = todayInShanghai()): ChildAssessmentView {
    this.requireRole(actor, READERS, 'child welfare assessments are for social-affairs staff');
    return assessChild(input, input.onDate ?? today);
  }

  async enrolChild(input: EnrolChildInput, actor: Actor, today = todayInShanghai()): Promise<AllowanceEnrolmentView> {
    this.requireDecider(actor, input.divisionCode, input.decidedOn, today);
    const assessment = assessChild(input, input.decidedOn);
    if (!assessment.eligible || assessment.programme === null) {
      throw new DomainError('NOT_ELIGIBLE', `not eligible for a child allowance: ${failedConditions(assessment.findings)}`);
    }
    return this.insert(actor, {
      programme: assessment.programme,
      residentId: input.residentId,
      name: input.name,
      divisionCode: input.divisionCode,
      grade: null,
      category: null,
      certificateNumber: null,
      findings: [...assessment.findings, { condition: 'guardian', met: true, basis: `${input.guardian.relationship} ${input.guardian.name}` }],
      decidedOn: input.decidedOn,
    });
  }

  async enrolDisability(input: EnrolDisabilityInput, actor: Actor, today = todayInShanghai()): Promise<AllowanceEnrolmentView> {
    this.requireDecider(actor, input.divisionCode, input.decidedOn, today);
    const { category, grade } = certificateClass(input.certificateNumber);
    const firstPeriod = firstPeriodAfter(input.decidedOn);
    const findings: AllowanceFinding[] = [{ condition: 'certificate', met: true, basis: `残疾人证 ${input.certificateNumber.slice(18)}: ${category}, grade ${grade}` }];
    if (input.programme === 'disability-care') {
      const severe = (CARE_ALLOWANCE_GRADES as readonly number[]).includes(grade);
      findings.push({ condition: 'grade-1-or-2', met: severe, basis: `grade ${grade}` });
    } else {
      const dibaoCase = await this.dibaoCaseOf(this.dataSource.manager, input.residentId, firstPeriod);
      findings.push(
        dibaoCase
          ? { condition: 'dibao-household', met: true, basis: `member of 低保 household ${dibaoCase.household_id} (paid since ${dibaoCase.first_period})` }
          : { condition: 'dibao-household', met: false, basis: `not a member of a household receiving 低保 in ${firstPeriod}, per social assistance's case events` },
      );
    }
    if (findings.some((f) => !f.met)) throw new DomainError('NOT_ELIGIBLE', `not eligible for the ${input.programme} allowance: ${failedConditions(findings)}`);
    return this.insert(actor, {
      programme: input.programme,
      residentId: input.residentId,
      name: input.name,
      divisionCode: input.divisionCode,
      grade,
      category,
      certificateNumber: input.certificateNumber,
      findings,
      decidedOn: input.decidedOn,
    });
  }

  async end(input: EndAllowanceInput, actor: Actor): Promise<AllowanceEnrolmentView> {
    this.requireRole(actor, DECIDERS, 'allowances are ended by social-affairs staff');
    await this.outbox.transaction(async (tx) => {
      const [row] = await tx.manager.query<EnrolmentRow[]>(`SELECT ${ENROLMENT_COLUMNS} FROM allowance_enrolment WHERE id = $1 FOR UPDATE`, [input.enrolmentId]);
      if (!row) throw new DomainError('NOT_FOUND', `allowance enrolment ${input.enrolmentId} does not exist`);
      if (!actorCoversDivision(actor, row.division_code)) throw new DomainError('OUT_OF_DIVISION_SCOPE', `the enrolment is outside your divisions`);
      if (row.last_period !== null) throw new DomainError('CONFLICT', `the allowance already ended with ${row.last_period}`);
      const paidThrough = await this.lastPaidPeriod(tx.manager, row.id);
      const earliest = paidThrough ?? Period.parse(row.first_period).previous().toString();
      if (input.lastPeriod < earliest) {
        throw DomainError.validation([{ field: 'lastPeriod', rule: 'not-before-paid', message: `the allowance has been paid through ${earliest}; end it then or later` }]);
      }
      await tx.manager.query(`UPDATE allowance_enrolment SET last_period = $2, end_reason = $3, ended_by = $4 WHERE id = $1`, [row.id, input.lastPeriod, input.reason, actor.userId]);
      const ended: AllowanceEndedV1 = { enrolmentId: row.id, programme: row.programme, lastPeriod: input.lastPeriod, reason: input.reason };
      await tx.emit(actor, [{ type: AllowanceEvents.ended, subject: `allowance-enrolment/${row.id}`, divisionCode: row.division_code, data: ended }]);
    });
    return this.get(input.enrolmentId, actor);
  }

  async get(id: string, actor: Actor): Promise<AllowanceEnrolmentView> {
    this.requireRole(actor, READERS, 'allowance enrolments are for social-affairs staff');
    const [row] = await this.dataSource.query<EnrolmentRow[]>(`SELECT ${ENROLMENT_COLUMNS} FROM allowance_enrolment WHERE id = $1`, [id]);
    if (!row) throw new DomainError('NOT_FOUND', `allowance enrolment ${id} does not exist`);
    if (!actorCoversDivision(actor, row.division_code)) throw new DomainError('OUT_OF_DIVISION_SCOPE', `the enrolment is outside your divisions`);
    return toView(row, this.cipher.decrypt(row.resident_id_enc), actor);
  }

  /**
   * Pays a programme for a month, set-based: one INSERT … SELECT of every enrolment in force that
   * month (children under 18 on its first day; living-allowance holders still in a 低保 household),
   * at the standard in force on its first day. Run twice, the second run finds the payroll and
   * changes nothing; two concurrent runs serialise on the payroll's key.
   */
  async runPayroll(key: AllowancePayrollKey, actor: Actor, today = todayInShanghai()): Promise<AllowancePayrollView> {
    this.requireRole(actor, PAYROLL_RUNNERS, 'allowance payrolls are run by social-affairs staff');
    if (actor.kind !== 'system' && !actorCoversDivision(actor, DISTRICT)) {
      throw new DomainError('OUT_OF_DIVISION_SCOPE', 'the payroll covers the whole district');
    }
    if (Period.parse(key.period).isAfter(Period.fromDate(today).next())) {
      throw DomainError.validation([{ field: 'period', rule: 'not-beyond-next-month', message: 'a payroll is run for this month or the next at the latest' }]);
    }
    try {
      const created = await this.outbox.transaction(async (tx) => {
        const [claimed] = await tx.manager.query<{ created: number }[]>(
          `WITH run AS (INSERT INTO allowance_payroll (period, programme, run_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1) SELECT count(*)::int AS created FROM run`,
          [key.period, key.programme, actor.userId],
        );
        if (claimed?.created !== 1) return false;
        await tx.manager.query(payrollInsertSql(), [key.period, key.programme, Period.parse(key.period).firstDay(), CHILD_AGE_LIMIT]);
        const lines = await tx.manager.query<{ township_code: string; persons: number; amount_fen: string }[]>(
          `SELECT left(division_code, 9) AS township_code, count(*)::int AS persons, sum(amount_fen)::bigint AS amount_fen
             FROM allowance_payment WHERE period = $1 AND programme = $2 GROUP BY 1 ORDER BY 1`,
          [key.period, key.programme],
        );
        const persons = lines.reduce((n, l) => n + l.persons, 0);
        const amountFen = lines.reduce((n, l) => n + Number(l.amount_fen), 0);
        await tx.manager.query(`UPDATE allowance_payroll SET persons = $3, amount_fen = $4, completed_at = now() WHERE period = $1 AND programme = $2`, [key.period, key.programme, persons, amountFen]);
        const completed: AllowancePayrollCompletedV1 = {
          period: key.period,
          programme: key.programme,
          persons,
          amountFen,
          lines: lines.map((l) => ({ townshipCode: l.township_code, persons: l.persons, amountFen: Number(l.amount_fen) })),
        };
        await tx.emit(actor, [{ type: AllowanceEvents.payrollCompleted, subject: `allowance-payroll/${key.programme}/${key.period}`, divisionCode: DISTRICT, data: completed }]);
        return true;
      });
      return { ...(await this.getPayroll(key, actor)), alreadyRun: !created };
    } catch (error) {
      if ((error as { code?: unknown }).code === NOT_NULL_VIOLATION) {
        throw new DomainError('CONFLICT', `no ${key.programme} standard is in force on ${Period.parse(key.period).firstDay()} for every beneficiary's division: add it to rule_allowance_standard`);
      }
      throw error;
    }
  }

  async getPayroll(key: AllowancePayrollKey, actor: Actor): Promise<AllowancePayrollView> {
    this.requireRole(actor, READERS, 'allowance payrolls are for social-affairs staff and the finance office');
    const [row] = await this.dataSource.query<PayrollRow[]>(`SELECT period, programme, persons, amount_fen, completed_at FROM allowance_payroll WHERE period = $1 AND programme = $2`, [key.period, key.programme]);
    if (!row) throw new DomainError('NOT_FOUND', `no ${key.programme} payroll for ${key.period}`);
    return { period: row.period, programme: row.programme, persons: row.persons, amountFen: Number(row.amount_fen), completedAt: row.completed_at.toISOString(), alreadyRun: false };
  }

  async yearSummary(year: number, actor: Actor): Promise<AllowanceYearSummary> {
    this.requireRole(actor, READERS, 'allowance figures are for social-affairs staff and the finance office');
    const rows = await this.dataSource.query<{ programme: AllowanceProgramme; payrolls: number; person_months: number; amount_fen: string }[]>(
      `SELECT programme, count(*)::int AS payrolls, sum(persons)::int AS person_months, sum(amount_fen)::bigint AS amount_fen
         FROM allowance_payroll WHERE period LIKE $1 GROUP BY programme ORDER BY programme`,
      [`${year}-%`],
    );
    return { year, programmes: rows.map((r) => ({ programme: r.programme, payrolls: r.payrolls, personMonths: r.person_months, amountFen: Number(r.amount_fen) })) };
  }

  private async insert(
    actor: Actor,
    e: { programme: AllowanceProgramme; residentId: string; name: string; divisionCode: string; grade: number | null; category: DisabilityCategory | null; certificateNumber: string | null; findings: AllowanceFinding[]; decidedOn: string },
  ): Promise<AllowanceEnrolmentView> {
    const id = uuidv7();
    const firstPeriod = firstPeriodAfter(e.decidedOn);
    try {
      await this.outbox.transaction(async (tx) => {
        // The birth date the payroll's age test needs is a column of its own; the 残疾人证 number
        // (the resident ID and two digits) is kept encrypted only.
        const person = sealResidentId(this.cipher, e.residentId);
        await tx.manager.query(
          `INSERT INTO allowance_enrolment (id, programme, resident_id_hash, resident_id_enc, name, division_code, birth_date, grade, category, certificate_number_enc, findings, decided_on, decided_by, first_period)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
          [
            id,
            e.programme,
            person.hash,
            person.enc,
            e.name,
            e.divisionCode,
            ResidentId.parse(e.residentId).birthDate,
            e.grade,
            e.category,
            e.certificateNumber === null ? null : this.cipher.encrypt(e.certificateNumber),
            JSON.stringify(e.findings),
            e.decidedOn,
            actor.userId,
            firstPeriod,
          ],
        );
        const enrolled: AllowanceEnrolledV1 = { enrolmentId: id, programme: e.programme, firstPeriod, grade: e.grade };
        await tx.emit(actor, [{ type: AllowanceEvents.enrolled, subject: `allowance-enrolment/${id}`, divisionCode: e.divisionCode, data: enrolled }]);
      });
    } catch (error) {
      if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) {
        const what = (CHILD_PROGRAMMES as readonly string[]).includes(e.programme) ? 'a child allowance' : `the ${e.programme} allowance`;
        throw new DomainError('CONFLICT', `this person already receives ${what}`);
      }
      throw error;
    }
    return this.get(id, actor);
  }

  /** The 低保 case paying the person's household in `period`, as social assistance's events tell it. */
  async dibaoCaseOf(manager: EntityManager, residentId: string, period: string): Promise<{ household_id: string; first_period: string } | undefined> {
    const [row] = await manager.query<{ household_id: string; first_period: string }[]>(
      `SELECT c.household_id, c.first_period FROM dibao_case_member_view m JOIN dibao_case_view c ON c.case_id = m.case_id
        WHERE m.resident_id_hash = $1 AND c.first_period <= $2 AND (c.until_period IS NULL OR c.until_period > $2)
        ORDER BY c.first_period DESC LIMIT 1`,
      [this.cipher.lookupHash(residentId), period],
    );
    return row;
  }

  private async lastPaidPeriod(manager: EntityManager, enrolmentId: string): Promise<string | null> {
    const [row] = await manager.query<{ last: string | null }[]>(`SELECT max(period) AS last FROM allowance_payment WHERE enrolment_id = $1`, [enrolmentId]);
    return row?.last ?? null;
  }

  private requireDecider(actor: Actor, divisionCode: string, decidedOn: string, today: string): void {
    this.requireRole(actor, DECIDERS, 'allowances are decided by social-affairs staff');
    if (compareDates(decidedOn, today) > 0) throw DomainError.validation([{ field: 'decidedOn', rule: 'not-in-future', message: 'record a decision once it has been made' }]);
    if (!actorCoversDivision(actor, divisionCode)) throw new DomainError('OUT_OF_DIVISION_SCOPE', `${divisionCode} is outside your divisions`);
  }

  private requireRole(actor: Actor, roles: readonly Role[], message: string): void {
    if (actor.kind === 'citizen' || !hasAnyRole(actor, roles)) throw new DomainError('FORBIDDEN', message);
  }
}

function failedConditions(findings: AllowanceFinding[]): string {
  return findings
    .filter((f) => !f.met)
    .map((f) => `${f.condition}: ${f.basis}`)
    .join('; ');
}

function toView(row: EnrolmentRow, residentId: string, actor: Actor): AllowanceEnrolmentView {
  return {
    id: row.id,
    programme: row.programme,
    residentId: residentIdFor(actor, residentId),
    name: row.name,
    divisionCode: row.division_code,
    grade: row.grade,
    category: row.category,
    decidedOn: row.decided_on,
    firstPeriod: row.first_period,
    lastPeriod: row.last_period,
    endReason: row.end_reason,
    findings: row.findings,
  };
}

/**
 * The payroll's one statement. $1 period, $2 programme, $3 the period's first day, $4 the child age
 * limit. The standard is the most specific rule row in force on the first day among the
 * beneficiary's county, city and province (grade-specific for the care allowance); a beneficiary
 * without one leaves amount_fen NULL, which the NOT NULL constraint turns into a refusal of the
 * whole run rather than a silent omission.
 */
export function payrollInsertSql(): string {
  // Three hash joins against the few rule rows in force beat a per-beneficiary lookup (see bench/).
  const level = (digits: number): string => `rpad(left(e.division_code, ${digits}), 12, '0')`;
  const grade = `CASE WHEN e.programme = 'disability-care' THEN e.grade ELSE 0 END`;
  return `
    WITH standard AS (
      SELECT division_code, grade, monthly_fen FROM rule_allowance_standard
       WHERE programme = $2 AND effective_from <= $3::date AND (effective_to IS NULL OR effective_to >= $3::date))
    INSERT INTO allowance_payment (period, programme, resident_id_hash, resident_id_enc, enrolment_id, division_code, amount_fen)
    SELECT $1, e.programme, e.resident_id_hash, e.resident_id_enc, e.id, e.division_code, coalesce(county.monthly_fen, city.monthly_fen, province.monthly_fen)
      FROM allowance_enrolment e
      LEFT JOIN standard county ON county.division_code = ${level(6)} AND county.grade = ${grade}
      LEFT JOIN standard city ON city.division_code = ${level(4)} AND city.grade = ${grade}
      LEFT JOIN standard province ON province.division_code = ${level(2)} AND province.grade = ${grade}
     WHERE e.programme = $2
       AND e.first_period <= $1 AND (e.last_period IS NULL OR e.last_period >= $1)
       AND (e.programme NOT IN ('orphan', 'de-facto-unsupported') OR e.birth_date > $3::date - make_interval(years => $4))
       AND (e.programme <> 'disability-living' OR EXISTS (
             SELECT 1 FROM dibao_case_member_view m JOIN dibao_case_view c ON c.case_id = m.case_id
              WHERE m.resident_id_hash = e.resident_id_hash AND c.first_period <= $1 AND (c.until_period IS NULL OR c.until_period > $1)))`;
}
