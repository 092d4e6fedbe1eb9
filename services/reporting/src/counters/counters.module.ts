import { Module } from '@nestjs/common';
import { EventIngestionConsumer } from '../ingestion/event-ingestion.consumer';
import { CountersHandlers } from './counters.handlers';
import { CountersProjection } from './counters.projection';

@Module({
  providers: [CountersProjection, CountersHandlers, EventIngestionConsumer],
})
export class CountersModule {}
