import { spawn } from 'node:child_process';
import { constants, existsSync, rmSync } from 'node:fs';
import { access, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { connect as tcpConnect } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { registerExitCleanup } from './exit-cleanup';
import { hostProcess } from './host';
import { LineSplitter, errorMessage, sleep, tailLines } from './output';
import { LOOPBACK, assertPortFree, findFreePort } from './ports';
import { spawnProcess, type ManagedProcess } from './process';

/** The version the Go install hint pins (any 2.9+ with JetStream works). */
export const NATS_SERVER_GO_VERSION = 'v2.15.2';
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 15_000;

export interface ResolveNatsServerOptions {
  /** As root on Debian/Ubuntu, `apt-get install -y nats-server` when it is missing. Default false. */
  install?: boolean;
  /** Where apt-get's output goes (default: our stderr). */
  log?: (line: string) => void;
}

export interface StartNatsOptions {
  /** Client port. Default: a free port from findFreePort(). */
  port?: number;
  /** JetStream store dir. Default: a fresh temp dir, deleted by stop(). A given dir is never deleted. */
  storeDir?: string;
  /** See ResolveNatsServerOptions.install. */
  install?: boolean;
  /** Receives nats-server's output line by line; silent without it. */
  log?: (line: string) => void;
}

export interface NatsHandle {
  /** nats://127.0.0.1:<port> (or NATS_URL). */
  url: string;
  port: number;
  /** Empty string for an external server. */
  storeDir: string;
  /** SIGTERM and wait for the exit (SIGKILL after 15 s); deletes a temp store dir. No-op when external. */
  stop(): Promise<void>;
  /** SIGKILL and wait for the exit (the store dir is kept, so restart() still works). */
  kill(): Promise<void>;
  /** Stop, then start again on the SAME port and store dir; resolves once clients and JetStream are ready. */
  restart(): Promise<void>;
  /** True when NATS_URL was set and nothing was started. */
  external: boolean;
}

interface InstallHintContext {
  debian: boolean;
  root: boolean;
}

function isDebianLike(): boolean {
  return existsSync('/etc/debian_version');
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** The error text shown when nats-server cannot be found: every way to get one. */
export function natsServerInstallHint(context: InstallHintContext = { debian: isDebianLike(), root: isRoot() }): string {
  const apt = `Debian/Ubuntu: ${context.root ? '' : 'sudo '}apt-get install nats-server   (run apt-get update first if the package is not found; as root, startNats({ install: true }) does this for you)`;
  const go = `Go toolchain:  go install github.com/nats-io/nats-server/v2@${NATS_SERVER_GO_VERSION}   (installs to $HOME/go/bin, which is searched)`;
  const external = 'Existing server: set NATS_URL=nats://host:4222 and the harness uses it instead of starting one';
  const ways = context.debian ? [apt, go, external] : [go, apt, external];
  return [
    'nats-server was not found (searched NATS_SERVER_BIN, PATH, $HOME/go/bin, /usr/local/bin, /usr/sbin, /usr/bin).',
    'Install it in one of these ways:',
    ...ways.map((way) => `  - ${way}`),
  ].join('\n');
}

function candidatePaths(): string[] {
  const fromPath = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
  const goBins = [process.env.GOBIN, process.env.GOPATH ? join(process.env.GOPATH, 'bin') : undefined, join(homedir(), 'go', 'bin')];
  const dirs = [...fromPath, ...goBins, '/usr/local/bin', '/usr/sbin', '/usr/bin'].filter((dir): dir is string => dir !== undefined);
  return [...new Set(dirs)].map((dir) => join(dir, 'nats-server'));
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function findNatsServerBinary(): Promise<string | undefined> {
  const explicit = process.env.NATS_SERVER_BIN;
  if (explicit !== undefined && explicit !== '') {
    if (await isExecutable(explicit)) return explicit;
    throw new Error(`NATS_SERVER_BIN=${explicit} is not an executable file.`);
  }
  for (const candidate of candidatePaths()) {
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function runStreaming(command: string, args: string[], log: (line: string) => void): Promise<number | null> {
  return new Promise((done) => {
    log(`$ ${command} ${args.join(' ')}`);
    const child = spawn(command, args, {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = new LineSplitter(log);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => lines.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => lines.push(chunk));
    child.once('error', (error) => {
      log(`${command}: ${error.message}`);
      done(null);
    });
    child.once('close', (code) => {
      lines.flush();
      done(code);
    });
  });
}

async function installWithApt(log: (line: string) => void): Promise<void> {
  let code = await runStreaming('apt-get', ['install', '-y', 'nats-server'], log);
  if (code !== 0) {
    // Fresh containers have empty package lists.
    await runStreaming('apt-get', ['update'], log);
    code = await runStreaming('apt-get', ['install', '-y', 'nats-server'], log);
  }
  if (code !== 0) throw new Error(`apt-get install -y nats-server failed (exit code ${String(code)}).\n${natsServerInstallHint()}`);
}

/**
 * Path of a nats-server binary: NATS_SERVER_BIN, PATH, $HOME/go/bin (and $GOBIN/$GOPATH/bin),
 * /usr/local/bin, /usr/sbin, /usr/bin. When missing and `install` is set and we are root on
 * Debian/Ubuntu, installs the distribution package; otherwise throws natsServerInstallHint().
 */
export async function resolveNatsServerBinary(options: ResolveNatsServerOptions = {}): Promise<string> {
  const found = await findNatsServerBinary();
  if (found !== undefined) return found;
  const context = { debian: isDebianLike(), root: isRoot() };
  if (options.install === true && context.debian && context.root) {
    await installWithApt(options.log ?? ((line) => process.stderr.write(`[apt-get] ${line}\n`)));
    const installed = await findNatsServerBinary();
    if (installed !== undefined) return installed;
    throw new Error(`apt-get installed nats-server but no binary was found afterwards.\n${natsServerInstallHint(context)}`);
  }
  throw new Error(natsServerInstallHint(context));
}

function externalNats(natsUrl: string): NatsHandle {
  const first = natsUrl.split(',')[0]?.trim() ?? natsUrl;
  let port = 4222;
  try {
    const parsed = new URL(first.includes('://') ? first : `nats://${first}`);
    if (parsed.port !== '') port = Number(parsed.port);
  } catch {
    // keep the default; the client library will report a bad URL itself
  }
  const refuse = (what: string) => async (): Promise<void> => {
    throw new Error(
      `NatsHandle.${what}(): NATS_URL is set (${natsUrl}), so this harness did not start nats-server and cannot ${what} it. ` +
        'Unset NATS_URL to let the harness run its own server.',
    );
  };
  return { url: natsUrl, port, storeDir: '', stop: async () => undefined, kill: refuse('kill'), restart: refuse('restart'), external: true };
}

export interface ServerIdentity {
  server_id?: string;
}

/** Connects to the client port and reads the INFO banner nats-server sends first. */
export function readInfoBanner(port: number, timeoutMs: number): Promise<ServerIdentity> {
  return new Promise((done, fail) => {
    const socket = tcpConnect({ host: LOOPBACK, port });
    let received = '';
    const finish = (error: Error | undefined, info?: ServerIdentity): void => {
      socket.destroy();
      if (error) fail(error);
      else done(info ?? {});
    };
    socket.setTimeout(timeoutMs, () => finish(new Error(`no INFO from ${LOOPBACK}:${port} within ${timeoutMs} ms`)));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      const end = received.indexOf('\r\n');
      if (end < 0) return;
      const line = received.slice(0, end);
      if (!line.startsWith('INFO ')) {
        finish(new Error(`unexpected greeting on ${LOOPBACK}:${port}: ${line.slice(0, 80)}`));
        return;
      }
      try {
        finish(undefined, JSON.parse(line.slice(5)) as ServerIdentity);
      } catch (error) {
        finish(new Error(`unreadable INFO: ${errorMessage(error)}`));
      }
    });
    socket.once('error', (error) => finish(error));
  });
}

/**
 * Ready = /healthz?js-enabled-only=true answers 200 (JetStream is up) AND the client port greets us
 * with INFO from the same server (/varz server_id), so another process on the port cannot fool us.
 */
async function waitUntilReady(server: ManagedProcess, port: number, monitorPort: number): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const monitor = `http://${LOOPBACK}:${monitorPort}`;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (!server.running()) {
      const { code, signal } = await server.waitForExit();
      throw new Error(
        `nats-server exited (code ${String(code)}, signal ${String(signal)}) before it was ready on ${LOOPBACK}:${port}.\n` +
          `--- nats-server stderr (tail) ---\n${tailLines(server.output())}`,
      );
    }
    try {
      const health = await fetch(`${monitor}/healthz?js-enabled-only=true`, { signal: AbortSignal.timeout(1_000) });
      const body = await health.text();
      if (health.status !== 200) {
        lastProblem = `healthz answered ${health.status}: ${body.trim()}`;
      } else {
        const varz = (await (await fetch(`${monitor}/varz`, { signal: AbortSignal.timeout(1_000) })).json()) as ServerIdentity;
        const info = await readInfoBanner(port, 1_000);
        if (varz.server_id !== undefined && info.server_id === varz.server_id && server.running()) return;
        lastProblem = `client port ${port} is answered by another server (${String(info.server_id)} != ${String(varz.server_id)})`;
      }
    } catch (error) {
      lastProblem = errorMessage(error);
    }
    await sleep(50);
  }
  throw new Error(
    `nats-server did not become ready on ${LOOPBACK}:${port} within ${READY_TIMEOUT_MS / 1000} s (last check: ${lastProblem}).\n` +
      `--- nats-server stderr (tail) ---\n${tailLines(server.output())}`,
  );
}

/**
 * Starts a real nats-server with JetStream on 127.0.0.1, or, when `process.env.NATS_URL` is set,
 * starts nothing and hands out that URL. The child is SIGKILLed if our process exits first.
 */
export async function startNats(options: StartNatsOptions = {}): Promise<NatsHandle> {
  const natsUrl = process.env.NATS_URL;
  if (natsUrl !== undefined && natsUrl !== '') return externalNats(natsUrl);

  const binary = await resolveNatsServerBinary({ install: options.install ?? false, ...(options.log ? { log: options.log } : {}) });
  const port = options.port ?? (await findFreePort());
  const ownsStore = options.storeDir === undefined;
  const storeDir = options.storeDir === undefined ? await mkdtemp(join(tmpdir(), 'civil-nats-')) : resolve(options.storeDir);
  let server: ManagedProcess | undefined;

  const launch = async (): Promise<void> => {
    await assertPortFree(port, 'nats-server');
    let monitorPort = await findFreePort();
    while (monitorPort === port) monitorPort = await findFreePort();
    const started = spawnProcess({
      name: 'nats-server',
      command: binary,
      args: ['-js', '-sd', storeDir, '-a', LOOPBACK, '-p', String(port), '-m', String(monitorPort)],
      ...(options.log ? { log: options.log } : {}),
    });
    server = started;
    try {
      await waitUntilReady(started, port, monitorPort);
    } catch (error) {
      await started.kill();
      throw error;
    }
  };

  const stopServer = async (): Promise<void> => {
    await server?.stop('SIGTERM', STOP_TIMEOUT_MS);
  };

  // A temp store must not outlive us either: kill the server first so it cannot write into it.
  const removeTempStore = (): void => {
    const pid = server?.running() ? server.pid : undefined;
    if (pid !== undefined) hostProcess.kill(pid, 'SIGKILL');
    rmSync(storeDir, { recursive: true, force: true, maxRetries: 3 });
  };
  const unregister = ownsStore ? registerExitCleanup({ onExit: removeTempStore, onSignal: removeTempStore }) : () => undefined;

  try {
    await mkdir(storeDir, { recursive: true });
    await launch();
  } catch (error) {
    unregister();
    if (ownsStore) await rm(storeDir, { recursive: true, force: true });
    throw error;
  }

  let stopped = false;
  return {
    url: `nats://${LOOPBACK}:${port}`,
    port,
    storeDir,
    stop: async () => {
      stopped = true;
      await stopServer();
      unregister();
      if (ownsStore) await rm(storeDir, { recursive: true, force: true });
    },
    kill: async () => {
      await server?.kill();
    },
    restart: async () => {
      if (stopped) throw new Error('NatsHandle.restart(): the server was stopped with stop(); call startNats() again.');
      await stopServer();
      await launch();
    },
    external: false,
  };
}
