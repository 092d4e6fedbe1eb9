import { DomainError, hasAnyRole, type Actor, type Role } from '@civil/contracts';

/** Every staff role: evaluation figures are aggregates with no personal data. */
const STAFF: Role[] = ['leader', 'finance-officer', 'auditor', 'admin', 'clerk', 'place-names-officer', 'registrar', 'elderly-care-officer', 'township-reviewer', 'district-approver'];

export function assertStaff(actor: Actor | null): Actor {
  if (!actor || actor.kind === 'citizen' || !hasAnyRole(actor, STAFF)) throw new DomainError('FORBIDDEN', 'evaluation figures are for bureau staff');
  return actor;
}

/** Budgets, indicators, rules and stated figures are the finance office's (or an admin's). */
export function assertFinance(actor: Actor | null): Actor {
  if (!actor || actor.kind === 'citizen' || !hasAnyRole(actor, ['finance-officer', 'admin'])) throw new DomainError('FORBIDDEN', 'only finance officers and admins edit evaluation data');
  return actor;
}

/** A year whose report is approved is frozen: its budget, targets and stated figures no longer change. */
export async function assertNotApproved(approved: Promise<unknown>, year: number): Promise<void> {
  if ((await approved) !== null) throw new DomainError('CONFLICT', `the ${year} report is approved; its figures are frozen`);
}
