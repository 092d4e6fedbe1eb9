import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PLATFORM_LOGGER } from '@civil/platform';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import type { DataSource } from 'typeorm';
import type { CityFeedSettings } from '../config';
import { CITY_FEED_SETTINGS, CityFeedService } from './city-feed.service';
import { deliverWithRetries } from './city-feed.webhook';

export interface SenderRun {
  /** Batches the city accepted. */
  delivered: number;
  /** Batches dead-lettered after every attempt failed. */
  deadLettered: number;
  /** Another replica holds the lease, or the sender is stopping. */
  skipped: boolean;
}

/**
 * Pushes the city feed to `CITY_FEED_URL` (off without it). Every interval, the replica holding the
 * lease (`city_feed_delivery`, a row with an expiry, so one sender at a time and no transaction
 * held open during HTTP) sends batches from its stored cursor until the feed is drained:
 *
 * - accepted (2xx): the cursor moves to the batch's end;
 * - every attempt failed (exponential backoff between them): the batch's range, attempts and last
 *   error are written to `city_feed_dead_letter` and, in the same transaction, the cursor moves on
 *   — a decision: one batch the city rejects must not hold back everything after it. Nothing is
 *   lost: the entries are append-only and the range is exact, so an operator re-sends it with
 *   `POST …/city-feed/dead-letters/:id/retry`; each batch carries a stable `batchId` (also the
 *   Idempotency-Key header) and every item its cursor, so the receiver can ignore repeats and
 *   order records that arrive late.
 * - shutdown during retries: nothing is recorded, the cursor stays, the next run resends.
 */
@Injectable()
export class CityFeedSender implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SenderRun> | null = null;
  private readonly stop = new AbortController();
  private readonly owner = `${hostname()}/${process.pid}/${randomUUID()}`;

  constructor(
    private readonly feed: CityFeedService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CITY_FEED_SETTINGS) private readonly settings: CityFeedSettings,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
  ) {}

  get enabled(): boolean {
    return this.settings.url !== undefined;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) {
      this.logger.info('city feed sender disabled (CITY_FEED_URL not set)');
      return;
    }
    this.timer = setInterval(() => void this.tick(), this.settings.intervalMs);
    this.timer.unref();
    void this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.stop.abort();
    await this.running?.catch(() => undefined);
  }

  /** One run, unless one is already going in this process (then its result). Never throws. */
  async tick(): Promise<SenderRun> {
    if (!this.running) {
      this.running = this.run()
        .catch((error: unknown) => {
          this.logger.error({ err: error }, 'city feed sender run failed');
          return { delivered: 0, deadLettered: 0, skipped: false };
        })
        .finally(() => {
          this.running = null;
        });
    }
    return this.running;
  }

  /** How long a lease lasts: every attempt timing out plus every backoff, with a margin. */
  private leaseMs(): number {
    const { maxAttempts, timeoutMs, backoffMs, maxBackoffMs } = this.settings;
    let backoff = 0;
    for (let a = 2; a <= maxAttempts; a++) backoff += Math.min(maxBackoffMs, backoffMs * 2 ** (a - 2));
    return maxAttempts * timeoutMs + backoff + 30_000;
  }

  private async claim(): Promise<{ cursor: string | null } | null> {
    const [row] = await this.dataSource.query<{ cursor: string | null }[]>(
      // (UPDATE … RETURNING inside a CTE: TypeORM returns [rows, count] for a bare UPDATE.)
      `WITH claimed AS (UPDATE city_feed_delivery SET lease_owner = $1, lease_until = now() + $2 * interval '1 millisecond', updated_at = now()
        WHERE id = 1 AND (lease_owner IS NULL OR lease_owner = $1 OR lease_until < now()) RETURNING cursor) SELECT cursor FROM claimed`,
      [this.owner, this.leaseMs()],
    );
    return row ?? null;
  }

  private async run(): Promise<SenderRun> {
    const result: SenderRun = { delivered: 0, deadLettered: 0, skipped: false };
    if (!this.enabled || this.stop.signal.aborted) return { ...result, skipped: true };
    try {
      for (;;) {
        // (Re)claim before each batch: renews the lease and reads the stored cursor.
        const lease = await this.claim();
        if (!lease) return { ...result, skipped: result.delivered + result.deadLettered === 0 };
        if (this.stop.signal.aborted) return result;
        const batch = await this.feed.batchAfter(lease.cursor, this.settings.batchSize);
        if (!batch) return result;
        const outcome = await deliverWithRetries(this.settings, batch, this.stop.signal);
        if (outcome.status === 'stopped') return result;
        if (outcome.status === 'delivered') {
          const moved = await this.dataSource.query<unknown[]>(
            `WITH moved AS (UPDATE city_feed_delivery SET cursor = $3, last_delivered_at = now(), last_error = NULL, updated_at = now()
              WHERE id = 1 AND lease_owner = $1 AND cursor IS NOT DISTINCT FROM $2 RETURNING id) SELECT id FROM moved`,
            [this.owner, batch.from, batch.to],
          );
          if (moved.length === 0) return result; // lease lost meanwhile: the new holder resends (same batchId)
          result.delivered++;
          this.logger.info({ from: batch.from, to: batch.to, items: batch.items.length, attempts: outcome.attempts }, 'city feed batch delivered');
          continue;
        }
        const deadLettered = await this.dataSource.transaction(async (manager) => {
          const moved = await manager.query<unknown[]>(
            `WITH moved AS (UPDATE city_feed_delivery SET cursor = $3, last_error = $4, updated_at = now()
              WHERE id = 1 AND lease_owner = $1 AND cursor IS NOT DISTINCT FROM $2 RETURNING id) SELECT id FROM moved`,
            [this.owner, batch.from, batch.to, outcome.lastError],
          );
          if (moved.length === 0) return false;
          await manager.query(
            `INSERT INTO city_feed_dead_letter (id, from_cursor, to_cursor, entries, attempts, last_error) VALUES ($1, $2, $3, $4, $5, $6)`,
            [uuidv7(), batch.from, batch.to, batch.items.length, outcome.attempts, outcome.lastError],
          );
          return true;
        });
        if (!deadLettered) return result;
        result.deadLettered++;
        this.logger.warn({ from: batch.from, to: batch.to, items: batch.items.length, attempts: outcome.attempts, error: outcome.lastError }, 'city feed batch dead-lettered');
      }
    } finally {
      await this.dataSource
        .query(`UPDATE city_feed_delivery SET lease_owner = NULL, lease_until = NULL WHERE id = 1 AND lease_owner = $1`, [this.owner])
        .catch((error: unknown) => this.logger.warn({ err: error }, 'city feed lease not released'));
    }
  }
}
