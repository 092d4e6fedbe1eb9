import { DomainError, hasAnyRole, type Actor } from '@civil/contracts';
import type { GatewayRoute } from '../routes/route-table';

/**
 * The gateway's coarse check, from the route table: public routes let anyone in; every other
 * route needs a token and one of the route's roles. Finer rules (division scope, a citizen's own
 * cases, who may approve what) are the services' to check, and they re-check roles too.
 */
export function authorize(route: Pick<GatewayRoute, 'access' | 'roles' | 'method' | 'path'>, actor: Actor | null): void {
  if (route.access === 'public') return;
  if (!actor) throw new DomainError('UNAUTHENTICATED', 'this route needs a bearer token');
  const roles = route.roles ?? [];
  // A route that names no roles is a mistake in the table: it refuses everyone, never allows all.
  if (!hasAnyRole(actor, roles)) {
    throw new DomainError('FORBIDDEN', roles.length > 0 ? `${route.method} ${route.path} needs one of the roles: ${roles.join(', ')}` : `${route.method} ${route.path} allows no role`);
  }
}
