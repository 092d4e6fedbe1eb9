import { Inject, Injectable } from '@nestjs/common';
import { decodeJwt } from 'jose';
import { DomainError, type Actor } from '@civil/contracts';
import { PLATFORM_CONFIG } from '@civil/platform';
import type { GatewayConfig } from '../config';
import { DEV_ISSUER, DevTokenIssuer } from './dev-tokens';
import { OidcVerifier } from './oidc-verifier';

/**
 * Turns a request's bearer token into an actor. Tokens of the configured OpenID Connect issuer
 * are verified against its key set; the development issuer's only when it is enabled (never in
 * production). The token's unverified `iss` only chooses which verifier to try; that verifier
 * then checks the issuer, audience, lifetime and signature.
 */
@Injectable()
export class Authenticator {
  readonly devIssuer: DevTokenIssuer | null;
  readonly oidc: OidcVerifier | null;

  constructor(@Inject(PLATFORM_CONFIG) config: GatewayConfig) {
    this.devIssuer = config.DEV_TOKENS_ENABLED && config.DEV_TOKEN_SECRET ? new DevTokenIssuer(config.DEV_TOKEN_SECRET) : null;
    this.oidc =
      config.OIDC_ISSUER && config.OIDC_AUDIENCE
        ? new OidcVerifier({
            issuer: config.OIDC_ISSUER,
            audience: config.OIDC_AUDIENCE,
            ...(config.OIDC_JWKS_URL ? { jwksUrl: config.OIDC_JWKS_URL } : {}),
            clockSkewSeconds: config.OIDC_CLOCK_SKEW_SECONDS,
            jwksCacheSeconds: config.OIDC_JWKS_CACHE_SECONDS,
            claims: {
              rolesClaim: config.OIDC_ROLES_CLAIM,
              rolePrefix: config.OIDC_ROLE_PREFIX,
              divisionsClaim: config.OIDC_DIVISIONS_CLAIM,
              residentIdClaim: config.OIDC_RESIDENT_ID_CLAIM,
              permissionsClaim: config.OIDC_PERMISSIONS_CLAIM,
            },
          })
        : null;
  }

  /** Null when no token was sent; throws UNAUTHENTICATED for a bad one. */
  async actorFor(authorization: string | undefined): Promise<Actor | null> {
    if (!authorization) return null;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1]) throw new DomainError('UNAUTHENTICATED', 'the Authorization header must be "Bearer <token>"');
    const token = match[1];
    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw new DomainError('UNAUTHENTICATED', 'the token is not a JWT');
    }
    if (this.oidc && issuer === this.oidc.issuer) return this.oidc.verify(token);
    if (this.devIssuer && issuer === DEV_ISSUER) return this.devIssuer.verify(token);
    throw new DomainError('UNAUTHENTICATED', 'the token\'s issuer is not accepted');
  }
}
