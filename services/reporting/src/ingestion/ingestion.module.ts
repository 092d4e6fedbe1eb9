import { Module } from '@nestjs/common';
import { CountersModule } from '../counters/counters.module';
import { ProjectionsModule } from '../projections/projections.module';
import { EventIngestionConsumer } from './event-ingestion.consumer';

@Module({
  imports: [CountersModule, ProjectionsModule],
  providers: [EventIngestionConsumer],
})
export class IngestionModule {}
