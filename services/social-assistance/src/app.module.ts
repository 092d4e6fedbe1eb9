import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule } from '@civil/platform';
import type { Logger } from 'pino';
import { SERVICE_NAME, serviceDataSource } from './data-source';
import { CalendarModule } from './calendar/calendar.module';
import { CharityModule } from './charity/charity.module';
import type { SocialAssistanceConfig } from './config';
import { DibaoModule } from './dibao/dibao.module';
import { HouseholdsModule } from './households/households.module';
import { PayrollModule } from './payroll/payroll.module';
import { DibaoReviewsModule } from './reviews/dibao-reviews.module';
import { TekunModule } from './tekun/tekun.module';
import { TemporaryAssistanceModule } from './temporary-assistance/temporary-assistance.module';
import { VerificationModule } from './verification/verification.module';

@Module({})
export class AppModule {
  static forRoot(config: SocialAssistanceConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forService({ serviceName: SERVICE_NAME, config, logger, dataSource: serviceDataSource(config.DATABASE_URL, config.DATABASE_POOL_SIZE) }), CalendarModule, HouseholdsModule, DibaoModule, DibaoReviewsModule, PayrollModule, TemporaryAssistanceModule, CharityModule, TekunModule, VerificationModule.forRoot(config)],
    };
  }
}
