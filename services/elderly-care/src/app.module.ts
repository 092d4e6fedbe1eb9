import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, type ServiceConfig } from '@civil/platform';
import type { Logger } from 'pino';
import { AgeAllowanceModule } from './age-allowance/age-allowance.module';
import { InstitutionsModule } from './institutions/institutions.module';
import { HomeAdaptationModule } from './home-adaptation/home-adaptation.module';
import { CityFeedModule } from './city-feed/city-feed.module';
import { SERVICE_NAME, serviceDataSource } from './data-source';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forService({ serviceName: SERVICE_NAME, config, logger, dataSource: serviceDataSource(config.DATABASE_URL, config.DATABASE_POOL_SIZE) }), AgeAllowanceModule, HomeAdaptationModule, InstitutionsModule, CityFeedModule],
    };
  }
}
