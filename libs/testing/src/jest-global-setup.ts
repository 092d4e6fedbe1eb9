import { TEST_DATABASE_ADMIN_URL, TEST_NATS_URL } from './integration-env';
import { startNats, type NatsHandle } from './nats';
import { startPostgres, type PostgresHandle } from './postgres';

/** Handles shared between globalSetup and globalTeardown (Jest runs both in its main process). */
export interface SharedServers {
  postgres: PostgresHandle;
  nats: NatsHandle;
}

const KEY = '__civilTestingSharedServers';

export function sharedServers(): SharedServers | undefined {
  return (globalThis as Record<string, unknown>)[KEY] as SharedServers | undefined;
}

export function setSharedServers(servers: SharedServers | undefined): void {
  (globalThis as Record<string, unknown>)[KEY] = servers;
}

/** CIVIL_TESTING_LOG=1 streams the servers' own output to stderr. */
function serverLog(name: string): ((line: string) => void) | undefined {
  if (process.env.CIVIL_TESTING_LOG !== '1') return undefined;
  return (line) => process.stderr.write(`[${name}] ${line}\n`);
}

/**
 * Jest globalSetup: one PostgreSQL and one nats-server for the whole run (or DATABASE_URL /
 * NATS_URL when set). Workers are forked after this and inherit the TEST_* variables.
 */
export default async function globalSetup(): Promise<void> {
  const pgLog = serverLog('postgres');
  const natsLog = serverLog('nats');
  const postgres = await startPostgres(pgLog ? { log: pgLog } : {});
  let nats: NatsHandle;
  try {
    nats = await startNats(natsLog ? { log: natsLog } : {});
  } catch (error) {
    await postgres.stop();
    throw error;
  }
  process.env[TEST_DATABASE_ADMIN_URL] = postgres.adminUrl;
  process.env[TEST_NATS_URL] = nats.url;
  setSharedServers({ postgres, nats });
  process.stdout.write(
    `\n[@civil/testing] PostgreSQL ${postgres.external ? '(external) ' : ''}at ${postgres.adminUrl}, ` +
      `NATS ${nats.external ? '(external) ' : ''}at ${nats.url}\n`,
  );
}
