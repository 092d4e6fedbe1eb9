import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule } from '@civil/platform';
import type { Logger } from 'pino';
import { AuditTrail } from './audit/audit-trail';
import { Authenticator } from './auth/authenticator';
import { IdempotencyStore } from './idempotency/idempotency-store';
import { SERVICE_NAME, type GatewayConfig } from './config';
import { GatewayRouter } from './routes/router';

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forService({ serviceName: SERVICE_NAME, config, logger })],
      providers: [Authenticator, AuditTrail, IdempotencyStore, GatewayRouter],
    };
  }
}
