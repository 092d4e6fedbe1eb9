import { Injectable, Optional, type BeforeApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NatsConnectionService } from '../nats/nats-connection';

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, 'up' | 'down'>;
}

/** Ready = NATS connected and the database answering, and not shutting down. */
@Injectable()
export class Readiness implements BeforeApplicationShutdown {
  private shuttingDown = false;

  constructor(
    private readonly nats: NatsConnectionService,
    @Optional() private readonly dataSource?: DataSource,
  ) {}

  async check(): Promise<ReadinessReport> {
    const checks: Record<string, 'up' | 'down'> = { nats: this.nats.isReady() ? 'up' : 'down' };
    if (this.dataSource) checks.database = (await this.pingDatabase()) ? 'up' : 'down';
    if (this.shuttingDown) checks.shutdown = 'down';
    return { ready: Object.values(checks).every((c) => c === 'up'), checks };
  }

  private async pingDatabase(): Promise<boolean> {
    if (!this.dataSource?.isInitialized) return false;
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000).unref());
    const ping = this.dataSource.query('SELECT 1').then(() => true, () => false);
    return Promise.race([ping, timeout]);
  }

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }
}
