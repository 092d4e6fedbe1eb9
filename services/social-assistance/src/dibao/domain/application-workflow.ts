/**
 * The 低保 application procedure as pure rules: an application is an append-only log of actions,
 * its status is derived by replaying that log, and every new action is checked against one
 * permission table (`DIBAO_ACTION_RULES`). No I/O here: the service loads the log, calls
 * `decideAction`, and appends what it returns.
 *
 * Procedure (domain.md, "Social assistance"): SUBMITTED → ACCEPTED | RETURNED_INCOMPLETE →
 * household survey (≥ 2 investigators) + economic verification, in either order →
 * DEMOCRATIC_REVIEW → TOWNSHIP_AUDIT → PUBLIC_NOTICE (an objection sends it back to survey) →
 * APPROVED by the district after the notice period, or REJECTED with a written reason.
 * The whole procedure has 30 working days, extendable once to 45.
 */
import { z } from 'zod';
import {
  Period,
  addDays,
  compareDates,
  isValidLocalDate,
  type WorkingDayCalendar,
} from '@civil/domain-kernel';
import { DomainError, ROLES, fieldErrorsOf, type FieldError, type Role } from '@civil/contracts';

export const DIBAO_STATUSES = [
  'SUBMITTED',
  'RETURNED_INCOMPLETE',
  /** Household survey and economic verification in progress, in parallel. */
  'ACCEPTED',
  'DEMOCRATIC_REVIEW',
  'TOWNSHIP_AUDIT',
  'PUBLIC_NOTICE',
  'APPROVED',
  'REJECTED',
  'WITHDRAWN',
] as const;
export type DibaoStatus = (typeof DIBAO_STATUSES)[number];

/** Statuses no action leaves. */
export const FINAL_DIBAO_STATUSES: readonly DibaoStatus[] = ['APPROVED', 'REJECTED', 'WITHDRAWN'];

/** 'NEW' is the status of an empty log: the only thing one can do is submit. */
export type WorkflowStatus = DibaoStatus | 'NEW';

export const DIBAO_ACTIONS = [
  'submit',
  'return-incomplete',
  'resubmit',
  'accept',
  'record-survey',
  'record-verification',
  'record-democratic-review',
  'township-audit',
  'raise-objection',
  'approve',
  'reject',
  'withdraw',
  'extend-deadline',
] as const;
export type DibaoAction = (typeof DIBAO_ACTIONS)[number];

export interface DibaoActionRule {
  /** Statuses the action may be taken from. */
  from: readonly WorkflowStatus[];
  /** Roles that may take it. Nobody else may, 'admin' included. */
  roles: readonly Role[];
  /**
   * Roles allowed from fewer statuses than `from`: a role listed here may act only from the
   * statuses given (always a subset of `from`). A township reviewer may reject during democratic
   * review and township audit, but the district alone rejects after the survey or during notice.
   */
  roleLimits?: Partial<Record<Role, readonly DibaoStatus[]>>;
}

const NON_FINAL: readonly DibaoStatus[] = [
  'SUBMITTED',
  'RETURNED_INCOMPLETE',
  'ACCEPTED',
  'DEMOCRATIC_REVIEW',
  'TOWNSHIP_AUDIT',
  'PUBLIC_NOTICE',
];

/** Who may do what from which status: the single source the checks use and the tests enumerate. */
export const DIBAO_ACTION_RULES: Readonly<Record<DibaoAction, DibaoActionRule>> = {
  submit: { from: ['NEW'], roles: ['citizen', 'clerk'] },
  'return-incomplete': { from: ['SUBMITTED'], roles: ['clerk'] },
  resubmit: { from: ['RETURNED_INCOMPLETE'], roles: ['citizen', 'clerk'] },
  accept: { from: ['SUBMITTED'], roles: ['clerk'] },
  'record-survey': { from: ['ACCEPTED'], roles: ['clerk', 'township-reviewer'] },
  'record-verification': { from: ['ACCEPTED'], roles: ['clerk'] },
  'record-democratic-review': { from: ['DEMOCRATIC_REVIEW'], roles: ['township-reviewer'] },
  'township-audit': { from: ['TOWNSHIP_AUDIT'], roles: ['township-reviewer'] },
  'raise-objection': { from: ['PUBLIC_NOTICE'], roles: ['clerk', 'township-reviewer'] },
  approve: { from: ['PUBLIC_NOTICE'], roles: ['district-approver'] },
  reject: {
    from: ['ACCEPTED', 'DEMOCRATIC_REVIEW', 'TOWNSHIP_AUDIT', 'PUBLIC_NOTICE'],
    roles: ['district-approver', 'township-reviewer'],
    roleLimits: { 'township-reviewer': ['DEMOCRATIC_REVIEW', 'TOWNSHIP_AUDIT'] },
  },
  withdraw: { from: NON_FINAL, roles: ['citizen', 'clerk'] },
  'extend-deadline': { from: NON_FINAL, roles: ['district-approver'] },
};

/**
 * Durations of the procedure. The service reads them from the rule table `rule_dibao_procedure`
 * (in force on the submission date, kept on the application); functions take them as input.
 */
export interface WorkflowSettings {
  /** Calendar days of public notice (公示) before the district may approve. */
  noticeDays: number;
  /** Working days from (re)submission to decision. */
  deadlineWorkingDays: number;
  /** The same once the district has extended it. */
  extendedDeadlineWorkingDays: number;
}

/** The national rule (最低生活保障审核确认办法, 2021), the default of the pure functions and their tests. */
export const DEFAULT_WORKFLOW_SETTINGS: Readonly<WorkflowSettings> = Object.freeze({
  noticeDays: 7,
  deadlineWorkingDays: 30,
  extendedDeadlineWorkingDays: 45,
});

// ---------------------------------------------------------------------------------------------
// Payloads

const TEXT_MAX = 5000;
const NAME_MAX = 100;
const text = (max = TEXT_MAX) => z.string().trim().min(1).max(max);

const submitPayload = z.strictObject({});
const returnIncompletePayload = z.strictObject({
  /** Everything missing, in one notice: the applicant should not be sent back twice for one file. */
  missing: z.array(text(500)).min(1),
});
const resubmitPayload = z.strictObject({});
const acceptPayload = z.strictObject({});
const recordSurveyPayload = z.strictObject({
  investigators: z
    .array(text(NAME_MAX))
    .refine((names) => new Set(names).size >= 2, {
      message: 'a household survey needs at least two distinct investigators',
      params: { rule: 'min-distinct-investigators' },
    }),
  findings: text(),
});
const recordVerificationPayload = z.strictObject({ reportId: text(200) });
const recordDemocraticReviewPayload = z.strictObject({
  attendees: z.int().min(1),
  outcome: z.enum(['agree', 'disagree']),
  notes: z.string().trim().max(TEXT_MAX),
});
const townshipAuditPayload = z.strictObject({
  passed: z.literal(true, { error: "an audit that does not pass is recorded with 'reject'" }),
  opinion: text(),
});
const raiseObjectionPayload = z.strictObject({ objection: text() });
const approvePayload = z.strictObject({
  monthlyAmountFen: z.int().positive(),
  coveredPersons: z.int().min(1),
});
const rejectPayload = z.strictObject({ reason: text() });
const withdrawPayload = z.strictObject({ reason: text().optional() });
const extendDeadlinePayload = z.strictObject({ reason: text() });

/** Payload schema of each action; what is logged is the parsed (trimmed) payload. */
export const DIBAO_PAYLOAD_SCHEMAS = {
  submit: submitPayload,
  'return-incomplete': returnIncompletePayload,
  resubmit: resubmitPayload,
  accept: acceptPayload,
  'record-survey': recordSurveyPayload,
  'record-verification': recordVerificationPayload,
  'record-democratic-review': recordDemocraticReviewPayload,
  'township-audit': townshipAuditPayload,
  'raise-objection': raiseObjectionPayload,
  approve: approvePayload,
  reject: rejectPayload,
  withdraw: withdrawPayload,
  'extend-deadline': extendDeadlinePayload,
} as const satisfies Record<DibaoAction, z.ZodType>;

export type DibaoActionPayloads = { [A in DibaoAction]: z.output<(typeof DIBAO_PAYLOAD_SCHEMAS)[A]> };

/** An action with its parsed payload, discriminated by `action`. */
export type DibaoActionInput = { [A in DibaoAction]: { action: A; payload: DibaoActionPayloads[A] } }[DibaoAction];

// One discriminated union parses action and payload together, so the result is typed without casts
// and error paths read `payload.<field>`, as the client sent them.
const actionInputSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('submit'), payload: submitPayload }),
  z.object({ action: z.literal('return-incomplete'), payload: returnIncompletePayload }),
  z.object({ action: z.literal('resubmit'), payload: resubmitPayload }),
  z.object({ action: z.literal('accept'), payload: acceptPayload }),
  z.object({ action: z.literal('record-survey'), payload: recordSurveyPayload }),
  z.object({ action: z.literal('record-verification'), payload: recordVerificationPayload }),
  z.object({ action: z.literal('record-democratic-review'), payload: recordDemocraticReviewPayload }),
  z.object({ action: z.literal('township-audit'), payload: townshipAuditPayload }),
  z.object({ action: z.literal('raise-objection'), payload: raiseObjectionPayload }),
  z.object({ action: z.literal('approve'), payload: approvePayload }),
  z.object({ action: z.literal('reject'), payload: rejectPayload }),
  z.object({ action: z.literal('withdraw'), payload: withdrawPayload }),
  z.object({ action: z.literal('extend-deadline'), payload: extendDeadlinePayload }),
]);

// ---------------------------------------------------------------------------------------------
// Log and state

export interface LoggedAction {
  action: DibaoAction;
  role: Role;
  actorId: string;
  /** YYYY-MM-DD, Asia/Shanghai. */
  date: string;
  payload: Record<string, unknown>;
}

export interface ActionRequest {
  action: DibaoAction;
  role: Role;
  actorId: string;
  date: string;
  payload: unknown;
}

export interface ApplicationState {
  status: DibaoStatus;
  /** Date of the latest submit or resubmit: the deadline counts from here. */
  submittedOn: string;
  surveyRecorded: boolean;
  verificationRecorded: boolean;
  noticeStartedOn: string | null;
  deadlineExtended: boolean;
  /** Date of the approval or rejection. */
  decidedOn: string | null;
  rejectionReason: string | null;
  /** What the last return-incomplete notice listed (kept after resubmission, as the record of it). */
  missing: string[];
  /** YYYY-MM: the month after approval. */
  benefitStartPeriod: string | null;
  approved: { monthlyAmountFen: number; coveredPersons: number } | null;
}

/** A stored log that its own rules refuse: corrupt data, not a caller's mistake. */
export class InconsistentActionLogError extends Error {
  override readonly name = 'InconsistentActionLogError';
  constructor(
    /** 0-based position of the offending entry; -1 when the log is empty. */
    readonly index: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The status and date of the log so far; `state` is null for an empty log. */
interface Replay {
  state: ApplicationState | null;
  lastDate: string | null;
}

/**
 * Replays the log through the same checks as `decideAction`; throws InconsistentActionLogError
 * naming the first entry those checks refuse (and for an empty log: an application starts with a
 * submit). Replaying with other settings than those in force when the log was written can refuse
 * it (e.g. a longer notice period than the one an approval respected).
 */
export function deriveApplication(
  log: readonly LoggedAction[],
  settings: WorkflowSettings = DEFAULT_WORKFLOW_SETTINGS,
): ApplicationState {
  const { state } = replay(log, settings);
  if (!state) throw new InconsistentActionLogError(-1, 'an application log starts with a submit; this one is empty');
  return state;
}

/**
 * Checks one new action against the log and returns what to append and the state after it.
 * Refusals, in this order: VALIDATION_FAILED (unknown action or role, bad date or actor),
 * FORBIDDEN (the role may never take the action, or not from this status), CONFLICT (the status
 * does not allow the action), VALIDATION_FAILED (payload, each bad field named `payload.<field>`),
 * CONFLICT (date before the last logged action, deadline already extended, notice not over).
 */
export function decideAction(
  log: readonly LoggedAction[],
  request: ActionRequest,
  settings: WorkflowSettings = DEFAULT_WORKFLOW_SETTINGS,
): { logged: LoggedAction; state: ApplicationState } {
  const before = replay(log, settings);
  const { logged, state } = step(before, request, settings);
  return { logged, state };
}

/** Actions the role may take now (what the UI may offer); with `today`, approve only once the notice is over. */
export function allowedActions(
  state: ApplicationState,
  role: Role,
  today?: string,
  settings: WorkflowSettings = DEFAULT_WORKFLOW_SETTINGS,
): DibaoAction[] {
  return DIBAO_ACTIONS.filter((action) => {
    if (permissionRefusal(state.status, action, role) !== null) return false;
    if (conditionRefusal(state, action, today, settings) !== null) return false;
    return true;
  });
}

/** First day the district may approve: notice start + noticeDays calendar days; null outside notice. */
export function approvableFrom(state: ApplicationState, settings: WorkflowSettings = DEFAULT_WORKFLOW_SETTINGS): string | null {
  checkSettings(settings);
  if (state.status !== 'PUBLIC_NOTICE' || state.noticeStartedOn === null) return null;
  return addDays(state.noticeStartedOn, settings.noticeDays);
}

export function isFinal(status: DibaoStatus): boolean {
  return FINAL_DIBAO_STATUSES.includes(status);
}

/** The procedure's deadline, and whether every year it runs through had its holidays loaded. */
export interface DeadlineEstimate {
  date: string;
  /**
   * True when a year the count runs through has no holiday arrangement loaded: the date then
   * counts only weekends there and may come too early. It becomes final once the year is loaded.
   */
  provisional: boolean;
  missingYears: number[];
}

/**
 * submittedOn + 30 working days (45 once extended), counting neither the start day nor holidays,
 * and counting 调休 working weekends. Never refuses: a citizen's right to apply does not wait for
 * next year's holiday notice, so a gap in the calendar makes the deadline provisional instead.
 */
export function deadlineEstimate(
  state: ApplicationState,
  calendar: WorkingDayCalendar,
  settings: WorkflowSettings = DEFAULT_WORKFLOW_SETTINGS,
): DeadlineEstimate {
  checkSettings(settings);
  const days = state.deadlineExtended ? settings.extendedDeadlineWorkingDays : settings.deadlineWorkingDays;
  const date = calendar.addWorkingDays(state.submittedOn, days);
  const missingYears: number[] = [];
  for (let year = Number(state.submittedOn.slice(0, 4)); year <= Number(date.slice(0, 4)); year++) {
    if (!calendar.covers(year)) missingYears.push(year);
  }
  return { date, provisional: missingYears.length > 0, missingYears };
}

/**
 * The deadline when it is certain. Throws when the calendar lacks the holiday arrangement of a
 * year the count runs through: without it holidays would count as working days and the deadline
 * would come too early. Use `deadlineEstimate` where a provisional answer is acceptable.
 */
export function deadlineOf(
  state: ApplicationState,
  calendar: WorkingDayCalendar,
  settings: WorkflowSettings = DEFAULT_WORKFLOW_SETTINGS,
): string {
  const estimate = deadlineEstimate(state, calendar, settings);
  if (estimate.provisional) {
    throw new Error(`the working-day calendar has no holiday arrangement for ${estimate.missingYears.join(', ')}; load it before computing deadlines`);
  }
  return estimate.date;
}

/** Open (not final) and past its deadline: the deadline day itself is still in time. */
export function isOverdue(
  state: ApplicationState,
  calendar: WorkingDayCalendar,
  today: string,
  settings: WorkflowSettings = DEFAULT_WORKFLOW_SETTINGS,
): boolean {
  if (isFinal(state.status)) return false;
  // A provisional deadline may only be too early, so a case is never flagged late because of a gap.
  const estimate = deadlineEstimate(state, calendar, settings);
  return compareDates(today, estimate.date) > 0 && !estimate.provisional;
}

// ---------------------------------------------------------------------------------------------
// Internals

function replay(log: readonly LoggedAction[], settings: WorkflowSettings): Replay {
  checkSettings(settings);
  let current: Replay = { state: null, lastDate: null };
  log.forEach((entry, index) => {
    try {
      current = { state: step(current, entry, settings).state, lastDate: entry.date };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new InconsistentActionLogError(index, `action log entry ${index} (${String(entry.action)}) is refused on replay: ${reason}`, {
        cause: error,
      });
    }
  });
  return current;
}

function step(before: Replay, request: ActionRequest, settings: WorkflowSettings): { logged: LoggedAction; state: ApplicationState } {
  checkEnvelope(request);
  const status: WorkflowStatus = before.state?.status ?? 'NEW';
  const refusal = permissionRefusal(status, request.action, request.role);
  if (refusal !== null) throw refusal;

  const parsed = actionInputSchema.safeParse({ action: request.action, payload: request.payload });
  if (!parsed.success) throw DomainError.validation(fieldErrors(parsed.error));
  const input = parsed.data;

  if (before.lastDate !== null && compareDates(request.date, before.lastDate) < 0) {
    throw new DomainError('CONFLICT', `${request.action} is dated ${request.date}, before the last action on ${before.lastDate}`);
  }
  if (before.state !== null) {
    const conditional = conditionRefusal(before.state, input.action, request.date, settings);
    if (conditional !== null) throw conditional;
  }

  const logged: LoggedAction = {
    action: input.action,
    role: request.role,
    actorId: request.actorId,
    date: request.date,
    payload: { ...input.payload },
  };
  return { logged, state: apply(before.state, input, request.date) };
}

function checkEnvelope(request: ActionRequest): void {
  const fields: FieldError[] = [];
  if (!(DIBAO_ACTIONS as readonly unknown[]).includes(request.action)) {
    fields.push({ field: 'action', rule: 'enum', message: `must be one of ${DIBAO_ACTIONS.join(', ')}` });
  }
  if (!(ROLES as readonly unknown[]).includes(request.role)) {
    fields.push({ field: 'role', rule: 'enum', message: `must be one of ${ROLES.join(', ')}` });
  }
  if (typeof request.actorId !== 'string' || request.actorId.trim().length === 0) {
    fields.push({ field: 'actorId', rule: 'required', message: 'the acting user must be named' });
  }
  if (!isValidLocalDate(request.date)) {
    fields.push({ field: 'date', rule: 'date', message: 'must be a calendar date YYYY-MM-DD' });
  }
  if (fields.length > 0) throw DomainError.validation(fields);
}

/** FORBIDDEN when the role may not take the action (here), CONFLICT when nobody may from this status. */
function permissionRefusal(status: WorkflowStatus, action: DibaoAction, role: Role): DomainError | null {
  const rule = DIBAO_ACTION_RULES[action];
  if (!rule.roles.includes(role)) {
    return new DomainError('FORBIDDEN', `role ${role} may not ${action} a 低保 application`);
  }
  if (!rule.from.includes(status)) {
    return new DomainError('CONFLICT', status === 'NEW'
      ? `cannot ${action}: the application has not been submitted (status NEW)`
      : `cannot ${action} an application in status ${status}`);
  }
  const limit = rule.roleLimits?.[role];
  if (limit !== undefined && (status === 'NEW' || !limit.includes(status))) {
    return new DomainError('FORBIDDEN', `role ${role} may ${action} only in status ${limit.join(' or ')}, not in ${status}`);
  }
  return null;
}

/** Conditions beyond the status, for actions the table already allows. */
function conditionRefusal(
  state: ApplicationState,
  action: DibaoAction,
  date: string | undefined,
  settings: WorkflowSettings,
): DomainError | null {
  switch (action) {
    case 'extend-deadline':
      return state.deadlineExtended ? new DomainError('CONFLICT', 'the deadline has already been extended once') : null;
    case 'approve': {
      const from = approvableFrom(state, settings);
      if (date === undefined || from === null || compareDates(date, from) >= 0) return null;
      return new DomainError(
        'CONFLICT',
        `cannot approve on ${date}: the public notice started ${state.noticeStartedOn ?? '?'} and runs ${settings.noticeDays} days, approval from ${from}`,
      );
    }
    case 'submit':
    case 'return-incomplete':
    case 'resubmit':
    case 'accept':
    case 'record-survey':
    case 'record-verification':
    case 'record-democratic-review':
    case 'township-audit':
    case 'raise-objection':
    case 'reject':
    case 'withdraw':
      return null;
  }
}

function apply(previous: ApplicationState | null, input: DibaoActionInput, date: string): ApplicationState {
  if (previous === null) {
    // Only 'submit' passes the permission check from NEW.
    return {
      status: 'SUBMITTED',
      submittedOn: date,
      surveyRecorded: false,
      verificationRecorded: false,
      noticeStartedOn: null,
      deadlineExtended: false,
      decidedOn: null,
      rejectionReason: null,
      missing: [],
      benefitStartPeriod: null,
      approved: null,
    };
  }
  const state: ApplicationState = {
    ...previous,
    missing: [...previous.missing],
    approved: previous.approved ? { ...previous.approved } : null,
  };
  switch (input.action) {
    case 'submit':
      throw new Error('submit starts an application; the permission table allows it only on an empty log');
    case 'return-incomplete':
      return { ...state, status: 'RETURNED_INCOMPLETE', missing: [...input.payload.missing] };
    case 'resubmit':
      return { ...state, status: 'SUBMITTED', submittedOn: date };
    case 'accept':
      return { ...state, status: 'ACCEPTED' };
    case 'record-survey':
      return { ...state, surveyRecorded: true, status: state.verificationRecorded ? 'DEMOCRATIC_REVIEW' : 'ACCEPTED' };
    case 'record-verification':
      return { ...state, verificationRecorded: true, status: state.surveyRecorded ? 'DEMOCRATIC_REVIEW' : 'ACCEPTED' };
    case 'record-democratic-review':
      return { ...state, status: 'TOWNSHIP_AUDIT' };
    case 'township-audit':
      return { ...state, status: 'PUBLIC_NOTICE', noticeStartedOn: date };
    case 'raise-objection':
      return { ...state, status: 'ACCEPTED', surveyRecorded: false, verificationRecorded: false, noticeStartedOn: null };
    case 'approve':
      return {
        ...state,
        status: 'APPROVED',
        decidedOn: date,
        approved: { monthlyAmountFen: input.payload.monthlyAmountFen, coveredPersons: input.payload.coveredPersons },
        benefitStartPeriod: Period.fromDate(date).next().toString(),
      };
    case 'reject':
      return { ...state, status: 'REJECTED', decidedOn: date, rejectionReason: input.payload.reason };
    case 'withdraw':
      return { ...state, status: 'WITHDRAWN' };
    case 'extend-deadline':
      return { ...state, deadlineExtended: true };
  }
}

/** fieldErrorsOf, with an unknown-keys issue split into one error per key so each is named. */
function fieldErrors(error: z.ZodError): FieldError[] {
  const unknown: FieldError[] = [];
  const others = error.issues.filter((issue) => {
    if (issue.code !== 'unrecognized_keys') return true;
    const prefix = issue.path.map(String).join('.');
    for (const key of issue.keys) {
      unknown.push({ field: prefix ? `${prefix}.${key}` : key, rule: 'unknown-field', message: `${key} is not a field of this action` });
    }
    return false;
  });
  return [...fieldErrorsOf(new z.ZodError(others)), ...unknown];
}

function checkSettings(settings: WorkflowSettings): void {
  const { noticeDays, deadlineWorkingDays, extendedDeadlineWorkingDays } = settings;
  if (!Number.isSafeInteger(noticeDays) || noticeDays < 0) {
    throw new RangeError(`noticeDays must be a whole number ≥ 0, got ${noticeDays}`);
  }
  if (!Number.isSafeInteger(deadlineWorkingDays) || deadlineWorkingDays < 1) {
    throw new RangeError(`deadlineWorkingDays must be a whole number ≥ 1, got ${deadlineWorkingDays}`);
  }
  if (!Number.isSafeInteger(extendedDeadlineWorkingDays) || extendedDeadlineWorkingDays < deadlineWorkingDays) {
    throw new RangeError(
      `extendedDeadlineWorkingDays must be a whole number ≥ deadlineWorkingDays (${deadlineWorkingDays}), got ${extendedDeadlineWorkingDays}`,
    );
  }
}
