import { SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { fieldErrorsOf } from '@civil/contracts';
import { DEV_ISSUER, DevTokenIssuer, GATEWAY_AUDIENCE, devTokenRequestSchema } from './dev-tokens';
import { domainErrorOf } from '@civil/testing';

const unauthenticated = (promise: Promise<unknown>) => domainErrorOf(promise, 'UNAUTHENTICATED');

const SECRET = 'a-development-secret-of-at-least-32-chars';
const OTHER_SECRET = 'another-development-secret-32-chars-long';
const key = (secret: string) => new TextEncoder().encode(secret);
const nowSeconds = () => Math.floor(Date.now() / 1000);

const STAFF = { userId: 'clerk-1', kind: 'staff' as const, roles: ['clerk' as const], divisions: ['430503101000'] };
const CITIZEN = { userId: 'citizen-9', kind: 'citizen' as const, roles: ['citizen' as const], divisions: [], residentId: '34052419800101001X' };


/** A token shaped like the issuer's, with any claim or header overridable. */
function craft(overrides: { secret?: string; alg?: string; iss?: string; aud?: string; exp?: number; sub?: string | null; claims?: Record<string, unknown> } = {}) {
  const claims = overrides.claims ?? { kind: 'staff', roles: ['clerk'], divisions: ['430503101000'] };
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: overrides.alg ?? 'HS256' })
    .setIssuer(overrides.iss ?? DEV_ISSUER)
    .setAudience(overrides.aud ?? GATEWAY_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(overrides.exp ?? nowSeconds() + 600);
  if (overrides.sub !== null) jwt = jwt.setSubject(overrides.sub ?? 'clerk-1');
  return jwt.sign(key(overrides.secret ?? SECRET));
}

describe('DevTokenIssuer', () => {
  const issuer = new DevTokenIssuer(SECRET);

  it.each([
    ['a staff member', STAFF],
    ['a citizen', CITIZEN],
    ['a staff member with several roles and no divisions', { ...STAFF, roles: ['clerk' as const, 'auditor' as const], divisions: [] }],
  ])('round-trips %s through issue and verify', async (_label, input) => {
    const token = await issuer.issue(input);
    expect(token.tokenType).toBe('Bearer');
    expect(token.expiresIn).toBe(8 * 3600);
    expect(await issuer.verify(token.accessToken)).toEqual(input);
  });

  it('issues an HS256 JWT for the gateway audience that expires in eight hours', async () => {
    const { accessToken } = await issuer.issue(CITIZEN);
    expect(decodeProtectedHeader(accessToken).alg).toBe('HS256');
    const claims = decodeJwt(accessToken);
    expect(claims).toMatchObject({ sub: 'citizen-9', iss: DEV_ISSUER, aud: GATEWAY_AUDIENCE, kind: 'citizen', resident_id: '34052419800101001X' });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(8 * 3600);
    expect(Math.abs((claims.iat ?? 0) - nowSeconds())).toBeLessThanOrEqual(2);
  });

  it('leaves resident_id out of a token without one', async () => {
    const { accessToken } = await issuer.issue(STAFF);
    expect(decodeJwt(accessToken)).not.toHaveProperty('resident_id');
  });

  it('accepts a token crafted with the same secret and claims', async () => {
    expect(await issuer.verify(await craft())).toEqual(STAFF);
  });

  it('refuses a token signed with another secret', async () => {
    const token = (await new DevTokenIssuer(OTHER_SECRET).issue(STAFF)).accessToken;
    expect((await unauthenticated(issuer.verify(token))).message).toBe('the token is not valid');
  });

  it('refuses an expired token, saying so', async () => {
    const token = await craft({ exp: nowSeconds() - 3600 });
    expect((await unauthenticated(issuer.verify(token))).message).toBe('the token has expired');
  });

  it('tolerates 30 seconds of clock skew on expiry', async () => {
    expect(await issuer.verify(await craft({ exp: nowSeconds() - 5 }))).toEqual(STAFF);
  });

  it.each<[string, Parameters<typeof craft>[0]]>([
    ['a wrong audience', { aud: 'some-other-api' }],
    ['a wrong issuer', { iss: 'https://idp.example.org' }],
    ['HS512 instead of HS256', { alg: 'HS512' }],
  ])('refuses a token with %s', async (_label, overrides) => {
    expect((await unauthenticated(issuer.verify(await craft(overrides)))).message).toBe('the token is not valid');
  });

  it.each([[''], ['garbage'], ['a.b.c'], ['eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.']])('refuses the malformed token %p', async (token) => {
    await unauthenticated(issuer.verify(token));
  });

  it('refuses an unsigned (alg none) token carrying valid claims', async () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const payload = { sub: 'admin', kind: 'staff', roles: ['admin'], divisions: [], iss: DEV_ISSUER, aud: GATEWAY_AUDIENCE, exp: nowSeconds() + 600 };
    await unauthenticated(issuer.verify(`${b64({ alg: 'none' })}.${b64(payload)}.`));
  });

  it('refuses a token whose signature was tampered with', async () => {
    const token = await craft();
    const [header, payload] = token.split('.');
    const elevated = Buffer.from(JSON.stringify({ ...decodeJwt(token), roles: ['admin'] })).toString('base64url');
    expect(elevated).not.toBe(payload);
    await unauthenticated(issuer.verify(`${header}.${elevated}.${token.split('.')[2]}`));
  });

  it.each<[string, Parameters<typeof craft>[0]]>([
    ['no subject', { sub: null }],
    ['an unknown role', { claims: { kind: 'staff', roles: ['superuser'], divisions: [] } }],
    ['an unknown kind', { claims: { kind: 'robot', roles: ['clerk'], divisions: [] } }],
    ['a bad division code', { claims: { kind: 'staff', roles: ['clerk'], divisions: ['4305'] } }],
    ['no roles claim', { claims: { kind: 'staff', divisions: [] } }],
  ])('refuses a correctly signed token describing no valid actor: %s', async (_label, overrides) => {
    expect((await unauthenticated(issuer.verify(await craft(overrides)))).message).toBe('the token does not describe a valid actor');
  });
});

describe('devTokenRequestSchema', () => {
  function errorsOf(input: unknown) {
    const result = devTokenRequestSchema.safeParse(input);
    if (result.success) throw new Error('expected the request to be refused');
    return fieldErrorsOf(result.error);
  }

  it('accepts a staff request, defaulting divisions and normalising codes', () => {
    expect(devTokenRequestSchema.parse({ userId: ' clerk-1 ', kind: 'staff', roles: ['clerk'] })).toEqual({ userId: 'clerk-1', kind: 'staff', roles: ['clerk'], divisions: [] });
    expect(devTokenRequestSchema.parse({ userId: 'c', kind: 'staff', roles: ['clerk'], divisions: ['430503', '430503101'] }).divisions).toEqual([
      '430503000000',
      '430503101000',
    ]);
  });

  it('accepts a citizen with a valid resident ID', () => {
    expect(devTokenRequestSchema.parse({ userId: 'c', kind: 'citizen', roles: ['citizen'], residentId: '34052419800101001x' }).residentId).toBe(
      '34052419800101001X',
    );
  });

  it('requires a resident ID for a citizen', () => {
    expect(errorsOf({ userId: 'c', kind: 'citizen', roles: ['citizen'] })).toEqual([
      { field: 'residentId', rule: 'required', message: "a citizen token carries the citizen's resident ID" },
    ]);
  });

  it('refuses a resident ID with a bad checksum with rule checksum', () => {
    expect(errorsOf({ userId: 'c', kind: 'citizen', roles: ['citizen'], residentId: '340524198001010011' })).toEqual([
      { field: 'residentId', rule: 'checksum', message: expect.stringContaining('checksum') },
    ]);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['a system kind', { kind: 'system' }, 'kind', 'invalid_value'],
    ['no roles', { roles: [] }, 'roles', 'too_small'],
    ['an unknown role', { roles: ['root'] }, 'roles[0]', 'invalid_value'],
    ['an empty userId', { userId: '  ' }, 'userId', 'too_small'],
    ['a bad division', { divisions: ['430503', '43'] }, 'divisions[1]', 'format'],
  ])('refuses %s', (_label, override, field, rule) => {
    expect(errorsOf({ userId: 'u', kind: 'staff', roles: ['clerk'], ...override })).toEqual([{ field, rule, message: expect.any(String) }]);
  });

  it('refuses unknown fields', () => {
    expect(errorsOf({ userId: 'u', kind: 'staff', roles: ['admin'], exp: 99999999999 })[0]?.rule).toBe('unrecognized_keys');
  });
});
