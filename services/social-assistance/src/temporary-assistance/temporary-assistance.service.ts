import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { v7 as uuidv7 } from 'uuid';
import { todayInShanghai } from '@civil/domain-kernel';
import {
  applyTemporaryAssistanceSchema,
  DomainError,
  grantEmergencyAssistanceSchema,
  hasAnyRole,
  parseOrThrow,
  TemporaryAssistanceEvents,
  type Actor,
  type Role,
  type TemporaryAssistanceCaseInput,
  type TemporaryAssistanceCaseView,
  type TemporaryAssistanceGrantedV1,
} from '@civil/contracts';
import { lookupHashOrNull, Outbox, PersonalDataCipher, type Transaction } from '@civil/platform';
import type { DataSource, EntityManager } from 'typeorm';
import {
  TA_CASE_ACTIONS,
  actingRole,
  allowedTaActions,
  amountLimits,
  checkAmount,
  decideTemporaryAction,
  deriveCase,
  type AmountLimits,
  type LoggedTaAction,
  type TemporaryAssistanceAction,
  type TemporaryAssistanceCaseAction,
  type TemporaryAssistanceKind,
} from './temporary-assistance.domain';
import { isHouseholdMemberSql, requireHouseholdAccess } from '../households/household-access';
import { dibaoStandardOn, ruleDivisions, type UrbanRural } from '../rules/rule-lookup';


interface CaseRow {
  id: string;
  household_id: string;
  division_code: string;
  urban_rural: UrbanRural;
  kind: TemporaryAssistanceKind;
  cause: string;
  persons: number;
  amount_fen: string;
}
interface ActionRow {
  seq: number;
  action: TemporaryAssistanceAction;
  role: Role;
  actor_id: string;
  on_date: string;
  payload: Record<string, unknown>;
}
/** The standard and rule in force when the case was opened, logged with the opening action. */
interface RuleSnapshot {
  standardFen: number;
  capMultipleBp: number;
  townshipLimitBp: number;
}

const STAFF_ROLES: readonly Role[] = ['clerk', 'township-reviewer', 'district-approver', 'admin'];
const UNIQUE_VIOLATION = '23505';

/**
 * 临时救助: every step is a row appended to the case's action log, checked by the permission table
 * in the domain; the amount is checked against the cap, and the deciding role against the
 * township limit, both multiples of the household's monthly 低保 standard on the opening date.
 */
@Injectable()
export class TemporaryAssistanceService {
  constructor(
    private readonly outbox: Outbox,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: PersonalDataCipher,
  ) {}

  /** 急难型: staff grant at once; documents follow. Emits the granted event. */
  async grantEmergency(input: TemporaryAssistanceCaseInput, actor: Actor, today = todayInShanghai()): Promise<TemporaryAssistanceCaseView> {
    if (actor.kind === 'citizen' || !hasAnyRole(actor, STAFF_ROLES)) throw new DomainError('FORBIDDEN', 'emergency assistance is granted by caseworkers');
    return this.open('emergency', parseOrThrow(grantEmergencyAssistanceSchema, input), actor, today);
  }

  /** 支出型: a citizen for their own household, or a clerk in scope. */
  async apply(input: TemporaryAssistanceCaseInput, actor: Actor, today = todayInShanghai()): Promise<TemporaryAssistanceCaseView> {
    return this.open('expenditure', parseOrThrow(applyTemporaryAssistanceSchema, input), actor, today);
  }

  async act(caseId: string, action: string, payload: unknown, actor: Actor, today = todayInShanghai()): Promise<TemporaryAssistanceCaseView> {
    if (!(TA_CASE_ACTIONS as readonly string[]).includes(action)) {
      throw DomainError.validation([{ field: 'action', rule: 'enum', message: `must be one of ${TA_CASE_ACTIONS.join(', ')}` }]);
    }
    const known = action as TemporaryAssistanceCaseAction;
    try {
      await this.outbox.transaction(async (tx) => {
        await tx.manager.query(`SELECT 1 FROM temporary_assistance_case WHERE id = $1 FOR UPDATE`, [caseId]);
        const row = await this.visibleCase(tx.manager, caseId, actor);
        const rows = await this.loadRows(tx.manager, caseId);
        const log = rows.map(toLogged);
        const limits = limitsOf(rows);
        const amountFen = Number(row.amount_fen);
        const role = actingRole(this.actingRoles(actor), row.kind, log, known, amountFen, limits);
        const { logged, state } = decideTemporaryAction(row.kind, log, { action: known, role, actorId: actor.userId, date: today, payload }, amountFen, limits);
        await this.appendAction(tx.manager, caseId, log.length + 1, logged);
        await tx.manager.query(`UPDATE temporary_assistance_case SET status = $2 WHERE id = $1`, [caseId, state.status]);
        if (logged.action === 'approve') await this.emitGranted(tx, actor, row, logged.date);
      });
    } catch (error) {
      // Two people acting on one case at once: the second finds the log moved on.
      if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) throw new DomainError('CONFLICT', 'the case changed meanwhile; reload and try again');
      throw error;
    }
    return this.get(caseId, actor);
  }

  async get(caseId: string, actor: Actor): Promise<TemporaryAssistanceCaseView> {
    const row = await this.visibleCase(this.dataSource.manager, caseId, actor);
    const rows = await this.loadRows(this.dataSource.manager, caseId);
    const state = deriveCase(row.kind, rows.map(toLogged));
    const limits = limitsOf(rows);
    const amountFen = Number(row.amount_fen);
    return {
      id: row.id,
      householdId: row.household_id,
      divisionCode: row.division_code,
      urbanRural: row.urban_rural,
      kind: row.kind,
      cause: row.cause,
      persons: row.persons,
      amountFen,
      status: state.status,
      standardFen: limits.standardFen,
      capFen: limits.capFen,
      townshipLimitFen: limits.townshipLimitFen,
      grantedOn: state.grantedOn,
      rejectionReason: state.rejectionReason,
      documents: state.documents,
      allowedActions: [...new Set(this.actingRoles(actor).flatMap((r) => allowedTaActions(state, r, amountFen, limits)))],
      actions: rows.map((r) => ({ seq: r.seq, action: r.action, role: r.role, actorId: r.actor_id, date: r.on_date, payload: r.payload })),
    };
  }

  private async open(kind: TemporaryAssistanceKind, input: TemporaryAssistanceCaseInput, actor: Actor, today: string): Promise<TemporaryAssistanceCaseView> {
    const [household] = await this.dataSource.query<{ division_code: string; urban_rural: UrbanRural; member: boolean }[]>(
      `SELECT h.division_code, h.urban_rural,
              ${isHouseholdMemberSql('h.id', '$2')} AS member
         FROM household h WHERE h.id = $1`,
      [input.householdId, lookupHashOrNull(this.cipher, actor.residentId)],
    );
    if (!household) throw new DomainError('NOT_FOUND', `household ${input.householdId} does not exist`);
    // Citizens act for their own household only; the action table decides which staff may.
    requireHouseholdAccess(actor, { member: household.member, divisionCode: household.division_code }, `household ${input.householdId}`, null);
    const snapshot = await this.ruleOn(household.division_code, household.urban_rural, today);
    const limits = amountLimits(snapshot.standardFen, snapshot);
    checkAmount(input.amountFen, limits);

    const action: TemporaryAssistanceAction = kind === 'emergency' ? 'grant-emergency' : 'apply';
    const role = actingRole(this.actingRoles(actor), kind, [], action, input.amountFen, limits);
    const decided = decideTemporaryAction(kind, [], { action, role, actorId: actor.userId, date: today, payload: {} }, input.amountFen, limits);
    const logged: LoggedTaAction = { ...decided.logged, payload: { ...decided.logged.payload, rule: snapshot } };
    const id = uuidv7();
    const row: CaseRow = {
      id,
      household_id: input.householdId,
      division_code: household.division_code,
      urban_rural: household.urban_rural,
      kind,
      cause: input.cause,
      persons: input.persons,
      amount_fen: String(input.amountFen),
    };
    await this.outbox.transaction(async (tx) => {
      await tx.manager.query(
        `INSERT INTO temporary_assistance_case (id, household_id, division_code, urban_rural, kind, cause, persons, amount_fen, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [id, row.household_id, row.division_code, row.urban_rural, kind, row.cause, row.persons, input.amountFen, decided.state.status],
      );
      await this.appendAction(tx.manager, id, 1, logged);
      if (kind === 'emergency') await this.emitGranted(tx, actor, row, today);
    });
    return this.get(id, actor);
  }

  /** The 低保 standard and the 临时救助 rule in force on a date; the most specific division wins. */
  private async ruleOn(divisionCode: string, urbanRural: UrbanRural, onDate: string): Promise<RuleSnapshot> {
    const standard = await dibaoStandardOn(this.dataSource.manager, divisionCode, urbanRural, onDate);
    const [rule] = await this.dataSource.query<{ cap_multiple_bp: number; township_limit_bp: number }[]>(
      `SELECT cap_multiple_bp, township_limit_bp FROM rule_temporary_assistance
        WHERE division_code = ANY($1) AND effective_from <= $2 AND (effective_to IS NULL OR effective_to > $2)
        ORDER BY division_code DESC LIMIT 1`,
      [ruleDivisions(divisionCode), onDate],
    );
    if (!rule) throw new DomainError('CONFLICT', `no temporary assistance rule is in force for ${divisionCode} on ${onDate}`);
    return { standardFen: standard.monthlyStandardFen, capMultipleBp: rule.cap_multiple_bp, townshipLimitBp: rule.township_limit_bp };
  }

  private actingRoles(actor: Actor): Role[] {
    return actor.kind === 'citizen' ? ['citizen'] : actor.roles.filter((r) => r !== 'citizen');
  }

  /** The case if the actor may see it: their own household, or staff in scope. */
  private async visibleCase(manager: EntityManager, caseId: string, actor: Actor): Promise<CaseRow> {
    const [row] = await manager.query<(CaseRow & { member: boolean })[]>(
      `SELECT c.id, c.household_id, c.division_code, c.urban_rural, c.kind, c.cause, c.persons, c.amount_fen,
              ${isHouseholdMemberSql('c.household_id', '$2')} AS member
         FROM temporary_assistance_case c WHERE c.id = $1`,
      [caseId, lookupHashOrNull(this.cipher, actor.residentId)],
    );
    if (!row) throw new DomainError('NOT_FOUND', `temporary assistance case ${caseId} does not exist`);
    requireHouseholdAccess(actor, { member: row.member, divisionCode: row.division_code }, `temporary assistance case ${caseId}`, STAFF_ROLES);
    return row;
  }

  private async loadRows(manager: EntityManager, caseId: string): Promise<ActionRow[]> {
    return manager.query<ActionRow[]>(
      `SELECT seq, action, role, actor_id, to_char(on_date, 'YYYY-MM-DD') AS on_date, payload FROM temporary_assistance_action WHERE case_id = $1 ORDER BY seq`,
      [caseId],
    );
  }

  private async appendAction(manager: EntityManager, caseId: string, seq: number, logged: LoggedTaAction): Promise<void> {
    await manager.query(
      `INSERT INTO temporary_assistance_action (case_id, seq, action, actor_id, role, on_date, payload) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [caseId, seq, logged.action, logged.actorId, logged.role, logged.date, JSON.stringify(logged.payload)],
    );
  }

  private async emitGranted(tx: Transaction, actor: Actor, row: CaseRow, grantedOn: string): Promise<void> {
    const data: TemporaryAssistanceGrantedV1 = {
      caseId: row.id,
      householdId: row.household_id,
      kind: row.kind,
      persons: row.persons,
      amountFen: Number(row.amount_fen),
      urbanRural: row.urban_rural,
      grantedOn,
    };
    await tx.emit<TemporaryAssistanceGrantedV1>(actor, [
      { type: TemporaryAssistanceEvents.granted, subject: `temporary-assistance-case/${row.id}`, divisionCode: row.division_code, data },
    ]);
  }
}

function toLogged(row: ActionRow): LoggedTaAction {
  return { action: row.action, role: row.role, actorId: row.actor_id, date: row.on_date, payload: row.payload };
}

/** The limits fixed when the case was opened, from the opening action's logged rule. */
function limitsOf(rows: readonly ActionRow[]): AmountLimits {
  const rule = rows[0]?.payload.rule as Partial<RuleSnapshot> | undefined;
  if (typeof rule?.standardFen !== 'number' || typeof rule.capMultipleBp !== 'number' || typeof rule.townshipLimitBp !== 'number') {
    throw new DomainError('INTERNAL', 'the case has no rule recorded with its opening action');
  }
  return amountLimits(rule.standardFen, { capMultipleBp: rule.capMultipleBp, townshipLimitBp: rule.townshipLimitBp });
}
