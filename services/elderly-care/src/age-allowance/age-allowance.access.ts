import { DomainError, hasAnyRole, type Actor, type Role } from '@civil/contracts';

/** The elderly-care office decides; finance, auditors and leaders read. */
export const WRITERS: readonly Role[] = ['elderly-care-officer', 'admin'];
export const READERS: readonly Role[] = ['elderly-care-officer', 'admin', 'finance-officer', 'auditor', 'leader'];

/** The age allowances are paid by the district: its sweep and payroll cover every township. */
export const DISTRICT = '430503000000';

export function requireRole(actor: Actor, roles: readonly Role[], message: string): void {
  if (actor.kind === 'citizen' || !hasAnyRole(actor, roles)) throw new DomainError('FORBIDDEN', message);
}
