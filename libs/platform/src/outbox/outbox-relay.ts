import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { EventConfig } from '../config/config';
import { outboxPending, outboxPublished, outboxRelayFailures } from '../health/metrics';
import { NatsConnectionService } from '../nats/nats-connection';
import { PLATFORM_CONFIG, PLATFORM_LOGGER } from '../tokens';
import { ensureEventStream } from './event-stream';

interface OutboxRow {
  id: string;
  subject: string;
  envelope: unknown;
}

/**
 * Moves committed outbox rows to JetStream. Rows are claimed with FOR UPDATE SKIP LOCKED, so
 * replicas share the work without publishing the same row at once; each is published with
 * Nats-Msg-Id = event id (JetStream drops duplicates in its window), and marked published only
 * after JetStream acknowledged it. While NATS is down the relay backs off and nothing is lost.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private interrupt?: () => void;
  private pendingWake = false;
  private streamReady = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly nats: NatsConnectionService,
    @Inject(PLATFORM_CONFIG) private readonly config: EventConfig,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.OUTBOX_RELAY_ENABLED) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Ask for a pass now instead of at the next poll. */
  wake(): void {
    this.pendingWake = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    let backoff = 0;
    while (this.running) {
      let published = 0;
      try {
        if (!this.streamReady) {
          await ensureEventStream(await this.nats.jetstreamManager(), {
            replicas: this.config.EVENT_STREAM_REPLICAS,
            duplicateWindowMs: this.config.EVENT_DUPLICATE_WINDOW_MS,
          });
          this.streamReady = true;
        }
        published = await this.publishBatch();
        backoff = 0;
      } catch (error) {
        outboxRelayFailures.inc();
        backoff = Math.min(backoff === 0 ? 100 : backoff * 2, this.config.OUTBOX_MAX_BACKOFF_MS);
        this.logger.warn({ err: error, retryInMs: backoff }, 'outbox relay could not publish; backing off');
      }
      // A full batch means more may be waiting: go again at once.
      if (backoff === 0 && published >= this.config.OUTBOX_BATCH_SIZE) continue;
      await this.sleep(backoff || this.config.OUTBOX_POLL_INTERVAL_MS, backoff > 0);
    }
  }

  /** One pass: claim a batch, publish it, mark it. Returns how many rows were published. */
  async publishBatch(): Promise<number> {
    const js = this.nats.jetstream();
    const outcome = await this.dataSource.transaction(async (manager) => {
      const rows: OutboxRow[] = await manager.query(
        `SELECT id, subject, envelope FROM outbox
          WHERE published_at IS NULL
          ORDER BY id
          LIMIT $1
          FOR UPDATE SKIP LOCKED`,
        [this.config.OUTBOX_BATCH_SIZE],
      );
      if (rows.length === 0) {
        outboxPending.set(0);
        return { published: 0, error: undefined };
      }
      // Publishes are pipelined on one connection, so the stream keeps the outbox order.
      const acks = rows.map((row) => {
        const h = natsHeaders();
        const envelope = row.envelope as { traceparent?: string };
        if (envelope.traceparent) h.set('traceparent', envelope.traceparent);
        return js.publish(row.subject, JSON.stringify(row.envelope), { msgID: row.id, headers: h, timeout: 5000 });
      });
      const results = await Promise.allSettled(acks);
      const acknowledged = rows.filter((_, i) => results[i]?.status === 'fulfilled').map((r) => r.id);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (acknowledged.length > 0) {
        await manager.query(`UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($1::uuid[])`, [acknowledged]);
        outboxPublished.inc(acknowledged.length);
      }
      if (failed) {
        const failedIds = rows.filter((_, i) => results[i]?.status === 'rejected').map((r) => r.id);
        await manager.query(`UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::uuid[])`, [
          failedIds,
          String(failed.reason instanceof Error ? failed.reason.message : failed.reason).slice(0, 500),
        ]);
        // Commit what was acknowledged, then let the caller back off.
        return { published: acknowledged.length, error: failed.reason as unknown };
      }
      return { published: rows.length, error: undefined };
    });
    if (outcome.error !== undefined) {
      // The stream may be gone after a NATS restart without its storage: check it next time.
      this.streamReady = false;
      throw outcome.error instanceof Error ? outcome.error : new Error('JetStream publish failed');
    }
    return outcome.published;
  }

  /** Waits for the poll interval or backoff; a wake cuts a poll short but never a backoff. */
  private sleep(ms: number, backingOff: boolean): Promise<void> {
    if (this.pendingWake && !backingOff) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.interrupt = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.interrupt = done;
      this.wakeUp = backingOff
        ? undefined
        : () => {
            this.pendingWake = false;
            done();
          };
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.interrupt?.();
    await this.loop;
  }
}
