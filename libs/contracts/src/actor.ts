import { DivisionCode } from '@civil/domain-kernel';

/**
 * Who is acting. The gateway builds it from the bearer token and sends it in the `civil-actor`
 * NATS header; every service re-checks roles and division scope with it.
 */
export const ROLES = [
  'citizen',
  'clerk',
  'township-reviewer',
  'district-approver',
  'registrar',
  'elderly-care-officer',
  'place-names-officer',
  'finance-officer',
  'leader',
  'auditor',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

export type ActorKind = 'staff' | 'citizen' | 'system';

/**
 * Permissions beyond a role's routes. `personal-data:reveal` lets the gateway return resident ID
 * and phone numbers unmasked (each reveal is audited); without it they are masked.
 */
export const PERMISSIONS = ['personal-data:reveal'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export interface Actor {
  userId: string;
  kind: ActorKind;
  roles: Role[];
  /** Twelve-digit division codes the actor may act on (a county code covers its townships). */
  divisions: string[];
  /** Only for citizens: their own resident ID, so services can show them their own cases. */
  residentId?: string;
  permissions?: Permission[];
}

export const ACTOR_HEADER = 'civil-actor';
export const TRACEPARENT_HEADER = 'traceparent';

export function encodeActor(actor: Actor): string {
  return Buffer.from(JSON.stringify(actor), 'utf8').toString('base64url');
}

/** Decodes and checks the header; returns null for anything malformed so callers refuse it. */
export function decodeActor(header: string | undefined | null): Actor | null {
  if (!header) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  return isActor(parsed) ? parsed : null;
}

export function isActor(value: unknown): value is Actor {
  if (typeof value !== 'object' || value === null) return false;
  const a = value as Record<string, unknown>;
  return (
    typeof a.userId === 'string' &&
    a.userId.length > 0 &&
    (a.kind === 'staff' || a.kind === 'citizen' || a.kind === 'system') &&
    Array.isArray(a.roles) &&
    a.roles.every((r) => (ROLES as readonly unknown[]).includes(r)) &&
    Array.isArray(a.divisions) &&
    a.divisions.every((d) => typeof d === 'string' && DivisionCode.isValid(d)) &&
    (a.residentId === undefined || typeof a.residentId === 'string') &&
    (a.permissions === undefined || (Array.isArray(a.permissions) && a.permissions.every((p) => (PERMISSIONS as readonly unknown[]).includes(p))))
  );
}

export function hasPermission(actor: Actor, permission: Permission): boolean {
  return actor.permissions?.includes(permission) ?? false;
}

export function hasAnyRole(actor: Actor, roles: readonly Role[]): boolean {
  return actor.roles.some((r) => roles.includes(r));
}

/** True when the actor's divisions include (or are ancestors of) the given division. */
export function actorCoversDivision(actor: Actor, divisionCode: string): boolean {
  const target = DivisionCode.parse(divisionCode);
  return actor.divisions.some((d) => DivisionCode.parse(d).contains(target));
}

export const SYSTEM_ACTOR: Actor = { userId: 'system', kind: 'system', roles: ['admin'], divisions: [] };

const LEVEL_DIGITS = { province: 2, city: 4, county: 6, township: 9, village: 12 } as const;

/**
 * SQL `LIKE` patterns of the divisions an actor covers, for filtering in the data layer: a county
 * `430503000000` gives `430503%`, a township `430503101000` gives `430503101%`. Null means
 * unrestricted (the system actor); an actor with no divisions gets no patterns and so sees nothing.
 */
export function divisionLikePatterns(actor: Actor): string[] | null {
  if (actor.kind === 'system') return null;
  return actor.divisions.map((code) => {
    const division = DivisionCode.parse(code);
    return `${division.value.slice(0, LEVEL_DIGITS[division.level])}%`;
  });
}

/**
 * A resident ID as a reply may show it to this actor: in full when the gateway forwarded
 * `personal-data:reveal` (it has checked the reason and audited the reveal), otherwise masked as
 * `430503********123X`. The stored value is not parsed, so an odd one never throws; anything that
 * is not 18 characters long is masked entirely.
 */
export function residentIdFor(actor: Actor | null | undefined, residentId: string): string {
  if (actor && hasPermission(actor, 'personal-data:reveal')) return residentId;
  const id = residentId.trim().toUpperCase();
  return id.length === 18 ? `${id.slice(0, 6)}********${id.slice(14)}` : '*'.repeat(18);
}
