import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, type ServiceConfig } from '@civil/platform';
import type { Logger } from 'pino';
import { SERVICE_NAME, serviceDataSource } from './data-source';
import { CemeteryModule } from './cemetery/cemetery.module';
import { DivorceModule } from './divorce/divorce.module';
import { SocialWorkModule } from './social-work/social-work.module';
import { AllowancesModule } from './allowances/allowances.module';
import { OrganisationsModule } from './organisations/organisations.module';
import { CounsellingModule } from './counselling/counselling.module';
import { MarriageModule } from './marriage/marriage.module';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forService({ serviceName: SERVICE_NAME, config, logger, dataSource: serviceDataSource(config.DATABASE_URL, config.DATABASE_POOL_SIZE) }), MarriageModule, DivorceModule, CemeteryModule, SocialWorkModule, OrganisationsModule, CounsellingModule, AllowancesModule],
    };
  }
}
