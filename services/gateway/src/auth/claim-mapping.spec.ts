import { actorFromClaims, claimAt, type ClaimMapping } from './claim-mapping';

const KEYCLOAK: ClaimMapping = { rolesClaim: 'realm_access.roles', rolePrefix: 'civil-', divisionsClaim: 'divisions', residentIdClaim: 'resident_id', permissionsClaim: 'permissions' };
const FLAT: ClaimMapping = { rolesClaim: 'roles', rolePrefix: '', divisionsClaim: 'civil.divisions', residentIdClaim: 'idcard', permissionsClaim: 'scope' };

describe('claimAt', () => {
  it('follows a dot path, and takes a key with dots whole when the token has one', () => {
    expect(claimAt({ a: { b: { c: 1 } } }, 'a.b.c')).toBe(1);
    expect(claimAt({ 'civil.divisions': ['x'] }, 'civil.divisions')).toEqual(['x']);
    expect(claimAt({ a: [1] }, 'a.0')).toBeUndefined();
    expect(claimAt({}, 'missing.path')).toBeUndefined();
  });
});

describe('actorFromClaims', () => {
  it('maps a Keycloak realm token, ignoring roles the platform does not know and stripping the prefix', () => {
    expect(
      actorFromClaims({ sub: 'u-1', realm_access: { roles: ['civil-township-reviewer', 'offline_access', 'uma_authorization', 'civil-superuser', 'clerk'] }, divisions: ['430503101000'] }, KEYCLOAK),
    ).toEqual({ userId: 'u-1', kind: 'staff', roles: ['township-reviewer', 'clerk'], divisions: ['430503101000'] });
  });

  it('reads permissions from their claim (a space-separated scope works) and from role names', () => {
    expect(actorFromClaims({ sub: 'u', roles: ['auditor'], 'civil.divisions': [], scope: 'openid personal-data:reveal' }, FLAT)?.permissions).toEqual(['personal-data:reveal']);
    expect(actorFromClaims({ sub: 'u', realm_access: { roles: ['civil-auditor', 'civil-personal-data:reveal'] } }, KEYCLOAK)?.permissions).toEqual(['personal-data:reveal']);
  });

  it('makes a citizen of a token whose only role is citizen, with its resident ID, and never gives a citizen permissions', () => {
    expect(actorFromClaims({ sub: 'c-1', roles: ['citizen'], idcard: '430503199001011236', scope: 'personal-data:reveal' }, FLAT)).toEqual({
      userId: 'c-1',
      kind: 'citizen',
      roles: ['citizen'],
      divisions: [],
      residentId: '430503199001011236',
    });
  });

  it.each([
    ['no subject', { roles: ['clerk'] }],
    ['no platform role', { sub: 'u', roles: ['offline_access'] }],
    ['a citizen without a resident ID', { sub: 'u', roles: ['citizen'] }],
    ['a malformed division', { sub: 'u', roles: ['clerk'], 'civil.divisions': ['43'] }],
  ])('refuses %s', (_name, claims) => {
    expect(actorFromClaims(claims, FLAT)).toBeNull();
  });
});
