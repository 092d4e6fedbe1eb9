import type { JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { EVENT_STREAM, parseEnvelope, type EventEnvelope } from '@civil/contracts';
import type { EntityManager } from 'typeorm';
import type { EventConfig } from '../config/config';
import { consumerLagSeconds, eventsConsumed } from '../health/metrics';
import { ensureEventStream } from '../outbox/event-stream';
import { contextFromTraceparent } from '../telemetry/propagation';
import { DurablePullConsumer, type PullConsumerDependencies, type PullConsumerTarget } from './durable-pull-consumer';

export interface ConsumerSettings {
  /** Durable consumer name; replicas of a service share it and so share the work. */
  durableName: string;
  filterSubjects: string[];
  /** After this many failed deliveries a message is dead-lettered and terminated. */
  maxDeliveries: number;
  ackWaitMs: number;
  /** Events applied in one transaction when they arrive faster than they are applied. */
  batchSize?: number;
  /**
   * The consumer overrides {@link IdempotentConsumer.applyBatch} with set-based work (one
   * statement per table for a whole batch) instead of applying events one by one.
   */
  setBased?: boolean;
}

export interface ConsumerDependencies extends PullConsumerDependencies {
  config: EventConfig;
}

/**
 * A durable JetStream pull consumer whose effects happen exactly once: the event id is recorded in
 * `processed_event` in the same transaction as the effect, and the message is acknowledged only
 * after commit. A redelivered or republished event finds its id and changes nothing. A message
 * that cannot be parsed, or fails `maxDeliveries` times, is stored in `dead_letter` and
 * terminated; consumption goes on.
 *
 * Messages already delivered to the client are applied together in one transaction (a burst costs
 * one commit per batch, not per event). If a batch fails, its messages are retried one by one, so
 * a single bad event is isolated and the others still go through. The pull loop, the retries and
 * the dead letters are {@link DurablePullConsumer}'s.
 */
export abstract class IdempotentConsumer extends DurablePullConsumer {
  protected abstract readonly settings: ConsumerSettings;
  private readonly tracer = trace.getTracer('civil-consumer');

  protected constructor(protected readonly deps: ConsumerDependencies) {
    super(deps);
  }

  /** Applies one event's effect with the transaction's manager. Throw to retry later. */
  protected abstract apply(event: EventEnvelope, manager: EntityManager): Promise<void>;

  /**
   * Applies the new events of a batch together (only when `settings.setBased`): the same effects
   * as {@link apply} for each, in one round of statements. Throw to retry the batch one by one.
   */
  protected async applyBatch(events: readonly EventEnvelope[], manager: EntityManager): Promise<void> {
    for (const event of events) await this.apply(event, manager);
  }

  protected target(): PullConsumerTarget {
    const { durableName, filterSubjects, ackWaitMs, maxDeliveries, batchSize } = this.settings;
    return { stream: EVENT_STREAM, durableName, filterSubjects, ackWaitMs, maxDeliveries, batchSize: batchSize ?? 100 };
  }

  protected async ensureStream(jsm: JetStreamManager): Promise<void> {
    await ensureEventStream(jsm, { replicas: this.deps.config.EVENT_STREAM_REPLICAS, duplicateWindowMs: this.deps.config.EVENT_DUPLICATE_WINDOW_MS });
  }

  protected async processBatch(messages: JsMsg[]): Promise<void> {
    if (messages.length === 0) return;
    if (messages.length === 1 && messages[0]) return this.process(messages[0]);
    const consumer = this.settings.durableName;
    const parsed: { message: JsMsg; event: EventEnvelope }[] = [];
    for (const message of messages) {
      try {
        parsed.push({ message, event: parseEnvelope(message.data) });
      } catch (error) {
        await this.reject(message, error);
      }
    }
    let appliedIds: Set<string>;
    try {
      appliedIds = await this.deps.dataSource.transaction(async (manager) => {
        const inserted: { event_id: string }[] = await manager.query(
          `INSERT INTO processed_event (consumer, event_id)
           SELECT $1, id FROM unnest($2::uuid[]) AS id
           ON CONFLICT DO NOTHING RETURNING event_id`,
          [consumer, [...new Set(parsed.map((p) => p.event.id))]],
        );
        const fresh = new Set(inserted.map((r) => r.event_id));
        const applied = new Set<string>();
        const toApply = parsed.filter(({ event }) => {
          if (!fresh.has(event.id) || applied.has(event.id)) return false;
          applied.add(event.id);
          return true;
        });
        if (this.settings.setBased === true) {
          await this.applySetBased(toApply, manager);
        } else {
          for (const { message, event } of toApply) await this.applyTraced(event, message, manager);
        }
        return applied;
      });
    } catch (error) {
      this.deps.logger.warn({ err: error, consumer, size: parsed.length }, 'batch failed; applying its events one by one');
      for (const { message } of parsed) await this.process(message);
      return;
    }
    const now = Date.now();
    for (const { message, event } of parsed) {
      message.ack();
      const wasApplied = appliedIds.delete(event.id);
      eventsConsumed.labels(consumer, wasApplied ? 'applied' : 'duplicate').inc();
      if (wasApplied) consumerLagSeconds.labels(consumer).set(Math.max(0, (now - Date.parse(event.time)) / 1000));
    }
  }

  /** A set-based batch: one consumer span per event in its own trace, around the batch's work. */
  private async applySetBased(items: readonly { message: JsMsg; event: EventEnvelope }[], manager: EntityManager): Promise<void> {
    const spans = items.map(({ message, event }) =>
      this.tracer.startSpan(
        `${event.type} process`,
        {
          kind: SpanKind.CONSUMER,
          attributes: { 'messaging.system': 'nats', 'messaging.destination.name': message.subject, 'messaging.message.id': event.id, 'messaging.consumer.group.name': this.settings.durableName, 'messaging.batch.message_count': items.length },
        },
        contextFromTraceparent(event.traceparent),
      ),
    );
    try {
      await this.applyBatch(items.map((i) => i.event), manager);
    } catch (error) {
      for (const span of spans) span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      for (const span of spans) span.end();
    }
  }

  /** Applies one event inside the caller's transaction, as a consumer span in the event's trace. */
  private async applyTraced(event: EventEnvelope, message: JsMsg, manager: EntityManager): Promise<void> {
    const parent = contextFromTraceparent(event.traceparent);
    const span = this.tracer.startSpan(`${event.type} process`, {
      kind: SpanKind.CONSUMER,
      attributes: { 'messaging.system': 'nats', 'messaging.destination.name': message.subject, 'messaging.message.id': event.id, 'messaging.consumer.group.name': this.settings.durableName },
    }, parent);
    try {
      await context.with(trace.setSpan(parent, span), () => this.apply(event, manager));
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  }

  private async process(message: JsMsg): Promise<void> {
    const consumer = this.settings.durableName;
    let event: EventEnvelope;
    try {
      event = parseEnvelope(message.data);
    } catch (error) {
      await this.reject(message, error);
      return;
    }
    const parent = contextFromTraceparent(event.traceparent);
    const span = this.tracer.startSpan(`${event.type} process`, {
      kind: SpanKind.CONSUMER,
      attributes: { 'messaging.system': 'nats', 'messaging.destination.name': message.subject, 'messaging.message.id': event.id, 'messaging.consumer.group.name': consumer },
    }, parent);
    try {
      const applied = await context.with(trace.setSpan(parent, span), () =>
        this.deps.dataSource.transaction(async (manager) => {
          const inserted: unknown[] = await manager.query(
            `INSERT INTO processed_event (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`,
            [consumer, event.id],
          );
          if (inserted.length === 0) return false;
          await this.apply(event, manager);
          return true;
        }),
      );
      message.ack();
      eventsConsumed.labels(consumer, applied ? 'applied' : 'duplicate').inc();
      if (applied) consumerLagSeconds.labels(consumer).set(Math.max(0, (Date.now() - Date.parse(event.time)) / 1000));
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      await this.retryLaterOrReject(message, error, { eventId: event.id });
    } finally {
      span.end();
    }
  }
}
