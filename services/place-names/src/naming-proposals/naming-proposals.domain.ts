import {
  DomainError,
  actorCoversDivision,
  hasAnyRole,
  type Actor,
  type FieldError,
  type NamingCheckResult,
  type NamingProposalStatus,
  type Role,
} from '@civil/contracts';

/**
 * The naming workflow's rules, free of I/O: which action each status allows, who may act, and
 * how rule findings become an error. The service enforces them inside its transactions.
 */
export type ProposalAction = 'review' | 'approve' | 'announce' | 'withdraw';

/** The statuses from which each action may be taken; everything else is a CONFLICT. */
export const ALLOWED_FROM: Record<ProposalAction, readonly NamingProposalStatus[]> = {
  review: ['submitted'],
  approve: ['reviewed'],
  announce: ['approved'],
  withdraw: ['submitted', 'reviewed'],
};

export const OFFICERS: readonly Role[] = ['place-names-officer', 'admin'];
export const APPROVERS: readonly Role[] = ['district-approver', 'admin'];
export const READERS: readonly Role[] = ['place-names-officer', 'district-approver', 'admin', 'auditor'];

const ACTION_LABEL: Record<ProposalAction, string> = { review: 'reviewed', approve: 'approved or rejected', announce: 'announced', withdraw: 'withdrawn' };

export function assertTransition(action: ProposalAction, status: NamingProposalStatus, id: string): void {
  if (!ALLOWED_FROM[action].includes(status)) {
    throw new DomainError('CONFLICT', `naming proposal ${id} is ${status}: it cannot be ${ACTION_LABEL[action]} now`);
  }
}

export function assertRole(actor: Actor, roles: readonly Role[], what: string): void {
  if (!hasAnyRole(actor, roles)) throw new DomainError('FORBIDDEN', `only ${roles.join(' or ')} may ${what}`);
}

export function assertScope(actor: Actor, divisionCode: string): void {
  if (actor.kind !== 'system' && !actorCoversDivision(actor, divisionCode)) {
    throw new DomainError('OUT_OF_DIVISION_SCOPE', `division ${divisionCode} is outside your scope`);
  }
}

/** Four eyes: whoever submitted a proposal does not review it. */
export function assertNotSubmitter(actor: Actor, createdBy: string): void {
  if (actor.userId === createdBy) throw new DomainError('FORBIDDEN', 'the reviewer must be someone other than the submitter');
}

export function assertSubmitter(actor: Actor, createdBy: string): void {
  if (actor.userId !== createdBy) throw new DomainError('FORBIDDEN', 'only the submitter may withdraw a proposal');
}

export function assertVersion(current: number, expected: number | undefined, id: string): void {
  if (expected !== undefined && expected !== current) {
    throw new DomainError('CONFLICT', `naming proposal ${id} is at version ${current}, not ${expected}; reload it and try again`);
  }
}

/**
 * A name that breaks a rule is refused as NOT_ELIGIBLE, each error finding a field error of
 * `name` with its rule code, so the caller sees every violation at once. Warnings do not block.
 */
export function assertNamePasses(result: NamingCheckResult, when: 'submitted' | 'approved' | 'announced'): void {
  if (result.passes) return;
  const fields: FieldError[] = result.findings.filter((f) => f.severity === 'error').map((f) => ({ field: 'name', rule: f.rule, message: f.message }));
  throw new DomainError('NOT_ELIGIBLE', `"${result.name}" breaks the naming rules and cannot be ${when}: ${fields.map((f) => f.rule).join(', ')}`, fields);
}
