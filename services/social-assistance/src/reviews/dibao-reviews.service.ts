import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Period, todayInShanghai } from '@civil/domain-kernel';
import {
  DibaoCaseEvents,
  DomainError,
  actorCoversDivision,
  divisionLikePatterns,
  hasAnyRole,
  type Actor,
  type DibaoHouseholdAdjustedV1,
  type DibaoHouseholdStoppedV1,
  type DibaoReviewView,
  type Role,
  type decideReviewSchema,
} from '@civil/contracts';
import { Outbox } from '@civil/platform';
import { householdMembersSealed } from '../households/household-access';
import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';

export type ReviewDecision = z.output<typeof decideReviewSchema>;

interface ReviewRow {
  id: string;
  case_id: string;
  household_id: string;
  division_code: string;
  cadence: 'yearly' | 'half-yearly';
  due_on: string;
  outcome: DibaoReviewView['outcome'];
  reason: string | null;
  decided_on: string | null;
  effective_period: string | null;
}
interface CaseRow {
  id: string;
  household_id: string;
  division_code: string;
  urban_rural: 'urban' | 'rural';
  covered_persons: number;
  monthly_amount_fen: string;
  start_period: string;
  end_period: string | null;
}

const SCHEDULERS: readonly Role[] = ['district-approver', 'township-reviewer', 'admin'];
const DECIDERS: readonly Role[] = ['district-approver', 'township-reviewer', 'admin'];
const REVIEW_COLUMNS = `id, case_id, household_id, division_code, cadence, to_char(due_on, 'YYYY-MM-DD') AS due_on, outcome, reason,
  to_char(decided_on, 'YYYY-MM-DD') AS decided_on, effective_period`;

/**
 * 低保 dynamic management. Reviews fall due a year after the case started or was last reviewed, or
 * half a year for households with a working-age member (16–59) and irregular income (business or
 * other income on record). A decision continues, adjusts or stops the case with a written reason,
 * effective from the next period: adjusting closes the case at the end of this period and opens
 * the new level from the next, so past payrolls keep the amounts they paid.
 */
@Injectable()
export class DibaoReviewsService {
  constructor(
    private readonly outbox: Outbox,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Creates, in one statement, the reviews due by `dueBy` for open cases in the caller's divisions. */
  async schedule(dueBy: string, actor: Actor): Promise<{ scheduled: number }> {
    this.requireRole(actor, SCHEDULERS, 'schedule reviews');
    const rows = await this.dataSource.query<{ id: string }[]>(
      `WITH open_case AS (
         SELECT c.id, c.household_id, c.division_code, rule.stable_interval_months, rule.irregular_interval_months,
                coalesce((SELECT max(r.decided_on) FROM dibao_review r WHERE r.case_id = c.id AND r.outcome IS NOT NULL),
                         to_date(c.start_period || '-01', 'YYYY-MM-DD')) AS since,
                EXISTS (SELECT 1 FROM household_member m
                         WHERE m.household_id = c.household_id
                           AND m.birth_date <= $1::date - make_interval(years => rule.working_age_from)
                           AND m.birth_date > $1::date - make_interval(years => rule.working_age_to))
                AND EXISTS (SELECT 1 FROM member_income i JOIN household_member m ON m.id = i.member_id
                             WHERE m.household_id = c.household_id AND i.kind = ANY (rule.irregular_income_kinds)) AS irregular
           FROM dibao_case c
           -- The review rule in force on the due-by date for the case's division (the most specific wins).
           JOIN LATERAL (
             SELECT stable_interval_months, irregular_interval_months, working_age_from, working_age_to, irregular_income_kinds
               FROM rule_dibao_review
              WHERE division_code IN (c.division_code, rpad(left(c.division_code, 9), 12, '0'), rpad(left(c.division_code, 6), 12, '0'))
                AND effective_from <= $1::date AND (effective_to IS NULL OR effective_to > $1::date)
              ORDER BY division_code DESC LIMIT 1) rule ON true
          WHERE c.end_period IS NULL AND c.division_code LIKE ANY ($2::text[])
       ),
       due AS (
         SELECT id, household_id, division_code, irregular,
                (since + make_interval(months => CASE WHEN irregular THEN irregular_interval_months ELSE stable_interval_months END))::date AS due_on
           FROM open_case
       )
       INSERT INTO dibao_review (id, case_id, household_id, division_code, cadence, due_on)
       SELECT gen_random_uuid(), id, household_id, division_code, CASE WHEN irregular THEN 'half-yearly' ELSE 'yearly' END, due_on
         FROM due
        WHERE due_on <= $1::date
       ON CONFLICT (case_id) WHERE outcome IS NULL DO NOTHING
       RETURNING id`,
      [dueBy, this.scopePatterns(actor)],
    );
    return { scheduled: rows.length };
  }

  /** Pending reviews due by a date in the caller's divisions, earliest first. */
  async listDue(dueBy: string, actor: Actor): Promise<{ items: DibaoReviewView[] }> {
    this.requireRole(actor, [...DECIDERS, 'clerk'], 'see reviews');
    const rows = await this.dataSource.query<ReviewRow[]>(
      `SELECT ${REVIEW_COLUMNS} FROM dibao_review
        WHERE outcome IS NULL AND due_on <= $1 AND division_code LIKE ANY ($2::text[])
        ORDER BY due_on, id LIMIT 1000`,
      [dueBy, this.scopePatterns(actor)],
    );
    return { items: rows.map(toView) };
  }

  async decide(input: ReviewDecision, actor: Actor, today = todayInShanghai()): Promise<DibaoReviewView> {
    this.requireRole(actor, DECIDERS, 'decide reviews');
    const current = Period.fromDate(today);
    const effective = current.next().toString();
    await this.outbox.transaction(async (tx) => {
      const review = await this.lockReview(tx.manager, input.reviewId, actor);
      const [caseRow] = await tx.manager.query<CaseRow[]>(
        `SELECT id, household_id, division_code, urban_rural, covered_persons, monthly_amount_fen, start_period, end_period FROM dibao_case WHERE id = $1 FOR UPDATE`,
        [review.case_id],
      );
      if (!caseRow || caseRow.end_period !== null) throw new DomainError('CONFLICT', 'the case under review is no longer open');
      if (input.outcome !== 'continue' && caseRow.start_period > current.toString()) {
        throw new DomainError('CONFLICT', `the case starts in ${caseRow.start_period}; adjust or stop it once it has started`);
      }
      await tx.manager.query(
        `UPDATE dibao_review SET outcome = $2, reason = $3, decided_by = $4, decided_on = $5, effective_period = $6 WHERE id = $1`,
        [review.id, input.outcome, input.reason, actor.userId, today, input.outcome === 'continue' ? null : effective],
      );
      if (input.outcome === 'continue') return;
      await tx.manager.query(`UPDATE dibao_case SET end_period = $2, stop_reason = $3 WHERE id = $1`, [
        caseRow.id,
        current.toString(),
        `${input.outcome === 'adjust' ? 'adjusted' : 'stopped'}: ${input.reason}`,
      ]);
      if (input.outcome === 'stop') {
        await tx.emit<DibaoHouseholdStoppedV1>(actor, [
          {
            type: DibaoCaseEvents.householdStopped,
            subject: `household/${caseRow.household_id}`,
            divisionCode: caseRow.division_code,
            data: { householdId: caseRow.household_id, caseId: caseRow.id, urbanRural: caseRow.urban_rural, persons: caseRow.covered_persons, reason: input.reason, effectivePeriod: effective },
          },
        ]);
        return;
      }
      const newCaseId = uuidv7();
      const persons = input.coveredPersons ?? caseRow.covered_persons;
      const amount = input.monthlyAmountFen ?? Number(caseRow.monthly_amount_fen);
      await tx.manager.query(
        `INSERT INTO dibao_case (id, household_id, division_code, urban_rural, covered_persons, monthly_amount_fen, start_period)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [newCaseId, caseRow.household_id, caseRow.division_code, caseRow.urban_rural, persons, amount, effective],
      );
      await tx.emit<DibaoHouseholdAdjustedV1>(actor, [
        {
          type: DibaoCaseEvents.householdAdjusted,
          subject: `household/${caseRow.household_id}`,
          divisionCode: caseRow.division_code,
          data: {
            householdId: caseRow.household_id,
            caseId: newCaseId,
            urbanRural: caseRow.urban_rural,
            personsBefore: caseRow.covered_persons,
            personsAfter: persons,
            monthlyAmountBeforeFen: Number(caseRow.monthly_amount_fen),
            monthlyAmountAfterFen: amount,
            effectivePeriod: effective,
            reason: input.reason,
            members: await householdMembersSealed(tx.manager, caseRow.household_id),
          },
        },
      ]);
    });
    const [row] = await this.dataSource.query<ReviewRow[]>(`SELECT ${REVIEW_COLUMNS} FROM dibao_review WHERE id = $1`, [input.reviewId]);
    if (!row) throw new DomainError('NOT_FOUND', `review ${input.reviewId} does not exist`);
    return toView(row);
  }

  private async lockReview(manager: EntityManager, reviewId: string, actor: Actor): Promise<ReviewRow> {
    const [review] = await manager.query<ReviewRow[]>(`SELECT ${REVIEW_COLUMNS} FROM dibao_review WHERE id = $1 FOR UPDATE`, [reviewId]);
    if (!review) throw new DomainError('NOT_FOUND', `review ${reviewId} does not exist`);
    if (!actorCoversDivision(actor, review.division_code)) throw new DomainError('OUT_OF_DIVISION_SCOPE', `review ${reviewId} is outside your divisions`);
    if (review.outcome !== null) throw new DomainError('CONFLICT', `review ${reviewId} was already decided (${review.outcome})`);
    return review;
  }

  private requireRole(actor: Actor, roles: readonly Role[], what: string): void {
    if (actor.kind === 'citizen' || !hasAnyRole(actor, roles)) throw new DomainError('FORBIDDEN', `only ${roles.join(', ')} may ${what}`);
  }

  /** LIKE patterns of the caller's divisions; the system actor is unrestricted. */
  private scopePatterns(actor: Actor): string[] {
    return divisionLikePatterns(actor) ?? ['%'];
  }
}

function toView(row: ReviewRow): DibaoReviewView {
  return {
    id: row.id,
    caseId: row.case_id,
    householdId: row.household_id,
    divisionCode: row.division_code,
    cadence: row.cadence,
    dueOn: row.due_on,
    outcome: row.outcome,
    reason: row.reason,
    decidedOn: row.decided_on,
    effectivePeriod: row.effective_period,
  };
}
