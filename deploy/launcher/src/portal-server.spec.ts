import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startPortalServer, type PortalServer } from './portal-server';

describe('the portal file server', () => {
  let root: string;
  let server: PortalServer;

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'portal-'));
    root = path.join(dir, 'public');
    mkdirSync(root);
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>portal</title>');
    writeFileSync(path.join(root, 'app.js'), 'export {};');
    writeFileSync(path.join(dir, 'secret.txt'), 'not for the web');
    server = await startPortalServer({ root, gatewayUrl: 'http://127.0.0.1:3999', config: { dashboardYear: 2023 } });
  });

  afterAll(async () => {
    await server.close();
    rmSync(path.dirname(root), { recursive: true, force: true });
  });

  it('serves index.html at / and the bundle with their types and security headers', async () => {
    const index = await fetch(`${server.url}/`);
    expect([index.status, index.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    expect(await index.text()).toContain('<title>portal</title>');
    expect(index.headers.get('content-security-policy')).toContain("connect-src 'self' http://127.0.0.1:3999");
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    const script = await fetch(`${server.url}/app.js`);
    expect([script.status, script.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
  });

  it('serves a config.json for this stack, never cached', async () => {
    const config = await fetch(`${server.url}/config.json`);
    expect(config.headers.get('cache-control')).toBe('no-store');
    expect(await config.json()).toEqual({ gatewayUrl: 'http://127.0.0.1:3999', devSignIn: true, dashboardYear: 2023 });
  });

  it('serves nothing outside its directory, and only reads', async () => {
    expect((await fetch(`${server.url}/%2e%2e/secret.txt`)).status).toBe(404);
    expect((await fetch(`${server.url}/..%2fsecret.txt`)).status).toBe(404);
    expect((await fetch(`${server.url}/missing.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/app.js`, { method: 'POST', body: 'x' })).status).toBe(405);
  });

  it('says how to build the portal when it is not built', async () => {
    const empty = await startPortalServer({ root: path.join(root, 'nothing-here'), gatewayUrl: 'http://127.0.0.1:3999' });
    try {
      const response = await fetch(`${empty.url}/`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('npm run build -w services/portal');
    } finally {
      await empty.close();
    }
  });
});
