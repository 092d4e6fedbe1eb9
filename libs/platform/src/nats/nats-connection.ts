import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import type { BaseConfig } from '../config/config';
import { PLATFORM_CONFIG, PLATFORM_LOGGER, SERVICE_NAME } from '../tokens';

/**
 * The service's one NATS connection, shared by request/reply and JetStream. It reconnects for
 * ever; readiness reports it down while disconnected. Drained last on shutdown.
 */
@Injectable()
export class NatsConnectionService implements OnModuleInit, OnApplicationShutdown {
  private connection?: NatsConnection;
  private connected = false;

  constructor(
    @Inject(PLATFORM_CONFIG) private readonly config: BaseConfig,
    @Inject(SERVICE_NAME) private readonly serviceName: string,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    this.connection = await connect({
      servers: this.config.NATS_URL.split(','),
      name: this.serviceName,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      waitOnFirstConnect: true,
      timeout: 10_000,
    });
    this.connected = true;
    void this.watchStatus(this.connection);
    this.logger.info({ server: this.connection.getServer() }, 'connected to NATS');
  }

  private async watchStatus(nc: NatsConnection): Promise<void> {
    // Only connectivity matters for readiness; the other status kinds are informational.
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') {
        this.connected = false;
        this.logger.warn('NATS disconnected');
      } else if (status.type === 'reconnect') {
        this.connected = true;
        this.logger.info('NATS reconnected');
      }
    }
  }

  get nc(): NatsConnection {
    if (!this.connection) throw new Error('NATS is not connected yet');
    return this.connection;
  }

  jetstream(): JetStreamClient {
    return jetstream(this.nc);
  }

  jetstreamManager(): Promise<JetStreamManager> {
    return jetstreamManager(this.nc);
  }

  isReady(): boolean {
    return this.connected && !!this.connection && !this.connection.isClosed() && !this.connection.isDraining();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.connection && !this.connection.isClosed()) {
      // drain() lets replies and queued publishes go out before the socket closes.
      await this.connection.drain().catch(() => undefined);
    }
  }
}
