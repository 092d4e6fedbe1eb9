import { writeFileSync } from 'node:fs';
import { ROLES, type Role } from '@civil/contracts';
import type { GatewayRoute } from '../routes/route-table';

/** Who may call each route: `public`, or the roles allowed, in the order of ROLES. */
export type AuthorizationMatrix = Record<string, 'public' | Role[]>;

export function routeKey(route: Pick<GatewayRoute, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

/**
 * The matrix as the route table declares it. Its committed copy (`authorization-matrix.json`) is
 * the reviewed policy: a route added, or a role added to or taken from a route, changes the copy
 * in the same commit, where a reviewer sees it; the unit test fails until it does.
 */
export function authorizationMatrix(routes: readonly GatewayRoute[]): AuthorizationMatrix {
  const matrix: AuthorizationMatrix = {};
  for (const route of routes) {
    matrix[routeKey(route)] = route.access === 'public' ? 'public' : ROLES.filter((role) => route.roles?.includes(role));
  }
  return matrix;
}

export function writeAuthorizationMatrix(routes: readonly GatewayRoute[], file: string): void {
  writeFileSync(file, `${JSON.stringify(authorizationMatrix(routes), null, 2)}\n`);
}
