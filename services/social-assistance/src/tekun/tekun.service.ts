import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Period, ResidentId, compareDates, todayInShanghai } from '@civil/domain-kernel';
import {
  DomainError,
  TekunEvents,
  actorCoversDivision,
  divisionLikePatterns,
  hasAnyRole,
  residentIdFor,
  type Actor,
  type AssessTekunEligibilityInput,
  type ChangeTekunCareInput,
  type EndTekunInput,
  type EnrolTekunInput,
  type RecordCareInsuranceInput,
  type Role,
  type SelfCareLevel,
  type TekunCareMode,
  type TekunAmount,
  type TekunCensus,
  type TekunChangedV1,
  type TekunEligibilityReport,
  type TekunEndedV1,
  type TekunEnrolledV1,
  type TekunFuneralSubsidyGrantedV1,
  type TekunPersonView,
} from '@civil/contracts';
import { lookupHashOrNull, Outbox, PersonalDataCipher, type Transaction } from '@civil/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { dibaoStandardOn, ruleDivisions, type UrbanRural } from '../rules/rule-lookup';
import { computeTekunAmount, evaluateTekunEligibility, type TekunEligibility, type TekunRule } from './tekun.domain';

const ASSESSORS: readonly Role[] = ['clerk', 'township-reviewer', 'district-approver', 'admin'];
/** 特困 support is approved by the county-level civil-affairs bureau. */
const DECIDERS: readonly Role[] = ['district-approver', 'admin'];
const RECORDERS: readonly Role[] = ['clerk', 'township-reviewer', 'district-approver', 'admin'];
const READERS: readonly Role[] = ['clerk', 'township-reviewer', 'district-approver', 'finance-officer', 'auditor', 'leader', 'admin'];
const UNIQUE_VIOLATION = '23505';

interface MemberRow {
  member_id: string;
  name: string;
  /** Decrypted from resident_id_enc, for the events and the messages (masked). */
  resident_id: string;
  resident_id_hash: string;
  resident_id_enc: string;
  division_code: string;
  urban_rural: UrbanRural;
}

interface PersonRow {
  id: string;
  member_id: string;
  resident_id_hash: string;
  resident_id_enc: string;
  name: string;
  division_code: string;
  urban_rural: UrbanRural;
  care_mode: TekunCareMode;
  self_care_level: SelfCareLevel;
  institution_name: string | null;
  basic_living_fen: string;
  care_allowance_fen: string;
  monthly_amount_fen: string;
  start_period: string;
  end_period: string | null;
  end_reason: string | null;
}
const PERSON_COLUMNS = `id, member_id, resident_id_hash, resident_id_enc, name, division_code, urban_rural, care_mode, self_care_level, institution_name,
  basic_living_fen, care_allowance_fen, monthly_amount_fen, start_period, end_period, end_reason`;

/** A person the previous system supported when this one took over. */
export interface OpeningTekunPerson {
  residentId: string;
  careMode: TekunCareMode;
  selfCareLevel: SelfCareLevel;
  institutionName?: string;
  /** The first period the previous system paid. */
  startPeriod: string;
  legacyReference: string;
}

interface Assessment {
  member: MemberRow;
  eligibility: TekunEligibility;
  perCapitaIncomeFen: number;
  dibaoStandardFen: number;
  /** The 特困 rule in force on the assessment date. */
  rule: TekunRule;
}

/**
 * 特困供养: eligibility on the three conditions from the registry's facts, enrolment by the
 * district with the amount from the rule table, changes of care mode or self-care level, care
 * insurance, and the end of support (on death, with the funeral subsidy). A person's support is a
 * sequence of tekun_person rows, one per placement, never overlapping: a change closes the current
 * row at the end of the decision's month and opens the next from the month after, so past
 * payrolls keep what they paid. The person's id is their registry membership, stable throughout.
 */
@Injectable()
export class TekunService {
  constructor(
    private readonly outbox: Outbox,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: PersonalDataCipher,
  ) {}

  /** The three conditions judged on the registry's facts, without writing anything. */
  async assess(input: AssessTekunEligibilityInput, actor: Actor, today = todayInShanghai()): Promise<TekunEligibilityReport> {
    this.requireRole(actor, ASSESSORS, 'eligibility is assessed by caseworkers');
    const onDate = input.onDate ?? today;
    const assessment = await this.assessOn(this.dataSource.manager, input, onDate, actor);
    return this.report(input.residentId, onDate, assessment, actor);
  }

  /** Enrols an eligible person from the month after the decision; NOT_ELIGIBLE names each failed condition. */
  async enrol(input: EnrolTekunInput, actor: Actor, today = todayInShanghai()): Promise<TekunPersonView> {
    this.requireRole(actor, DECIDERS, '特困 support is decided by the district');
    const decisionDate = this.decisionDate(input.decisionDate, today);
    const assessment = await this.assessOn(this.dataSource.manager, input, decisionDate, actor);
    if (!assessment.eligibility.eligible) {
      const failed = assessment.eligibility.conditions.filter((c) => !c.met).map((c) => `${c.condition}: ${c.basis}`);
      throw new DomainError('NOT_ELIGIBLE', `not eligible for 特困 support: ${failed.join('; ')}`);
    }
    const { member } = assessment;
    const amount = await this.amountOn(this.dataSource.manager, member, input.careMode, input.selfCareLevel, decisionDate, assessment);
    const startPeriod = Period.fromDate(decisionDate).next().toString();
    await this.startSupport(member, input, amount, {
      startPeriod,
      eligibility: this.report(member.resident_id, decisionDate, assessment, null),
      decidedOn: decisionDate,
      origin: 'application',
      actor,
      refuseIfDeceased: true,
    });
    return this.get(member.member_id, actor);
  }

  /**
   * Takes over a person the previous system supported, as part of the opening caseload: the
   * placement and the first period paid come from the old records, the amount from the rules in
   * force on the take-over date (today), and the eligibility record names the old case instead of
   * re-judging it. The enrolled event says origin 'import', so reporting never counts it as new.
   */
  async importOpening(input: OpeningTekunPerson, actor: Actor, today = todayInShanghai()): Promise<TekunPersonView> {
    this.requireRole(actor, DECIDERS, 'the caseload is imported by the district');
    if (!Period.isValid(input.startPeriod) || Period.parse(input.startPeriod).isAfter(Period.fromDate(today))) {
      throw DomainError.validation([{ field: 'startPeriod', rule: 'not-in-future', message: 'an imported person is supported already (YYYY-MM, not after today)' }]);
    }
    if ((input.careMode === 'centralized') !== (input.institutionName !== undefined)) {
      throw DomainError.validation([{ field: 'institutionName', rule: 'care-mode', message: '集中 (centralized) care names its institution; 分散 (dispersed) care has none' }]);
    }
    const member = await this.registryMember(this.dataSource.manager, input.residentId, actor);
    const amount = await this.amountOn(this.dataSource.manager, member, input.careMode, input.selfCareLevel, today);
    await this.startSupport(member, input, amount, {
      startPeriod: input.startPeriod,
      eligibility: { importedFrom: input.legacyReference },
      decidedOn: today,
      origin: 'import',
      actor,
      refuseIfDeceased: false,
    });
    return this.get(member.member_id, actor);
  }

  /** A new care mode or self-care level: paid at the new amount from the month after the decision. */
  async changeCare(input: ChangeTekunCareInput, actor: Actor, today = todayInShanghai()): Promise<TekunPersonView> {
    this.requireRole(actor, DECIDERS, 'changes of 特困 care are decided by the district');
    const decisionDate = this.decisionDate(input.decisionDate, today);
    await this.outbox.transaction(async (tx) => {
      const current = await this.lockOpen(tx.manager, input.personId, actor);
      if (current.care_mode === input.careMode && current.self_care_level === input.selfCareLevel && current.institution_name === (input.institutionName ?? null)) {
        throw new DomainError('CONFLICT', 'the care mode, self-care level and institution are already these');
      }
      const member: MemberRow = {
        member_id: current.member_id,
        name: current.name,
        resident_id: this.cipher.decrypt(current.resident_id_enc),
        resident_id_hash: current.resident_id_hash,
        resident_id_enc: current.resident_id_enc,
        division_code: current.division_code,
        urban_rural: current.urban_rural,
      };
      const amount = await this.amountOn(tx.manager, member, input.careMode, input.selfCareLevel, decisionDate);
      const endPeriod = this.lastPaidPeriod(current, Period.fromDate(decisionDate));
      const nextStart = Period.parse(endPeriod).next().toString();
      await tx.manager.query(`UPDATE tekun_person SET end_period = $2, end_reason = 'changed', end_detail = $3 WHERE id = $1`, [current.id, endPeriod, input.reason]);
      await tx.manager.query(
        `INSERT INTO tekun_person (id, member_id, resident_id_hash, resident_id_enc, name, division_code, urban_rural, care_mode, self_care_level, institution_name,
                                   basic_living_fen, care_allowance_fen, monthly_amount_fen, start_period, eligibility, decided_on, decided_by)
         SELECT $2, member_id, resident_id_hash, resident_id_enc, name, division_code, urban_rural, $3, $4, $5, $6, $7, $8, $9, eligibility, $10, $11
           FROM tekun_person WHERE id = $1`,
        [current.id, uuidv7(), input.careMode, input.selfCareLevel, input.institutionName ?? null, amount.basicLivingFen, amount.careAllowanceFen, amount.monthlyAmountFen, nextStart, decisionDate, actor.userId],
      );
      const data: TekunChangedV1 = {
        personId: current.member_id,
        resident: { hash: member.resident_id_hash, enc: member.resident_id_enc },
        urbanRural: current.urban_rural,
        careModeBefore: current.care_mode,
        careModeAfter: input.careMode,
        selfCareLevelBefore: current.self_care_level,
        selfCareLevelAfter: input.selfCareLevel,
        monthlyAmountBeforeFen: Number(current.monthly_amount_fen),
        monthlyAmountAfterFen: amount.monthlyAmountFen,
        effectivePeriod: nextStart,
        reason: input.reason,
      };
      await tx.emit<TekunChangedV1>(actor, [{ type: TekunEvents.changed, subject: `tekun-person/${current.member_id}`, divisionCode: current.division_code, data }]);
    });
    return this.get(input.personId, actor);
  }

  async recordCareInsurance(input: RecordCareInsuranceInput, actor: Actor): Promise<TekunPersonView> {
    this.requireRole(actor, RECORDERS, 'care insurance is recorded by caseworkers');
    const [row] = await this.rows(this.dataSource.manager, input.personId);
    if (!row) throw new DomainError('NOT_FOUND', `no 特困 person ${input.personId}`);
    this.requireScope(actor, row.division_code, input.personId);
    try {
      await this.dataSource.query(
        `INSERT INTO tekun_care_insurance (id, member_id, insurer, policy_number, starts_on, ends_on, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [uuidv7(), input.personId, input.insurer, input.policyNumber, input.startsOn, input.endsOn, actor.userId],
      );
    } catch (error) {
      if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) throw new DomainError('CONFLICT', `policy ${input.policyNumber} is already recorded for this person`);
      throw error;
    }
    return this.get(input.personId, actor);
  }

  /**
   * Ends support. On death it is paid through the month of death and the funeral subsidy of the
   * rule in force on that day is granted at once; otherwise through the month of the decision.
   */
  async end(input: EndTekunInput, actor: Actor, today = todayInShanghai()): Promise<TekunPersonView> {
    this.requireRole(actor, DECIDERS, 'the end of 特困 support is decided by the district');
    const decisionDate = this.decisionDate(input.decisionDate, today);
    const dateOfDeath = input.dateOfDeath;
    if (dateOfDeath !== undefined && compareDates(dateOfDeath, decisionDate) > 0) {
      throw DomainError.validation([{ field: 'dateOfDeath', rule: 'not-after-decision', message: 'the date of death cannot be after the decision date' }]);
    }
    await this.outbox.transaction(async (tx) => {
      const current = await this.lockOpen(tx.manager, input.personId, actor);
      const endPeriod = this.lastPaidPeriod(current, Period.fromDate(dateOfDeath ?? decisionDate));
      await tx.manager.query(`UPDATE tekun_person SET end_period = $2, end_reason = $3, end_detail = $4 WHERE id = $1`, [current.id, endPeriod, input.reason, input.detail]);
      const subject = `tekun-person/${current.member_id}`;
      const ended: TekunEndedV1 = {
        personId: current.member_id,
        resident: { hash: current.resident_id_hash, enc: current.resident_id_enc },
        urbanRural: current.urban_rural,
        careMode: current.care_mode,
        reason: input.reason,
        detail: input.detail,
        effectivePeriod: Period.parse(endPeriod).next().toString(),
      };
      await tx.emit<TekunEndedV1>(actor, [{ type: TekunEvents.ended, subject, divisionCode: current.division_code, data: ended }]);
      if (dateOfDeath !== undefined) await this.grantFuneralSubsidy(tx, actor, current, dateOfDeath, decisionDate);
    });
    return this.get(input.personId, actor);
  }

  async get(personId: string, actor: Actor): Promise<TekunPersonView> {
    const rows = await this.rows(this.dataSource.manager, personId);
    const current = rows.at(-1);
    const notFound = new DomainError('NOT_FOUND', `no 特困 person ${personId}`);
    if (!current) throw notFound;
    if (actor.kind === 'citizen') {
      if (lookupHashOrNull(this.cipher, actor.residentId) !== current.resident_id_hash) throw notFound;
    } else {
      if (!hasAnyRole(actor, READERS)) throw notFound;
      this.requireScope(actor, current.division_code, personId);
    }
    const insurance = await this.dataSource.query<{ insurer: string; policy_number: string; starts_on: string; ends_on: string }[]>(
      `SELECT insurer, policy_number, to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(ends_on, 'YYYY-MM-DD') AS ends_on
         FROM tekun_care_insurance WHERE member_id = $1 ORDER BY starts_on, policy_number`,
      [personId],
    );
    const [funeral] = await this.dataSource.query<{ amount_fen: string; granted_on: string }[]>(
      `SELECT amount_fen, to_char(granted_on, 'YYYY-MM-DD') AS granted_on FROM tekun_funeral_subsidy WHERE member_id = $1`,
      [personId],
    );
    return {
      personId,
      residentId: residentIdFor(actor, this.cipher.decrypt(current.resident_id_enc)),
      name: current.name,
      divisionCode: current.division_code,
      urbanRural: current.urban_rural,
      status: current.end_period === null ? 'active' : 'ended',
      careMode: current.care_mode,
      selfCareLevel: current.self_care_level,
      institutionName: current.institution_name,
      amount: { basicLivingFen: Number(current.basic_living_fen), careAllowanceFen: Number(current.care_allowance_fen), monthlyAmountFen: Number(current.monthly_amount_fen) },
      startPeriod: current.start_period,
      endPeriod: current.end_period,
      endReason: current.end_reason,
      careInsurance: insurance.map((i) => ({ insurer: i.insurer, policyNumber: i.policy_number, startsOn: i.starts_on, endsOn: i.ends_on })),
      funeralSubsidy: funeral ? { amountFen: Number(funeral.amount_fen), grantedOn: funeral.granted_on } : null,
      history: rows.map((r) => ({
        startPeriod: r.start_period,
        endPeriod: r.end_period,
        careMode: r.care_mode,
        selfCareLevel: r.self_care_level,
        monthlyAmountFen: Number(r.monthly_amount_fen),
        endReason: r.end_reason,
      })),
    };
  }

  /** Persons supported in a period by care mode and township, within the caller's divisions. */
  async census(period: string, actor: Actor): Promise<TekunCensus> {
    if (actor.kind === 'citizen') throw new DomainError('FORBIDDEN', 'the census is for staff');
    this.requireRole(actor, READERS, 'the census is for social-assistance staff and leadership');
    const scope = divisionLikePatterns(actor);
    const rows = await this.dataSource.query<{ township_code: string; centralized: number; dispersed: number }[]>(
      `SELECT rpad(left(division_code, 9), 12, '0') AS township_code,
              count(*) FILTER (WHERE care_mode = 'centralized')::int AS centralized,
              count(*) FILTER (WHERE care_mode = 'dispersed')::int AS dispersed
         FROM tekun_person
        WHERE start_period <= $1 AND (end_period IS NULL OR end_period >= $1)${scope === null ? '' : ' AND division_code LIKE ANY($2::text[])'}
        GROUP BY 1 ORDER BY 1`,
      scope === null ? [period] : [period, scope],
    );
    const centralized = rows.reduce((n, r) => n + r.centralized, 0);
    const dispersed = rows.reduce((n, r) => n + r.dispersed, 0);
    return { period, persons: centralized + dispersed, centralized, dispersed, byTownship: rows.map((r) => ({ townshipCode: r.township_code, centralized: r.centralized, dispersed: r.dispersed })) };
  }

  private async grantFuneralSubsidy(tx: Transaction, actor: Actor, person: PersonRow, dateOfDeath: string, grantedOn: string): Promise<void> {
    const rule = await this.tekunRuleOn(tx.manager, person.division_code, dateOfDeath);
    await tx.manager.query(
      `INSERT INTO tekun_funeral_subsidy (member_id, tekun_person_id, date_of_death, amount_fen, granted_on, granted_by) VALUES ($1, $2, $3, $4, $5, $6)`,
      [person.member_id, person.id, dateOfDeath, rule.funeralSubsidyFen, grantedOn, actor.userId],
    );
    const data: TekunFuneralSubsidyGrantedV1 = { personId: person.member_id, urbanRural: person.urban_rural, amountFen: rule.funeralSubsidyFen, dateOfDeath, grantedOn };
    await tx.emit<TekunFuneralSubsidyGrantedV1>(actor, [{ type: TekunEvents.funeralSubsidyGranted, subject: `tekun-person/${person.member_id}`, divisionCode: person.division_code, data }]);
  }

  /**
   * The last period paid when support ends or changes in `period`: that period, but never before
   * the month preceding the first paid one (a row ended before it starts was never paid).
   */
  private lastPaidPeriod(row: PersonRow, period: Period): string {
    const beforeStart = Period.parse(row.start_period).previous();
    return (period.isBefore(beforeStart) ? beforeStart : period).toString();
  }

  private async assessOn(manager: EntityManager, input: AssessTekunEligibilityInput | EnrolTekunInput, onDate: string, actor: Actor): Promise<Assessment> {
    const member = await this.registryMember(manager, input.residentId, actor);
    const birthDate = ResidentId.parse(member.resident_id).birthDate;
    if (compareDates(onDate, birthDate) < 0) {
      throw DomainError.validation([{ field: 'onDate', rule: 'after-birth', message: 'the date is before the person was born' }]);
    }
    const standard = await dibaoStandardOn(manager, member.division_code, member.urban_rural, onDate);
    const rule = await this.tekunRuleOn(manager, member.division_code, onDate);
    const [finances] = await manager.query<{ income_fen: string; financial_fen: string; vehicle: boolean; non_residential: boolean }[]>(
      `WITH income AS (
         SELECT DISTINCT ON (kind) monthly_amount_fen FROM member_income WHERE member_id = $1 AND as_of <= $2 ORDER BY kind, as_of DESC, recorded_at DESC),
       asset AS (
         SELECT DISTINCT ON (kind) kind, value_fen FROM member_asset WHERE member_id = $1 AND as_of <= $2 ORDER BY kind, as_of DESC, recorded_at DESC)
       SELECT (SELECT COALESCE(sum(monthly_amount_fen), 0) FROM income) AS income_fen,
              (SELECT COALESCE(sum(value_fen), 0) FROM asset WHERE kind IN ('deposit', 'securities')) AS financial_fen,
              EXISTS (SELECT 1 FROM asset WHERE kind = 'vehicle' AND value_fen > 0) AS vehicle,
              EXISTS (SELECT 1 FROM asset WHERE kind = 'non-residential-property' AND value_fen > 0) AS non_residential`,
      [member.member_id, onDate],
    );
    const monthlyIncomeFen = Number(finances?.income_fen ?? 0);
    const eligibility = evaluateTekunEligibility(
      {
        ageYears: ResidentId.parse(member.resident_id).ageOn(onDate),
        disability: input.disability,
        livesOnOwnLabour: input.livesOnOwnLabour,
        monthlyIncomeFen,
        financialAssetsFen: Number(finances?.financial_fen ?? 0),
        ownsVehicle: finances?.vehicle ?? false,
        ownsNonResidentialProperty: finances?.non_residential ?? false,
        legalSupporters: input.legalSupporters,
        dibaoStandardFen: standard.monthlyStandardFen,
      },
      rule,
    );
    return { member, eligibility, perCapitaIncomeFen: monthlyIncomeFen, dibaoStandardFen: standard.monthlyStandardFen, rule };
  }

  /** The person's registry membership and household class; NOT_FOUND outside the registry. */
  private async registryMember(manager: EntityManager, residentId: string, actor: Actor): Promise<MemberRow> {
    const [row] = await manager.query<Omit<MemberRow, 'resident_id'>[]>(
      `SELECT m.id AS member_id, m.name, m.resident_id_hash, m.resident_id_enc, h.division_code, h.urban_rural
         FROM household_member m JOIN household h ON h.id = m.household_id WHERE m.resident_id_hash = $1`,
      [this.cipher.lookupHash(residentId)],
    );
    const member: MemberRow | undefined = row && { ...row, resident_id: this.cipher.decrypt(row.resident_id_enc) };
    if (!member) throw new DomainError('NOT_FOUND', `${ResidentId.parse(residentId).masked()} is not in the household registry`);
    this.requireScope(actor, member.division_code, member.member_id);
    return member;
  }

  /** The first record of a person's support and its enrolled event, in one transaction. */
  private async startSupport(
    member: MemberRow,
    placement: { careMode: TekunCareMode; selfCareLevel: SelfCareLevel; institutionName?: string | undefined },
    amount: TekunAmount,
    how: { startPeriod: string; eligibility: unknown; decidedOn: string; origin: TekunEnrolledV1['origin']; actor: Actor; refuseIfDeceased: boolean },
  ): Promise<void> {
    const who = ResidentId.parse(member.resident_id).masked();
    try {
      await this.outbox.transaction(async (tx) => {
        if (how.refuseIfDeceased) {
          const [funeral] = await tx.manager.query<unknown[]>(`SELECT 1 FROM tekun_funeral_subsidy WHERE member_id = $1`, [member.member_id]);
          if (funeral) throw new DomainError('CONFLICT', `${who} is recorded as deceased`);
        }
        await tx.manager.query(
          `INSERT INTO tekun_person (id, member_id, resident_id_hash, resident_id_enc, name, division_code, urban_rural, care_mode, self_care_level, institution_name,
                                     basic_living_fen, care_allowance_fen, monthly_amount_fen, start_period, eligibility, decided_on, decided_by)
           VALUES ($1, $2, $3, $17, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
          [
            uuidv7(),
            member.member_id,
            member.resident_id_hash,
            member.name,
            member.division_code,
            member.urban_rural,
            placement.careMode,
            placement.selfCareLevel,
            placement.institutionName ?? null,
            amount.basicLivingFen,
            amount.careAllowanceFen,
            amount.monthlyAmountFen,
            how.startPeriod,
            JSON.stringify(how.eligibility),
            how.decidedOn,
            how.actor.userId,
            member.resident_id_enc,
          ],
        );
        const data: TekunEnrolledV1 = {
          personId: member.member_id,
          resident: { hash: member.resident_id_hash, enc: member.resident_id_enc },
          urbanRural: member.urban_rural,
          careMode: placement.careMode,
          selfCareLevel: placement.selfCareLevel,
          monthlyAmountFen: amount.monthlyAmountFen,
          effectivePeriod: how.startPeriod,
          origin: how.origin,
        };
        await tx.emit<TekunEnrolledV1>(how.actor, [{ type: TekunEvents.enrolled, subject: `tekun-person/${member.member_id}`, divisionCode: member.division_code, data }]);
      });
    } catch (error) {
      if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) throw new DomainError('CONFLICT', `${who} already receives 特困 support`);
      throw error;
    }
  }

  /** The report as `reader` may see it; null for the copy stored with the decision, which stays masked. */
  private report(residentId: string, onDate: string, assessment: Assessment, reader: Actor | null): TekunEligibilityReport {
    return {
      residentId: residentIdFor(reader, residentId),
      onDate,
      eligible: assessment.eligibility.eligible,
      conditions: assessment.eligibility.conditions,
      perCapitaIncomeFen: assessment.perCapitaIncomeFen,
      dibaoStandardFen: assessment.dibaoStandardFen,
    };
  }

  /** The amount on a date; an enrolment passes the standard and rule its assessment already read. */
  private async amountOn(
    manager: EntityManager,
    member: MemberRow,
    careMode: TekunCareMode,
    selfCareLevel: SelfCareLevel,
    onDate: string,
    known?: { dibaoStandardFen: number; rule: TekunRule },
  ): Promise<TekunAmount> {
    const dibaoStandardFen = known?.dibaoStandardFen ?? (await dibaoStandardOn(manager, member.division_code, member.urban_rural, onDate)).monthlyStandardFen;
    const rule = known?.rule ?? (await this.tekunRuleOn(manager, member.division_code, onDate));
    const minimumWageFen = await this.lastYearsMinimumWage(manager, member.division_code, onDate);
    return computeTekunAmount({ dibaoStandardFen, minimumWageFen, rule, careMode, selfCareLevel });
  }

  private async tekunRuleOn(manager: EntityManager, divisionCode: string, onDate: string): Promise<TekunRule> {
    const [row] = await manager.query<
      { basic_multiple_bp: number; care_full_bp: number; care_partial_bp: number; care_none_bp: number; centralized_care_bonus_bp: number; deposit_limit_months: number; funeral_subsidy_fen: string }[]
    >(
      `SELECT basic_multiple_bp, care_full_bp, care_partial_bp, care_none_bp, centralized_care_bonus_bp, deposit_limit_months, funeral_subsidy_fen
         FROM rule_tekun_standard
        WHERE division_code = ANY($1) AND effective_from <= $2 AND (effective_to IS NULL OR effective_to > $2)
        ORDER BY division_code DESC LIMIT 1`,
      [ruleDivisions(divisionCode), onDate],
    );
    if (!row) throw new DomainError('CONFLICT', `no 特困 standard is in force for ${divisionCode} on ${onDate}`);
    return {
      basicMultipleBp: row.basic_multiple_bp,
      careBp: { full: row.care_full_bp, partial: row.care_partial_bp, none: row.care_none_bp },
      centralizedCareBonusBp: row.centralized_care_bonus_bp,
      depositLimitMonths: row.deposit_limit_months,
      funeralSubsidyFen: Number(row.funeral_subsidy_fen),
    };
  }

  /** The minimum wage in force at the end of the year before `onDate` (the care allowance's base). */
  private async lastYearsMinimumWage(manager: EntityManager, divisionCode: string, onDate: string): Promise<number> {
    const endOfLastYear = `${Number(onDate.slice(0, 4)) - 1}-12-31`;
    const [row] = await manager.query<{ monthly_fen: string }[]>(
      `SELECT monthly_fen FROM rule_minimum_wage WHERE division_code = ANY($1) AND effective_from <= $2 ORDER BY effective_from DESC, division_code DESC LIMIT 1`,
      [ruleDivisions(divisionCode), endOfLastYear],
    );
    if (!row) throw new DomainError('CONFLICT', `no minimum wage is recorded for ${divisionCode} by ${endOfLastYear}`);
    return Number(row.monthly_fen);
  }

  private async lockOpen(manager: EntityManager, personId: string, actor: Actor): Promise<PersonRow> {
    const [row] = await manager.query<PersonRow[]>(`SELECT ${PERSON_COLUMNS} FROM tekun_person WHERE member_id = $1 AND end_period IS NULL FOR UPDATE`, [personId]);
    if (!row) throw new DomainError('NOT_FOUND', `no active 特困 support for person ${personId}`);
    this.requireScope(actor, row.division_code, personId);
    return row;
  }

  private async rows(manager: EntityManager, personId: string): Promise<PersonRow[]> {
    return manager.query<PersonRow[]>(`SELECT ${PERSON_COLUMNS} FROM tekun_person WHERE member_id = $1 ORDER BY start_period, created_at, id`, [personId]);
  }

  private decisionDate(requested: string | undefined, today: string): string {
    const date = requested ?? today;
    if (compareDates(date, today) > 0) throw DomainError.validation([{ field: 'decisionDate', rule: 'not-in-future', message: 'a decision cannot be dated in the future' }]);
    return date;
  }

  private requireRole(actor: Actor, roles: readonly Role[], message: string): void {
    if (actor.kind === 'citizen' || !hasAnyRole(actor, roles)) throw new DomainError('FORBIDDEN', message);
  }

  private requireScope(actor: Actor, divisionCode: string, what: string): void {
    if (!actorCoversDivision(actor, divisionCode)) throw new DomainError('OUT_OF_DIVISION_SCOPE', `${what} is outside your divisions`);
  }
}
