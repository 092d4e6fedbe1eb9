import { DomainError, type Actor } from '@civil/contracts';
import { authorize } from './authorize';

const clerk: Actor = { userId: 'u', kind: 'staff', roles: ['clerk'], divisions: ['430503000000'] };
const route = { method: 'GET', path: '/api/v1/x', access: 'authenticated', roles: ['clerk', 'township-reviewer'] } as const;

function codeOf(fn: () => void): string | null {
  try {
    fn();
    return null;
  } catch (error) {
    return error instanceof DomainError ? error.code : 'not a DomainError';
  }
}

describe('authorize', () => {
  it('lets anyone call a public route', () => {
    expect(codeOf(() => authorize({ ...route, access: 'public' }, null))).toBeNull();
  });
  it('needs a token for other routes', () => {
    expect(codeOf(() => authorize(route, null))).toBe('UNAUTHENTICATED');
  });
  it('needs one of the route roles', () => {
    expect(codeOf(() => authorize(route, clerk))).toBeNull();
    expect(codeOf(() => authorize(route, { ...clerk, roles: ['registrar', 'auditor'] }))).toBe('FORBIDDEN');
  });
  it('refuses everyone on a route that names no roles', () => {
    expect(codeOf(() => authorize({ ...route, roles: [] }, { ...clerk, roles: ['admin'] }))).toBe('FORBIDDEN');
    expect(codeOf(() => authorize({ ...route, roles: undefined }, clerk))).toBe('FORBIDDEN');
  });
});
