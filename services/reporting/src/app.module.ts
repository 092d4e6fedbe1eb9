import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule } from '@civil/platform';
import type { Logger } from 'pino';
import { SERVICE_NAME, type ReportingConfig } from './config';
import { CountersModule } from './counters/counters.module';
import { reportingDataSource } from './data-source';
import { IngestionModule } from './ingestion/ingestion.module';
import { ProjectionsModule } from './projections/projections.module';

@Module({})
export class AppModule {
  static forRoot(config: ReportingConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({ serviceName: SERVICE_NAME, config, logger, dataSource: reportingDataSource(config.DATABASE_URL, config.DATABASE_POOL_SIZE) }),
        CountersModule,
        ProjectionsModule,
        IngestionModule,
      ],
    };
  }
}
