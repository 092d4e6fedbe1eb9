import { PERMISSIONS, ROLES, isActor, type Actor, type Permission, type Role } from '@civil/contracts';
import type { JWTPayload } from 'jose';

/** Where an identity provider puts the facts the platform needs; every path is configurable. */
export interface ClaimMapping {
  /** Dot path to an array of role names, e.g. `realm_access.roles` (Keycloak). */
  rolesClaim: string;
  /** Stripped from each role name before matching, e.g. `civil-` for `civil-clerk`. */
  rolePrefix: string;
  divisionsClaim: string;
  residentIdClaim: string;
  permissionsClaim: string;
}

/** Follows a dot path through nested objects; a key containing dots can be written whole. */
export function claimAt(payload: JWTPayload, path: string): unknown {
  if (path in payload) return payload[path];
  let value: unknown = payload;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function stringsAt(payload: JWTPayload, path: string): string[] {
  const value = claimAt(payload, path);
  if (typeof value === 'string') return value.split(/[\s,]+/).filter((s) => s !== '');
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * Turns verified claims into an actor. Role names the platform does not know are ignored (an
 * identity provider carries many: offline_access, uma_authorization …), so a token can only ever
 * grant platform roles it names. A token with the `citizen` role and no staff role is a citizen,
 * which needs its resident ID; anything else is staff. Null when the claims make no valid actor.
 */
export function actorFromClaims(payload: JWTPayload, mapping: ClaimMapping): Actor | null {
  const names = stringsAt(payload, mapping.rolesClaim).map((name) => (mapping.rolePrefix && name.startsWith(mapping.rolePrefix) ? name.slice(mapping.rolePrefix.length) : name));
  const roles = [...new Set(names.filter((name): name is Role => (ROLES as readonly string[]).includes(name)))];
  const permissions = [
    ...new Set([...stringsAt(payload, mapping.permissionsClaim), ...names].filter((name): name is Permission => (PERMISSIONS as readonly string[]).includes(name))),
  ];
  const kind = roles.length > 0 && roles.every((role) => role === 'citizen') ? 'citizen' : 'staff';
  const residentId = claimAt(payload, mapping.residentIdClaim);
  const actor: Actor = {
    userId: typeof payload.sub === 'string' ? payload.sub : '',
    kind,
    roles,
    divisions: stringsAt(payload, mapping.divisionsClaim),
    ...(typeof residentId === 'string' && kind === 'citizen' ? { residentId } : {}),
    ...(permissions.length > 0 && kind === 'staff' ? { permissions } : {}),
  };
  // A token that grants no platform role is not a platform user; a citizen needs their resident ID.
  if (roles.length === 0 || (kind === 'citizen' && !actor.residentId)) return null;
  return isActor(actor) ? actor : null;
}
