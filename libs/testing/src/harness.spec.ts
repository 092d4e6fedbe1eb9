import { createServer } from 'node:net';
import { integrationEnv, testDatabaseName } from './integration-env';
import { NATS_SERVER_GO_VERSION, natsServerInstallHint, startNats } from './nats';
import { LineSplitter, OutputBuffer, tailLines } from './output';
import { findFreePort, isPortFree } from './ports';
import { adminUrlFromDatabaseUrl, databaseUrlFor, startPostgres } from './postgres';

describe('findFreePort', () => {
  it('returns distinct bindable loopback ports', async () => {
    const ports = await Promise.all([findFreePort(), findFreePort(), findFreePort()]);
    for (const port of ports) {
      expect(port).toBeGreaterThan(0);
      expect(port).toBeLessThan(65536);
      await expect(isPortFree(port)).resolves.toBe(true);
    }
  });

  it('isPortFree() sees a port that is in use', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    await expect(isPortFree(address.port)).resolves.toBe(false);
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('natsServerInstallHint', () => {
  it('lists apt-get first on Debian/Ubuntu, with go install and NATS_URL as alternatives', () => {
    const hint = natsServerInstallHint({ debian: true, root: true });
    expect(hint).toContain('apt-get install nats-server');
    expect(hint).toContain(`go install github.com/nats-io/nats-server/v2@${NATS_SERVER_GO_VERSION}`);
    expect(NATS_SERVER_GO_VERSION).toBe('v2.15.2');
    expect(hint).toContain('NATS_URL');
    expect(hint.indexOf('apt-get')).toBeLessThan(hint.indexOf('go install'));
  });

  it('suggests sudo when not root and leads with go install elsewhere', () => {
    const hint = natsServerInstallHint({ debian: false, root: false });
    expect(hint).toContain('sudo apt-get install nats-server');
    expect(hint.indexOf('go install')).toBeLessThan(hint.indexOf('apt-get'));
  });
});

describe('database URLs', () => {
  it('derives the admin URL from DATABASE_URL, keeping credentials and parameters', () => {
    expect(adminUrlFromDatabaseUrl('postgres://app:s3cret@db.internal:6543/civil?sslmode=disable')).toBe(
      'postgres://app:s3cret@db.internal:6543/postgres?sslmode=disable',
    );
    expect(databaseUrlFor('postgres://postgres:postgres@127.0.0.1:5432/postgres', 'reporting_test')).toBe(
      'postgres://postgres:postgres@127.0.0.1:5432/reporting_test',
    );
    expect(() => adminUrlFromDatabaseUrl('not a url')).toThrow(/DATABASE_URL is not a valid URL/);
  });

  it('makes unique, safe, short test database names', () => {
    const a = testDatabaseName('Social-Affairs Service!');
    const b = testDatabaseName('Social-Affairs Service!');
    expect(a).toMatch(/^social_affairs_service_[a-z0-9]+_[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(testDatabaseName('x'.repeat(200)).length).toBeLessThanOrEqual(63);
    expect(testDatabaseName('???')).toMatch(/^test_/);
  });
});

describe('external servers (DATABASE_URL / NATS_URL)', () => {
  const saved = { DATABASE_URL: process.env.DATABASE_URL, NATS_URL: process.env.NATS_URL };
  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('startPostgres() uses DATABASE_URL without starting anything', async () => {
    process.env.DATABASE_URL = 'postgres://app:pw@10.0.0.5:5433/civil';
    const pg = await startPostgres();
    expect(pg.external).toBe(true);
    expect(pg.adminUrl).toBe('postgres://app:pw@10.0.0.5:5433/postgres');
    expect(pg.urlFor('other')).toBe('postgres://app:pw@10.0.0.5:5433/other');
    await expect(pg.stop()).resolves.toBeUndefined();
    await expect(pg.restart()).rejects.toThrow(/DATABASE_URL is set/);
  });

  it('startNats() uses NATS_URL without starting anything', async () => {
    process.env.NATS_URL = 'nats://10.0.0.6:4333';
    const nats = await startNats();
    expect(nats).toMatchObject({ external: true, url: 'nats://10.0.0.6:4333', port: 4333 });
    await expect(nats.stop()).resolves.toBeUndefined();
    await expect(nats.restart()).rejects.toThrow(/NATS_URL is set/);
    await expect(nats.kill()).rejects.toThrow(/NATS_URL is set/);
  });
});

describe('integrationEnv', () => {
  it('explains what is missing when the global setup did not run', () => {
    const saved = process.env.TEST_DATABASE_ADMIN_URL;
    delete process.env.TEST_DATABASE_ADMIN_URL;
    try {
      expect(() => integrationEnv()).toThrow(/global setup did not run/);
    } finally {
      if (saved !== undefined) process.env.TEST_DATABASE_ADMIN_URL = saved;
    }
  });
});

describe('output helpers', () => {
  it('splits chunks into lines and keeps a bounded tail', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    splitter.push('one\ntw');
    splitter.push('o\r\nthree');
    splitter.flush();
    expect(lines).toEqual(['one', 'two', 'three']);

    const buffer = new OutputBuffer(10);
    buffer.append('0123456789abc');
    expect(buffer.toString()).toBe('3456789abc');
    expect(tailLines('a\n\nb\nc\n', 2)).toBe('b\nc');
  });
});
