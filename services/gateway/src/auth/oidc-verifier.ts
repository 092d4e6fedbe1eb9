import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { DomainError, type Actor } from '@civil/contracts';
import { actorFromClaims, type ClaimMapping } from './claim-mapping';

export interface OidcSettings {
  issuer: string;
  audience: string;
  /** The key set's URL; discovered from the issuer's metadata when absent. */
  jwksUrl?: string;
  clockSkewSeconds: number;
  jwksCacheSeconds: number;
  /** The least time between two key set fetches, however many unknown key ids arrive (default 5 s). */
  jwksCooldownSeconds?: number;
  claims: ClaimMapping;
}

/** Asymmetric algorithms only: a shared-secret (HS*) or `none` token from an OIDC issuer is refused. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/**
 * Verifies an OpenID Connect issuer's access tokens against its JWKS. jose caches the key set for
 * `jwksCacheSeconds` and fetches it again at once when a token names a key id it has not seen
 * (the issuer rotated its keys), at most once per cooldown so tokens naming made-up key ids cannot
 * make it hammer the issuer.
 */
export class OidcVerifier {
  private keys?: Promise<JWTVerifyGetKey>;

  constructor(private readonly settings: OidcSettings) {}

  get issuer(): string {
    return this.settings.issuer;
  }

  async verify(token: string): Promise<Actor> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, await this.keySet(), {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        clockTolerance: this.settings.clockSkewSeconds,
        algorithms: ALGORITHMS,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      if (error instanceof DomainError) throw error;
      // The token may be fine; the issuer's keys could not be had. Not the caller's fault.
      if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid || !(error instanceof joseErrors.JOSEError) || error.code === 'ERR_JOSE_GENERIC') {
        throw new DomainError('SERVICE_UNAVAILABLE', 'the identity provider\'s keys cannot be fetched');
      }
      throw new DomainError('UNAUTHENTICATED', reasonFor(error));
    }
    const actor = actorFromClaims(payload, this.settings.claims);
    if (!actor) throw new DomainError('UNAUTHENTICATED', 'the token does not describe a valid actor (subject, roles, divisions, a citizen\'s resident ID)');
    return actor;
  }

  private keySet(): Promise<JWTVerifyGetKey> {
    this.keys ??= this.loadKeySet().catch((error: unknown) => {
      // Try discovery again on the next request rather than remembering a failure for ever.
      this.keys = undefined;
      throw error;
    });
    return this.keys;
  }

  private async loadKeySet(): Promise<JWTVerifyGetKey> {
    const url = this.settings.jwksUrl ?? (await this.discoverJwksUrl());
    return createRemoteJWKSet(new URL(url), { cacheMaxAge: this.settings.jwksCacheSeconds * 1000, cooldownDuration: (this.settings.jwksCooldownSeconds ?? 5) * 1000, timeoutDuration: 5_000 });
  }

  private async discoverJwksUrl(): Promise<string> {
    const metadataUrl = `${this.settings.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let response: Response;
    try {
      response = await fetch(metadataUrl, { signal: AbortSignal.timeout(5_000) });
    } catch {
      throw new DomainError('SERVICE_UNAVAILABLE', 'the identity provider cannot be reached');
    }
    const metadata = (response.ok ? await response.json().catch(() => null) : null) as { issuer?: unknown; jwks_uri?: unknown } | null;
    if (!metadata || typeof metadata.jwks_uri !== 'string' || metadata.issuer !== this.settings.issuer) {
      throw new DomainError('SERVICE_UNAVAILABLE', 'the identity provider\'s metadata has no usable jwks_uri for this issuer');
    }
    return metadata.jwks_uri;
  }
}

function reasonFor(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `the token's ${error.claim} claim is not accepted`;
  if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWSSignatureVerificationFailed) return 'the token\'s signature is not valid';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'the token\'s signing algorithm is not accepted';
  return 'the token is not valid';
}
