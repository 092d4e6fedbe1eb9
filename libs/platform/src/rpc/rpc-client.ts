import { Inject, Injectable } from '@nestjs/common';
import { headers as natsHeaders, NoRespondersError, RequestError, TimeoutError } from '@nats-io/transport-node';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { ACTOR_HEADER, DomainError, encodeActor, isErrorCode, type Actor } from '@civil/contracts';
import type { BaseConfig } from '../config/config';
import { NatsConnectionService } from '../nats/nats-connection';
import { injectTraceContext } from '../telemetry/propagation';
import { PLATFORM_CONFIG } from '../tokens';
import type { RpcReply } from './rpc-context';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface RequestOptions {
  actor?: Actor | null;
  timeoutMs?: number;
}

/**
 * NATS request/reply with a timeout, the actor and the trace context in headers. An error reply
 * is rethrown as the DomainError it was; no responder means the service is down.
 */
@Injectable()
export class RpcClient {
  private readonly tracer = trace.getTracer('civil-rpc');

  constructor(
    private readonly nats: NatsConnectionService,
    @Inject(PLATFORM_CONFIG) private readonly config: BaseConfig,
  ) {}

  async request<T>(subject: string, payload: unknown, options: RequestOptions = {}): Promise<T> {
    const span = this.tracer.startSpan(`${subject} send`, {
      kind: SpanKind.CLIENT,
      attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject, 'messaging.operation.type': 'send' },
    });
    try {
      return await context.with(trace.setSpan(context.active(), span), async () => {
        const h = natsHeaders();
        injectTraceContext({ get: (k) => h.get(k) || undefined, set: (k, v) => h.set(k, v) });
        if (options.actor) h.set(ACTOR_HEADER, encodeActor(options.actor));
        const reply = await this.send(subject, payload, h, options.timeoutMs ?? this.config.NATS_REQUEST_TIMEOUT_MS);
        if (!reply.ok) {
          span.setAttribute('civil.error_code', reply.error.code);
          throw new DomainError(isErrorCode(reply.error.code) ? reply.error.code : 'INTERNAL', reply.error.message, reply.error.fields);
        }
        return reply.data as T;
      });
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  }

  private async send(subject: string, payload: unknown, headers: ReturnType<typeof natsHeaders>, timeout: number): Promise<RpcReply<unknown>> {
    try {
      const msg = await this.nats.nc.request(subject, encoder.encode(JSON.stringify(payload ?? {})), { timeout, headers });
      return JSON.parse(decoder.decode(msg.data)) as RpcReply<unknown>;
    } catch (error) {
      if (error instanceof NoRespondersError || (error instanceof RequestError && error.isNoResponders())) {
        throw new DomainError('SERVICE_UNAVAILABLE', `no service is answering ${subject}`);
      }
      if (error instanceof TimeoutError || (error instanceof RequestError && error.cause instanceof TimeoutError)) {
        throw new DomainError('TIMEOUT', `${subject} did not answer within ${timeout} ms`);
      }
      if (error instanceof DomainError) throw error;
      throw new DomainError('SERVICE_UNAVAILABLE', `messaging unavailable for ${subject}`);
    }
  }
}
