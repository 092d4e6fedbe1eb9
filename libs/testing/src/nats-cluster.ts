import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerExitCleanup } from './exit-cleanup';
import { hostProcess } from './host';
import { readInfoBanner, resolveNatsServerBinary, type NatsHandle, type ServerIdentity } from './nats';
import { errorMessage, sleep, tailLines } from './output';
import { LOOPBACK, assertPortFree, findFreePort } from './ports';
import { spawnProcess, type ManagedProcess } from './process';

const CLUSTER_READY_TIMEOUT_MS = 45_000;
const NODE_READY_TIMEOUT_MS = 45_000;
const STOP_TIMEOUT_MS = 15_000;

export interface StartNatsClusterOptions {
  /** How many nats-server processes (default 3; JetStream needs a majority of them up). */
  nodes?: number;
  /** The cluster's name (default `civil`); nodes are named `<name>-1`, `<name>-2`, … */
  name?: string;
  /** See ResolveNatsServerOptions.install. */
  install?: boolean;
  /** Receives every node's output line by line, prefixed with the node's name; silent without it. */
  log?: (line: string) => void;
}

export interface NatsClusterNode {
  /** The node's server_name (what stream info reports as `cluster.leader` and replica names). */
  name: string;
  /** nats://127.0.0.1:<port> of this node alone. */
  url: string;
  port: number;
  clusterPort: number;
  monitorPort: number;
  storeDir: string;
  configFile: string;
  running(): boolean;
  /** SIGKILL and wait for the exit (the store dir is kept). */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit (SIGKILL after 15 s); the store dir is kept. */
  stop(): Promise<void>;
  /**
   * Starts the node again on the same ports and store dir; resolves once it is back in the cluster
   * and caught up (its /healthz answers 200: meta leader known, every stream and consumer replica
   * it holds current). No-op while it runs.
   */
  start(): Promise<void>;
}

/** A NatsHandle for the whole cluster plus its nodes, to stop and restart one of them. */
export interface NatsClusterHandle extends NatsHandle {
  /** The cluster's name (the `cluster { name }` of every node). */
  name: string;
  nodes: NatsClusterNode[];
}

export interface NatsClusterNodeConfig {
  serverName: string;
  clusterName: string;
  port: number;
  clusterPort: number;
  monitorPort: number;
  storeDir: string;
  /** Cluster ports of the OTHER nodes. */
  routePorts: number[];
}

/** One node's configuration file (nats-server 2.9+ syntax): JetStream on, routes to every other node. */
export function natsClusterNodeConfig(config: NatsClusterNodeConfig): string {
  const routes = config.routePorts.map((port) => `    nats-route://${LOOPBACK}:${port}`);
  return [
    `server_name: ${JSON.stringify(config.serverName)}`,
    `listen: "${LOOPBACK}:${config.port}"`,
    `http: "${LOOPBACK}:${config.monitorPort}"`,
    'jetstream {',
    `  store_dir: ${JSON.stringify(config.storeDir)}`,
    '}',
    'cluster {',
    `  name: ${JSON.stringify(config.clusterName)}`,
    `  listen: "${LOOPBACK}:${config.clusterPort}"`,
    '  routes: [',
    ...routes,
    '  ]',
    '}',
    '',
  ].join('\n');
}

interface MetaCluster {
  leader?: string;
  cluster_size?: number;
}

interface Jsz {
  meta_cluster?: MetaCluster;
}

/** Distinct free ports (findFreePort() may hand out a port twice when asked in a row). */
async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await findFreePort());
  return [...ports];
}

/**
 * Starts `nodes` nats-server processes on 127.0.0.1 forming one JetStream cluster (each with its
 * own client, cluster and monitoring port, and its own store dir under one temp dir, deleted by
 * stop()). Resolves once every node answers /healthz and agrees on a meta leader of the full
 * cluster size. Children are SIGKILLed if our process exits first. Unlike startNats(), NATS_URL is
 * ignored: a caller asking for a cluster needs one it can break.
 */
export async function startNatsCluster(options: StartNatsClusterOptions = {}): Promise<NatsClusterHandle> {
  const count = options.nodes ?? 3;
  if (!Number.isInteger(count) || count < 1) throw new Error(`startNatsCluster: nodes must be a positive integer, got ${String(count)}`);
  const clusterName = options.name ?? 'civil';
  const binary = await resolveNatsServerBinary({ install: options.install ?? false, ...(options.log ? { log: options.log } : {}) });
  const rootDir = await mkdtemp(join(tmpdir(), 'civil-nats-cluster-'));
  const ports = await distinctFreePorts(count * 3);
  const processes = new Map<string, ManagedProcess>();

  // Kill the servers first so they cannot write into the dir while it goes.
  const removeTempDir = (): void => {
    for (const server of processes.values()) {
      if (server.running() && server.pid !== undefined) hostProcess.kill(server.pid, 'SIGKILL');
    }
    rmSync(rootDir, { recursive: true, force: true, maxRetries: 3 });
  };
  const unregister = registerExitCleanup({ onExit: removeTempDir, onSignal: removeTempDir });

  const specs = Array.from({ length: count }, (_, i) => ({
    serverName: `${clusterName}-${i + 1}`,
    clusterName,
    port: ports[i * 3] as number,
    clusterPort: ports[i * 3 + 1] as number,
    monitorPort: ports[i * 3 + 2] as number,
    storeDir: join(rootDir, `${clusterName}-${i + 1}`, 'jetstream'),
    configFile: join(rootDir, `${clusterName}-${i + 1}`, 'nats-server.conf'),
  }));
  const routePortsOf = (name: string): number[] => specs.filter((s) => s.serverName !== name).map((s) => s.clusterPort);

  const launch = async (spec: (typeof specs)[number]): Promise<ManagedProcess> => {
    const current = processes.get(spec.serverName);
    if (current?.running()) return current;
    for (const port of [spec.port, spec.clusterPort, spec.monitorPort]) await assertPortFree(port, `nats-server ${spec.serverName}`);
    const log = options.log;
    const server = spawnProcess({
      name: `nats-server ${spec.serverName}`,
      command: binary,
      args: ['-c', spec.configFile],
      ...(log ? { log: (line: string) => log(`[${spec.serverName}] ${line}`) } : {}),
    });
    processes.set(spec.serverName, server);
    return server;
  };

  const nodes: NatsClusterNode[] = specs.map((spec) => ({
    name: spec.serverName,
    url: `nats://${LOOPBACK}:${spec.port}`,
    port: spec.port,
    clusterPort: spec.clusterPort,
    monitorPort: spec.monitorPort,
    storeDir: spec.storeDir,
    configFile: spec.configFile,
    running: () => processes.get(spec.serverName)?.running() ?? false,
    kill: async () => {
      await processes.get(spec.serverName)?.kill();
    },
    stop: async () => {
      await processes.get(spec.serverName)?.stop('SIGTERM', STOP_TIMEOUT_MS);
    },
    start: async () => {
      if (processes.get(spec.serverName)?.running()) return;
      const server = await launch(spec);
      try {
        await waitUntilNodeReady(server, spec.serverName, spec.port, spec.monitorPort, NODE_READY_TIMEOUT_MS);
      } catch (error) {
        await server.kill();
        throw error;
      }
    },
  }));

  const killAll = async (): Promise<void> => {
    await Promise.all([...processes.values()].map((server) => server.kill()));
  };

  const startAll = async (): Promise<void> => {
    // All first, then wait: no node can be ready before a majority is up to elect a meta leader.
    const started = [];
    for (const spec of specs) started.push({ spec, server: await launch(spec) });
    try {
      await Promise.all(
        started.map(({ spec, server }) => waitUntilNodeReady(server, spec.serverName, spec.port, spec.monitorPort, CLUSTER_READY_TIMEOUT_MS, count)),
      );
    } catch (error) {
      await killAll();
      throw error;
    }
  };

  try {
    for (const spec of specs) {
      await mkdir(spec.storeDir, { recursive: true });
      await writeFile(spec.configFile, natsClusterNodeConfig({ ...spec, routePorts: routePortsOf(spec.serverName) }));
    }
    await startAll();
  } catch (error) {
    await killAll();
    unregister();
    await rm(rootDir, { recursive: true, force: true });
    throw error;
  }

  const stopAll = async (): Promise<void> => {
    await Promise.all([...processes.values()].map((server) => server.stop('SIGTERM', STOP_TIMEOUT_MS)));
  };

  let stopped = false;
  return {
    name: clusterName,
    nodes,
    url: nodes.map((node) => node.url).join(','),
    port: specs[0]?.port as number,
    storeDir: rootDir,
    external: false,
    stop: async () => {
      stopped = true;
      await stopAll();
      unregister();
      await rm(rootDir, { recursive: true, force: true });
    },
    kill: killAll,
    restart: async () => {
      if (stopped) throw new Error('NatsClusterHandle.restart(): the cluster was stopped with stop(); call startNatsCluster() again.');
      await stopAll();
      await startAll();
    },
  };
}

/**
 * Ready = /healthz answers 200 (full check: JetStream up, a meta leader known and this node current
 * with it, every stream and consumer replica it holds current), the client port greets us with the
 * same server_id as /varz, and, when `clusterSize` is given, /jsz reports a meta leader of that size.
 */
async function waitUntilNodeReady(
  server: ManagedProcess,
  name: string,
  port: number,
  monitorPort: number,
  timeoutMs: number,
  clusterSize?: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const monitor = `http://${LOOPBACK}:${monitorPort}`;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (!server.running()) {
      const { code, signal } = await server.waitForExit();
      throw new Error(
        `nats-server ${name} exited (code ${String(code)}, signal ${String(signal)}) before it was ready on ${LOOPBACK}:${port}.\n` +
          `--- nats-server ${name} output (tail) ---\n${tailLines(server.output())}`,
      );
    }
    try {
      const health = await fetch(`${monitor}/healthz`, { signal: AbortSignal.timeout(1_000) });
      const body = await health.text();
      if (health.status !== 200) {
        lastProblem = `healthz answered ${health.status}: ${body.trim()}`;
      } else {
        const varz = (await (await fetch(`${monitor}/varz`, { signal: AbortSignal.timeout(1_000) })).json()) as ServerIdentity;
        const info = await readInfoBanner(port, 1_000);
        const meta = clusterSize === undefined ? undefined : ((await (await fetch(`${monitor}/jsz`, { signal: AbortSignal.timeout(1_000) })).json()) as Jsz).meta_cluster;
        if (varz.server_id === undefined || info.server_id !== varz.server_id) {
          lastProblem = `client port ${port} is answered by another server (${String(info.server_id)} != ${String(varz.server_id)})`;
        } else if (clusterSize !== undefined && (meta?.leader === undefined || meta.leader === '' || meta.cluster_size !== clusterSize)) {
          lastProblem = `meta cluster not formed yet: ${JSON.stringify(meta ?? null)}`;
        } else if (server.running()) {
          return;
        }
      }
    } catch (error) {
      lastProblem = errorMessage(error);
    }
    await sleep(100);
  }
  throw new Error(
    `nats-server ${name} did not become ready on ${LOOPBACK}:${port} within ${timeoutMs / 1000} s (last check: ${lastProblem}).\n` +
      `--- nats-server ${name} output (tail) ---\n${tailLines(server.output())}`,
  );
}
