import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { AUDIT_STREAM, auditEntrySchema, fieldErrorsOf, type AuditEntry } from '@civil/contracts';
import { DurablePullConsumer, NatsConnectionService, PLATFORM_CONFIG, PLATFORM_LOGGER, consumerLagSeconds, ensureAuditStream, eventsConsumed, type PullConsumerTarget } from '@civil/platform';
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
 * Reporting's durable consumer of the gateway's AUDIT stream: stores each entry once. The pull
 * loop and the dead letters are the platform's (DurablePullConsumer, as for IdempotentConsumer,
 * which reads the event stream's envelopes); here the entry id itself is the key: `INSERT … ON CONFLICT (id) DO NOTHING` makes
 * a redelivered or republished entry change nothing, and messages are acknowledged only after
 * commit. Messages already delivered are stored together in one statement; if that fails they
 * are retried one by one. An entry that fails the schema is dead-lettered and terminated, and so
 * is one whose insert fails `CONSUMER_MAX_DELIVERIES` times; consumption goes on.
 */
@Injectable()
export class AuditLogConsumer extends DurablePullConsumer {
  constructor(
    nats: NatsConnectionService,
    @InjectDataSource() dataSource: DataSource,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
    @Inject(PLATFORM_CONFIG) private readonly config: AuditConsumerConfig,
    private readonly repository: AuditLogRepository,
  ) {
    super({ nats, dataSource, logger });
  }

  protected target(): PullConsumerTarget {
    return {
      stream: AUDIT_STREAM,
      durableName: AUDIT_CONSUMER,
      filterSubjects: ['audit.>'],
      ackWaitMs: this.config.CONSUMER_ACK_WAIT_MS,
      maxDeliveries: this.config.CONSUMER_MAX_DELIVERIES,
      batchSize: BATCH_SIZE,
    };
  }

  protected async ensureStream(jsm: JetStreamManager): Promise<void> {
    await ensureAuditStream(jsm, { replicas: this.config.EVENT_STREAM_REPLICAS, duplicateWindowMs: this.config.EVENT_DUPLICATE_WINDOW_MS });
  }

  protected async processBatch(messages: JsMsg[]): Promise<void> {
    if (messages.length === 0) return;
    if (messages.length === 1 && messages[0]) return this.process(messages[0]);
    const parsed: { message: JsMsg; entry: AuditEntry }[] = [];
    for (const message of messages) {
      try {
        parsed.push({ message, entry: parseEntry(message.data) });
      } catch (error) {
        await this.reject(message, error);
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
      await this.reject(message, error);
      return;
    }
    try {
      const stored = await this.repository.append([entry]);
      message.ack();
      this.count(entry, stored.has(entry.id));
    } catch (error) {
      await this.retryLaterOrReject(message, error, { entryId: entry.id });
    }
  }

  private count(entry: AuditEntry, stored: boolean): void {
    eventsConsumed.labels(AUDIT_CONSUMER, stored ? 'applied' : 'duplicate').inc();
    if (stored) consumerLagSeconds.labels(AUDIT_CONSUMER).set(Math.max(0, (Date.now() - Date.parse(entry.at)) / 1000));
  }
}
