/**
 * 临时救助 (temporary assistance) as pure rules. A case is an append-only log of actions; its
 * status is the result of replaying that log, and every action is checked against one permission
 * table (`TA_ACTION_RULES`). No I/O: the service loads the standard, the rule and the log, calls
 * `decideTemporaryAction`, and appends what it returns.
 *
 * 急难型 emergency (fire, accident, sudden illness): granted first, documented after —
 *   EMERGENCY_GRANTED → SUPPLEMENTARY_DOCS → RATIFIED.
 * 支出型 expenditure (medical or education costs beyond the family's means):
 *   SUBMITTED → REVIEWED → APPROVED | REJECTED (with a written reason).
 * The amount is capped at a multiple of the household's monthly 低保 standard; up to the township
 * limit the township decides (a clerk or township reviewer may grant an emergency), above it only
 * the district approver.
 */
import { z } from 'zod';
import { DomainError, fieldErrorsOf, type Role } from '@civil/contracts';

export const TA_KINDS = ['emergency', 'expenditure'] as const;
export type TemporaryAssistanceKind = (typeof TA_KINDS)[number];

export const TA_STATUSES = ['EMERGENCY_GRANTED', 'SUPPLEMENTARY_DOCS', 'RATIFIED', 'SUBMITTED', 'REVIEWED', 'APPROVED', 'REJECTED'] as const;
export type TemporaryAssistanceStatus = (typeof TA_STATUSES)[number];
/** The status of an empty log: only the opening actions apply. */
export type TaWorkflowStatus = TemporaryAssistanceStatus | 'NEW';

export const FINAL_TA_STATUSES: readonly TemporaryAssistanceStatus[] = ['RATIFIED', 'APPROVED', 'REJECTED'];

export const TA_ACTIONS = ['grant-emergency', 'apply', 'add-documents', 'ratify', 'review', 'approve', 'reject'] as const;
export type TemporaryAssistanceAction = (typeof TA_ACTIONS)[number];
/** Actions taken on an existing case (the other two open one). */
export const TA_CASE_ACTIONS = ['add-documents', 'ratify', 'review', 'approve', 'reject'] as const satisfies readonly TemporaryAssistanceAction[];
export type TemporaryAssistanceCaseAction = (typeof TA_CASE_ACTIONS)[number];

export interface TaActionRule {
  kind: TemporaryAssistanceKind;
  from: readonly TaWorkflowStatus[];
  to: TemporaryAssistanceStatus;
  /** Roles that may take it. Nobody else may, 'admin' included. */
  roles: readonly Role[];
  /** Roles whose authority ends at the township limit; above it they may not take the action. */
  upToTownshipLimit?: readonly Role[];
}

/** Who may do what from which status: the single source the checks use and the tests enumerate. */
export const TA_ACTION_RULES: Readonly<Record<TemporaryAssistanceAction, TaActionRule>> = {
  'grant-emergency': {
    kind: 'emergency',
    from: ['NEW'],
    to: 'EMERGENCY_GRANTED',
    roles: ['clerk', 'township-reviewer', 'district-approver'],
    upToTownshipLimit: ['clerk', 'township-reviewer'],
  },
  'add-documents': { kind: 'emergency', from: ['EMERGENCY_GRANTED', 'SUPPLEMENTARY_DOCS'], to: 'SUPPLEMENTARY_DOCS', roles: ['clerk', 'township-reviewer'] },
  ratify: {
    kind: 'emergency',
    from: ['SUPPLEMENTARY_DOCS'],
    to: 'RATIFIED',
    roles: ['township-reviewer', 'district-approver'],
    upToTownshipLimit: ['township-reviewer'],
  },
  apply: { kind: 'expenditure', from: ['NEW'], to: 'SUBMITTED', roles: ['citizen', 'clerk'] },
  review: { kind: 'expenditure', from: ['SUBMITTED'], to: 'REVIEWED', roles: ['clerk', 'township-reviewer'] },
  approve: {
    kind: 'expenditure',
    from: ['REVIEWED'],
    to: 'APPROVED',
    roles: ['township-reviewer', 'district-approver'],
    upToTownshipLimit: ['township-reviewer'],
  },
  // Whoever may approve the amount may refuse it.
  reject: {
    kind: 'expenditure',
    from: ['SUBMITTED', 'REVIEWED'],
    to: 'REJECTED',
    roles: ['township-reviewer', 'district-approver'],
    upToTownshipLimit: ['township-reviewer'],
  },
};

// ---------------------------------------------------------------------------------------------
// Amounts

/** The rule in force for a division: multiples of the monthly 低保 standard, in basis points. */
export interface TemporaryAssistanceRule {
  /** 60000 = at most 6× the monthly standard. */
  capMultipleBp: number;
  /** 30000 = the township decides up to 3× the monthly standard. */
  townshipLimitBp: number;
}

export interface AmountLimits {
  standardFen: number;
  capFen: number;
  townshipLimitFen: number;
}

/** Rounded down: a limit is never exceeded by rounding. */
export function amountLimits(monthlyStandardFen: number, rule: TemporaryAssistanceRule): AmountLimits {
  return {
    standardFen: monthlyStandardFen,
    capFen: Math.floor((monthlyStandardFen * rule.capMultipleBp) / 10000),
    townshipLimitFen: Math.floor((monthlyStandardFen * rule.townshipLimitBp) / 10000),
  };
}

/** Throws VALIDATION_FAILED naming `amountFen` (rule 'cap') above the cap. */
export function checkAmount(amountFen: number, limits: AmountLimits): void {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) {
    throw DomainError.validation([{ field: 'amountFen', rule: 'positive', message: 'must be a positive whole number of fen' }]);
  }
  if (amountFen > limits.capFen) {
    throw DomainError.validation([
      { field: 'amountFen', rule: 'cap', message: `must be at most ${limits.capFen} fen (the cap for a monthly standard of ${limits.standardFen} fen)` },
    ]);
  }
}

/** Whether `role` may take `action` for this amount, ignoring the status. */
export function roleMayDecide(action: TemporaryAssistanceAction, role: Role, amountFen: number, limits: AmountLimits): boolean {
  const rule = TA_ACTION_RULES[action];
  if (!rule.roles.includes(role)) return false;
  if (rule.upToTownshipLimit?.includes(role) && amountFen > limits.townshipLimitFen) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Payloads

const text = (max = 5000) => z.string().trim().min(1).max(max);

export const TA_PAYLOAD_SCHEMAS = {
  'grant-emergency': z.strictObject({ note: text().optional() }),
  apply: z.strictObject({ note: text().optional() }),
  'add-documents': z.strictObject({ documents: z.array(text(500)).min(1), note: text().optional() }),
  ratify: z.strictObject({ opinion: text().optional() }),
  review: z.strictObject({ findings: text() }),
  approve: z.strictObject({ opinion: text().optional() }),
  reject: z.strictObject({ reason: text() }),
} as const satisfies Record<TemporaryAssistanceAction, z.ZodType>;

export function parsePayload(action: TemporaryAssistanceAction, payload: unknown): Record<string, unknown> {
  const result = TA_PAYLOAD_SCHEMAS[action].safeParse(payload ?? {});
  if (!result.success) {
    throw DomainError.validation(fieldErrorsOf(result.error).map((f) => ({ ...f, field: f.field ? `payload.${f.field}` : 'payload' })));
  }
  return result.data;
}

// ---------------------------------------------------------------------------------------------
// The log

export interface LoggedTaAction {
  action: TemporaryAssistanceAction;
  role: Role;
  actorId: string;
  /** YYYY-MM-DD, Asia/Shanghai. */
  date: string;
  payload: Record<string, unknown>;
}

export interface TaCaseState {
  kind: TemporaryAssistanceKind;
  status: TaWorkflowStatus;
  grantedOn: string | null;
  rejectionReason: string | null;
  documents: string[];
}

/** Replays a log: every logged action moves the case to its rule's target status. */
export function deriveCase(kind: TemporaryAssistanceKind, log: readonly LoggedTaAction[]): TaCaseState {
  const state: TaCaseState = { kind, status: 'NEW', grantedOn: null, rejectionReason: null, documents: [] };
  for (const entry of log) {
    state.status = TA_ACTION_RULES[entry.action].to;
    switch (entry.action) {
      case 'grant-emergency':
      case 'approve':
        state.grantedOn = entry.date;
        break;
      case 'reject':
        state.rejectionReason = typeof entry.payload.reason === 'string' ? entry.payload.reason : null;
        break;
      case 'add-documents':
        if (Array.isArray(entry.payload.documents)) state.documents.push(...entry.payload.documents.filter((d): d is string => typeof d === 'string'));
        break;
      case 'apply':
      case 'ratify':
      case 'review':
        break;
    }
  }
  return state;
}

/** Actions `role` may take now on this case and amount. */
export function allowedTaActions(state: TaCaseState, role: Role, amountFen: number, limits: AmountLimits): TemporaryAssistanceAction[] {
  return TA_ACTIONS.filter((action) => {
    const rule = TA_ACTION_RULES[action];
    return rule.kind === state.kind && rule.from.includes(state.status) && roleMayDecide(action, role, amountFen, limits);
  });
}

export interface TaActionRequest {
  action: TemporaryAssistanceAction;
  role: Role;
  actorId: string;
  date: string;
  payload: unknown;
}

/**
 * Checks one action against the table and returns what to log and the new state. Throws
 * CONFLICT (wrong kind or status), FORBIDDEN (role, or amount above the role's authority),
 * VALIDATION_FAILED (payload).
 */
export function decideTemporaryAction(
  kind: TemporaryAssistanceKind,
  log: readonly LoggedTaAction[],
  request: TaActionRequest,
  amountFen: number,
  limits: AmountLimits,
): { logged: LoggedTaAction; state: TaCaseState } {
  const rule = TA_ACTION_RULES[request.action];
  const before = deriveCase(kind, log);
  if (rule.kind !== kind) throw new DomainError('CONFLICT', `'${request.action}' does not apply to a ${kind} case`);
  if (!rule.from.includes(before.status)) throw new DomainError('CONFLICT', `'${request.action}' is not possible in status ${before.status}`);
  if (!rule.roles.includes(request.role)) throw new DomainError('FORBIDDEN', `a ${request.role} may not ${request.action}`);
  if (!roleMayDecide(request.action, request.role, amountFen, limits)) {
    throw new DomainError('FORBIDDEN', `above ${limits.townshipLimitFen} fen only a district approver may ${request.action}`);
  }
  const payload = parsePayload(request.action, request.payload);
  const logged: LoggedTaAction = { action: request.action, role: request.role, actorId: request.actorId, date: request.date, payload };
  return { logged, state: deriveCase(kind, [...log, logged]) };
}

/**
 * The role an actor acts in: one that may take the action now for this amount; failing that, one
 * the table lists, so the refusal names the real reason (the amount rather than the role).
 */
export function actingRole(
  roles: readonly Role[],
  kind: TemporaryAssistanceKind,
  log: readonly LoggedTaAction[],
  action: TemporaryAssistanceAction,
  amountFen: number,
  limits: AmountLimits,
): Role {
  const state = deriveCase(kind, log);
  return (
    roles.find((r) => allowedTaActions(state, r, amountFen, limits).includes(action)) ??
    roles.find((r) => TA_ACTION_RULES[action].roles.includes(r)) ??
    roles[0] ??
    'citizen'
  );
}
