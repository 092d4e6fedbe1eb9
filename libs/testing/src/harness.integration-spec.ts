import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Client } from 'pg';
import {
  createTestDatabase,
  findFreePort,
  integrationEnv,
  isPortFree,
  spawnProcess,
  startNats,
  startPostgres,
  waitForHttpOk,
  type ManagedProcess,
} from './index';

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const node = process.execPath;
// With DATABASE_URL / NATS_URL set the harness starts nothing, so there is nothing to restart.
const describeLocalPostgres = process.env.DATABASE_URL ? describe.skip : describe;
const describeLocalNats = process.env.NATS_URL ? describe.skip : describe;

describe('shared servers from the Jest global setup', () => {
  it('createTestDatabase() gives a fresh, queryable database', async () => {
    const url = await createTestDatabase('harness shared');
    expect(url).toMatch(/\/harness_shared_[a-z0-9]+_[0-9a-f]{8}$/);
    const [row] = await query<{ sum: number; db: string }>(url, 'SELECT 1 + 1 AS sum, current_database() AS db');
    expect(row?.sum).toBe(2);
    expect(url.endsWith(`/${row?.db}`)).toBe(true);
  });

  it('the shared NATS has JetStream', async () => {
    const nc = await connect({ servers: integrationEnv().natsUrl });
    try {
      const jsm = await jetstreamManager(nc);
      const account = await jsm.getAccountInfo();
      expect(account.limits).toBeDefined();
    } finally {
      await nc.close();
    }
  });
});

describeLocalPostgres('startPostgres', () => {
  it('starts a throwaway server in a temp dir and removes it on stop', async () => {
    const pg = await startPostgres();
    try {
      expect(pg.external).toBe(false);
      expect(pg.adminUrl).toBe(`postgres://postgres:postgres@127.0.0.1:${pg.port}/postgres`);
      expect(pg.dataDir !== undefined && existsSync(join(pg.dataDir, 'PG_VERSION'))).toBe(true);
      const [row] = await query<{ server_version: string }>(pg.adminUrl, 'SHOW server_version');
      expect(row?.server_version).toMatch(/^18\./);
    } finally {
      await pg.stop();
    }
    expect(pg.dataDir !== undefined && existsSync(pg.dataDir)).toBe(false);
  });

  it('creates databases idempotently, survives restart(), and a second start reuses a persistent data dir', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'civil-pg-persist-'));
    await chmod(parent, 0o755); // as root, postgres runs as the postgres user and must traverse it
    const dataDir = join(parent, 'data');
    try {
      const first = await startPostgres({ dataDir, persistent: true });
      try {
        await first.createDatabase('harness_db');
        await first.createDatabase('harness_db'); // no "already exists" error
        const url = first.urlFor('harness_db');
        await query(url, 'CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)');
        await query(url, 'INSERT INTO notes VALUES ($1, $2)', [1, 'kept across restarts']);

        await first.restart();
        expect(await query(url, 'SELECT body FROM notes')).toEqual([{ body: 'kept across restarts' }]);
      } finally {
        await first.stop();
      }
      expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);

      const logs: string[] = [];
      const second = await startPostgres({ dataDir, log: (line) => logs.push(line) });
      try {
        expect(logs.join('\n')).not.toMatch(/The files belonging to this database system/); // no initdb
        expect(await query(second.urlFor('harness_db'), 'SELECT body FROM notes')).toEqual([{ body: 'kept across restarts' }]);
        await second.dropDatabase('harness_db');
        await second.dropDatabase('harness_db'); // idempotent too
        expect(await query(second.adminUrl, "SELECT 1 FROM pg_database WHERE datname = 'harness_db'")).toEqual([]);
      } finally {
        await second.stop();
      }
      expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true); // persistent: kept
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it('explains a busy port', async () => {
    const port = await findFreePort();
    const blocker = await listen(port);
    try {
      await expect(startPostgres({ port })).rejects.toThrow(`port 127.0.0.1:${port} is already in use`);
    } finally {
      blocker.close();
    }
  });
});

describeLocalNats('startNats', () => {
  it('keeps JetStream data across restart() (same port and store dir) and recovers from kill()', async () => {
    const nats = await startNats();
    try {
      expect(nats.external).toBe(false);
      expect(nats.url).toBe(`nats://127.0.0.1:${nats.port}`);
      const { url, port, storeDir } = nats;

      let nc = await connect({ servers: url });
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: 'HARNESS', subjects: ['harness.>'] });
      const ack = await jetstream(nc).publish('harness.greeting', 'hello from before the restart');
      expect(ack.stream).toBe('HARNESS');
      await nc.close();

      await nats.restart();
      expect({ url: nats.url, port: nats.port, storeDir: nats.storeDir }).toEqual({ url, port, storeDir });

      nc = await connect({ servers: url });
      try {
        const message = await (await jetstreamManager(nc)).streams.getMessage('HARNESS', { seq: ack.seq });
        expect(message?.subject).toBe('harness.greeting');
        expect(message?.string()).toBe('hello from before the restart');
      } finally {
        await nc.close();
      }

      await nats.kill();
      await expect(isPortFree(port)).resolves.toBe(true);
      await nats.restart();
      nc = await connect({ servers: url });
      try {
        const info = await (await jetstreamManager(nc)).streams.info('HARNESS');
        expect(info.config.subjects).toEqual(['harness.>']);
      } finally {
        await nc.close();
      }
    } finally {
      await nats.stop();
    }
    expect(existsSync(nats.storeDir)).toBe(false); // temp store removed by stop()
  });

  it('fails clearly when the port is busy', async () => {
    const port = await findFreePort();
    const blocker = await listen(port);
    try {
      await expect(startNats({ port })).rejects.toThrow(`Cannot start nats-server: port 127.0.0.1:${port} is already in use`);
    } finally {
      blocker.close();
    }
  });
});

describe('spawnProcess', () => {
  const started: ManagedProcess[] = [];
  const run = (name: string, script: string, env?: Record<string, string>): ManagedProcess => {
    const child = spawnProcess({ name, command: node, args: ['-e', script], ...(env ? { env } : {}) });
    started.push(child);
    return child;
  };
  afterEach(async () => {
    await Promise.all(started.splice(0).map((child) => child.kill()));
  });

  it('captures stdout and stderr and reports the exit code', async () => {
    const child = run('exits-3', "process.stdout.write('to stdout\\n'); process.stderr.write('to stderr\\n'); process.exit(3)");
    expect(child.pid).toEqual(expect.any(Number));
    await expect(child.waitForExit(10_000)).resolves.toEqual({ code: 3, signal: null });
    expect(child.running()).toBe(false);
    expect(child.output()).toContain('to stdout');
    expect(child.output()).toContain('to stderr');
  });

  it('passes env and stops with SIGTERM', async () => {
    const child = run('sleeper', "console.log('hello ' + process.env.GREETING); setInterval(() => {}, 1000)", { GREETING: 'harness' });
    expect(child.running()).toBe(true);
    await expect(child.waitForExit(300)).rejects.toThrow(/did not exit within 300 ms/);
    await child.stop();
    await expect(child.waitForExit()).resolves.toEqual({ code: null, signal: 'SIGTERM' });
    expect(child.output()).toContain('hello harness');
  });

  it('escalates to SIGKILL when SIGTERM is ignored', async () => {
    const child = run('stubborn', "process.on('SIGTERM', () => console.log('ignoring SIGTERM')); console.log('ready'); setInterval(() => {}, 1000)");
    for (let i = 0; i < 100 && !child.output().includes('ready'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    await child.stop('SIGTERM', 500);
    await expect(child.waitForExit()).resolves.toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('reports a command that cannot be spawned', async () => {
    const child = spawnProcess({ name: 'missing', command: '/nonexistent/civil-binary', args: [] });
    await expect(child.waitForExit(5_000)).resolves.toEqual({ code: null, signal: null });
    expect(child.output()).toMatch(/ENOENT/);
  });

  it('waitForHttpOk() waits for a server and fails early when the watched process dies', async () => {
    const port = await findFreePort();
    const server = run(
      'http-server',
      "setTimeout(() => require('node:http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1'), 300)",
      { PORT: String(port) },
    );
    await waitForHttpOk(`http://127.0.0.1:${port}/`, 10_000, server);
    await server.stop();

    const crasher = run('crasher', "console.error('boom: config missing'); process.exit(2)");
    const started = Date.now();
    await expect(waitForHttpOk(`http://127.0.0.1:${await findFreePort()}/`, 30_000, crasher)).rejects.toThrow(
      /crasher exited \(code 2[\s\S]*boom: config missing/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
