import './instrument';
import { runService } from '@civil/platform';
import { AppModule } from './app.module';
import { SERVICE_NAME, gatewayConfigSchema } from './config';
import { configureGateway } from './configure';

void runService({
  serviceName: SERVICE_NAME,
  configSchema: gatewayConfigSchema,
  rootModule: (config, logger) => AppModule.forRoot(config, logger),
  configureApp: configureGateway,
  bodyLimitBytes: (config) => config.BODY_LIMIT_BYTES,
  // The audit log's client address and the per-address rate limit depend on it.
  trustProxy: (config) => (config.TRUSTED_PROXIES === '' ? false : config.TRUSTED_PROXIES),
});
