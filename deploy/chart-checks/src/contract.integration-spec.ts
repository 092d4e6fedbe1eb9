import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createTestDatabase, findFreePort, integrationEnv } from '@civil/testing';
import { REPO_ROOT, renderChart, type K8sObject } from './helm';
import { podSpecOf, resolveContainerEnv, type Container, type Probe } from './env-contract';

/**
 * The contract test: for each service, render the chart, take its Deployment's container (command,
 * environment with the ConfigMap resolved and the Secret filled from a test map, port, probes),
 * run its migration Job's command the same way, start the built service from the repository root
 * (as the image does from /app) with EXACTLY that environment — nothing inherited — and check
 * that the startup, readiness and liveness probes answer 200 on the rendered paths and port.
 * Then the `helm test` pod's own script runs against the local gateway. Only what cannot be the
 * same here is substituted at render time: NATS_URL (the test server) and the port (a free one,
 * as six services share this machine); the database URLs and the personal-data key are the
 * test Secret's values.
 */

// Start order as the launcher's: the gateway last, once everything behind it answers.
const ORDER = ['place-names', 'social-assistance', 'social-affairs', 'elderly-care', 'reporting', 'gateway'] as const;
type Service = (typeof ORDER)[number];

interface Running {
  service: Service;
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  port: number;
  graceSeconds: number;
}

function run(command: string[], env: Record<string, string>): Omit<Running, 'service' | 'port' | 'graceSeconds'> {
  const [program, ...args] = command;
  if (program !== 'node') throw new Error(`the chart runs ${program ?? '(nothing)'}, not node: the image interface is \`node services/<name>/dist/<command>.js\``);
  const script = args[0] ?? '';
  if (!script.startsWith('-') && !existsSync(path.join(REPO_ROOT, script))) throw new Error(`${script} does not exist (is the service built?)`);
  // Exactly the rendered environment: no PATH, HOME or anything else from this process.
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const append = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-64 * 1024);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exited };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The promise's value, or `fallback` after `ms` (the timer is cleared, so it never holds Jest open). */
async function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<F>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function httpStatus(url: string): Promise<number | string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
    await response.arrayBuffer();
    return response.status;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Polls a probe as the kubelet would, until it answers 200 or its budget is spent. */
async function waitForProbe(label: string, url: string, budgetMs: number, process: Running | undefined): Promise<void> {
  const deadline = Date.now() + budgetMs;
  let last: number | string = 'no answer';
  while (Date.now() < deadline) {
    last = await httpStatus(url);
    if (last === 200) return;
    if (process && process.child.exitCode !== null) break;
    await sleep(250);
  }
  throw new Error(`${label}: GET ${url} did not answer 200 (last: ${last})\n--- service output ---\n${process?.output() ?? ''}`);
}

function portOf(container: Container, probe: Probe | undefined): number {
  const port = probe?.httpGet?.port;
  if (typeof port === 'number') return port;
  const named = container.ports?.find((p) => p.name === port)?.containerPort;
  if (named === undefined) throw new Error(`${container.name}: probe port ${String(port)} is not a port of the container`);
  return named;
}

describe('the chart contract: every service started with exactly the rendered environment', () => {
  const running = new Map<Service, Running>();
  const secrets: Record<string, string> = {};
  let natsUrl = '';

  beforeAll(async () => {
    natsUrl = integrationEnv().natsUrl;
    // The Secret's keys, as values.yaml names them (see the chart README, "The Secret").
    secrets['personal-data-key'] = randomBytes(32).toString('base64');
    for (const service of ORDER.filter((s) => s !== 'gateway')) secrets[`${service}-database-url`] = await createTestDatabase(`chart_${service}`);
  });

  afterAll(async () => {
    for (const service of [...ORDER].reverse()) {
      const p = running.get(service);
      if (p && p.child.exitCode === null && p.child.signalCode === null) {
        p.child.kill('SIGKILL');
        await p.exited;
      }
    }
  });

  it.each(ORDER)('%s: its migration Job runs, then its Deployment starts and answers its startup, readiness and liveness probes', async (service) => {
    const port = await findFreePort();
    const objects = renderChart({ set: [`nats.url=${natsUrl}`, `containerPort=${port}`] });
    const named = (kind: string, name: string): K8sObject | undefined => objects.find((o) => o.kind === kind && o.metadata.name === name);

    const job = named('Job', `civil-civil-affairs-${service}-migrate`);
    expect(job === undefined).toBe(service === 'gateway');
    if (job) {
      const [container] = podSpecOf(job).containers as [Container];
      const resolved = resolveContainerEnv(container, objects, secrets);
      expect(resolved.problems).toEqual([]);
      const migration = run(container.args ?? [], resolved.env);
      const exit = await within(migration.exited, 120_000, { code: null, signal: 'timeout' });
      if (exit.code !== 0) throw new Error(`${service} migration exited ${JSON.stringify(exit)}:\n${migration.output()}`);
    }

    const deployment = named('Deployment', `civil-civil-affairs-${service}`);
    if (!deployment) throw new Error(`no Deployment for ${service}`);
    const spec = podSpecOf(deployment) as ReturnType<typeof podSpecOf> & { terminationGracePeriodSeconds?: number };
    const [container] = spec.containers as [Container];
    const resolved = resolveContainerEnv(container, objects, secrets);
    expect(resolved.problems).toEqual([]);
    expect(resolved.env.PORT).toBe(String(port));
    const started: Running = { service, port, graceSeconds: spec.terminationGracePeriodSeconds ?? 30, ...run(container.args ?? [], resolved.env) };
    running.set(service, started);

    const probes: [string, Probe | undefined, number][] = [
      ['startupProbe', container.startupProbe, (container.startupProbe?.periodSeconds ?? 10) * (container.startupProbe?.failureThreshold ?? 3) * 1000],
      ['readinessProbe', container.readinessProbe, 60_000],
      ['livenessProbe', container.livenessProbe, 5_000],
    ];
    for (const [label, probe, budget] of probes) {
      expect(probe?.httpGet?.path).toMatch(/^\/health\/(live|ready)$/);
      expect(portOf(container, probe)).toBe(port);
      await waitForProbe(`${service} ${label}`, `http://127.0.0.1:${portOf(container, probe)}${probe?.httpGet?.path ?? ''}`, budget, started);
    }
  });

  it("passes the chart's helm test script against the gateway (readiness and the public place-name search over NATS)", async () => {
    const gateway = running.get('gateway');
    if (!gateway) throw new Error('the gateway did not start');
    const objects = renderChart({ set: [`nats.url=${natsUrl}`] });
    const pod = objects.find((o) => o.kind === 'Pod' && o.metadata.annotations?.['helm.sh/hook'] === 'test');
    if (!pod) throw new Error('no helm test pod');
    const [container] = podSpecOf(pod).containers as [Container];
    const { env } = resolveContainerEnv(container, objects);
    // In the cluster GATEWAY_URL is the gateway's Service; here the gateway runs on this machine.
    const test = run(container.args ?? [], { ...env, GATEWAY_URL: `http://127.0.0.1:${gateway.port}` });
    const exit = await test.exited;
    expect({ exit, output: test.output() }).toEqual({ exit: { code: 0, signal: null }, output: expect.stringContaining('place-name search: ') });
    expect(test.output()).toContain('GET /health/ready: 200');
  });

  it('every service exits cleanly on SIGTERM within its termination grace period', async () => {
    for (const service of [...ORDER].reverse()) {
      const p = running.get(service);
      if (!p) throw new Error(`${service} is not running`);
      const sent = Date.now();
      p.child.kill('SIGTERM');
      const exit = await within(p.exited, p.graceSeconds * 1000, { code: null, signal: 'grace period over' });
      // NestJS runs its shutdown hooks, then re-raises the signal: a death by SIGTERM after the hooks is the clean path.
      const clean = exit.code === 0 || (exit.code === null && exit.signal === 'SIGTERM');
      expect({ service, exit, clean }).toEqual({ service, exit, clean: true });
      expect(Date.now() - sent).toBeLessThan(p.graceSeconds * 1000);
    }
  });
});
