import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule } from '@civil/platform';
import type { Logger } from 'pino';
import { SERVICE_NAME, type ReportingConfig } from './config';
import { CountersModule } from './counters/counters.module';
import { reportingDataSource } from './data-source';
import { IngestionModule } from './ingestion/ingestion.module';
import { ProjectionsModule } from './projections/projections.module';
import { BudgetModule } from './budget/budget.module';
import { DashboardsModule } from './dashboards/dashboards.module';
import { IndicatorsModule } from './indicators/indicators.module';
import { SignOffModule } from './sign-off/sign-off.module';
import { ValidationModule } from './validation/validation.module';
import { AnnualReportModule } from './annual-report/annual-report.module';
import { AuditLogModule } from './audit-log/audit-log.module';

@Module({})
export class AppModule {
  static forRoot(config: ReportingConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({ serviceName: SERVICE_NAME, config, logger, dataSource: reportingDataSource(config.DATABASE_URL, config.DATABASE_POOL_SIZE) }),
        CountersModule,
        ProjectionsModule,
        BudgetModule,
        IndicatorsModule,
        ValidationModule,
        AnnualReportModule,
        SignOffModule,
        DashboardsModule,
        IngestionModule,
        AuditLogModule,
      ],
    };
  }
}
