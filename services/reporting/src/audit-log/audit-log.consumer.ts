import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AckPolicy, DeliverPolicy, JetStreamApiCodes, JetStreamApiError, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { AUDIT_STREAM, auditEntrySchema, fieldErrorsOf, type AuditEntry } from '@civil/contracts';
import { NatsConnectionService, PLATFORM_CONFIG, PLATFORM_LOGGER, PULL_CONSUME_OPTIONS, consumerLagSeconds, consumerPending, ensureAuditStream, eventsConsumed } from '@civil/platform';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { ReportingConfig } from '../config';
import { AuditLogRepository } from './audit-log.repository';

export const AUDIT_CONSUMER = 'reporting-audit-log';
/** Entries stored in one statement when they arrive faster than they are stored. */
const BATCH_SIZE = 500;

export type AuditConsumerConfig = Pick<ReportingConfig, 'EVENT_STREAM_REPLICAS' | 'EVENT_DUPLICATE_WINDOW_MS' | 'CONSUMER_MAX_DELIVERIES' | 'CONSUMER_ACK_WAIT_MS'>;

/** An entry that is not an audit entry: kept in `dead_letter`, never retried. */
class PoisonEntry extends Error {}

function parseEntry(data: Uint8Array): AuditEntry {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(data).toString('utf8'));
  } catch (error) {
    throw new PoisonEntry(`not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const result = auditEntrySchema.safeParse(json);
  if (!result.success) {
    throw new PoisonEntry(`not an audit entry: ${fieldErrorsOf(result.error).map((f) => `${f.field} (${f.rule})`).join(', ')}`);
  }
  return result.data;
}

/**
 * Reporting's durable consumer of the gateway's AUDIT stream: stores each entry once. The same
 * exactly-once discipline as the platform's IdempotentConsumer (which reads the event stream's
 * envelopes), but the entry id itself is the key: `INSERT … ON CONFLICT (id) DO NOTHING` makes
 * a redelivered or republished entry change nothing, and messages are acknowledged only after
 * commit. Messages already delivered are stored together in one statement; if that fails they
 * are retried one by one. An entry that fails the schema is dead-lettered and terminated, and so
 * is one whose insert fails `CONSUMER_MAX_DELIVERIES` times; consumption goes on.
 */
@Injectable()
export class AuditLogConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private messages?: ConsumerMessages;
  private running = false;
  private loop?: Promise<void>;
  private pendingTimer?: NodeJS.Timeout;

  constructor(
    private readonly nats: NatsConnectionService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
    @Inject(PLATFORM_CONFIG) private readonly config: AuditConsumerConfig,
    private readonly repository: AuditLogRepository,
  ) {}

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
        const consumer = await this.nats.jetstream().consumers.get(AUDIT_STREAM, AUDIT_CONSUMER);
        this.messages = await consumer.consume(PULL_CONSUME_OPTIONS);
        backoff = 0;
        let buffer: JsMsg[] = [];
        let flushScheduled = false;
        let flushing: Promise<void> = Promise.resolve();
        const flush = (): Promise<void> => {
          const batch = buffer;
          buffer = [];
          // A failure (the database gone) leaves the batch unacknowledged: JetStream redelivers it.
          flushing = flushing
            .then(() => this.processBatch(batch))
            .catch((error: unknown) => this.logger.error({ err: error, consumer: AUDIT_CONSUMER }, 'batch left for redelivery'));
          return flushing;
        };
        for await (const message of this.messages) {
          buffer.push(message);
          if (buffer.length >= BATCH_SIZE) {
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
        this.logger.warn({ err: error, consumer: AUDIT_CONSUMER, retryInMs: backoff }, 'consumer interrupted; retrying');
        await new Promise((r) => setTimeout(r, backoff));
      }
    }
  }

  private async ensureConsumer(): Promise<void> {
    const jsm = await this.nats.jetstreamManager();
    await ensureAuditStream(jsm, { replicas: this.config.EVENT_STREAM_REPLICAS, duplicateWindowMs: this.config.EVENT_DUPLICATE_WINDOW_MS });
    try {
      await jsm.consumers.info(AUDIT_STREAM, AUDIT_CONSUMER);
    } catch (error) {
      if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound) {
        await jsm.consumers.add(AUDIT_STREAM, {
          durable_name: AUDIT_CONSUMER,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          ack_wait: this.config.CONSUMER_ACK_WAIT_MS * 1_000_000,
          // The server never gives up on a message by itself; we dead-letter it explicitly instead.
          max_deliver: -1,
          filter_subject: 'audit.>',
        });
        return;
      }
      throw error;
    }
  }

  private async processBatch(messages: JsMsg[]): Promise<void> {
    if (messages.length === 0) return;
    if (messages.length === 1 && messages[0]) return this.process(messages[0]);
    const parsed: { message: JsMsg; entry: AuditEntry }[] = [];
    for (const message of messages) {
      try {
        parsed.push({ message, entry: parseEntry(message.data) });
      } catch (error) {
        await this.poison(message, error);
      }
    }
    let stored: Set<string>;
    try {
      const unique = [...new Map(parsed.map(({ entry }) => [entry.id, entry])).values()];
      stored = await this.repository.append(unique);
    } catch (error) {
      this.logger.warn({ err: error, consumer: AUDIT_CONSUMER, size: parsed.length }, 'batch failed; storing its entries one by one');
      for (const { message } of parsed) await this.process(message);
      return;
    }
    for (const { message, entry } of parsed) {
      message.ack();
      this.count(entry, stored.delete(entry.id));
    }
  }

  private async process(message: JsMsg): Promise<void> {
    let entry: AuditEntry;
    try {
      entry = parseEntry(message.data);
    } catch (error) {
      await this.poison(message, error);
      return;
    }
    try {
      const stored = await this.repository.append([entry]);
      message.ack();
      this.count(entry, stored.has(entry.id));
    } catch (error) {
      const deliveries = message.info.deliveryCount;
      if (deliveries >= this.config.CONSUMER_MAX_DELIVERIES) {
        await this.deadLetter(message, error);
        message.term();
        eventsConsumed.labels(AUDIT_CONSUMER, 'dead-lettered').inc();
      } else {
        message.nak(Math.min(250 * 2 ** deliveries, 30_000));
        eventsConsumed.labels(AUDIT_CONSUMER, 'retried').inc();
        this.logger.warn({ err: error, entryId: entry.id, deliveries }, 'audit entry not stored; will retry');
      }
    }
  }

  private count(entry: AuditEntry, stored: boolean): void {
    eventsConsumed.labels(AUDIT_CONSUMER, stored ? 'applied' : 'duplicate').inc();
    if (stored) consumerLagSeconds.labels(AUDIT_CONSUMER).set(Math.max(0, (Date.now() - Date.parse(entry.at)) / 1000));
  }

  private async poison(message: JsMsg, error: unknown): Promise<void> {
    await this.deadLetter(message, error);
    // No reason text: nats-server 2.9 only knows a bare `+TERM` (a `+TERM <reason>` is ignored there,
    // and the message would come back after the ack wait).
    message.term();
    eventsConsumed.labels(AUDIT_CONSUMER, 'dead-lettered').inc();
  }

  private async deadLetter(message: JsMsg, error: unknown): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.error({ consumer: AUDIT_CONSUMER, subject: message.subject, seq: message.seq, reason }, 'message dead-lettered');
    // PostgreSQL text holds no NUL: such bytes are kept as U+FFFD.
    await this.dataSource.query(
      `INSERT INTO dead_letter (consumer, stream_sequence, subject, payload, error, deliveries) VALUES ($1, $2, $3, $4, $5, $6)`,
      [AUDIT_CONSUMER, message.seq, message.subject, Buffer.from(message.data).toString('utf8').replace(/\u0000/g, '\uFFFD'), reason.replace(/\u0000/g, '\uFFFD').slice(0, 2000), message.info.deliveryCount],
    );
  }

  private async reportPending(): Promise<void> {
    try {
      const jsm = await this.nats.jetstreamManager();
      const info = await jsm.consumers.info(AUDIT_STREAM, AUDIT_CONSUMER);
      consumerPending.labels(AUDIT_CONSUMER).set(info.num_pending + info.num_ack_pending);
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
