import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { z } from 'zod';
import { DomainError, PERMISSIONS, ROLES, addExamples, divisionCodeSchema, isActor, residentIdSchema, type Actor } from '@civil/contracts';

export const DEV_ISSUER = 'civil-dev-issuer';
export const GATEWAY_AUDIENCE = 'civil-gateway';
const LIFETIME_SECONDS = 8 * 3600;

export const devTokenRequestSchema = z
  .object({
    userId: z.string().trim().min(1).max(100),
    kind: z.enum(['staff', 'citizen']),
    roles: z.array(z.enum(ROLES)).min(1).max(10),
    divisions: z.array(divisionCodeSchema).max(50).default([]),
    residentId: residentIdSchema.optional(),
    /** e.g. personal-data:reveal, to see resident IDs and phone numbers unmasked (staff only). */
    permissions: z.array(z.enum(PERMISSIONS)).max(10).optional(),
  })
  .strict()
  .superRefine((req, ctx) => {
    if (req.kind === 'citizen' && !req.residentId) {
      ctx.addIssue({ code: 'custom', path: ['residentId'], message: 'a citizen token carries the citizen\'s resident ID', params: { rule: 'required' } });
    }
    if (req.kind === 'citizen' && req.permissions?.length) {
      ctx.addIssue({ code: 'custom', path: ['permissions'], message: 'citizens hold no permissions', params: { rule: 'staff-only' } });
    }
  });

addExamples(devTokenRequestSchema, [
  { summary: 'A clerk of 中心路街道', value: { userId: 'clerk-zhongxinlu-01', kind: 'staff', roles: ['clerk'], divisions: ['430503001000'] } },
  { summary: 'A citizen', value: { userId: 'citizen-wang-jianguo', kind: 'citizen', roles: ['citizen'], residentId: '43050319680412031X' } },
  { summary: 'An auditor who may see personal data unmasked', value: { userId: 'auditor-01', kind: 'staff', roles: ['auditor'], permissions: ['personal-data:reveal'] } },
]);

/**
 * The development issuer: HS256 tokens signed with DEV_TOKEN_SECRET, so the platform can be used
 * locally without an identity provider. Real deployments verify an OIDC issuer's tokens instead.
 */
export class DevTokenIssuer {
  private readonly key: Uint8Array;
  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  async issue(input: z.output<typeof devTokenRequestSchema>): Promise<{ accessToken: string; tokenType: 'Bearer'; expiresIn: number }> {
    const claims: Record<string, unknown> = { kind: input.kind, roles: input.roles, divisions: input.divisions };
    if (input.residentId) claims.resident_id = input.residentId;
    if (input.permissions?.length) claims.permissions = input.permissions;
    const accessToken = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(input.userId)
      .setIssuer(DEV_ISSUER)
      .setAudience(GATEWAY_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${LIFETIME_SECONDS}s`)
      .sign(this.key);
    return { accessToken, tokenType: 'Bearer', expiresIn: LIFETIME_SECONDS };
  }

  /** Verifies a token and turns its claims into an actor; any defect is UNAUTHENTICATED. */
  async verify(token: string): Promise<Actor> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: DEV_ISSUER, audience: GATEWAY_AUDIENCE, algorithms: ['HS256'], clockTolerance: 30 });
      const actor: Actor = {
        userId: String(payload.sub ?? ''),
        kind: payload.kind as Actor['kind'],
        roles: payload.roles as Actor['roles'],
        divisions: payload.divisions as string[],
        ...(typeof payload.resident_id === 'string' ? { residentId: payload.resident_id } : {}),
        ...(Array.isArray(payload.permissions) ? { permissions: payload.permissions as Actor['permissions'] } : {}),
      };
      if (!isActor(actor)) throw new DomainError('UNAUTHENTICATED', 'the token does not describe a valid actor');
      return actor;
    } catch (error) {
      if (error instanceof DomainError) throw error;
      const reason = error instanceof joseErrors.JWTExpired ? 'the token has expired' : 'the token is not valid';
      throw new DomainError('UNAUTHENTICATED', reason);
    }
  }
}
