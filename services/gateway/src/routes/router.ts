import { Inject, Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { DomainError, fieldErrorsOf, hasPermission, httpStatusFor, type Actor, type ErrorBody } from '@civil/contracts';
import { PLATFORM_LOGGER, RpcClient } from '@civil/platform';
import type { Logger } from 'pino';
import { AuditTrail, type AuditRecord } from '../audit/audit-trail';
import { Authenticator } from '../auth/authenticator';
import { devTokenRequestSchema } from '../auth/dev-tokens';
import { authorize } from '../authorization/authorize';
import { currentTraceId, problemFor } from '../http/problem';
import { IdempotencyStore, checkIdempotencyKey, type Claim } from '../idempotency/idempotency-store';
import { maskPersonalData, maskText } from '../personal-data/masking';
import { ROUTES, type DownloadPage, type GatewayRoute } from './route-table';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified caller, null without a token (set before rate limiting, which counts per user). */
    actor: Actor | null;
    /** A bad token's error, raised by the route handler after the rate limit has counted the request. */
    authError: DomainError | null;
  }
}

export const REVEAL_HEADER = 'x-reveal-reason';
export const IDEMPOTENCY_HEADER = 'idempotency-key';
const REVEAL_REASON_MAX_LENGTH = 500;

/** What a request asked and was allowed to see: masked by default, unmasked with a stated reason and the permission. */
interface Disclosure {
  reveal: boolean;
  reason: string | null;
}

/**
 * The gateway is thin: authenticate, authorize coarsely from the route table, validate, map HTTP to
 * a NATS request, mask personal data, audit writes and reveals, map errors to problem details.
 * Domain rules, role and division checks live in the services, which re-check the actor.
 */
@Injectable()
export class GatewayRouter {
  constructor(
    private readonly rpc: RpcClient,
    private readonly auth: Authenticator,
    private readonly audit: AuditTrail,
    private readonly idempotency: IdempotencyStore,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
  ) {}

  /** Runs before the rate limiter so it can count per user; a bad token is remembered, refused in the handler. */
  registerAuthentication(fastify: FastifyInstance): void {
    fastify.decorateRequest('actor', null);
    fastify.decorateRequest('authError', null);
    fastify.addHook('onRequest', async (request) => {
      request.actor = null;
      request.authError = null;
      if (!request.url.startsWith('/api/v1/')) return;
      try {
        request.actor = await this.auth.actorFor(request.headers.authorization);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        request.authError = error;
      }
    });
  }

  register(fastify: FastifyInstance): void {
    fastify.addHook('onSend', async (_request, reply) => {
      const traceId = currentTraceId();
      if (traceId) void reply.header('x-trace-id', traceId);
    });
    fastify.setErrorHandler((error: unknown, request, reply) => this.onHttpError(error, request, reply));
    for (const route of ROUTES) {
      fastify.route({
        method: route.method,
        url: route.path,
        ...(route.bodyLimit !== undefined ? { bodyLimit: route.bodyLimit } : {}),
        handler: (request, reply) => this.handle(route, request, reply),
      });
    }
    if (this.auth.devIssuer) {
      const issuer = this.auth.devIssuer;
      fastify.post('/api/v1/dev/tokens', async (request, reply) => {
        const parsed = devTokenRequestSchema.safeParse(request.body ?? {});
        if (!parsed.success) return this.sendError(reply, request, DomainError.validation(fieldErrorsOf(parsed.error)).toBody());
        return reply.status(201).send(await issuer.issue(parsed.data));
      });
    }
  }

  private async handle(route: GatewayRoute, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const actor = request.actor;
    const isWrite = route.method !== 'GET';
    let claim: Claim | null = null;
    let disclosure: Disclosure = { reveal: false, reason: null };
    try {
      if (request.authError) throw request.authError;
      authorize(route, actor);
      disclosure = this.disclosureFor(request, actor);
      const input: Record<string, unknown> = { ...(isObject(request.query) ? request.query : {}), ...(isObject(request.body) ? request.body : {}), ...(isObject(request.params) ? request.params : {}) };
      if (route.download) {
        // The paging cursors of a download are the gateway's to send, page after page; a client's would splice pages of other exports.
        delete input.exportId;
        delete input.after;
      }
      if (request.body !== undefined && !isObject(request.body)) {
        throw new DomainError('VALIDATION_FAILED', 'the body must be a JSON object', [{ field: '(body)', rule: 'type', message: 'must be a JSON object' }]);
      }
      const parsed = route.schema.safeParse(input);
      if (!parsed.success) throw DomainError.validation(fieldErrorsOf(parsed.error));
      if (disclosure.reveal) await this.recordReveal(route, request, disclosure);
      // Services unmask only for an actor carrying the permission: it travels only with an audited reveal.
      const forwarded = disclosure.reveal || !actor?.permissions ? actor : withoutPermissions(actor);
      if (route.download) return await this.download(route, route.download, input, forwarded, reply, disclosure);

      const idempotencyKey = headerValue(request.headers[IDEMPOTENCY_HEADER]);
      if (idempotencyKey !== null && route.method === 'POST') {
        checkIdempotencyKey(idempotencyKey);
        claim = await this.idempotency.claim({ userId: actor?.userId ?? null, method: route.method, route: route.path }, idempotencyKey, input);
        if (claim.kind === 'replay') {
          void reply.header('idempotency-replayed', 'true');
          const body = claim.body === null ? {} : (JSON.parse(claim.body) as unknown);
          if (claim.status >= 400) return this.sendError(reply, request, body as ErrorBody, disclosure);
          return reply.status(claim.status).send(this.disclose(body, disclosure));
        }
      }

      const data = await this.rpc.request<unknown>(route.subject, input, { actor: forwarded, ...(route.timeoutMs !== undefined ? { timeoutMs: route.timeoutMs } : {}) });
      if (claim?.kind === 'first') await this.idempotency.complete(claim, route.successStatus, 'application/json', JSON.stringify(data ?? null));
      if (isWrite) await this.audit.recordOrLog(this.auditRecord('write', route, request, route.successStatus, null, recordIdOf(request, data), disclosure));
      return reply.status(route.successStatus).send(this.disclose(data, disclosure));
    } catch (error) {
      const body = this.errorBody(error, route);
      const status = httpStatusFor(body.code);
      // A definite refusal is the request's outcome, replayed to a retry; an unknown outcome (the
      // service did not answer, or failed) keeps the claim until it lapses, so a retry cannot double a write.
      if (claim?.kind === 'first' && status < 500) await this.idempotency.complete(claim, status, 'application/problem+json', JSON.stringify(body)).catch(() => undefined);
      const refused = body.code === 'UNAUTHENTICATED' || body.code === 'FORBIDDEN';
      if (refused || isWrite) await this.audit.recordOrLog(this.auditRecord(refused ? 'refused' : 'write', route, request, status, body.code, recordIdOf(request, null), disclosure));
      return this.sendError(reply, request, body, disclosure);
    }
  }

  /** `X-Reveal-Reason` asks for unmasked personal data: only with the permission, and the reason is audited. */
  private disclosureFor(request: FastifyRequest, actor: Actor | null): Disclosure {
    const reason = decodeHeaderText(headerValue(request.headers[REVEAL_HEADER]) ?? '').trim();
    if (reason === '') return { reveal: false, reason: null };
    if (reason.length > REVEAL_REASON_MAX_LENGTH) {
      throw new DomainError('VALIDATION_FAILED', 'the reveal reason is too long', [{ field: 'X-Reveal-Reason', rule: 'max-length', message: `at most ${REVEAL_REASON_MAX_LENGTH} characters` }]);
    }
    if (!actor || !hasPermission(actor, 'personal-data:reveal')) {
      throw new DomainError('FORBIDDEN', 'revealing resident ID and phone numbers needs the personal-data:reveal permission');
    }
    return { reveal: true, reason };
  }

  /** Audited before the data leaves: if the audit log cannot take the entry, nothing is revealed. */
  private async recordReveal(route: GatewayRoute, request: FastifyRequest, disclosure: Disclosure): Promise<void> {
    try {
      await this.audit.record(this.auditRecord('reveal', route, request, 200, null, recordIdOf(request, null), disclosure));
    } catch (error) {
      this.logger.error({ err: error, route: route.path }, 'reveal refused: the audit log cannot be written');
      throw new DomainError('SERVICE_UNAVAILABLE', 'personal data cannot be revealed while the audit log is unavailable; ask without X-Reveal-Reason to see it masked');
    }
  }

  private disclose(data: unknown, disclosure: Disclosure): unknown {
    return disclosure.reveal ? data : maskPersonalData(data).value;
  }

  private auditRecord(kind: AuditRecord['kind'], route: Pick<GatewayRoute, 'path' | 'subject'> | null, request: FastifyRequest, status: number, code: string | null, recordId: string | null, disclosure: Disclosure): AuditRecord {
    return {
      kind,
      actor: request.actor,
      method: request.method,
      route: route?.path ?? request.routeOptions.url ?? request.url.split('?')[0] ?? request.url,
      path: request.url.split('?')[0] ?? request.url,
      subject: route && kind !== 'refused' ? route.subject : null,
      recordId,
      status,
      code,
      clientIp: request.ip,
      userAgent: headerValue(request.headers['user-agent']),
      traceId: currentTraceId(),
      reason: disclosure.reason,
    };
  }

  private errorBody(error: unknown, route: GatewayRoute): ErrorBody {
    if (error instanceof DomainError) return error.toBody();
    this.logger.error({ err: error, route: route.path }, 'unexpected gateway error');
    return { code: 'INTERNAL', message: 'internal error' };
  }

  /**
   * Streams a download page by page. The first page is fetched before anything is sent, so a
   * refusal is still a problem document; a failure after that cuts the stream short, which the
   * client sees as an incomplete download rather than a file that looks whole.
   */
  private async download(
    route: GatewayRoute,
    download: NonNullable<GatewayRoute['download']>,
    input: Record<string, unknown>,
    actor: Actor | null,
    reply: FastifyReply,
    disclosure: Disclosure,
  ): Promise<FastifyReply> {
    const first = await this.rpc.request<DownloadPage>(route.subject, input, { actor });
    const body = new PassThrough();
    body.write(pageChunk(first, disclosure));
    void (async () => {
      try {
        for (let page = first; page.next !== null; ) {
          page = await this.rpc.request<DownloadPage>(route.subject, { ...input, exportId: first.exportId, after: page.next }, { actor });
          // A client that hangs up closes the stream: stop asking for pages then.
          if (!body.write(pageChunk(page, disclosure))) await Promise.race([once(body, 'drain'), once(body, 'close')]);
          if (body.destroyed) return;
        }
        body.end();
      } catch (error) {
        this.logger.error({ err: error, route: route.path }, 'download cut short');
        body.destroy(error instanceof Error ? error : new Error(String(error)));
      }
    })();
    return reply
      .status(route.successStatus)
      .header('content-type', download.contentType)
      .header('content-disposition', `${download.inline ? 'inline' : 'attachment'}; filename="${download.filename(input)}"`)
      .header('cache-control', 'no-store')
      .send(body);
  }

  /** Errors raised by Fastify itself (body parsing, size, the rate limiter) or unknown routes, as problem details. */
  private async onHttpError(error: unknown, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const body = this.httpErrorBody(error);
    if (body.code === 'RATE_LIMITED') {
      await this.audit.recordOrLog(this.auditRecord('refused', null, request, 429, body.code, null, { reveal: false, reason: null }));
    }
    return this.sendError(reply, request, body);
  }

  httpErrorBody(error: unknown): ErrorBody {
    const e = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; statusCode?: unknown; message?: unknown };
    const message = typeof e.message === 'string' ? e.message : 'invalid request';
    if (e.statusCode === 429) return { code: 'RATE_LIMITED', message };
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { code: 'VALIDATION_FAILED', message: 'the request body is too large', fields: [{ field: '(body)', rule: 'max-size', message }] };
    if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return { code: 'VALIDATION_FAILED', message: 'send application/json', fields: [{ field: '(body)', rule: 'media-type', message }] };
    if (e.statusCode === 400) return { code: 'VALIDATION_FAILED', message: 'the body is not valid JSON', fields: [{ field: '(body)', rule: 'json', message }] };
    this.logger.error({ err: error }, 'unexpected HTTP error');
    return { code: 'INTERNAL', message: 'internal error' };
  }

  sendError(reply: FastifyReply, request: FastifyRequest, body: ErrorBody, disclosure: Disclosure = { reveal: false, reason: null }): FastifyReply {
    const shown = disclosure.reveal ? body : { ...body, message: maskText(body.message) };
    const problem = problemFor(shown, request.url);
    // 413 is more precise than 400 for an oversized body.
    const status = body.fields?.[0]?.rule === 'max-size' && body.fields[0].field === '(body)' ? 413 : problem.status;
    return reply.status(status).header('content-type', 'application/problem+json; charset=utf-8').send({ ...problem, status });
  }
}

/** A page's bytes: text as it is (resident IDs masked unless revealed), a binary file's base64 decoded. */
function pageChunk(page: DownloadPage, disclosure: Disclosure): string | Buffer {
  if ('base64' in page) return Buffer.from(page.base64, 'base64');
  const text = 'csv' in page ? page.csv : page.text;
  return disclosure.reveal ? text : maskText(text);
}

/** The record a request is about: the route's first path parameter, else the `id` of what it created. */
function recordIdOf(request: FastifyRequest, data: unknown): string | null {
  const params = isObject(request.params) ? Object.values(request.params) : [];
  const first = params.find((value): value is string => typeof value === 'string');
  if (first) return first.slice(0, 200);
  if (isObject(data) && typeof data.id === 'string') return data.id.slice(0, 200);
  return null;
}

function withoutPermissions(actor: Actor): Actor {
  const { permissions: _held, ...rest } = actor;
  return rest;
}

/** Header values are Latin-1: clients percent-encode other text (a reason in Chinese) as UTF-8. */
function decodeHeaderText(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function headerValue(value: string | string[] | undefined): string | null {
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
