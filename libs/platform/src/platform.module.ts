import { Module, type DynamicModule, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import type { DataSourceOptions } from 'typeorm';
import { HealthController } from './health/health.controller';
import { Readiness } from './health/readiness';
import { NatsConnectionService } from './nats/nats-connection';
import { Outbox } from './outbox/outbox';
import { OutboxRelay } from './outbox/outbox-relay';
import { RpcClient } from './rpc/rpc-client';
import { RpcServer } from './rpc/rpc-server';
import { stopTelemetry } from './telemetry/telemetry';
import { PersonalDataCipher } from './personal-data/personal-data-cipher';
import { PLATFORM_CONFIG, PLATFORM_LOGGER, SERVICE_NAME } from './tokens';

export interface PlatformModuleOptions {
  serviceName: string;
  config: object;
  logger: Logger;
  /** Services with a database get TypeORM, the outbox and its relay. The gateway has none. */
  dataSource?: DataSourceOptions;
}

class TelemetryFlush implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await stopTelemetry();
  }
}

/** Everything a service boots with; global so feature modules can inject it. */
@Module({})
export class PlatformModule {
  static forService(options: PlatformModuleOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: PLATFORM_CONFIG, useValue: options.config },
      { provide: SERVICE_NAME, useValue: options.serviceName },
      { provide: PLATFORM_LOGGER, useValue: options.logger },
      NatsConnectionService,
      RpcServer,
      RpcClient,
      Readiness,
      TelemetryFlush,
    ];
    const exported: Provider[] = [PLATFORM_CONFIG as unknown as Provider, SERVICE_NAME as unknown as Provider, PLATFORM_LOGGER as unknown as Provider, NatsConnectionService, RpcClient, Readiness];
    const imports: DynamicModule['imports'] = [DiscoveryModule];
    if (options.dataSource) {
      imports.push(TypeOrmModule.forRoot({ ...options.dataSource, retryAttempts: 3, retryDelay: 1000 }));
      providers.push(Outbox, OutboxRelay, personalDataCipherProvider(options.config));
      exported.push(Outbox, OutboxRelay, PersonalDataCipher);
    }
    return { module: PlatformModule, global: true, imports, providers, controllers: [HealthController], exports: exported };
  }

  /**
   * For one-off commands (bulk import): the database and the outbox, no NATS, no HTTP. Events
   * written here wait in the outbox until a running replica's relay publishes them.
   */
  static forCommand(options: Required<Pick<PlatformModuleOptions, 'serviceName' | 'config' | 'logger' | 'dataSource'>>): DynamicModule {
    const providers: Provider[] = [
      { provide: PLATFORM_CONFIG, useValue: options.config },
      { provide: SERVICE_NAME, useValue: options.serviceName },
      { provide: PLATFORM_LOGGER, useValue: options.logger },
      Outbox,
      personalDataCipherProvider(options.config),
    ];
    return {
      module: PlatformModule,
      global: true,
      imports: [TypeOrmModule.forRoot(options.dataSource)],
      providers,
      exports: [PLATFORM_CONFIG, SERVICE_NAME, PLATFORM_LOGGER, Outbox, PersonalDataCipher],
    };
  }
}

/** Services with a database hold resident IDs: their cipher, from the validated configuration (no key in production stops the boot). */
function personalDataCipherProvider(config: object): Provider {
  return { provide: PersonalDataCipher, useFactory: () => PersonalDataCipher.fromEnvironment(config) };
}
