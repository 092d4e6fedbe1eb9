import './instrument';
import { runService } from '@civil/platform';
import { AppModule } from './app.module';
import { elderlyCareConfigSchema } from './config';
import { SERVICE_NAME } from './data-source';

void runService({
  serviceName: SERVICE_NAME,
  configSchema: elderlyCareConfigSchema,
  rootModule: (config, logger) => AppModule.forRoot(config, logger),
});
