import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PlaceNameEvents } from '@civil/contracts';
import { serviceDir, startStack, type Stack } from '@civil/launcher';
import { spawnProcess } from '@civil/testing';
import { GatewayClient, counterTotal, eventually, queryService } from './support/api';

/** Faults lose nothing and duplicate nothing. */
describe('faults', () => {
  let stack: Stack;
  let api: GatewayClient;
  let officer: string;

  beforeAll(async () => {
    stack = await startStack({ env: { LOG_LEVEL: 'warn', OUTBOX_MAX_BACKOFF_MS: '1000' } });
    api = new GatewayClient(stack.gatewayUrl);
    officer = await api.token({ userId: 'officer-f', kind: 'staff', roles: ['place-names-officer', 'leader'], divisions: ['430503'] });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function archivedNamesLike(prefix: string): Promise<{ total: number; distinct: number }> {
    const [row] = await queryService<{ total: string; distinct: string }>(
      stack,
      'reporting',
      `SELECT count(*) AS total, count(DISTINCT envelope->'data'->>'nameId') AS distinct FROM event_archive WHERE envelope->'data'->>'name' LIKE $1`,
      [`${prefix}%`],
    );
    return { total: Number(row?.total), distinct: Number(row?.distinct) };
  }

  it('NATS stopped while 200 place names are created, then restarted: all 200 reach reporting, each exactly once', async () => {
    const before = await counterTotal(api, officer, PlaceNameEvents.named);
    await stack.nats.kill();

    // The operators' import command needs only the database: it writes names and outbox rows.
    const dir = mkdtempSync(path.join(tmpdir(), 'civil-import-'));
    const file = path.join(dir, 'names.csv');
    const rows = Array.from({ length: 200 }, (_, i) => `停机测试${String(i).padStart(3, '0')},street-road-lane,430503004`);
    writeFileSync(file, `name,category,divisionCode\n${rows.join('\n')}\n`);
    const cli = spawnProcess({
      name: 'place-names import',
      command: process.execPath,
      args: ['dist/cli.js', 'import', file],
      cwd: serviceDir('place-names'),
      env: { DATABASE_URL: stack.databaseUrl('place-names'), LOG_LEVEL: 'warn' },
    });
    const exit = await cli.waitForExit(120_000);
    expect(cli.output()).toContain('imported 200 place names');
    expect(exit.code).toBe(0);

    const pending = await queryService<{ n: string }>(stack, 'place-names', `SELECT count(*) AS n FROM outbox WHERE published_at IS NULL`);
    expect(Number(pending[0]?.n)).toBe(200);
    // Give the relay time to fail and back off against the stopped server.
    await new Promise((r) => setTimeout(r, 2000));

    await stack.nats.restart();
    await eventually(async () => ((await counterTotal(api, officer, PlaceNameEvents.named)) === before + 200 ? true : undefined), 60_000, '200 events in reporting');
    const unpublished = await queryService<{ n: string }>(stack, 'place-names', `SELECT count(*) AS n FROM outbox WHERE published_at IS NULL`);
    expect(Number(unpublished[0]?.n)).toBe(0);
    expect(await archivedNamesLike('停机测试')).toEqual({ total: 200, distinct: 200 });
    // Nothing more trickles in afterwards.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await counterTotal(api, officer, PlaceNameEvents.named)).toBe(before + 200);
  });

  it('reporting stopped while events flow, then restarted: it catches up and nothing is lost', async () => {
    const before = await counterTotal(api, officer, PlaceNameEvents.named);
    await stack.stopService('reporting', 'SIGKILL');
    const ids: string[] = [];
    for (let i = 0; i < 50; i += 1) {
      const created = await api.request<{ id: string }>('POST', '/api/v1/place-names', {
        token: officer,
        body: { name: `补报测试${String(i).padStart(2, '0')}`, category: 'street-road-lane', divisionCode: '430503005' },
      });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    // While reporting is down, its route answers 503 with a problem document, not a hang.
    const down = await api.request<{ code: string }>('GET', '/api/v1/reports/counters', { token: officer });
    expect(down.status).toBe(503);
    expect(down.body.code).toBe('SERVICE_UNAVAILABLE');

    await stack.startService('reporting');
    await eventually(async () => ((await counterTotal(api, officer, PlaceNameEvents.named)) === before + 50 ? true : undefined), 60_000, 'reporting to catch up');
    expect(await archivedNamesLike('补报测试')).toEqual({ total: 50, distinct: 50 });
  });

  it('SIGTERM during requests: in-flight work finishes, every accepted write reaches reporting after restart', async () => {
    const before = await counterTotal(api, officer, PlaceNameEvents.named);
    const placeNames = stack.services.get('place-names');
    if (!placeNames) throw new Error('place-names is not running');
    const requests = Array.from({ length: 40 }, (_, i) =>
      api.request<{ id?: string; code?: string }>('POST', '/api/v1/place-names', {
        token: officer,
        body: { name: `停止测试${String(i).padStart(2, '0')}`, category: 'street-road-lane', divisionCode: '430503006' },
      }),
    );
    await new Promise((r) => setTimeout(r, 30));
    await stack.stopService('place-names', 'SIGTERM');
    const exit = await placeNames.process.waitForExit(1000);
    // It stopped by itself (Nest re-raises SIGTERM after its shutdown hooks), not by the SIGKILL fallback.
    expect(exit.signal === 'SIGTERM' || exit.code === 0).toBe(true);

    const responses = await Promise.all(requests);
    // Every caller got a definite answer: created, or "service unavailable" once it stopped listening.
    expect(responses.map((r) => r.status).filter((s) => s !== 201 && s !== 503)).toEqual([]);
    const accepted = responses.filter((r) => r.status === 201).length;
    expect(accepted).toBeGreaterThan(0);
    const stored = await queryService<{ n: string }>(stack, 'place-names', `SELECT count(*) AS n FROM place_name WHERE name LIKE '停止测试%'`);
    expect(Number(stored[0]?.n)).toBe(accepted);

    await stack.startService('place-names');
    await eventually(async () => ((await counterTotal(api, officer, PlaceNameEvents.named)) === before + accepted ? true : undefined), 60_000, 'every accepted write in reporting');
    expect(await archivedNamesLike('停止测试')).toEqual({ total: accepted, distinct: accepted });
  });
});
