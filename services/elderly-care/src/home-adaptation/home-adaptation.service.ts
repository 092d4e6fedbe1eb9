import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Period, ResidentId, todayInShanghai } from '@civil/domain-kernel';
import {
  DomainError,
  HomeAdaptationEvents,
  acceptHomeAdaptationSchema,
  actorCoversDivision,
  applyHomeAdaptationSchema,
  assessHomeAdaptationSchema,
  getHomeAdaptationSchema,
  hasAnyRole,
  homeAdaptationProgressSchema,
  listHomeAdaptationsSchema,
  parseOrThrow,
  payHomeAdaptationSchema,
  planHomeAdaptationSchema,
  recordHomeAdaptationWorksSchema,
  refuseHomeAdaptationSchema,
  residentIdFor,
  setHomeAdaptationTargetSchema,
  type Actor,
  type AdaptationItem,
  type HomeAdaptationAppliedV1,
  type HomeAdaptationApprovedV1,
  type HomeAdaptationCompletedV1,
  type HomeAdaptationFinding,
  type HomeAdaptationHouseholdBasis,
  type HomeAdaptationPersonBasis,
  type HomeAdaptationProgress,
  type HomeAdaptationRefusedV1,
  type HomeAdaptationStatus,
  type HomeAdaptationSummaryView,
  type HomeAdaptationTargetView,
  type HomeAdaptationView,
  type Role,
} from '@civil/contracts';
import { Outbox, PersonalDataCipher, type Transaction } from '@civil/platform';
import {
  assessEligibility,
  failedConditions,
  percentOf,
  planTotals,
  requireStep,
  requireStepDate,
  scopePrefix,
  townshipOf,
  type HomeAdaptationAction,
  type HomeAdaptationRule,
  type HouseholdFacts,
} from './home-adaptation.domain';

/** Elderly-care officers act; auditors, leaders and the finance office read. */
const ACTORS: readonly Role[] = ['elderly-care-officer', 'admin'];
const READERS: readonly Role[] = ['elderly-care-officer', 'admin', 'auditor', 'leader', 'finance-officer'];

/** The district whose target is reported when no county is named. */
const DISTRICT = '430503000000';
const UNIQUE_VIOLATION = '23505';

interface CaseRow {
  id: string;
  resident_id_enc: string;
  name: string;
  division_code: string;
  township_code: string;
  address: string;
  year: number;
  status: HomeAdaptationStatus;
  household_bases: HomeAdaptationHouseholdBasis[];
  person_bases: HomeAdaptationPersonBasis[];
  findings: HomeAdaptationFinding[];
  applied_on: string;
  assessed_on: string | null;
  assessor: string | null;
  needs: string[] | null;
  approved_on: string | null;
  items: AdaptationItem[] | null;
  subsidy_fen: number | null;
  self_paid_fen: number | null;
  contractor: string | null;
  works_started_on: string | null;
  works_completed_on: string | null;
  inspected_on: string | null;
  inspector: string | null;
  acceptance_remarks: string | null;
  paid_on: string | null;
  voucher: string | null;
  refused_on: string | null;
  refusal_reason: string | null;
}

const date = (column: string): string => `to_char(${column}, 'YYYY-MM-DD') AS ${column}`;
const CASE_COLUMNS = [
  'id, resident_id_enc, name, division_code, township_code, address, year, status, household_bases, person_bases, findings',
  date('applied_on'),
  date('assessed_on'),
  'assessor, needs',
  date('approved_on'),
  'items, subsidy_fen, self_paid_fen, contractor',
  date('works_started_on'),
  date('works_completed_on'),
  date('inspected_on'),
  'inspector, acceptance_remarks',
  date('paid_on'),
  'voucher',
  date('refused_on'),
  'refusal_reason',
].join(', ');

/**
 * 居家适老化改造: an application is checked at once against the rule in force and social
 * assistance's status as its events tell it (AssistanceStatusConsumer); the case then goes through
 * assessment, plan (subsidy within the rule's range), works, acceptance and payment in that order,
 * each step logged. One live adaptation per household per the rule's period. The resident ID is
 * kept as its lookup hash (which the 特困/低保 read models and the one-per-household check use) and
 * its ciphertext; the 残疾人证 number, which begins with it, only encrypted.
 */
@Injectable()
export class HomeAdaptationService {
  constructor(
    private readonly outbox: Outbox,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: PersonalDataCipher,
  ) {}

  async apply(input: unknown, actor: Actor, today = todayInShanghai()): Promise<HomeAdaptationView> {
    this.requireRole(actor, ACTORS, 'home adaptations are recorded by elderly-care officers');
    const data = parseOrThrow(applyHomeAdaptationSchema, input);
    requireStepDate('appliedOn', data.appliedOn, '0001-01-01', today);
    if (!actorCoversDivision(actor, data.divisionCode)) throw new DomainError('OUT_OF_DIVISION_SCOPE', `${data.divisionCode} is outside your divisions`);
    const id = uuidv7();
    const year = Number(data.appliedOn.slice(0, 4));
    const townshipCode = townshipOf(data.divisionCode);
    const residentHash = this.cipher.lookupHash(data.residentId);
    try {
      await this.outbox.transaction(async (tx) => {
        const rule = await this.ruleOn(tx.manager, data.divisionCode, data.appliedOn);
        const facts = await this.householdFacts(tx.manager, residentHash, Period.fromDate(data.appliedOn).toString(), data.formerlyPoor?.evidence ?? null);
        const eligibility = assessEligibility(rule, facts, {
          ageYears: ResidentId.parse(data.residentId).ageOn(data.appliedOn),
          dependency: data.dependency?.level ?? null,
          disabilityCertificate: data.disabilityCertificateNumber ?? null,
        });
        if (!eligibility.eligible) throw new DomainError('NOT_ELIGIBLE', `not eligible for home adaptation: ${failedConditions(eligibility.findings)}`);

        // Applications of one household, and of one person, serialise here.
        const householdKey = facts.dibao ? `dibao-household/${facts.dibao.householdId}` : `resident/${residentHash}`;
        await tx.manager.query(`SELECT pg_advisory_xact_lock(hashtext($1)), pg_advisory_xact_lock(hashtext($2))`, [householdKey, `person/${residentHash}`]);
        const [earlier] = await tx.manager.query<{ id: string; year: number; status: string }[]>(
          `SELECT id, year, status FROM home_adaptation_case
            WHERE (household_key = $1 OR resident_id_hash = $2) AND status <> 'refused' AND year > $3::int - $4::int AND year < $3::int + $4::int
            ORDER BY year DESC LIMIT 1`,
          [householdKey, residentHash, year, rule.periodYears],
        );
        if (earlier) {
          throw new DomainError(
            'CONFLICT',
            `this household already has a home adaptation in ${earlier.year} (case ${earlier.id}, ${earlier.status}): one per household every ${rule.periodYears} year(s)`,
          );
        }
        await tx.manager.query(
          `INSERT INTO home_adaptation_case (id, resident_id_hash, resident_id_enc, name, division_code, township_code, address, household_key, year, status, household_bases, person_bases, findings,
                                             formerly_poor_evidence, dependency_level, dependency_evidence, disability_certificate_enc, applied_on, created_by)
           VALUES ($1, $2, $18, $3, $4, $5, $6, $7, $8, 'applied', $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
          [
            id,
            residentHash,
            data.name,
            data.divisionCode,
            townshipCode,
            data.address,
            householdKey,
            year,
            eligibility.householdBases,
            eligibility.personBases,
            JSON.stringify(eligibility.findings),
            data.formerlyPoor?.evidence ?? null,
            data.dependency?.level ?? null,
            data.dependency?.evidence ?? null,
            data.disabilityCertificateNumber === undefined ? null : this.cipher.encrypt(data.disabilityCertificateNumber),
            data.appliedOn,
            actor.userId,
            this.cipher.encrypt(data.residentId),
          ],
        );
        await this.log(tx.manager, id, null, 'applied', data.appliedOn, actor, eligibility.findings.map((f) => f.basis).join('; '));
        const applied: HomeAdaptationAppliedV1 = {
          caseId: id,
          year,
          townshipCode,
          householdBases: eligibility.householdBases,
          personBases: eligibility.personBases,
          appliedOn: data.appliedOn,
        };
        await tx.emit(actor, [{ type: HomeAdaptationEvents.applied, subject: `home-adaptation/${id}`, divisionCode: data.divisionCode, data: applied }]);
      });
    } catch (error) {
      if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) throw new DomainError('CONFLICT', `this household already has a home adaptation in ${year}`);
      throw error;
    }
    return this.get({ id }, actor);
  }

  async assess(input: unknown, actor: Actor, today = todayInShanghai()): Promise<HomeAdaptationView> {
    const data = parseOrThrow(assessHomeAdaptationSchema, input);
    return this.step(data.id, actor, 'assess', async (tx, row, previous) => {
      requireStepDate('assessedOn', data.assessedOn, previous, today);
      await tx.manager.query(`UPDATE home_adaptation_case SET status = 'assessed', assessed_on = $2, assessor = $3, needs = $4 WHERE id = $1`, [
        row.id,
        data.assessedOn,
        data.assessor,
        JSON.stringify(data.needs),
      ]);
      await this.log(tx.manager, row.id, row.status, 'assessed', data.assessedOn, actor, data.needs.join('; '));
    });
  }

  /** The plan: basic items are the subsidy (within the rule's range on the approval date), optional items self-paid. */
  async plan(input: unknown, actor: Actor, today = todayInShanghai()): Promise<HomeAdaptationView> {
    const data = parseOrThrow(planHomeAdaptationSchema, input);
    return this.step(data.id, actor, 'plan', async (tx, row, previous) => {
      requireStepDate('approvedOn', data.approvedOn, previous, today);
      const rule = await this.ruleOn(tx.manager, row.division_code, data.approvedOn);
      const { subsidyFen, selfPaidFen } = planTotals(data.items, rule);
      await tx.manager.query(`UPDATE home_adaptation_case SET status = 'approved', approved_on = $2, items = $3, subsidy_fen = $4, self_paid_fen = $5 WHERE id = $1`, [
        row.id,
        data.approvedOn,
        JSON.stringify(data.items),
        subsidyFen,
        selfPaidFen,
      ]);
      await this.log(tx.manager, row.id, row.status, 'approved', data.approvedOn, actor, `subsidy ${subsidyFen} fen, self-paid ${selfPaidFen} fen`);
      const approved: HomeAdaptationApprovedV1 = { caseId: row.id, townshipCode: row.township_code, subsidyFen, selfPaidFen, approvedOn: data.approvedOn };
      await tx.emit(actor, [{ type: HomeAdaptationEvents.approved, subject: `home-adaptation/${row.id}`, divisionCode: row.division_code, data: approved }]);
    });
  }

  async recordWorks(input: unknown, actor: Actor, today = todayInShanghai()): Promise<HomeAdaptationView> {
    const data = parseOrThrow(recordHomeAdaptationWorksSchema, input);
    return this.step(data.id, actor, 'record-works', async (tx, row, previous) => {
      requireStepDate('startedOn', data.startedOn, previous, today);
      requireStepDate('completedOn', data.completedOn, data.startedOn, today);
      await tx.manager.query(`UPDATE home_adaptation_case SET status = 'works-completed', contractor = $2, works_started_on = $3, works_completed_on = $4 WHERE id = $1`, [
        row.id,
        data.contractor,
        data.startedOn,
        data.completedOn,
      ]);
      await this.log(tx.manager, row.id, row.status, 'works-completed', data.completedOn, actor, `${data.contractor}, ${data.startedOn}–${data.completedOn}`);
    });
  }

  /** 验收: passed, the case awaits payment; failed, the works are to be done again (back to approved). */
  async accept(input: unknown, actor: Actor, today = todayInShanghai()): Promise<HomeAdaptationView> {
    const data = parseOrThrow(acceptHomeAdaptationSchema, input);
    return this.step(data.id, actor, 'accept', async (tx, row, previous) => {
      requireStepDate('inspectedOn', data.inspectedOn, previous, today);
      if (data.result === 'passed') {
        await tx.manager.query(`UPDATE home_adaptation_case SET status = 'accepted', inspected_on = $2, inspector = $3, acceptance_remarks = $4 WHERE id = $1`, [
          row.id,
          data.inspectedOn,
          data.inspector,
          data.remarks,
        ]);
        await this.log(tx.manager, row.id, row.status, 'accepted', data.inspectedOn, actor, `验收 passed (${data.inspector})${data.remarks ? `: ${data.remarks}` : ''}`);
      } else {
        await tx.manager.query(`UPDATE home_adaptation_case SET status = 'approved' WHERE id = $1`, [row.id]);
        await this.log(tx.manager, row.id, row.status, 'approved', data.inspectedOn, actor, `验收 failed (${data.inspector}): ${data.remarks}`);
      }
    });
  }

  /** Pays the approved subsidy once acceptance passed: the household is adapted (the completed event). */
  async pay(input: unknown, actor: Actor, today = todayInShanghai()): Promise<HomeAdaptationView> {
    const data = parseOrThrow(payHomeAdaptationSchema, input);
    return this.step(data.id, actor, 'pay', async (tx, row, previous) => {
      requireStepDate('paidOn', data.paidOn, previous, today);
      const subsidyFen = row.subsidy_fen ?? 0;
      await tx.manager.query(`UPDATE home_adaptation_case SET status = 'completed', paid_on = $2, voucher = $3 WHERE id = $1`, [row.id, data.paidOn, data.voucher]);
      await this.log(tx.manager, row.id, row.status, 'completed', data.paidOn, actor, `paid ${subsidyFen} fen, voucher ${data.voucher}`);
      const completed: HomeAdaptationCompletedV1 = { caseId: row.id, subsidyFen, completedOn: data.paidOn, townshipCode: row.township_code };
      await tx.emit(actor, [{ type: HomeAdaptationEvents.completed, subject: `home-adaptation/${row.id}`, divisionCode: row.division_code, data: completed }]);
    });
  }

  async refuse(input: unknown, actor: Actor, today = todayInShanghai()): Promise<HomeAdaptationView> {
    const data = parseOrThrow(refuseHomeAdaptationSchema, input);
    return this.step(data.id, actor, 'refuse', async (tx, row, previous) => {
      requireStepDate('refusedOn', data.refusedOn, previous, today);
      await tx.manager.query(`UPDATE home_adaptation_case SET status = 'refused', refused_on = $2, refusal_reason = $3 WHERE id = $1`, [row.id, data.refusedOn, data.reason]);
      await this.log(tx.manager, row.id, row.status, 'refused', data.refusedOn, actor, data.reason);
      const refused: HomeAdaptationRefusedV1 = { caseId: row.id, townshipCode: row.township_code, statusBefore: row.status, reason: data.reason, refusedOn: data.refusedOn };
      await tx.emit(actor, [{ type: HomeAdaptationEvents.refused, subject: `home-adaptation/${row.id}`, divisionCode: row.division_code, data: refused }]);
    });
  }

  async get(input: unknown, actor: Actor): Promise<HomeAdaptationView> {
    this.requireRole(actor, READERS, 'home adaptations are for elderly-care staff, the finance office, auditors and leaders');
    const { id } = parseOrThrow(getHomeAdaptationSchema, input);
    const [row] = await this.dataSource.query<CaseRow[]>(`SELECT ${CASE_COLUMNS} FROM home_adaptation_case WHERE id = $1`, [id]);
    if (!row) throw new DomainError('NOT_FOUND', `home adaptation ${id} does not exist`);
    if (!actorCoversDivision(actor, row.division_code)) throw new DomainError('OUT_OF_DIVISION_SCOPE', 'the case is outside your divisions');
    const log = await this.dataSource.query<{ from_status: HomeAdaptationStatus | null; to_status: HomeAdaptationStatus; on_date: string; actor: string; note: string }[]>(
      `SELECT from_status, to_status, to_char(on_date, 'YYYY-MM-DD') AS on_date, actor, note FROM home_adaptation_status_log WHERE case_id = $1 ORDER BY id`,
      [id],
    );
    return toView(
      row,
      log.map((l) => ({ from: l.from_status, to: l.to_status, onDate: l.on_date, by: l.actor, note: l.note })),
      residentIdFor(actor, this.cipher.decrypt(row.resident_id_enc)),
    );
  }

  /** A year's cases (by application year), within the caller's divisions or the one named. */
  async list(input: unknown, actor: Actor): Promise<{ items: HomeAdaptationSummaryView[] }> {
    this.requireRole(actor, READERS, 'home adaptations are for elderly-care staff, the finance office, auditors and leaders');
    const data = parseOrThrow(listHomeAdaptationsSchema, input);
    if (data.divisionCode !== undefined && !actorCoversDivision(actor, data.divisionCode)) throw new DomainError('OUT_OF_DIVISION_SCOPE', `${data.divisionCode} is outside your divisions`);
    const prefixes = (data.divisionCode !== undefined ? [data.divisionCode] : actor.divisions).map((d) => `${scopePrefix(d)}%`);
    const rows = await this.dataSource.query<{ id: string; name: string; township_code: string; status: HomeAdaptationStatus; applied_on: string; subsidy_fen: number | null }[]>(
      `SELECT id, name, township_code, status, to_char(applied_on, 'YYYY-MM-DD') AS applied_on, subsidy_fen FROM home_adaptation_case
        WHERE year = $1 AND ($2::text IS NULL OR status = $2) AND division_code LIKE ANY ($3::text[])
        ORDER BY applied_on, id`,
      [data.year, data.status ?? null, prefixes],
    );
    return { items: rows.map((r) => ({ id: r.id, name: r.name, townshipCode: r.township_code, status: r.status, appliedOn: r.applied_on, subsidyFen: r.subsidy_fen })) };
  }

  /** Households completed (paid) in the year against the county's target, by township. */
  async progress(input: unknown, actor: Actor): Promise<HomeAdaptationProgress> {
    this.requireRole(actor, READERS, 'home adaptation progress is for elderly-care staff, the finance office, auditors and leaders');
    const data = parseOrThrow(homeAdaptationProgressSchema, input);
    const county = (data.divisionCode ?? DISTRICT).slice(0, 6).padEnd(12, '0');
    if (!actorCoversDivision(actor, county)) throw new DomainError('OUT_OF_DIVISION_SCOPE', `the progress of ${county} covers the whole county`);
    const [target] = await this.dataSource.query<{ households: number }[]>(`SELECT households FROM home_adaptation_target WHERE year = $1 AND division_code = $2`, [data.year, county]);
    const rows = await this.dataSource.query<{ township_code: string; completed: number; in_progress: number; subsidy_fen: string }[]>(
      `SELECT township_code,
              count(*) FILTER (WHERE status = 'completed' AND paid_on >= $2::date AND paid_on < $3::date)::int AS completed,
              count(*) FILTER (WHERE status NOT IN ('completed', 'refused') AND year = $4::int)::int AS in_progress,
              coalesce(sum(subsidy_fen) FILTER (WHERE status = 'completed' AND paid_on >= $2::date AND paid_on < $3::date), 0)::bigint AS subsidy_fen
         FROM home_adaptation_case
        WHERE division_code LIKE $1 AND year BETWEEN $4::int - 1 AND $4::int
        GROUP BY township_code ORDER BY township_code`,
      [`${county.slice(0, 6)}%`, `${data.year}-01-01`, `${data.year + 1}-01-01`, data.year],
    );
    const byTownship = rows
      .filter((r) => r.completed > 0 || r.in_progress > 0)
      .map((r) => ({ townshipCode: r.township_code, completed: r.completed, inProgress: r.in_progress, subsidyFen: Number(r.subsidy_fen) }));
    const completed = byTownship.reduce((n, t) => n + t.completed, 0);
    const households = target?.households ?? null;
    return {
      year: data.year,
      divisionCode: county,
      target: households,
      completed,
      inProgress: byTownship.reduce((n, t) => n + t.inProgress, 0),
      subsidyFen: byTownship.reduce((n, t) => n + t.subsidyFen, 0),
      percent: percentOf(completed, households),
      byTownship,
    };
  }

  async setTarget(input: unknown, actor: Actor): Promise<HomeAdaptationTargetView> {
    this.requireRole(actor, ACTORS, 'home adaptation targets are set by elderly-care officers');
    const data = parseOrThrow(setHomeAdaptationTargetSchema, input);
    if (!actorCoversDivision(actor, data.divisionCode)) throw new DomainError('OUT_OF_DIVISION_SCOPE', `${data.divisionCode} is outside your divisions`);
    await this.dataSource.query(
      `INSERT INTO home_adaptation_target (year, division_code, households, set_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (year, division_code) DO UPDATE SET households = EXCLUDED.households, set_by = EXCLUDED.set_by, set_at = now(), is_demo = false`,
      [data.year, data.divisionCode, data.households, actor.userId],
    );
    return { year: data.year, divisionCode: data.divisionCode, households: data.households };
  }

  /** The rule in force on `onDate` for the division: the county's, else the city's, else the province's. */
  private async ruleOn(manager: EntityManager, divisionCode: string, onDate: string): Promise<HomeAdaptationRule> {
    const county = divisionCode.slice(0, 6).padEnd(12, '0');
    const city = divisionCode.slice(0, 4).padEnd(12, '0');
    const province = divisionCode.slice(0, 2).padEnd(12, '0');
    const [row] = await manager.query<
      { division_code: string; effective_from: string; min_subsidy_fen: number; max_subsidy_fen: number; older_age: number; very_old_age: number; period_years: number }[]
    >(
      `SELECT division_code, to_char(effective_from, 'YYYY-MM-DD') AS effective_from, min_subsidy_fen, max_subsidy_fen, older_age, very_old_age, period_years
         FROM rule_home_adaptation
        WHERE division_code IN ($1, $2, $3) AND effective_from <= $4::date AND (effective_to IS NULL OR effective_to >= $4::date)
        ORDER BY CASE division_code WHEN $1 THEN 3 WHEN $2 THEN 2 ELSE 1 END DESC LIMIT 1`,
      [county, city, province, onDate],
    );
    if (!row) throw new DomainError('CONFLICT', `no home adaptation rule is in force for ${divisionCode} on ${onDate}: add it to rule_home_adaptation`);
    return {
      divisionCode: row.division_code,
      effectiveFrom: row.effective_from,
      minSubsidyFen: row.min_subsidy_fen,
      maxSubsidyFen: row.max_subsidy_fen,
      olderAge: row.older_age,
      veryOldAge: row.very_old_age,
      periodYears: row.period_years,
    };
  }

  /** 特困 and 低保 in `period` as social assistance's events tell it (found by the resident ID's hash), and the 脱贫 declaration. */
  private async householdFacts(manager: EntityManager, residentHash: string, period: string, formerlyPoorEvidence: string | null): Promise<HouseholdFacts> {
    const [tekun] = await manager.query<{ care_mode: 'centralized' | 'dispersed'; self_care_level: 'full' | 'partial' | 'none' | null; first_period: string }[]>(
      `SELECT care_mode, self_care_level, first_period FROM assistance_tekun_view
        WHERE resident_id_hash = $1 AND care_mode IS NOT NULL AND first_period <= $2 AND (until_period IS NULL OR until_period > $2)
        ORDER BY first_period DESC LIMIT 1`,
      [residentHash, period],
    );
    const [dibao] = await manager.query<{ household_id: string; first_period: string }[]>(
      `SELECT c.household_id, c.first_period FROM assistance_dibao_member_view m JOIN assistance_dibao_case_view c ON c.case_id = m.case_id
        WHERE m.resident_id_hash = $1 AND c.first_period <= $2 AND (c.until_period IS NULL OR c.until_period > $2)
        ORDER BY c.first_period DESC LIMIT 1`,
      [residentHash, period],
    );
    return {
      tekun: tekun ? { careMode: tekun.care_mode, selfCareLevel: tekun.self_care_level, since: tekun.first_period } : null,
      dibao: dibao ? { householdId: dibao.household_id, since: dibao.first_period } : null,
      formerlyPoorEvidence,
    };
  }

  /** One step of the workflow on a locked case: scope, order, the previous step's date. */
  private async step(id: string, actor: Actor, action: HomeAdaptationAction, work: (tx: Transaction, row: CaseRow, previousDate: string) => Promise<void>): Promise<HomeAdaptationView> {
    this.requireRole(actor, ACTORS, 'home adaptations are recorded by elderly-care officers');
    await this.outbox.transaction(async (tx) => {
      const [row] = await tx.manager.query<CaseRow[]>(`SELECT ${CASE_COLUMNS} FROM home_adaptation_case WHERE id = $1 FOR UPDATE`, [id]);
      if (!row) throw new DomainError('NOT_FOUND', `home adaptation ${id} does not exist`);
      if (!actorCoversDivision(actor, row.division_code)) throw new DomainError('OUT_OF_DIVISION_SCOPE', 'the case is outside your divisions');
      requireStep(action, row.status);
      const [last] = await tx.manager.query<{ on_date: string }[]>(`SELECT to_char(max(on_date), 'YYYY-MM-DD') AS on_date FROM home_adaptation_status_log WHERE case_id = $1`, [id]);
      await work(tx, row, last?.on_date ?? row.applied_on);
    });
    return this.get({ id }, actor);
  }

  private async log(manager: EntityManager, caseId: string, from: HomeAdaptationStatus | null, to: HomeAdaptationStatus, onDate: string, actor: Actor, note: string): Promise<void> {
    await manager.query(`INSERT INTO home_adaptation_status_log (case_id, from_status, to_status, on_date, actor, note) VALUES ($1, $2, $3, $4, $5, $6)`, [
      caseId,
      from,
      to,
      onDate,
      actor.userId,
      note,
    ]);
  }

  private requireRole(actor: Actor, roles: readonly Role[], message: string): void {
    if (actor.kind === 'citizen' || !hasAnyRole(actor, roles)) throw new DomainError('FORBIDDEN', message);
  }
}

/** `residentId`: as the caller may see it (residentIdFor). */
function toView(row: CaseRow, log: HomeAdaptationView['log'], residentId: string): HomeAdaptationView {
  return {
    id: row.id,
    residentId,
    name: row.name,
    divisionCode: row.division_code,
    townshipCode: row.township_code,
    address: row.address,
    year: row.year,
    status: row.status,
    householdBases: row.household_bases,
    personBases: row.person_bases,
    findings: row.findings,
    appliedOn: row.applied_on,
    assessment: row.assessed_on !== null ? { assessedOn: row.assessed_on, assessor: row.assessor ?? '', needs: row.needs ?? [] } : null,
    plan:
      row.approved_on !== null && row.subsidy_fen !== null
        ? { approvedOn: row.approved_on, items: row.items ?? [], subsidyFen: row.subsidy_fen, selfPaidFen: row.self_paid_fen ?? 0 }
        : null,
    works:
      row.contractor !== null && row.works_started_on !== null && row.works_completed_on !== null
        ? { contractor: row.contractor, startedOn: row.works_started_on, completedOn: row.works_completed_on }
        : null,
    acceptance: row.inspected_on !== null ? { inspectedOn: row.inspected_on, inspector: row.inspector ?? '', remarks: row.acceptance_remarks ?? '' } : null,
    payment: row.paid_on !== null ? { paidOn: row.paid_on, voucher: row.voucher ?? '', amountFen: row.subsidy_fen ?? 0 } : null,
    refusal: row.refused_on !== null ? { refusedOn: row.refused_on, reason: row.refusal_reason ?? '' } : null,
    log,
  };
}
