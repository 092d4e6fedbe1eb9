import './instrument';
import { runService } from '@civil/platform';
import { AppModule } from './app.module';
import { SERVICE_NAME, reportingConfigSchema } from './config';

void runService({
  serviceName: SERVICE_NAME,
  configSchema: reportingConfigSchema,
  rootModule: (config, logger) => AppModule.forRoot(config, logger),
});
