import { serviceDir } from '@civil/launcher';
import { spawnProcess } from '@civil/testing';

/** A bad or missing variable stops a service at boot with a message naming it. */
describe('configuration is validated at boot', () => {
  const run = async (service: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> => {
    const child = spawnProcess({ name: service, command: process.execPath, args: ['dist/main.js'], cwd: serviceDir(service as 'gateway'), env: { NATS_URL: '', DATABASE_URL: '', PORT: '', ...env } });
    const exit = await child.waitForExit(30_000);
    return { code: exit.code, output: child.output() };
  };

  it.each([
    ['place-names', { PORT: 'abc', NATS_URL: 'nats://127.0.0.1:4222', DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db' }, 'PORT is invalid'],
    ['reporting', { PORT: '3105', DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db' }, 'NATS_URL is required but not set'],
    ['social-assistance', { PORT: '3102', NATS_URL: 'nats://127.0.0.1:4222', DATABASE_URL: 'mysql://nope' }, 'DATABASE_URL is invalid'],
    ['gateway', { PORT: '3000', NATS_URL: 'nats://127.0.0.1:4222', NODE_ENV: 'production', DEV_TOKENS_ENABLED: 'true', DEV_TOKEN_SECRET: 'x'.repeat(40) }, 'DEV_TOKENS_ENABLED is invalid'],
    ['elderly-care', { PORT: '3104', NATS_URL: 'nats://127.0.0.1:4222', DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db', LOG_LEVEL: 'loud' }, 'LOG_LEVEL is invalid'],
  ])('%s exits non-zero naming the bad variable', async (service, env, message) => {
    const result = await run(service, env);
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.output).toContain(message);
  });
});
