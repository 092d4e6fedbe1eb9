import { Inject, Injectable } from '@nestjs/common';
import { DomainError, type Actor } from '@civil/contracts';
import { PLATFORM_CONFIG } from '@civil/platform';
import type { GatewayConfig } from '../config';
import { DevTokenIssuer } from './dev-tokens';

/**
 * Turns a request's bearer token into an actor. Only the development issuer exists for now
 * (enabled explicitly); OIDC verification against an issuer's JWKS comes with the security work.
 */
@Injectable()
export class Authenticator {
  readonly devIssuer: DevTokenIssuer | null;

  constructor(@Inject(PLATFORM_CONFIG) config: GatewayConfig) {
    this.devIssuer = config.DEV_TOKENS_ENABLED && config.DEV_TOKEN_SECRET ? new DevTokenIssuer(config.DEV_TOKEN_SECRET) : null;
  }

  /** Null when no token was sent; throws UNAUTHENTICATED for a bad one. */
  async actorFor(authorization: string | undefined): Promise<Actor | null> {
    if (!authorization) return null;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1]) throw new DomainError('UNAUTHENTICATED', 'the Authorization header must be "Bearer <token>"');
    if (!this.devIssuer) throw new DomainError('UNAUTHENTICATED', 'no token issuer is configured');
    return this.devIssuer.verify(match[1]);
  }
}
