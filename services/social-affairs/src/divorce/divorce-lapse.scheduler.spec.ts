import { SYSTEM_ACTOR } from '@civil/contracts';
import type { Logger } from 'pino';
import { DivorceLapseScheduler } from './divorce-lapse.scheduler';
import type { DivorceService } from './divorce.service';

/** The timer's wrapper only; the sweep itself is tested against PostgreSQL in divorce.integration-spec. */
describe('DivorceLapseScheduler', () => {
  function make(lapse: () => Promise<{ lapsed: number }>): { scheduler: DivorceLapseScheduler; calls: unknown[][]; logged: string[] } {
    const calls: unknown[][] = [];
    const logged: string[] = [];
    const divorces = { lapse: async (...args: unknown[]) => (calls.push(args), lapse()) } as unknown as DivorceService;
    const logger = { info: (_: unknown, msg: string) => void logged.push(`info:${msg}`), error: (_: unknown, msg: string) => void logged.push(`error:${msg}`) } as unknown as Logger;
    return { scheduler: new DivorceLapseScheduler(divorces, logger), calls, logged };
  }

  it('sweeps as the system actor and logs what lapsed', async () => {
    const { scheduler, calls, logged } = make(async () => ({ lapsed: 2 }));
    await scheduler.sweep();
    expect(calls).toEqual([[SYSTEM_ACTOR]]);
    expect(logged).toEqual(['info:divorce applications lapsed']);
  });

  it('logs a failed sweep instead of throwing, so the next tick tries again', async () => {
    const { scheduler, logged } = make(async () => Promise.reject(new Error('database down')));
    await expect(scheduler.sweep()).resolves.toBeUndefined();
    expect(logged).toEqual(['error:divorce lapse sweep failed']);
  });
});
