import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SYSTEM_ACTOR } from '@civil/contracts';
import { PLATFORM_LOGGER } from '@civil/platform';
import type { Logger } from 'pino';
import { DivorceService } from './divorce.service';

/** Every hour, and once at start: applications whose appearance deadline passed lapse. */
export const LAPSE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Runs the lapse sweep on a timer in every replica; the sweep is idempotent and replicas take
 * disjoint rows, so no coordination is needed. A failed sweep is logged and retried next time.
 */
@Injectable()
export class DivorceLapseScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly divorces: DivorceService,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), LAPSE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async sweep(): Promise<void> {
    try {
      const { lapsed } = await this.divorces.lapse(SYSTEM_ACTOR);
      if (lapsed > 0) this.logger.info({ lapsed }, 'divorce applications lapsed');
    } catch (error) {
      this.logger.error({ err: error }, 'divorce lapse sweep failed');
    }
  }
}
