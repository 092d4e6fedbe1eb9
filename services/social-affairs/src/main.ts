import './instrument';
import { runService, serviceConfigSchema } from '@civil/platform';
import { AppModule } from './app.module';
import { SERVICE_NAME } from './data-source';

void runService({
  serviceName: SERVICE_NAME,
  configSchema: serviceConfigSchema,
  rootModule: (config, logger) => AppModule.forRoot(config, logger),
});
