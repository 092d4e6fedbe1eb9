import { Inject, Injectable } from '@nestjs/common';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { DomainError, fieldErrorsOf, type Actor, type ErrorBody } from '@civil/contracts';
import { PLATFORM_LOGGER, RpcClient } from '@civil/platform';
import type { Logger } from 'pino';
import { Authenticator } from '../auth/authenticator';
import { devTokenRequestSchema } from '../auth/dev-tokens';
import { currentTraceId, problemFor } from '../http/problem';
import { ROUTES, type DownloadPage, type GatewayRoute } from './route-table';

/**
 * The gateway is thin: authenticate, validate, map HTTP to a NATS request, map errors to problem
 * details. Domain rules, role and division checks live in the services.
 */
@Injectable()
export class GatewayRouter {
  constructor(
    private readonly rpc: RpcClient,
    private readonly auth: Authenticator,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
  ) {}

  register(fastify: FastifyInstance): void {
    fastify.addHook('onSend', async (_request, reply) => {
      const traceId = currentTraceId();
      if (traceId) void reply.header('x-trace-id', traceId);
    });
    fastify.setErrorHandler((error: FastifyError, request, reply) => this.sendError(reply, request, this.httpErrorBody(error)));
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
    try {
      const actor = await this.auth.actorFor(request.headers.authorization);
      if (route.access === 'authenticated' && !actor) throw new DomainError('UNAUTHENTICATED', 'this route needs a bearer token');
      const input = { ...(isObject(request.query) ? request.query : {}), ...(isObject(request.body) ? request.body : {}), ...(isObject(request.params) ? request.params : {}) };
      if (request.body !== undefined && !isObject(request.body)) {
        throw new DomainError('VALIDATION_FAILED', 'the body must be a JSON object', [{ field: '(body)', rule: 'type', message: 'must be a JSON object' }]);
      }
      const parsed = route.schema.safeParse(input);
      if (!parsed.success) throw DomainError.validation(fieldErrorsOf(parsed.error));
      if (route.download) return await this.download(route, route.download, input, actor, reply);
      const data = await this.rpc.request<unknown>(route.subject, input, { actor, ...(route.timeoutMs !== undefined ? { timeoutMs: route.timeoutMs } : {}) });
      return reply.status(route.successStatus).send(data);
    } catch (error) {
      if (error instanceof DomainError) return this.sendError(reply, request, error.toBody());
      this.logger.error({ err: error, route: route.path }, 'unexpected gateway error');
      return this.sendError(reply, request, { code: 'INTERNAL', message: 'internal error' });
    }
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
  ): Promise<FastifyReply> {
    const first = await this.rpc.request<DownloadPage>(route.subject, input, { actor });
    const body = new PassThrough();
    body.write(pageChunk(first));
    void (async () => {
      try {
        for (let page = first; page.next !== null; ) {
          page = await this.rpc.request<DownloadPage>(route.subject, { ...input, exportId: first.exportId, after: page.next }, { actor });
          // A client that hangs up closes the stream: stop asking for pages then.
          if (!body.write(pageChunk(page))) await Promise.race([once(body, 'drain'), once(body, 'close')]);
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

  /** Errors raised by Fastify itself (body parsing, size) or unknown routes, as problem details. */
  httpErrorBody(error: FastifyError): ErrorBody {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { code: 'VALIDATION_FAILED', message: 'the request body is too large', fields: [{ field: '(body)', rule: 'max-size', message: error.message }] };
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return { code: 'VALIDATION_FAILED', message: 'send application/json', fields: [{ field: '(body)', rule: 'media-type', message: error.message }] };
    if (error.statusCode === 400) return { code: 'VALIDATION_FAILED', message: 'the body is not valid JSON', fields: [{ field: '(body)', rule: 'json', message: error.message }] };
    this.logger.error({ err: error }, 'unexpected HTTP error');
    return { code: 'INTERNAL', message: 'internal error' };
  }

  sendError(reply: FastifyReply, request: FastifyRequest, body: ErrorBody): FastifyReply {
    const problem = problemFor(body, request.url);
    // 413 is more precise than 400 for an oversized body.
    const status = body.fields?.[0]?.rule === 'max-size' ? 413 : problem.status;
    return reply.status(status).header('content-type', 'application/problem+json; charset=utf-8').send({ ...problem, status });
  }
}

/** A page's bytes: text as it is, a binary file's base64 decoded (pages of a multiple of four characters). */
function pageChunk(page: DownloadPage): string | Buffer {
  if ('csv' in page) return page.csv;
  if ('base64' in page) return Buffer.from(page.base64, 'base64');
  return page.text;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
