import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { Msg, Subscription } from '@nats-io/transport-node';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { ACTOR_HEADER, DomainError, decodeActor, parseOrThrow, type ErrorBody } from '@civil/contracts';
import type { Logger } from 'pino';
import { isDatabaseUnavailable } from '../database/database-unavailable';
import { rpcDuration } from '../health/metrics';
import { NatsConnectionService } from '../nats/nats-connection';
import { extractTraceContext } from '../telemetry/propagation';
import { PLATFORM_LOGGER, SERVICE_NAME } from '../tokens';
import { RPC_HANDLER, type RpcHandlerMetadata } from './rpc-handler.decorator';
import type { RpcContext, RpcReply } from './rpc-context';

type Handler = (payload: unknown, ctx: RpcContext) => unknown;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Subscribes every @RpcHandler method to its subject in the service's queue group, so replicas
 * share the load. Each request runs inside the caller's trace, is refused without an actor unless
 * public, and replies with data or an error code; unexpected errors leak nothing.
 */
@Injectable()
export class RpcServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly subscriptions: Subscription[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly tracer = trace.getTracer('civil-rpc');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly nats: NatsConnectionService,
    @Inject(SERVICE_NAME) private readonly serviceName: string,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method = (instance as Record<string, unknown>)[methodName];
        if (typeof method !== 'function') continue;
        const meta = this.reflector.get<RpcHandlerMetadata | undefined>(RPC_HANDLER, method);
        if (!meta) continue;
        this.subscribe(meta, (method as Handler).bind(instance));
      }
    }
  }

  private subscribe(meta: RpcHandlerMetadata, handler: Handler): void {
    const sub = this.nats.nc.subscribe(meta.subject, {
      queue: this.serviceName,
      callback: (err, msg) => {
        if (err) {
          this.logger.error({ err, subject: meta.subject }, 'subscription error');
          return;
        }
        const task = this.handle(meta, handler, msg).finally(() => this.inFlight.delete(task));
        this.inFlight.add(task);
      },
    });
    this.subscriptions.push(sub);
    this.logger.debug({ subject: meta.subject, queue: this.serviceName }, 'rpc handler subscribed');
  }

  private async handle(meta: RpcHandlerMetadata, handler: Handler, msg: Msg): Promise<void> {
    const started = process.hrtime.bigint();
    const parent = extractTraceContext({ get: (key) => msg.headers?.get(key) || undefined });
    const span = this.tracer.startSpan(`${meta.subject} process`, {
      kind: SpanKind.SERVER,
      attributes: { 'messaging.system': 'nats', 'messaging.destination.name': meta.subject, 'messaging.operation.type': 'process' },
    }, parent);
    let outcome = 'ok';
    await context.with(trace.setSpan(parent, span), async () => {
      let reply: RpcReply<unknown>;
      try {
        const actor = decodeActor(msg.headers?.get(ACTOR_HEADER));
        if (!actor && !meta.public) throw new DomainError('UNAUTHENTICATED', 'this request needs an authenticated actor');
        const payload: unknown = msg.data.length === 0 ? {} : JSON.parse(decoder.decode(msg.data));
        const parsed: unknown = parseOrThrow(meta.schema, payload);
        const data = await handler(parsed, { subject: meta.subject, actor });
        reply = { ok: true, data: data ?? null };
      } catch (error) {
        const body = this.toErrorBody(error, meta.subject);
        outcome = body.code;
        reply = { ok: false, error: body };
        if (body.code === 'INTERNAL') span.setStatus({ code: SpanStatusCode.ERROR });
        span.setAttribute('civil.error_code', body.code);
      }
      if (msg.reply) msg.respond(encoder.encode(JSON.stringify(reply)));
    });
    span.end();
    rpcDuration.labels(meta.subject, outcome).observe(Number(process.hrtime.bigint() - started) / 1e9);
  }

  private toErrorBody(error: unknown, subject: string): ErrorBody {
    if (error instanceof DomainError) return error.toBody();
    if (error instanceof SyntaxError) return { code: 'VALIDATION_FAILED', message: 'request body is not valid JSON' };
    if (isDatabaseUnavailable(error)) {
      // A restart or failover of PostgreSQL. Nothing is wrong with the request; a retry will do (with
      // an Idempotency-Key should the connection have dropped during COMMIT itself).
      this.logger.warn({ err: error, subject }, 'database unavailable in rpc handler');
      return { code: 'SERVICE_UNAVAILABLE', message: 'the service cannot reach its database just now; try again shortly' };
    }
    this.logger.error({ err: error, subject }, 'unexpected error in rpc handler');
    return { code: 'INTERNAL', message: 'internal error' };
  }

  /** Stop taking requests, then let the ones in hand finish (bounded by the grace period). */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.subscriptions.map((s) => s.drain().catch(() => undefined)));
    await Promise.allSettled([...this.inFlight]);
  }
}
