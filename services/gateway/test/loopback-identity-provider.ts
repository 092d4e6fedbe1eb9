import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

/**
 * A real OpenID Connect issuer on loopback for tests: its discovery document and key set over
 * HTTP, keys generated here, Keycloak's layout (`/realms/civil/...`, roles in realm_access).
 * The identity provider is the one truly external part of sign-in, so tests stand one up.
 */
export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

export async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

export interface TokenOptions {
  subject?: string;
  audience?: string;
  issuer?: string;
  /** A duration ('5m') or an absolute `exp` in epoch seconds. */
  expiresIn?: string | number;
  kid?: string;
}

export class LoopbackIdentityProvider {
  /** The keys the key set publishes now (tests rotate them). */
  published: SigningKey[] = [];
  jwksFetches = 0;
  issuer = '';
  private server?: Server;

  async start(): Promise<this> {
    const server = createServer((request, response) => {
      if (request.url === '/realms/civil/.well-known/openid-configuration') {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ issuer: this.issuer, jwks_uri: `${this.issuer}/protocol/openid-connect/certs` }));
      } else if (request.url === '/realms/civil/protocol/openid-connect/certs') {
        this.jwksFetches++;
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ keys: this.published.map((k) => k.jwk) }));
      } else {
        response.statusCode = 404;
        response.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/civil`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  /** A token as Keycloak would issue it: roles under realm_access.roles, with the "civil-" prefix. */
  token(key: SigningKey, claims: Record<string, unknown>, options: TokenOptions = {}): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? key.kid })
      .setSubject(options.subject ?? 'u-clerk')
      .setIssuer(options.issuer ?? this.issuer)
      .setAudience(options.audience ?? 'civil-gateway')
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(key.privateKey);
  }
}
