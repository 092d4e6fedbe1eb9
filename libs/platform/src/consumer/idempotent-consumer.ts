import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { AckPolicy, DeliverPolicy, JetStreamApiCodes, JetStreamApiError, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { EVENT_STREAM, parseEnvelope, type EventEnvelope } from '@civil/contracts';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import type { EventConfig } from '../config/config';
import { consumerLagSeconds, consumerPending, eventsConsumed } from '../health/metrics';
import type { NatsConnectionService } from '../nats/nats-connection';
import { ensureEventStream } from '../outbox/event-stream';
import { contextFromTraceparent } from '../telemetry/propagation';

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

export interface ConsumerDependencies {
  nats: NatsConnectionService;
  dataSource: DataSource;
  logger: Logger;
  config: EventConfig;
}

/**
 * How the durable pull consumers ask for messages. Each pull lasts 5 s (heartbeats every 2.5 s),
 * not nats.js's 30 s: when the consumer's leader dies in a JetStream cluster while this client's
 * own server lives, the client notices only when a pull expires or heartbeats are missed, and
 * with the default it sat 30–45 s without messages after an election (3-node cluster drill).
 */
export const PULL_CONSUME_OPTIONS = { max_messages: 256, expires: 5_000 } as const;

/**
 * A durable JetStream pull consumer whose effects happen exactly once: the event id is recorded in
 * `processed_event` in the same transaction as the effect, and the message is acknowledged only
 * after commit. A redelivered or republished event finds its id and changes nothing. A message
 * that cannot be parsed, or fails `maxDeliveries` times, is stored in `dead_letter` and
 * terminated; consumption goes on.
 *
 * Messages already delivered to the client are applied together in one transaction (a burst costs
 * one commit per batch, not per event). If a batch fails, its messages are retried one by one, so
 * a single bad event is isolated and the others still go through.
 */
export abstract class IdempotentConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  protected abstract readonly settings: ConsumerSettings;
  private messages?: ConsumerMessages;
  private running = false;
  private loop?: Promise<void>;
  private pendingTimer?: NodeJS.Timeout;
  private readonly tracer = trace.getTracer('civil-consumer');

  protected constructor(protected readonly deps: ConsumerDependencies) {}

  /** Applies one event's effect with the transaction's manager. Throw to retry later. */
  protected abstract apply(event: EventEnvelope, manager: EntityManager): Promise<void>;

  /**
   * Applies the new events of a batch together (only when `settings.setBased`): the same effects
   * as {@link apply} for each, in one round of statements. Throw to retry the batch one by one.
   */
  protected async applyBatch(events: readonly EventEnvelope[], manager: EntityManager): Promise<void> {
    for (const event of events) await this.apply(event, manager);
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
    this.pendingTimer = setInterval(() => void this.reportPending(), 5000);
  }

  private async run(): Promise<void> {
    let backoff = 0;
    while (this.running) {
      try {
        await this.ensureConsumer();
        const consumer = await this.deps.nats.jetstream().consumers.get(EVENT_STREAM, this.settings.durableName);
        this.messages = await consumer.consume(PULL_CONSUME_OPTIONS);
        backoff = 0;
        let buffer: JsMsg[] = [];
        let flushScheduled = false;
        let flushing: Promise<void> = Promise.resolve();
        const flush = (): Promise<void> => {
          const batch = buffer;
          buffer = [];
          // A failure here (the database gone) leaves the batch unacknowledged: JetStream
          // redelivers it after the ack wait, so nothing is lost and the chain keeps going.
          flushing = flushing
            .then(() => this.processBatch(batch))
            .catch((error: unknown) => this.deps.logger.error({ err: error, consumer: this.settings.durableName }, 'batch left for redelivery'));
          return flushing;
        };
        for await (const message of this.messages) {
          buffer.push(message);
          if (buffer.length >= (this.settings.batchSize ?? 100)) {
            await flush();
          } else if (!flushScheduled) {
            // Runs once the messages already received have been taken from the iterator.
            flushScheduled = true;
            setImmediate(() => {
              flushScheduled = false;
              void flush();
            });
          }
          if (!this.running) break;
        }
        await flush();
      } catch (error) {
        if (!this.running) break;
        backoff = Math.min(backoff === 0 ? 200 : backoff * 2, 10_000);
        this.deps.logger.warn({ err: error, consumer: this.settings.durableName, retryInMs: backoff }, 'consumer interrupted; retrying');
        await new Promise((r) => setTimeout(r, backoff));
      }
    }
  }

  private async ensureConsumer(): Promise<void> {
    const jsm = await this.deps.nats.jetstreamManager();
    await ensureEventStream(jsm, { replicas: this.deps.config.EVENT_STREAM_REPLICAS, duplicateWindowMs: this.deps.config.EVENT_DUPLICATE_WINDOW_MS });
    const config = {
      durable_name: this.settings.durableName,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: this.settings.ackWaitMs * 1_000_000,
      // The server never gives up on a message by itself; we dead-letter it explicitly instead.
      max_deliver: -1,
      ...(this.settings.filterSubjects.length === 1
        ? { filter_subject: this.settings.filterSubjects[0] }
        : { filter_subjects: this.settings.filterSubjects }),
    };
    try {
      await jsm.consumers.info(EVENT_STREAM, this.settings.durableName);
    } catch (error) {
      if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound) {
        await jsm.consumers.add(EVENT_STREAM, config);
        return;
      }
      throw error;
    }
  }

  private async processBatch(messages: JsMsg[]): Promise<void> {
    if (messages.length === 0) return;
    if (messages.length === 1 && messages[0]) return this.process(messages[0]);
    const consumer = this.settings.durableName;
    const parsed: { message: JsMsg; event: EventEnvelope }[] = [];
    for (const message of messages) {
      try {
        parsed.push({ message, event: parseEnvelope(message.data) });
      } catch (error) {
        await this.deadLetter(message, error);
        message.term(); // a reason (`+TERM reason`) is ignored by nats-server 2.9, which then redelivers
        eventsConsumed.labels(consumer, 'dead-lettered').inc();
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
      await this.deadLetter(message, error);
      message.term(); // a reason (`+TERM reason`) is ignored by nats-server 2.9, which then redelivers
      eventsConsumed.labels(consumer, 'dead-lettered').inc();
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
      const deliveries = message.info.deliveryCount;
      if (deliveries >= this.settings.maxDeliveries) {
        await this.deadLetter(message, error);
        message.term(); // no reason: see above
        eventsConsumed.labels(consumer, 'dead-lettered').inc();
      } else {
        message.nak(Math.min(250 * 2 ** deliveries, 30_000));
        eventsConsumed.labels(consumer, 'retried').inc();
        this.deps.logger.warn({ err: error, eventId: event.id, deliveries }, 'event handling failed; will retry');
      }
    } finally {
      span.end();
    }
  }

  private async deadLetter(message: JsMsg, error: unknown): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    this.deps.logger.error({ consumer: this.settings.durableName, subject: message.subject, seq: message.seq, reason }, 'message dead-lettered');
    await this.deps.dataSource.query(
      `INSERT INTO dead_letter (consumer, stream_sequence, subject, payload, error, deliveries) VALUES ($1, $2, $3, $4, $5, $6)`,
      [this.settings.durableName, message.seq, message.subject, Buffer.from(message.data).toString('utf8'), reason.slice(0, 2000), message.info.deliveryCount],
    );
  }

  private async reportPending(): Promise<void> {
    try {
      const jsm = await this.deps.nats.jetstreamManager();
      const info = await jsm.consumers.info(EVENT_STREAM, this.settings.durableName);
      consumerPending.labels(this.settings.durableName).set(info.num_pending + info.num_ack_pending);
    } catch {
      // Metrics are best effort while NATS is away.
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    clearInterval(this.pendingTimer);
    await this.messages?.close();
    await this.loop;
  }
}
