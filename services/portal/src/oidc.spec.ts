import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, generateKeyPair } from 'jose';
import { OidcSignIn, type KeyValueStore } from './oidc';

/** A loopback OpenID provider: discovery, and a token endpoint that checks the PKCE verifier. */
describe('OIDC sign-in (Authorization Code + PKCE)', () => {
  let server: Server;
  let issuer: string;
  let privateKey: CryptoKey;
  const codes = new Map<string, { challenge: string; nonce: string; redirectUri: string }>();
  const store = new Map<string, string>();
  const storage: KeyValueStore = { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v), removeItem: (k) => void store.delete(k) };
  const redirectUri = 'https://portal.example.org/';

  beforeAll(async () => {
    ({ privateKey } = await generateKeyPair('RS256'));
    server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', issuer);
      if (url.pathname.endsWith('/.well-known/openid-configuration')) {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`, code_challenge_methods_supported: ['S256'] }));
        return;
      }
      if (url.pathname.endsWith('/token')) {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString()));
        request.on('end', () => {
          void (async () => {
            const form = new URLSearchParams(body);
            const issued = codes.get(form.get('code') ?? '');
            const digest = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(form.get('code_verifier') ?? ''))).toString('base64url');
            response.setHeader('content-type', 'application/json');
            if (!issued || digest !== issued.challenge || form.get('redirect_uri') !== issued.redirectUri || form.get('client_id') !== 'portal') {
              response.statusCode = 400;
              response.end(JSON.stringify({ error: 'invalid_grant' }));
              return;
            }
            const idToken = await new SignJWT({ nonce: issued.nonce, name: '刘一' })
              .setProtectedHeader({ alg: 'RS256' })
              .setIssuer(issuer)
              .setAudience('portal')
              .setSubject('user-1')
              .setIssuedAt()
              .setExpirationTime('5m')
              .sign(privateKey);
            response.end(JSON.stringify({ access_token: 'access-token-for-the-gateway', token_type: 'Bearer', expires_in: 300, id_token: idToken }));
          })();
        });
        return;
      }
      response.statusCode = 404;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/civil`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** What the provider does between the two halves: sign the user in and redirect back with a code. */
  const providerRedirect = (authorizationUrl: string, code: string): URL => {
    const url = new URL(authorizationUrl);
    codes.set(code, { challenge: url.searchParams.get('code_challenge') ?? '', nonce: url.searchParams.get('nonce') ?? '', redirectUri: url.searchParams.get('redirect_uri') ?? '' });
    return new URL(`${redirectUri}?code=${code}&state=${url.searchParams.get('state') ?? ''}`);
  };

  it('sends the browser to the provider with a PKCE challenge, state and nonce, then exchanges the code', async () => {
    const signIn = new OidcSignIn({ issuer, clientId: 'portal', scope: 'openid profile' }, redirectUri, storage, true);
    const authorizationUrl = await signIn.authorizationUrl('citizen', '#/dibao');
    const url = new URL(authorizationUrl);
    expect(url.origin + url.pathname).toBe(`${issuer}/auth`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ client_id: 'portal', response_type: 'code', scope: 'openid profile', code_challenge_method: 'S256', redirect_uri: redirectUri });
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);

    const callback = providerRedirect(authorizationUrl, 'code-1');
    expect(OidcSignIn.isCallback(callback)).toBe(true);
    await expect(signIn.complete(callback)).resolves.toEqual({ accessToken: 'access-token-for-the-gateway', displayName: '刘一', kind: 'citizen', next: '#/dibao' });
  });

  it('refuses a redirect with another state, and one with no sign-in in progress', async () => {
    const signIn = new OidcSignIn({ issuer, clientId: 'portal', scope: 'openid' }, redirectUri, storage, true);
    const authorizationUrl = await signIn.authorizationUrl('staff', '#/staff');
    const forged = providerRedirect(authorizationUrl, 'code-2');
    forged.searchParams.set('state', 'someone-elses');
    await expect(signIn.complete(forged)).rejects.toThrow();
    await expect(signIn.complete(providerRedirect(authorizationUrl, 'code-3'))).rejects.toThrow(/no sign-in in progress/);
  });

  it('refuses a plain-HTTP provider unless allowed', async () => {
    const signIn = new OidcSignIn({ issuer, clientId: 'portal', scope: 'openid' }, redirectUri, storage);
    await expect(signIn.authorizationUrl('citizen', '#/')).rejects.toThrow();
  });
});
