import './instrument';
import { runService } from '@civil/platform';
import { AppModule } from './app.module';
import { SERVICE_NAME, placeNamesConfigSchema } from './config';

void runService({
  serviceName: SERVICE_NAME,
  configSchema: placeNamesConfigSchema,
  rootModule: (config, logger) => AppModule.forRoot(config, logger),
});
