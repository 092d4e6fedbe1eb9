import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { EventEnvelope } from '@civil/contracts';
import { IdempotentConsumer, NatsConnectionService, PLATFORM_CONFIG, PLATFORM_LOGGER, type ConsumerSettings } from '@civil/platform';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import type { ReportingConfig } from '../config';
import { CountersProjection } from '../counters/counters.projection';
import { ProjectionService } from '../projections/projection.service';

/**
 * Reporting's durable consumer of every service's events: archives each event once and updates
 * the projections in the same transaction (the platform base records the event id there too).
 */
@Injectable()
export class EventIngestionConsumer extends IdempotentConsumer {
  protected readonly settings: ConsumerSettings;

  constructor(
    nats: NatsConnectionService,
    @InjectDataSource() dataSource: DataSource,
    @Inject(PLATFORM_LOGGER) logger: Logger,
    @Inject(PLATFORM_CONFIG) config: ReportingConfig,
    private readonly counters: CountersProjection,
    private readonly projections: ProjectionService,
  ) {
    super({ nats, dataSource, logger, config });
    this.settings = {
      durableName: 'reporting',
      filterSubjects: ['civil.>'],
      maxDeliveries: config.CONSUMER_MAX_DELIVERIES,
      ackWaitMs: config.CONSUMER_ACK_WAIT_MS,
      batchSize: 500,
      setBased: true,
    };
  }

  protected async apply(event: EventEnvelope, manager: EntityManager): Promise<void> {
    await this.applyBatch([event], manager);
  }

  /** A batch in one statement per table: the archive, the counters, the facts, the state versions. */
  protected override async applyBatch(events: readonly EventEnvelope[], manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO event_archive (id, type, source, subject, division_code, event_time, actor, traceparent, envelope)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::char(12)[], $6::timestamptz[], $7::text[], $8::text[], $9::jsonb[])
       ON CONFLICT (id) DO NOTHING`,
      [
        events.map((e) => e.id),
        events.map((e) => e.type),
        events.map((e) => e.source),
        events.map((e) => e.subject),
        events.map((e) => e.divisioncode),
        events.map((e) => e.time),
        events.map((e) => e.actor),
        events.map((e) => e.traceparent ?? null),
        events.map((e) => JSON.stringify(e)),
      ],
    );
    await this.counters.applyMany(events, manager);
    await this.projections.applyMany(events, manager);
  }
}
