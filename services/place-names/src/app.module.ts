import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, type ServiceConfig } from '@civil/platform';
import type { Logger } from 'pino';
import { SERVICE_NAME } from './config';
import { placeNamesDataSource } from './data-source';
import { PlaceNamesModule } from './place-names/place-names.module';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({ serviceName: SERVICE_NAME, config, logger, dataSource: placeNamesDataSource(config.DATABASE_URL, config.DATABASE_POOL_SIZE) }),
        PlaceNamesModule,
      ],
    };
  }
}
