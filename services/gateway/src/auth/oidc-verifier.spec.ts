import { SignJWT } from 'jose';
import { DomainError } from '@civil/contracts';
import { LoopbackIdentityProvider, signingKey, type SigningKey, type TokenOptions } from '../../test/loopback-identity-provider';
import { OidcVerifier, type OidcSettings } from './oidc-verifier';

const AUDIENCE = 'civil-gateway';
const CLAIMS = { rolesClaim: 'realm_access.roles', rolePrefix: 'civil-', divisionsClaim: 'divisions', residentIdClaim: 'resident_id', permissionsClaim: 'permissions' };

describe('OidcVerifier against a loopback identity provider', () => {
  const idp = new LoopbackIdentityProvider();
  let issuer: string;
  let keyA: SigningKey;
  let keyB: SigningKey;

  beforeAll(async () => {
    keyA = await signingKey('key-a');
    keyB = await signingKey('key-b');
    issuer = (await idp.start()).issuer;
  });

  afterAll(() => idp.stop());

  beforeEach(() => {
    idp.published = [keyA];
    idp.jwksFetches = 0;
  });

  const settings = (overrides: Partial<OidcSettings> = {}): OidcSettings => ({ issuer, audience: AUDIENCE, clockSkewSeconds: 30, jwksCacheSeconds: 600, claims: CLAIMS, ...overrides });

  const token = (key: SigningKey, claims: Record<string, unknown> = {}, options: TokenOptions = {}): Promise<string> =>
    idp.token(key, { realm_access: { roles: ['civil-clerk', 'offline_access'] }, divisions: ['430503000000'], ...claims }, options);

  async function refusal(verifier: OidcVerifier, jwt: string): Promise<DomainError> {
    const error = await verifier.verify(jwt).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }

  it('accepts a good token, discovering the key set from the issuer, and maps its claims', async () => {
    const verifier = new OidcVerifier(settings());
    await expect(verifier.verify(await token(keyA))).resolves.toEqual({ userId: 'u-clerk', kind: 'staff', roles: ['clerk'], divisions: ['430503000000'] });
    expect(idp.jwksFetches).toBe(1);
  });

  it('caches the keys between tokens', async () => {
    const verifier = new OidcVerifier(settings());
    for (let i = 0; i < 5; i++) await verifier.verify(await token(keyA));
    expect(idp.jwksFetches).toBe(1);
  });

  it.each<[string, () => Promise<string>, RegExp]>([
    ['an expired token', () => token(keyA, {}, { expiresIn: Math.floor(Date.now() / 1000) - 120 }), /expired/],
    ['a token signed by another key under the same key id', () => token(keyB, {}, { kid: 'key-a' }), /signature/],
    ['a token for another audience', () => token(keyA, {}, { audience: 'another-app' }), /aud/],
    ['a token of another issuer', () => token(keyA, {}, { issuer: 'http://127.0.0.1:1/realms/other' }), /iss/],
    ['a token naming no platform role', () => token(keyA, { realm_access: { roles: ['offline_access'] } }), /valid actor/],
    ['a citizen token without a resident ID', () => token(keyA, { realm_access: { roles: ['civil-citizen'] } }), /valid actor/],
    ['a token with a division that is not a division code', () => token(keyA, { divisions: ['4305'] }), /valid actor/],
  ])('refuses %s as UNAUTHENTICATED', async (_name, make, reason) => {
    const error = await refusal(new OidcVerifier(settings()), await make());
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toMatch(reason);
  });

  it('refuses a shared-secret (HS256) token even with the right claims', async () => {
    const hs = await new SignJWT({ realm_access: { roles: ['civil-clerk'] }, divisions: [] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u')
      .setIssuer(issuer)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('x'.repeat(32)));
    expect((await refusal(new OidcVerifier(settings()), hs)).code).toBe('UNAUTHENTICATED');
  });

  it('allows the configured clock skew and no more', async () => {
    const expiredTenSecondsAgo = await token(keyA, {}, { expiresIn: Math.floor(Date.now() / 1000) - 10 });
    await expect(new OidcVerifier(settings({ clockSkewSeconds: 30 })).verify(expiredTenSecondsAgo)).resolves.toMatchObject({ userId: 'u-clerk' });
    expect((await refusal(new OidcVerifier(settings({ clockSkewSeconds: 0 })), expiredTenSecondsAgo)).code).toBe('UNAUTHENTICATED');
  });

  it('follows a key rotation: a token with a new key id makes it fetch the key set again', async () => {
    const verifier = new OidcVerifier(settings({ jwksCooldownSeconds: 0 }));
    await verifier.verify(await token(keyA));
    idp.published = [keyA, keyB];
    await expect(verifier.verify(await token(keyB))).resolves.toMatchObject({ userId: 'u-clerk' });
    expect(idp.jwksFetches).toBe(2);
  });

  it('does not let tokens with made-up key ids make it fetch the key set again and again', async () => {
    const verifier = new OidcVerifier(settings({ jwksCooldownSeconds: 60 }));
    await verifier.verify(await token(keyA));
    for (let i = 0; i < 10; i++) expect((await refusal(verifier, await token(keyA, {}, { kid: `made-up-${i}` }))).code).toBe('UNAUTHENTICATED');
    expect(idp.jwksFetches).toBeLessThanOrEqual(2);
  });

  it('uses OIDC_JWKS_URL directly when it is set', async () => {
    const verifier = new OidcVerifier(settings({ jwksUrl: `${issuer}/protocol/openid-connect/certs`, issuer }));
    await expect(verifier.verify(await token(keyA))).resolves.toMatchObject({ roles: ['clerk'] });
  });

  it('answers SERVICE_UNAVAILABLE, not 401, when the identity provider cannot be reached', async () => {
    const verifier = new OidcVerifier(settings({ issuer: 'http://127.0.0.1:9/realms/civil' }));
    const error = await refusal(verifier, await token(keyA, {}, { issuer: 'http://127.0.0.1:9/realms/civil' }));
    expect(error.code).toBe('SERVICE_UNAVAILABLE');
  });
});
