import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeOidcProvider {
  issuer: string;
  /** How many codes were exchanged with a matching PKCE verifier. */
  exchanges(): number;
  close(): Promise<void>;
}

/**
 * A loopback OpenID provider for the portal's sign-in in the browser: discovery, an authorization
 * endpoint that signs `user` in at once and redirects back with a code, and a token endpoint that
 * checks the PKCE verifier and returns an RS256 ID token (and an opaque access token).
 */
export async function startFakeOidcProvider(user: { sub: string; name: string }): Promise<FakeOidcProvider> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const codes = new Map<string, { challenge: string; nonce: string; clientId: string; redirectUri: string }>();
  let exchanged = 0;
  let issuer = '';
  const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type, dpop', 'access-control-allow-methods': 'GET, POST' };
  const idToken = (clientId: string, nonce: string): string => {
    const now = Math.floor(Date.now() / 1000);
    const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const signingInput = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode({ iss: issuer, aud: clientId, sub: user.sub, name: user.name, nonce, iat: now, exp: now + 300 })}`;
    return `${signingInput}.${sign('sha256', Buffer.from(signingInput), privateKey).toString('base64url')}`;
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', issuer);
    if (request.method === 'OPTIONS') {
      response.writeHead(204, cors).end();
      return;
    }
    if (url.pathname.endsWith('/.well-known/openid-configuration')) {
      response.writeHead(200, { ...cors, 'content-type': 'application/json' });
      response.end(JSON.stringify({ issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`, response_types_supported: ['code'], code_challenge_methods_supported: ['S256'] }));
      return;
    }
    if (url.pathname.endsWith('/auth')) {
      const code = randomUUID();
      const redirectUri = url.searchParams.get('redirect_uri') ?? '';
      codes.set(code, { challenge: url.searchParams.get('code_challenge') ?? '', nonce: url.searchParams.get('nonce') ?? '', clientId: url.searchParams.get('client_id') ?? '', redirectUri });
      response.writeHead(302, { location: `${redirectUri}?code=${code}&state=${encodeURIComponent(url.searchParams.get('state') ?? '')}` }).end();
      return;
    }
    if (url.pathname.endsWith('/token') && request.method === 'POST') {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const form = new URLSearchParams(body);
        const issued = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verified = issued && createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url') === issued.challenge && form.get('redirect_uri') === issued.redirectUri;
        if (!issued || !verified) {
          response.writeHead(400, { ...cors, 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant' }));
          return;
        }
        exchanged += 1;
        response.writeHead(200, { ...cors, 'content-type': 'application/json', 'cache-control': 'no-store' });
        response.end(JSON.stringify({ access_token: `opaque-${randomUUID()}`, token_type: 'Bearer', expires_in: 300, id_token: idToken(issued.clientId, issued.nonce) }));
      });
      return;
    }
    response.writeHead(404, cors).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/civil`;
  return {
    issuer,
    exchanges: () => exchanged,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
