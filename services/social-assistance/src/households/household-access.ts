import type { EntityManager } from 'typeorm';
import { DomainError, actorCoversDivision, hasAnyRole, type Actor, type Role, type SealedResidentId } from '@civil/contracts';

/**
 * SQL that is true when the resident ID whose lookup hash is in parameter `residentHashParam`
 * (lookupHashOrNull of the actor's number) belongs to the household in column `householdColumn`:
 * how a citizen is recognised as one of a record's own household.
 */
export function isHouseholdMemberSql(householdColumn: string, residentHashParam: string): string {
  return `EXISTS (SELECT 1 FROM household_member m WHERE m.household_id = ${householdColumn} AND m.resident_id_hash = ${residentHashParam})`;
}

/**
 * Who may see or act on a record of a household (the household itself, an application, a case):
 * a citizen only when they are one of its members, staff only with one of `staffRoles` (any role
 * when null) and within their divisions. To a citizen, or to staff of another department, a
 * record they may not see does not exist; staff of the right department are told it is out of
 * their scope.
 */
export function requireHouseholdAccess(actor: Actor, record: { member: boolean; divisionCode: string }, what: string, staffRoles: readonly Role[] | null): void {
  const notFound = new DomainError('NOT_FOUND', `${what} does not exist`);
  if (actor.kind === 'citizen') {
    if (!record.member) throw notFound;
    return;
  }
  if (staffRoles !== null && !hasAnyRole(actor, staffRoles)) throw notFound;
  if (!actorCoversDivision(actor, record.divisionCode)) throw new DomainError('OUT_OF_DIVISION_SCOPE', `${what} is outside your divisions`);
}

/**
 * The members' resident IDs, sealed as we keep them (hash and ciphertext, never the number), in a
 * stable order, for the 低保 case events: other departments keep their own record of who lives in
 * a 低保 household from them (never from our tables).
 */
export async function householdMembersSealed(manager: EntityManager, householdId: string): Promise<SealedResidentId[]> {
  const rows = await manager.query<{ hash: string; enc: string }[]>(
    `SELECT resident_id_hash AS hash, resident_id_enc AS enc FROM household_member WHERE household_id = $1 ORDER BY resident_id_hash`,
    [householdId],
  );
  return rows.map((r) => ({ hash: r.hash, enc: r.enc }));
}
