import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import type { GatewayConfig } from '../config';

/** Headers a browser client may send and read (the portal on another origin). */
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Reveal-Reason', 'traceparent', 'tracestate'];
export const CORS_EXPOSED_HEADERS = ['X-Trace-Id', 'Retry-After', 'Idempotency-Replayed', 'Content-Disposition', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'];

/** The key a request is counted under: its verified user, or its client address without one. */
export function rateLimitKey(request: FastifyRequest): string {
  return request.actor ? `user:${request.actor.userId}` : `ip:${request.ip}`;
}

/**
 * Security headers (helmet's defaults: a strict content security policy, no sniffing, no framing,
 * HSTS), CORS for the configured portal origins only, and rate limits counted per user for
 * signed-in callers (citizens have a lower limit than staff) and per client address for the rest.
 * Counters live in each gateway replica; with N replicas behind a balancer a client gets up to N
 * times the limit, which is fine for abuse protection (not for billing).
 *
 * Rate limits run after authentication (preHandler), so they can count per user; a request with a
 * bad token is counted under its address.
 */
export async function registerHttpProtection(app: NestFastifyApplication, config: GatewayConfig): Promise<void> {
  await app.register(fastifyHelmet, {
    // The API serves JSON and Swagger UI's own files; nothing needs inline scripts.
    contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'img-src': ["'self'", 'data:'] } },
    crossOriginResourcePolicy: { policy: config.CORS_ORIGINS.length > 0 ? 'cross-origin' : 'same-origin' },
  });
  await app.register(fastifyCors, {
    origin: config.CORS_ORIGINS.length > 0 ? config.CORS_ORIGINS : false,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    // Bearer tokens, not cookies: no credentials mode.
    credentials: false,
    maxAge: 600,
  });
  await app.register(fastifyRateLimit, {
    global: true,
    hook: 'preHandler',
    timeWindow: 60_000,
    keyGenerator: rateLimitKey,
    max: (request) => {
      if (!request.actor) return config.RATE_LIMIT_ANONYMOUS_PER_MINUTE;
      return request.actor.kind === 'citizen' ? config.RATE_LIMIT_CITIZEN_PER_MINUTE : config.RATE_LIMIT_STAFF_PER_MINUTE;
    },
    // Probes, metrics and the docs are not the API.
    allowList: (request) => !request.url.startsWith('/api/v1/'),
    // RateLimit-Limit / -Remaining / -Reset (IETF draft) and Retry-After on a 429.
    enableDraftSpec: true,
    errorResponseBuilder: (_request, context) => ({ statusCode: 429, code: 'RATE_LIMITED', retryAfterSeconds: Math.ceil(context.ttl / 1000), message: `too many requests: at most ${context.max} a minute; retry after ${context.after}` }),
  });
}
