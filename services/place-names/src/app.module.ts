import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, type ServiceConfig } from '@civil/platform';
import type { Logger } from 'pino';
import { SERVICE_NAME } from './config';
import { placeNamesDataSource } from './data-source';
import { AuditsModule } from './audits/audits.module';
import { DivisionsModule } from './divisions/divisions.module';
import { GazetteerModule } from './gazetteer/gazetteer.module';
import { NamingProposalsModule } from './naming-proposals/naming-proposals.module';
import { NamingRulesModule } from './naming-rules/naming-rules.module';
import { TransferModule } from './transfer/transfer.module';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({ serviceName: SERVICE_NAME, config, logger, dataSource: placeNamesDataSource(config.DATABASE_URL, config.DATABASE_POOL_SIZE) }),
        GazetteerModule,
        NamingRulesModule,
        NamingProposalsModule,
        TransferModule,
        DivisionsModule,
        AuditsModule,
      ],
    };
  }
}
