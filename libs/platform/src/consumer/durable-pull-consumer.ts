import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { AckPolicy, DeliverPolicy, JetStreamApiCodes, JetStreamApiError, type ConsumerConfig, type ConsumerMessages, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { consumerPending, eventsConsumed } from '../health/metrics';
import type { NatsConnectionService } from '../nats/nats-connection';

/**
 * How the durable pull consumers ask for messages. Each pull lasts 5 s (heartbeats every 2.5 s),
 * not nats.js's 30 s: when the consumer's leader dies in a JetStream cluster while this client's
 * own server lives, the client notices only when a pull expires or heartbeats are missed, and
 * with the default it sat 30–45 s without messages after an election (3-node cluster drill).
 */
export const PULL_CONSUME_OPTIONS = { max_messages: 256, expires: 5_000 } as const;

/** Where a durable pull consumer reads and how it treats a message that keeps failing. */
export interface PullConsumerTarget {
  stream: string;
  /** Durable consumer name; replicas of a service share it and so share the work. */
  durableName: string;
  filterSubjects: readonly string[];
  ackWaitMs: number;
  /** After this many failed deliveries a message is dead-lettered and terminated. */
  maxDeliveries: number;
  /** Messages handed to {@link DurablePullConsumer.processBatch} at most at once. */
  batchSize: number;
}

export interface PullConsumerDependencies {
  nats: NatsConnectionService;
  dataSource: DataSource;
  logger: Logger;
}

/**
 * The loop every durable JetStream pull consumer of the platform shares: it creates the stream
 * and the consumer when missing, pulls, hands the messages already received to
 * {@link processBatch} together (a burst costs one commit per batch, not per message), reconnects
 * with backoff when NATS goes away, and stops cleanly on shutdown. Subclasses decide what a batch
 * does; they acknowledge each message only after their commit, so anything unacknowledged (a
 * batch that threw, a process killed) comes back after the ack wait.
 *
 * It also keeps the dead-letter discipline in one place: a message that can never succeed, or
 * fails `maxDeliveries` times, is stored in `dead_letter` and terminated, and consumption goes on.
 */
export abstract class DurablePullConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private messages?: ConsumerMessages;
  private running = false;
  /** Aborted on shutdown, so a wait between reconnection attempts ends at once. */
  private readonly stopping = new AbortController();
  private loop?: Promise<void>;
  private pendingTimer?: NodeJS.Timeout;

  protected constructor(private readonly pull: PullConsumerDependencies) {}

  /** Read when the loop starts (after the subclass's fields are set), not in the constructor. */
  protected abstract target(): PullConsumerTarget;

  /** Creates or updates the stream the consumer reads. */
  protected abstract ensureStream(jsm: JetStreamManager): Promise<void>;

  /** Handles messages already delivered; acknowledges, naks or terminates each one. */
  protected abstract processBatch(messages: JsMsg[]): Promise<void>;

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
    this.pendingTimer = setInterval(() => void this.reportPending(), 5000);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    clearInterval(this.pendingTimer);
    await this.messages?.close();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { stream, durableName, batchSize } = this.target();
    let backoff = 0;
    while (this.running) {
      try {
        await this.ensureConsumer();
        const consumer = await this.pull.nats.jetstream().consumers.get(stream, durableName);
        this.messages = await consumer.consume(PULL_CONSUME_OPTIONS);
        // Shut down while the pull was being set up: close it here, or the loop below would wait
        // for a message that may never come.
        if (!this.running) {
          await this.messages.close();
          break;
        }
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
            .catch((error: unknown) => this.pull.logger.error({ err: error, consumer: durableName }, 'batch left for redelivery'));
          return flushing;
        };
        for await (const message of this.messages) {
          buffer.push(message);
          if (buffer.length >= batchSize) {
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
        this.pull.logger.warn({ err: error, consumer: durableName, retryInMs: backoff }, 'consumer interrupted; retrying');
        await sleep(backoff, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      }
    }
  }

  private async ensureConsumer(): Promise<void> {
    const { stream, durableName, filterSubjects, ackWaitMs } = this.target();
    const jsm = await this.pull.nats.jetstreamManager();
    await this.ensureStream(jsm);
    try {
      await jsm.consumers.info(stream, durableName);
    } catch (error) {
      if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound) {
        const config: Partial<ConsumerConfig> = {
          durable_name: durableName,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          ack_wait: ackWaitMs * 1_000_000,
          // The server never gives up on a message by itself; we dead-letter it explicitly instead.
          max_deliver: -1,
          ...(filterSubjects.length === 1 ? { filter_subject: filterSubjects[0] } : { filter_subjects: [...filterSubjects] }),
        };
        await jsm.consumers.add(stream, config);
        return;
      }
      throw error;
    }
  }

  /** A message that can never succeed (it does not parse): kept in `dead_letter`, never retried. */
  protected async reject(message: JsMsg, error: unknown): Promise<void> {
    await this.deadLetter(message, error);
    // No reason text: nats-server 2.9 only knows a bare `+TERM` (a `+TERM <reason>` is ignored
    // there, and the message would come back after the ack wait).
    message.term();
    eventsConsumed.labels(this.target().durableName, 'dead-lettered').inc();
  }

  /**
   * A message whose handling failed: asked again later with a growing delay, or dead-lettered once
   * it has failed `maxDeliveries` times, so one bad message cannot hold the consumer for ever.
   */
  protected async retryLaterOrReject(message: JsMsg, error: unknown, logFields: Record<string, unknown>): Promise<void> {
    const { durableName, maxDeliveries } = this.target();
    const deliveries = message.info.deliveryCount;
    if (deliveries >= maxDeliveries) {
      await this.reject(message, error);
      return;
    }
    message.nak(Math.min(250 * 2 ** deliveries, 30_000));
    eventsConsumed.labels(durableName, 'retried').inc();
    this.pull.logger.warn({ err: error, consumer: durableName, deliveries, ...logFields }, 'message handling failed; will retry');
  }

  private async deadLetter(message: JsMsg, error: unknown): Promise<void> {
    const { durableName } = this.target();
    const reason = error instanceof Error ? error.message : String(error);
    this.pull.logger.error({ consumer: durableName, subject: message.subject, seq: message.seq, reason }, 'message dead-lettered');
    // PostgreSQL text holds no NUL: such characters are kept as U+FFFD, or the dead letter itself
    // would fail and the message would come back for ever.
    await this.pull.dataSource.query(
      `INSERT INTO dead_letter (consumer, stream_sequence, subject, payload, error, deliveries) VALUES ($1, $2, $3, $4, $5, $6)`,
      [durableName, message.seq, message.subject, withoutNul(Buffer.from(message.data).toString('utf8')), withoutNul(reason).slice(0, 2000), message.info.deliveryCount],
    );
  }

  private async reportPending(): Promise<void> {
    const { stream, durableName } = this.target();
    try {
      const jsm = await this.pull.nats.jetstreamManager();
      const info = await jsm.consumers.info(stream, durableName);
      consumerPending.labels(durableName).set(info.num_pending + info.num_ack_pending);
    } catch {
      // Metrics are best effort while NATS is away.
    }
  }
}

function withoutNul(text: string): string {
  return text.replace(/\u0000/g, '\uFFFD');
}
