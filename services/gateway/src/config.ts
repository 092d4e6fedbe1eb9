import { z } from 'zod';
import { baseConfigSchema, eventConfigSchema } from '@civil/platform';

export const SERVICE_NAME = 'gateway';

const perMinute = z.coerce.number().int().min(1).max(1_000_000);
const seconds = z.coerce.number().int().min(0).max(86_400);

export const gatewayConfigSchema = baseConfigSchema
  .extend({
    /** Development tokens: for local use only, refused when NODE_ENV is production. */
    DEV_TOKENS_ENABLED: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
    DEV_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(262_144),

    /** The OpenID Connect issuer whose tokens are accepted (its `iss`), e.g. a Keycloak realm URL. */
    OIDC_ISSUER: z.url().optional(),
    /** The audience the tokens must carry (`aud`). */
    OIDC_AUDIENCE: z.string().min(1).optional(),
    /** The issuer's key set; when unset, read from the issuer's /.well-known/openid-configuration. */
    OIDC_JWKS_URL: z.url().optional(),
    OIDC_CLOCK_SKEW_SECONDS: seconds.default(30),
    /** How long fetched keys are trusted before they are fetched again (a new `kid` refetches at once). */
    OIDC_JWKS_CACHE_SECONDS: seconds.default(600),
    /** Where the roles are in the token: a dot path (Keycloak: realm_access.roles). */
    OIDC_ROLES_CLAIM: z.string().min(1).default('realm_access.roles'),
    /** A prefix the identity provider's role names carry, stripped before matching (e.g. "civil-"). */
    OIDC_ROLE_PREFIX: z.string().default(''),
    OIDC_DIVISIONS_CLAIM: z.string().min(1).default('divisions'),
    OIDC_RESIDENT_ID_CLAIM: z.string().min(1).default('resident_id'),
    /** Where permissions such as personal-data:reveal are; the roles claim is read for them too. */
    OIDC_PERMISSIONS_CLAIM: z.string().min(1).default('permissions'),

    /** Browser origins allowed to call the API (the portal), comma-separated; none by default. */
    CORS_ORIGINS: z
      .string()
      .default('')
      .transform((v) => v.split(',').map((o) => o.trim()).filter((o) => o !== ''))
      .pipe(z.array(z.url().refine((o) => !o.endsWith('/'), 'origins have no trailing slash'))),
    /** Requests a minute: per client address without a token, per user with one (citizens have their own limit). */
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: perMinute.default(300),
    RATE_LIMIT_CITIZEN_PER_MINUTE: perMinute.default(120),
    RATE_LIMIT_STAFF_PER_MINUTE: perMinute.default(3000),
    /** How long an Idempotency-Key's outcome is kept (replayed to a retry). */
    IDEMPOTENCY_TTL_SECONDS: z.coerce.number().int().min(60).max(604_800).default(86_400),
    /** Replicas of the audit stream and the idempotency bucket, as of the platform's other streams (3 in a production NATS cluster). */
    EVENT_STREAM_REPLICAS: eventConfigSchema.shape.EVENT_STREAM_REPLICAS,
    /** The audit stream's duplicate window; the reporting service, which also ensures the stream, reads the same variable. */
    EVENT_DUPLICATE_WINDOW_MS: eventConfigSchema.shape.EVENT_DUPLICATE_WINDOW_MS,
    /** Addresses of proxies in front of the gateway whose X-Forwarded-For is believed (Fastify trustProxy). */
    TRUSTED_PROXIES: z.string().default(''),
  })
  .superRefine((config, ctx) => {
    if (config.DEV_TOKENS_ENABLED && config.NODE_ENV === 'production') {
      ctx.addIssue({ code: 'custom', path: ['DEV_TOKENS_ENABLED'], message: 'development tokens are refused when NODE_ENV=production' });
    }
    if (config.DEV_TOKENS_ENABLED && !config.DEV_TOKEN_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['DEV_TOKEN_SECRET'], message: 'is required when DEV_TOKENS_ENABLED=true' });
    }
    if (config.OIDC_ISSUER && !config.OIDC_AUDIENCE) {
      ctx.addIssue({ code: 'custom', path: ['OIDC_AUDIENCE'], message: 'is required when OIDC_ISSUER is set' });
    }
    if (config.NODE_ENV === 'production' && !config.OIDC_ISSUER) {
      ctx.addIssue({ code: 'custom', path: ['OIDC_ISSUER'], message: 'is required when NODE_ENV=production (no other token issuer is allowed there)' });
    }
  });
export type GatewayConfig = z.output<typeof gatewayConfigSchema>;
