import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { v7 as uuidv7 } from 'uuid';
import { compareDates, todayInShanghai } from '@civil/domain-kernel';
import {
  DomainError,
  ORGANISATION_CHANGE_FIELDS,
  SocialOrganisationEvents,
  actorCoversDivision,
  divisionLikePatterns,
  hasAnyRole,
  type Actor,
  type ChangeOrganisationInput,
  type DeregisterOrganisationInput,
  type FieldError,
  type GradeOrganisationInput,
  type InspectOrganisationInput,
  type InspectionResult,
  type ListOrganisationsInput,
  type OrganisationCensus,
  type OrganisationChangeField,
  type OrganisationChangedV1,
  type OrganisationDeregisteredV1,
  type OrganisationGrade,
  type OrganisationGradedV1,
  type OrganisationGradingView,
  type OrganisationInspectedV1,
  type OrganisationRegisteredV1,
  type OrganisationSummaryView,
  type OrganisationType,
  type OrganisationView,
  type RecordFoundationInput,
  type RegisterOrganisationInput,
  type Role,
} from '@civil/contracts';
import { Outbox } from '@civil/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { upwardRuleDivisions } from '../rule-divisions';
import { creditCodeCategoryProblem, gradeFor, gradeValidUntil, gradingRefusal, inspectionRefusal, inspectionStatus, inspectionYears, type GradingCutoffs } from './organisations.domain';

const WRITERS: readonly Role[] = ['registrar', 'admin'];
const READERS: readonly Role[] = ['registrar', 'admin', 'auditor', 'leader'];
const UNIQUE_VIOLATION = '23505';

interface OrganisationRow {
  id: string;
  type: OrganisationType;
  name: string;
  credit_code: string;
  division_code: string;
  address: string;
  legal_representative: string;
  business_scope: string;
  registered_on: string;
  registered_by: 'county' | 'province';
  province_registration_number: string | null;
  deregistered_on: string | null;
  deregistration_reason: string | null;
}
const COLUMNS = `o.id, o.type, o.name, o.credit_code, o.division_code, o.address, o.legal_representative, o.business_scope,
  to_char(o.registered_on, 'YYYY-MM-DD') AS registered_on, o.registered_by, o.province_registration_number,
  to_char(o.deregistered_on, 'YYYY-MM-DD') AS deregistered_on, o.deregistration_reason`;

/** The database column of each changeable field. */
const CHANGE_COLUMNS: Record<OrganisationChangeField, 'name' | 'address' | 'legal_representative' | 'business_scope'> = {
  name: 'name',
  address: 'address',
  legalRepresentative: 'legal_representative',
  businessScope: 'business_scope',
};

interface NewOrganisation {
  type: OrganisationType;
  name: string;
  creditCode: string;
  divisionCode: string;
  address: string;
  legalRepresentative: string;
  businessScope: string;
  registeredOn: string;
  provinceRegistrationNumber: string | null;
}

/**
 * 社会组织: the district registers 社会团体 and 民办非企业单位 and records 基金会 registered by the
 * province; changes are kept with their effective dates; deregistered organisations are closed to
 * changes, inspections and gradings. Annual inspections and gradings follow organisations.domain.
 */
@Injectable()
export class OrganisationsService {
  constructor(
    private readonly outbox: Outbox,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** 成立登记 of a 社会团体 or 民办非企业单位; a 基金会 is refused (the province registers it). */
  async register(input: RegisterOrganisationInput, actor: Actor, today = todayInShanghai()): Promise<OrganisationView> {
    requireRole(actor, WRITERS, 'social organisations are registered by registrars');
    if (input.type === 'foundation') {
      throw new DomainError('NOT_ELIGIBLE', '基金会 (foundations) are registered by the province’s civil-affairs department; record a registered foundation instead', [
        { field: 'type', rule: 'province-registered', message: 'a foundation is registered at province level; the district records it with the province’s registration number and date' },
      ]);
    }
    const registeredOn = input.registeredOn ?? today;
    return this.insert({ ...input, registeredOn, provinceRegistrationNumber: null }, actor, today);
  }

  /** A 基金会 registered by the province, recorded with the province's registration number and date. */
  async recordFoundation(input: RecordFoundationInput, actor: Actor, today = todayInShanghai()): Promise<OrganisationView> {
    requireRole(actor, WRITERS, 'foundations are recorded by registrars');
    return this.insert({ ...input, type: 'foundation' }, actor, today);
  }

  /** 变更登记: the fields that differ from the current values, each kept with its old value and effective date. */
  async change(input: ChangeOrganisationInput, actor: Actor, today = todayInShanghai()): Promise<OrganisationView> {
    requireRole(actor, WRITERS, 'changes are recorded by registrars');
    notInFuture('effectiveOn', input.effectiveOn, today);
    try {
      await this.outbox.transaction(async (tx) => {
        const org = await this.writable(tx.manager, input.orgId, actor);
        const changed = ORGANISATION_CHANGE_FIELDS.filter((field) => input[field] !== undefined && input[field] !== currentValue(org, field));
        if (changed.length === 0) throw DomainError.validation([{ field: '(body)', rule: 'no-change', message: 'name at least one of name, address, legalRepresentative, businessScope with a new value' }]);
        const [last] = await tx.manager.query<{ last_on: string | null }[]>(
          `SELECT to_char(max(effective_on), 'YYYY-MM-DD') AS last_on FROM social_organisation_change WHERE organisation_id = $1`,
          [org.id],
        );
        const notBefore = last?.last_on ?? org.registered_on;
        if (compareDates(input.effectiveOn, notBefore) < 0) {
          throw DomainError.validation([{ field: 'effectiveOn', rule: 'after-last-change', message: `a change takes effect on or after ${notBefore} (the registration or the last change)` }]);
        }
        for (const field of changed) {
          const to = input[field] ?? '';
          await tx.manager.query(
            `INSERT INTO social_organisation_change (id, organisation_id, field, old_value, new_value, effective_on, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
            [uuidv7(), org.id, field, currentValue(org, field), to, input.effectiveOn, actor.userId],
          );
          await tx.manager.query(`UPDATE social_organisation SET ${CHANGE_COLUMNS[field]} = $2 WHERE id = $1`, [org.id, to]);
        }
        const data: OrganisationChangedV1 = { orgId: org.id, type: org.type, fields: changed, effectiveOn: input.effectiveOn };
        await tx.emit<OrganisationChangedV1>(actor, [{ type: SocialOrganisationEvents.changed, subject: subjectOf(org.id), divisionCode: org.division_code, data }]);
      });
    } catch (error) {
      throw uniqueViolation(error) ?? error;
    }
    return this.get(input.orgId, actor, today);
  }

  /** 注销登记: with its date and reason; nothing more can be recorded for the organisation. */
  async deregister(input: DeregisterOrganisationInput, actor: Actor, today = todayInShanghai()): Promise<OrganisationView> {
    requireRole(actor, WRITERS, 'deregistrations are recorded by registrars');
    notInFuture('deregisteredOn', input.deregisteredOn, today);
    await this.outbox.transaction(async (tx) => {
      const org = await this.writable(tx.manager, input.orgId, actor);
      if (compareDates(input.deregisteredOn, org.registered_on) < 0) {
        throw DomainError.validation([{ field: 'deregisteredOn', rule: 'after-registration', message: `the organisation was registered on ${org.registered_on}` }]);
      }
      await tx.manager.query(`UPDATE social_organisation SET deregistered_on = $2, deregistration_reason = $3 WHERE id = $1`, [org.id, input.deregisteredOn, input.reason]);
      const data: OrganisationDeregisteredV1 = { orgId: org.id, type: org.type, registeredOn: org.registered_on, deregisteredOn: input.deregisteredOn, reason: input.reason };
      await tx.emit<OrganisationDeregisteredV1>(actor, [{ type: SocialOrganisationEvents.deregistered, subject: subjectOf(org.id), divisionCode: org.division_code, data }]);
    });
    return this.get(input.orgId, actor, today);
  }

  /** 年检: one result per organisation and year, decided after the year ends; an exempt year is refused. */
  async inspect(input: InspectOrganisationInput, actor: Actor, today = todayInShanghai()): Promise<OrganisationView> {
    requireRole(actor, WRITERS, 'inspection results are recorded by registrars');
    const inspectedOn = input.inspectedOn ?? today;
    notInFuture('inspectedOn', inspectedOn, today);
    try {
      await this.outbox.transaction(async (tx) => {
        const org = await this.writable(tx.manager, input.orgId, actor);
        const refusal = inspectionRefusal(dates(org), input.year, inspectedOn);
        if (refusal?.rule === 'exempt') throw new DomainError('NOT_ELIGIBLE', refusal.message, [refusal]);
        if (refusal) throw DomainError.validation([refusal]);
        await tx.manager.query(
          `INSERT INTO social_organisation_inspection (organisation_id, year, result, inspected_on, recorded_by) VALUES ($1, $2, $3, $4, $5)`,
          [org.id, input.year, input.result, inspectedOn, actor.userId],
        );
        const data: OrganisationInspectedV1 = { orgId: org.id, type: org.type, year: input.year, result: input.result, inspectedOn };
        await tx.emit<OrganisationInspectedV1>(actor, [{ type: SocialOrganisationEvents.inspected, subject: subjectOf(org.id), divisionCode: org.division_code, data }]);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('CONFLICT', `the ${input.year} inspection result of this organisation is already recorded`);
      throw error;
    }
    return this.get(input.orgId, actor, today);
  }

  /** 等级评估: the grade from the score and the cut-offs in force; refused after a missed or failed last inspection. */
  async grade(input: GradeOrganisationInput, actor: Actor, today = todayInShanghai()): Promise<OrganisationView> {
    requireRole(actor, WRITERS, 'gradings are recorded by registrars');
    const gradedOn = input.gradedOn ?? today;
    notInFuture('gradedOn', gradedOn, today);
    try {
      await this.outbox.transaction(async (tx) => {
        const org = await this.writable(tx.manager, input.orgId, actor);
        if (compareDates(gradedOn, org.registered_on) < 0) {
          throw DomainError.validation([{ field: 'gradedOn', rule: 'after-registration', message: `the organisation was registered on ${org.registered_on}` }]);
        }
        const refusal = gradingRefusal(dates(org), await resultsOf(tx.manager, org.id), gradedOn);
        if (refusal) throw new DomainError('NOT_ELIGIBLE', refusal.message, [{ field: 'orgId', ...refusal }]);
        const rule = await this.gradingRule(tx.manager, org.division_code, gradedOn);
        const grade = gradeFor(input.score, rule.cutoffs);
        const validUntil = gradeValidUntil(gradedOn);
        await tx.manager.query(
          `INSERT INTO social_organisation_grading (id, organisation_id, score, grade, graded_on, valid_until, rule_division_code, rule_effective_from, recorded_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [uuidv7(), org.id, input.score, grade, gradedOn, validUntil, rule.divisionCode, rule.effectiveFrom, actor.userId],
        );
        const data: OrganisationGradedV1 = { orgId: org.id, type: org.type, score: input.score, grade, gradedOn, validUntil };
        await tx.emit<OrganisationGradedV1>(actor, [{ type: SocialOrganisationEvents.graded, subject: subjectOf(org.id), divisionCode: org.division_code, data }]);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('CONFLICT', `a grading of this organisation on ${gradedOn} is already recorded`);
      throw error;
    }
    return this.get(input.orgId, actor, today);
  }

  async get(orgId: string, actor: Actor, today = todayInShanghai()): Promise<OrganisationView> {
    requireRole(actor, READERS, 'social organisations are for social-affairs staff, auditors and leaders');
    const [org] = await this.dataSource.query<OrganisationRow[]>(`SELECT ${COLUMNS} FROM social_organisation o WHERE o.id = $1`, [orgId]);
    if (!org) throw new DomainError('NOT_FOUND', `social organisation ${orgId} does not exist`);
    if (!actorCoversDivision(actor, org.division_code)) throw new DomainError('OUT_OF_DIVISION_SCOPE', 'the organisation is outside your divisions');
    const results = await resultsOf(this.dataSource.manager, org.id);
    const [inspectedOn, gradings, changes] = await Promise.all([
      this.dataSource.query<{ year: number; inspected_on: string }[]>(`SELECT year, to_char(inspected_on, 'YYYY-MM-DD') AS inspected_on FROM social_organisation_inspection WHERE organisation_id = $1`, [org.id]),
      this.dataSource.query<{ score: number; grade: OrganisationGrade | null; graded_on: string; valid_until: string }[]>(
        `SELECT score, grade, to_char(graded_on, 'YYYY-MM-DD') AS graded_on, to_char(valid_until, 'YYYY-MM-DD') AS valid_until
           FROM social_organisation_grading WHERE organisation_id = $1 AND graded_on <= $2 ORDER BY graded_on DESC LIMIT 1`,
        [org.id, today],
      ),
      this.dataSource.query<{ field: OrganisationChangeField; old_value: string; new_value: string; effective_on: string }[]>(
        `SELECT field, old_value, new_value, to_char(effective_on, 'YYYY-MM-DD') AS effective_on FROM social_organisation_change
          WHERE organisation_id = $1 ORDER BY effective_on, recorded_at, field`,
        [org.id],
      ),
    ]);
    const decided = new Map(inspectedOn.map((r) => [r.year, r.inspected_on]));
    const latest = gradings[0];
    const grading: OrganisationGradingView | null =
      latest && compareDates(latest.valid_until, today) >= 0 ? { score: latest.score, grade: latest.grade, gradedOn: latest.graded_on, validUntil: latest.valid_until } : null;
    return {
      id: org.id,
      type: org.type,
      name: org.name,
      creditCode: org.credit_code,
      divisionCode: org.division_code,
      address: org.address,
      legalRepresentative: org.legal_representative,
      businessScope: org.business_scope,
      registeredOn: org.registered_on,
      registeredBy: org.registered_by,
      provinceRegistrationNumber: org.province_registration_number,
      status: org.deregistered_on === null ? 'active' : 'deregistered',
      deregisteredOn: org.deregistered_on,
      deregistrationReason: org.deregistration_reason,
      inspections: inspectionYears(dates(org), today).map((year) => ({
        year,
        status: inspectionStatus(dates(org), year, results.get(year) ?? null, today),
        inspectedOn: decided.get(year) ?? null,
      })),
      grading,
      changes: changes.map((c) => ({ field: c.field, from: c.old_value, to: c.new_value, effectiveOn: c.effective_on })),
    };
  }

  /** Organisations within the caller's divisions, with last year's inspection status and the grade in force. */
  async list(input: ListOrganisationsInput, actor: Actor, today = todayInShanghai()): Promise<OrganisationSummaryView[]> {
    requireRole(actor, READERS, 'social organisations are for social-affairs staff, auditors and leaders');
    const scope = divisionLikePatterns(actor);
    const rows = await this.dataSource.query<(OrganisationRow & { results: Record<string, InspectionResult> | null; decided: Record<string, string> | null; grade: OrganisationGrade | null })[]>(
      `SELECT ${COLUMNS},
              (SELECT jsonb_object_agg(i.year, i.result) FROM social_organisation_inspection i WHERE i.organisation_id = o.id) AS results,
              (SELECT jsonb_object_agg(i.year, to_char(i.inspected_on, 'YYYY-MM-DD')) FROM social_organisation_inspection i WHERE i.organisation_id = o.id) AS decided,
              (SELECT CASE WHEN g.valid_until >= $1 THEN g.grade END FROM social_organisation_grading g
                WHERE g.organisation_id = o.id AND g.graded_on <= $1 ORDER BY g.graded_on DESC LIMIT 1) AS grade
         FROM social_organisation o
        WHERE ($2::text IS NULL OR o.type = $2) AND ($3 OR o.deregistered_on IS NULL)${scope === null ? '' : ' AND o.division_code LIKE ANY($5::text[])'}
        ORDER BY o.registered_on, o.name LIMIT $4`,
      scope === null ? [today, input.type ?? null, input.includeDeregistered === 'true', input.limit] : [today, input.type ?? null, input.includeDeregistered === 'true', input.limit, scope],
    );
    return rows.map((org) => {
      const year = inspectionYears(dates(org), today).at(-1);
      const result = year === undefined ? null : (org.results?.[String(year)] ?? null);
      return {
        id: org.id,
        type: org.type,
        name: org.name,
        creditCode: org.credit_code,
        divisionCode: org.division_code,
        registeredOn: org.registered_on,
        status: org.deregistered_on === null ? 'active' : 'deregistered',
        lastInspection: year === undefined ? null : { year, status: inspectionStatus(dates(org), year, result, today), inspectedOn: org.decided?.[String(year)] ?? null },
        grade: org.grade,
      };
    });
  }

  /** Organisations registered on or before `asOf` and not deregistered by then, by type, within the caller's divisions. */
  async census(asOf: string | undefined, actor: Actor, today = todayInShanghai()): Promise<OrganisationCensus> {
    requireRole(actor, READERS, 'the census is for social-affairs staff, auditors and leaders');
    const onDate = asOf ?? today;
    const scope = divisionLikePatterns(actor);
    const rows = await this.dataSource.query<{ type: OrganisationType; n: number }[]>(
      `SELECT type, count(*)::int AS n FROM social_organisation
        WHERE registered_on <= $1 AND (deregistered_on IS NULL OR deregistered_on > $1)${scope === null ? '' : ' AND division_code LIKE ANY($2::text[])'}
        GROUP BY type`,
      scope === null ? [onDate] : [onDate, scope],
    );
    const count = (type: OrganisationType): number => rows.find((r) => r.type === type)?.n ?? 0;
    const county = { 'social-group': count('social-group'), 'private-non-enterprise': count('private-non-enterprise'), total: count('social-group') + count('private-non-enterprise') };
    const province = { foundation: count('foundation'), total: count('foundation') };
    return { asOf: onDate, county, province, total: county.total + province.total };
  }

  private async insert(org: NewOrganisation, actor: Actor, today: string): Promise<OrganisationView> {
    notInFuture('registeredOn', org.registeredOn, today);
    const category = creditCodeCategoryProblem(org.type, org.creditCode);
    if (category) throw DomainError.validation([{ field: 'creditCode', rule: 'category', message: category }]);
    if (!actorCoversDivision(actor, org.divisionCode)) throw new DomainError('OUT_OF_DIVISION_SCOPE', `${org.divisionCode} is outside your divisions`);
    const id = uuidv7();
    const registeredBy = org.type === 'foundation' ? 'province' : 'county';
    try {
      await this.outbox.transaction(async (tx) => {
        await tx.manager.query(
          `INSERT INTO social_organisation (id, type, name, credit_code, division_code, address, legal_representative, business_scope, registered_on, registered_by, province_registration_number, recorded_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [id, org.type, org.name, org.creditCode, org.divisionCode, org.address, org.legalRepresentative, org.businessScope, org.registeredOn, registeredBy, org.provinceRegistrationNumber, actor.userId],
        );
        const data: OrganisationRegisteredV1 = { orgId: id, type: org.type, name: org.name, creditCode: org.creditCode, registeredBy, registeredOn: org.registeredOn };
        if (org.provinceRegistrationNumber !== null) data.provinceRegistrationNumber = org.provinceRegistrationNumber;
        const type = registeredBy === 'province' ? SocialOrganisationEvents.recorded : SocialOrganisationEvents.registered;
        await tx.emit<OrganisationRegisteredV1>(actor, [{ type, subject: subjectOf(id), divisionCode: org.divisionCode, data }]);
      });
    } catch (error) {
      throw uniqueViolation(error) ?? error;
    }
    return this.get(id, actor, today);
  }

  /** The organisation locked for a write, in the caller's divisions and not deregistered. */
  private async writable(manager: EntityManager, orgId: string, actor: Actor): Promise<OrganisationRow> {
    const [org] = await manager.query<OrganisationRow[]>(`SELECT ${COLUMNS} FROM social_organisation o WHERE o.id = $1 FOR UPDATE`, [orgId]);
    if (!org) throw new DomainError('NOT_FOUND', `social organisation ${orgId} does not exist`);
    if (!actorCoversDivision(actor, org.division_code)) throw new DomainError('OUT_OF_DIVISION_SCOPE', 'the organisation is outside your divisions');
    if (org.deregistered_on !== null) throw new DomainError('CONFLICT', `the organisation was deregistered on ${org.deregistered_on}: nothing more can be recorded for it`);
    return org;
  }

  /** The cut-offs in force: the county's row, else the city's, the province's, the national one. */
  private async gradingRule(manager: EntityManager, divisionCode: string, onDate: string): Promise<{ divisionCode: string; effectiveFrom: string; cutoffs: GradingCutoffs }> {
    const [row] = await manager.query<{ division_code: string; effective_from: string; min_1a: number; min_2a: number; min_3a: number; min_4a: number; min_5a: number }[]>(
      `SELECT division_code, to_char(effective_from, 'YYYY-MM-DD') AS effective_from, min_1a, min_2a, min_3a, min_4a, min_5a FROM rule_org_grading
        WHERE division_code = ANY($1) AND effective_from <= $2 AND (effective_to IS NULL OR effective_to > $2)
        ORDER BY division_code DESC LIMIT 1`,
      [upwardRuleDivisions(divisionCode, { national: true }), onDate],
    );
    if (!row) throw new DomainError('CONFLICT', `no grading rule is in force for ${divisionCode} on ${onDate}`);
    return {
      divisionCode: row.division_code,
      effectiveFrom: row.effective_from,
      cutoffs: { min1A: row.min_1a, min2A: row.min_2a, min3A: row.min_3a, min4A: row.min_4a, min5A: row.min_5a },
    };
  }
}

function requireRole(actor: Actor, roles: readonly Role[], message: string): void {
  if (actor.kind === 'citizen' || !hasAnyRole(actor, roles)) throw new DomainError('FORBIDDEN', message);
}

function notInFuture(field: string, date: string, today: string): void {
  if (compareDates(date, today) > 0) throw DomainError.validation([{ field, rule: 'not-in-future', message: 'a date cannot be in the future' } satisfies FieldError]);
}

function subjectOf(orgId: string): string {
  return `social-organisation/${orgId}`;
}

function dates(org: OrganisationRow): { registeredOn: string; deregisteredOn: string | null } {
  return { registeredOn: org.registered_on, deregisteredOn: org.deregistered_on };
}

function currentValue(org: OrganisationRow, field: OrganisationChangeField): string {
  return org[CHANGE_COLUMNS[field]];
}

async function resultsOf(manager: EntityManager, orgId: string): Promise<Map<number, InspectionResult>> {
  const rows = await manager.query<{ year: number; result: InspectionResult }[]>(`SELECT year, result FROM social_organisation_inspection WHERE organisation_id = $1`, [orgId]);
  return new Map(rows.map((r) => [r.year, r.result]));
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown }).code === UNIQUE_VIOLATION;
}

/** A duplicate credit code (CONFLICT) or name of an organisation in being (DUPLICATE_NAME), else null. */
function uniqueViolation(error: unknown): DomainError | null {
  if (!isUniqueViolation(error)) return null;
  const constraint = (error as { constraint?: unknown }).constraint;
  if (constraint === 'social_organisation_active_name') return new DomainError('DUPLICATE_NAME', 'a social organisation in being already has this name');
  return new DomainError('CONFLICT', 'a social organisation with this unified social credit code is already recorded');
}
