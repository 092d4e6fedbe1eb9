import { exitIfShutdownOverruns } from './run-service';

describe('exitIfShutdownOverruns', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('exits with 1 and logs once the grace period has passed, not before', () => {
    const exit = jest.fn();
    const logger = { error: jest.fn() };
    exitIfShutdownOverruns(10_000, logger, exit);
    jest.advanceTimersByTime(9_999);
    expect(exit).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(exit).toHaveBeenCalledWith(1);
    expect(logger.error).toHaveBeenCalledWith({ graceMs: 10_000 }, expect.stringContaining('SHUTDOWN_GRACE_MS'));
  });

  it('does not keep the process alive: the timer is unreferenced', () => {
    const timer = exitIfShutdownOverruns(10_000, { error: jest.fn() }, jest.fn());
    expect(timer.hasRef()).toBe(false);
    clearTimeout(timer);
  });
});
