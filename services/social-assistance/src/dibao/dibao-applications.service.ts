import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { v7 as uuidv7 } from 'uuid';
import { todayInShanghai } from '@civil/domain-kernel';
import {
  DibaoEvents,
  DomainError,
  actorCoversDivision,
  hasAnyRole,
  type Actor,
  type DibaoApplicationDecidedV1,
  type DibaoApplicationView,
  type DibaoHouseholdStartedV1,
  type Role,
} from '@civil/contracts';
import { dibaoProcedureOn } from '../rules/rule-lookup';
import { householdMembersSealed, isHouseholdMemberSql, requireHouseholdAccess } from '../households/household-access';
import { lookupHashOrNull, Outbox, PersonalDataCipher, sealResidentId, type Transaction } from '@civil/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { CalendarService } from '../calendar/calendar.service';
import {
  DIBAO_ACTIONS,
  DIBAO_ACTION_RULES,
  allowedActions,
  deadlineEstimate,
  decideAction,
  deriveApplication,
  isOverdue,
  type ApplicationState,
  type DibaoAction,
  type LoggedAction,
  type WorkflowSettings,
} from './domain/application-workflow';

interface ApplicationRow {
  id: string;
  household_id: string;
  division_code: string;
  urban_rural: 'urban' | 'rural';
  /** The procedure's durations in force when the application was submitted. */
  notice_days: number;
  deadline_working_days: number;
  extended_deadline_working_days: number;
}

function settingsOf(row: Pick<ApplicationRow, 'notice_days' | 'deadline_working_days' | 'extended_deadline_working_days'>): WorkflowSettings {
  return { noticeDays: row.notice_days, deadlineWorkingDays: row.deadline_working_days, extendedDeadlineWorkingDays: row.extended_deadline_working_days };
}
interface ActionRow {
  seq: number;
  action: DibaoAction;
  role: Role;
  actor_id: string;
  on_date: string;
  payload: Record<string, unknown>;
}

const STAFF_ROLES: readonly Role[] = ['clerk', 'township-reviewer', 'district-approver', 'admin'];
const UNIQUE_VIOLATION = '23505';

/**
 * 低保 applications: every step is a row appended to the action log, checked by the workflow's
 * permission table; the status is derived from the log (the column is a cache for queries).
 */
@Injectable()
export class DibaoApplicationsService {
  constructor(
    private readonly outbox: Outbox,
    private readonly calendars: CalendarService,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: PersonalDataCipher,
  ) {}

  async submit(householdId: string, actor: Actor, today = todayInShanghai()): Promise<DibaoApplicationView> {
    const [household] = await this.dataSource.query<
      { division_code: string; urban_rural: 'urban' | 'rural'; head_hash: string | null; head_enc: string | null; persons: number; member: boolean }[]
    >(
      `SELECT h.division_code, h.urban_rural, head.resident_id_hash AS head_hash, head.resident_id_enc AS head_enc,
              (SELECT count(*)::int FROM household_member WHERE household_id = h.id) AS persons,
              ${isHouseholdMemberSql('h.id', '$2')} AS member
         FROM household h
         LEFT JOIN LATERAL (SELECT resident_id_hash, resident_id_enc FROM household_member WHERE household_id = h.id AND relationship = 'head' LIMIT 1) head ON true
        WHERE h.id = $1`,
      [householdId, lookupHashOrNull(this.cipher, actor.residentId)],
    );
    if (!household) throw new DomainError('NOT_FOUND', `household ${householdId} does not exist`);
    // Citizens apply for their own household only; the workflow table decides which staff may.
    requireHouseholdAccess(actor, { member: household.member, divisionCode: household.division_code }, `household ${householdId}`, null);
    const procedure = await dibaoProcedureOn(this.dataSource.manager, household.division_code, today);
    const settings: WorkflowSettings = procedure;
    const { logged, state } = decideAction([], this.request([], 'submit', {}, actor, today, settings), settings);
    const id = uuidv7();
    // The applicant: the citizen applying, else the household's head (its stored hash and ciphertext as they are).
    const applicant = actor.kind === 'citizen' && actor.residentId ? sealResidentId(this.cipher, actor.residentId) : { hash: household.head_hash, enc: household.head_enc };
    await this.outbox.transaction(async (tx) => {
      await tx.manager.query(
        `INSERT INTO dibao_application (id, household_id, applicant_resident_id_hash, applicant_resident_id_enc, division_code, urban_rural, status, deadline,
                                        notice_days, deadline_working_days, extended_deadline_working_days)
         VALUES ($1, $2, $10, $11, $3, $4, $5, $6, $7, $8, $9)`,
        [
          id,
          householdId,
          household.division_code,
          household.urban_rural,
          state.status,
          deadlineEstimate(state, this.calendars.calendar(), settings).date,
          settings.noticeDays,
          settings.deadlineWorkingDays,
          settings.extendedDeadlineWorkingDays,
          applicant.hash,
          applicant.enc,
        ],
      );
      await this.appendAction(tx.manager, id, 1, logged);
      await tx.emit<DibaoApplicationDecidedV1>(actor, [
        {
          type: DibaoEvents.applicationSubmitted,
          subject: `dibao-application/${id}`,
          divisionCode: household.division_code,
          data: { applicationId: id, householdId, urbanRural: household.urban_rural, persons: household.persons, decisionDate: logged.date, reason: null },
        },
      ]);
    });
    return this.get(id, actor, today);
  }

  async act(applicationId: string, action: string, payload: unknown, actor: Actor, today = todayInShanghai()): Promise<DibaoApplicationView> {
    if (!(DIBAO_ACTIONS as readonly string[]).includes(action)) {
      throw DomainError.validation([{ field: 'action', rule: 'enum', message: `must be one of ${DIBAO_ACTIONS.join(', ')}` }]);
    }
    const known = action as DibaoAction;
    try {
      await this.outbox.transaction(async (tx) => {
        const application = await this.lockForActor(tx.manager, applicationId, actor);
        const log = await this.loadLog(tx.manager, applicationId);
        const settings = settingsOf(application);
        const { logged, state } = decideAction(log, this.request(log, known, payload, actor, today, settings), settings);
        await this.appendAction(tx.manager, applicationId, log.length + 1, logged);
        const deadline = deadlineEstimate(state, this.calendars.calendar(), settings).date;
        await tx.manager.query(`UPDATE dibao_application SET status = $2, deadline = $3 WHERE id = $1`, [applicationId, state.status, deadline]);
        await this.emitDecision(tx, actor, application, logged, state, deadline);
      });
    } catch (error) {
      // Two people acting on one application at once: the second finds the log moved on.
      if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) {
        throw new DomainError('CONFLICT', 'the application changed meanwhile, or its household already receives 低保; reload and try again');
      }
      throw error;
    }
    return this.get(applicationId, actor, today);
  }

  async get(applicationId: string, actor: Actor, today = todayInShanghai()): Promise<DibaoApplicationView> {
    const application = await this.visibleApplication(this.dataSource.manager, applicationId, actor);
    const rows = await this.loadRows(this.dataSource.manager, applicationId);
    return this.view(application, rows, actor, today);
  }

  private view(application: ApplicationRow, rows: ActionRow[], actor: Actor, today: string): DibaoApplicationView {
    const settings = settingsOf(application);
    const state = deriveApplication(rows.map(toLogged), settings);
    const calendar = this.calendars.calendar();
    const deadline = deadlineEstimate(state, calendar, settings);
    const role = this.actingRoles(actor);
    return {
      id: application.id,
      householdId: application.household_id,
      divisionCode: application.division_code,
      urbanRural: application.urban_rural,
      status: state.status,
      submittedOn: state.submittedOn,
      deadline: deadline.date,
      deadlineProvisional: deadline.provisional,
      overdue: isOverdue(state, calendar, today, settings),
      missing: state.missing,
      rejectionReason: state.rejectionReason,
      benefitStartPeriod: state.benefitStartPeriod,
      allowedActions: [...new Set(role.flatMap((r) => allowedActions(state, r, today, settings)))],
      actions: rows.map((r) => ({ seq: r.seq, action: r.action, role: r.role, actorId: r.actor_id, date: r.on_date, payload: r.payload })),
    };
  }

  /** Open applications past their deadline in the caller's divisions, oldest deadline first. */
  async listOverdue(actor: Actor, today = todayInShanghai()): Promise<{ items: DibaoApplicationView[] }> {
    if (actor.kind === 'citizen' || !hasAnyRole(actor, STAFF_ROLES)) throw new DomainError('FORBIDDEN', 'the overdue list is for caseworkers');
    // Two statements for the whole page (the candidates, then all their action logs), not a full
    // read per application: the list is asked for often and is a staff member's first screen.
    const candidates = await this.dataSource.query<ApplicationRow[]>(
      `SELECT id, household_id, division_code, urban_rural, notice_days, deadline_working_days, extended_deadline_working_days
         FROM dibao_application
        WHERE status NOT IN ('APPROVED', 'REJECTED', 'WITHDRAWN') AND deadline < $1
        ORDER BY deadline, id LIMIT 500`,
      [today],
    );
    const inScope = candidates.filter((a) => actorCoversDivision(actor, a.division_code));
    if (inScope.length === 0) return { items: [] };
    const logs = new Map<string, ActionRow[]>(inScope.map((a) => [a.id, []]));
    const actions = await this.dataSource.query<(ActionRow & { application_id: string })[]>(
      `SELECT application_id, seq, action, role, actor_id, to_char(on_date, 'YYYY-MM-DD') AS on_date, payload
         FROM dibao_application_action WHERE application_id = ANY($1::uuid[]) ORDER BY application_id, seq`,
      [inScope.map((a) => a.id)],
    );
    for (const { application_id: id, ...row } of actions) logs.get(id)?.push(row);
    const items = inScope.map((a) => this.view(a, logs.get(a.id) ?? [], actor, today));
    return { items: items.filter((i) => i.overdue) };
  }

  private request(log: readonly LoggedAction[], action: DibaoAction, payload: unknown, actor: Actor, today: string, settings: WorkflowSettings): Parameters<typeof decideAction>[1] {
    // The actor acts in a role that may take this action in the current status (a reviewer who is
    // also an approver rejects as approver where only approvers may); failing that, in a role the
    // table lists, so the refusal names the real reason.
    const roles = this.actingRoles(actor);
    const state = log.length > 0 ? deriveApplication(log, settings) : null;
    const role =
      (state ? roles.find((r) => allowedActions(state, r, undefined, settings).includes(action)) : undefined) ??
      roles.find((r) => DIBAO_ACTION_RULES[action].roles.includes(r)) ??
      roles[0] ??
      'citizen';
    return { action, role, actorId: actor.userId, date: today, payload };
  }

  private actingRoles(actor: Actor): Role[] {
    return actor.kind === 'citizen' ? ['citizen'] : actor.roles.filter((r) => r !== 'citizen');
  }

  private async lockForActor(manager: EntityManager, applicationId: string, actor: Actor): Promise<ApplicationRow> {
    await manager.query(`SELECT 1 FROM dibao_application WHERE id = $1 FOR UPDATE`, [applicationId]);
    return this.visibleApplication(manager, applicationId, actor);
  }

  /** The application if the actor may see it: the applicant's household, or staff in scope. */
  private async visibleApplication(manager: EntityManager, applicationId: string, actor: Actor): Promise<ApplicationRow> {
    const [row] = await manager.query<(ApplicationRow & { member: boolean })[]>(
      `SELECT a.id, a.household_id, a.division_code, a.urban_rural, a.notice_days, a.deadline_working_days, a.extended_deadline_working_days,
              ${isHouseholdMemberSql('a.household_id', '$2')} AS member
         FROM dibao_application a WHERE a.id = $1`,
      [applicationId, lookupHashOrNull(this.cipher, actor.residentId)],
    );
    if (!row) throw new DomainError('NOT_FOUND', `application ${applicationId} does not exist`);
    requireHouseholdAccess(actor, { member: row.member, divisionCode: row.division_code }, `application ${applicationId}`, STAFF_ROLES);
    return row;
  }

  private async loadRows(manager: EntityManager, applicationId: string): Promise<ActionRow[]> {
    return manager.query<ActionRow[]>(
      `SELECT seq, action, role, actor_id, to_char(on_date, 'YYYY-MM-DD') AS on_date, payload FROM dibao_application_action WHERE application_id = $1 ORDER BY seq`,
      [applicationId],
    );
  }

  private async loadLog(manager: EntityManager, applicationId: string): Promise<LoggedAction[]> {
    return (await this.loadRows(manager, applicationId)).map(toLogged);
  }

  private async appendAction(manager: EntityManager, applicationId: string, seq: number, logged: LoggedAction): Promise<void> {
    await manager.query(
      `INSERT INTO dibao_application_action (application_id, seq, action, actor_id, role, on_date, payload) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [applicationId, seq, logged.action, logged.actorId, logged.role, logged.date, JSON.stringify(logged.payload)],
    );
  }

  /** Decisions others care about become events; on approval the household's 低保 case starts. */
  private async emitDecision(tx: Transaction, actor: Actor, application: ApplicationRow, logged: LoggedAction, state: ApplicationState, deadline: string): Promise<void> {
    const persons = state.approved?.coveredPersons ?? (await this.householdSize(tx.manager, application.household_id));
    const decided: DibaoApplicationDecidedV1 = {
      applicationId: application.id,
      householdId: application.household_id,
      urbanRural: application.urban_rural,
      persons,
      decisionDate: logged.date,
      reason: state.rejectionReason,
      submittedOn: state.submittedOn,
      deadline,
      inTime: logged.date <= deadline,
    };
    const subject = `dibao-application/${application.id}`;
    if (state.status === 'REJECTED' && logged.action === 'reject') {
      await tx.emit(actor, [{ type: DibaoEvents.applicationRejected, subject, divisionCode: application.division_code, data: decided }]);
    }
    if (state.status === 'APPROVED' && logged.action === 'approve' && state.approved && state.benefitStartPeriod) {
      const caseId = uuidv7();
      await tx.manager.query(
        `INSERT INTO dibao_case (id, household_id, application_id, division_code, urban_rural, covered_persons, monthly_amount_fen, start_period)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [caseId, application.household_id, application.id, application.division_code, application.urban_rural, state.approved.coveredPersons, state.approved.monthlyAmountFen, state.benefitStartPeriod],
      );
      const started: DibaoHouseholdStartedV1 = {
        householdId: application.household_id,
        caseId,
        urbanRural: application.urban_rural,
        persons: state.approved.coveredPersons,
        monthlyAmountFen: state.approved.monthlyAmountFen,
        effectivePeriod: state.benefitStartPeriod,
        origin: 'application',
        members: await householdMembersSealed(tx.manager, application.household_id),
      };
      await tx.emit<unknown>(actor, [
        { type: DibaoEvents.applicationApproved, subject, divisionCode: application.division_code, data: decided },
        { type: DibaoEvents.householdStarted, subject: `household/${application.household_id}`, divisionCode: application.division_code, data: started },
      ]);
    }
  }

  private async householdSize(manager: EntityManager, householdId: string): Promise<number> {
    const [row] = await manager.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM household_member WHERE household_id = $1`, [householdId]);
    return row?.n ?? 0;
  }
}

function toLogged(row: ActionRow): LoggedAction {
  return { action: row.action, role: row.role, actorId: row.actor_id, date: row.on_date, payload: row.payload };
}
