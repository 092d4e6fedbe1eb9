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
    };
  }

  protected async apply(event: EventEnvelope, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO event_archive (id, type, source, subject, division_code, event_time, actor, traceparent, envelope)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (id) DO NOTHING`,
      [event.id, event.type, event.source, event.subject, event.divisioncode, event.time, event.actor, event.traceparent ?? null, JSON.stringify(event)],
    );
    await this.counters.apply(event, manager);
    await this.projections.apply(event, manager);
  }
}
