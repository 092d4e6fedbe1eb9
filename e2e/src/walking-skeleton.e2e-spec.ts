import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { startStack, type Stack } from '@civil/launcher';
import { createEvent, PlaceNameEvents } from '@civil/contracts';
import { GatewayClient, counterTotal, eventually, queryService } from './support/api';
import { OtlpReceiver } from './support/otlp-receiver';

/**
 * The walking skeleton through the real platform: gateway → NATS → place-names → PostgreSQL +
 * outbox → relay → JetStream → reporting → projection → gateway, with one trace across it all.
 */
describe('walking skeleton', () => {
  let stack: Stack;
  let api: GatewayClient;
  let officer: string;
  const otlp = new OtlpReceiver();

  beforeAll(async () => {
    await otlp.start();
    stack = await startStack({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_BSP_SCHEDULE_DELAY: '100', LOG_LEVEL: 'warn' } });
    api = new GatewayClient(stack.gatewayUrl);
    officer = await api.token({ userId: 'officer-1', kind: 'staff', roles: ['place-names-officer', 'leader'], divisions: ['430503'] });
  });

  afterAll(async () => {
    await stack?.stop();
    await otlp.stop();
  });

  it('every service is live and ready, and exposes Prometheus metrics', async () => {
    for (const running of stack.services.values()) {
      const base = `http://127.0.0.1:${running.port}`;
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
      const ready = await fetch(`${base}/health/ready`);
      expect(ready.status).toBe(200);
      const checks = ((await ready.json()) as { checks: Record<string, string> }).checks;
      expect(checks.nats).toBe('up');
      if (running.name !== 'gateway') expect(checks.database).toBe('up');
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toContain('process_cpu_seconds_total');
    }
  });

  it('a place name created through the gateway reaches reporting, in one trace', async () => {
    const before = await counterTotal(api, officer, PlaceNameEvents.named);
    const created = await api.request<{ id: string; divisionCode: string }>('POST', '/api/v1/place-names', {
      token: officer,
      body: { name: '东方华庭', category: 'residential-area-or-building', divisionCode: '430503001' },
    });
    expect(created.status).toBe(201);
    expect(created.body.divisionCode).toBe('430503001000');
    const traceId = created.headers.get('x-trace-id');
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);

    const read = await api.request<{ name: string }>('GET', `/api/v1/place-names/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.name).toBe('东方华庭');

    await eventually(async () => ((await counterTotal(api, officer, PlaceNameEvents.named)) === before + 1 ? true : undefined), 20_000, 'the counter to move');
    const archived = await queryService<{ traceparent: string }>(stack, 'reporting', `SELECT traceparent FROM event_archive WHERE envelope->'data'->>'nameId' = $1`, [created.body.id]);
    expect(archived).toHaveLength(1);
    expect(archived[0]?.traceparent).toContain(traceId);

    // Parent spans end (and are exported) after their children: wait for the ones we name.
    const expected = ['gateway: POST', 'gateway: place-names.place-name.create send', 'place-names: place-names.place-name.create process', `reporting: ${PlaceNameEvents.named} process`];
    const names = await eventually(async () => {
      const seen = otlp.inTrace(traceId ?? '').map((s) => `${s.service}: ${s.name}`);
      return expected.every((e) => seen.includes(e)) ? seen : undefined;
    }, 20_000, `spans ${expected.join(', ')} in trace ${traceId ?? ''}`);
    expect(names).toEqual(expect.arrayContaining(expected));
    // The database work of both services is in the same trace too.
    expect(otlp.inTrace(traceId ?? '').filter((s) => s.service === 'place-names' && /INSERT|pg/.test(s.name)).length).toBeGreaterThan(0);
  });

  it('every other service answers a real read through the gateway', async () => {
    const registries = await api.request<{ items: { name: string; dailyCapacity: number }[] }>('GET', '/api/v1/social-affairs/marriage-registries');
    expect(registries.status).toBe(200);
    expect(registries.body.items[0]?.name).toBe('邵阳市大祥区婚姻登记处');
    const rates = await api.request<{ items: { band: string; monthlyAmountFen: number }[] }>('GET', '/api/v1/elderly-care/age-allowance-rates');
    expect(rates.status).toBe(200);
    expect(rates.body.items.map((r) => r.band)).toEqual(['high-age', 'longevity']);

    const clerk = await api.token({ userId: 'clerk-1', kind: 'staff', roles: ['clerk'], divisions: ['430503101'] });
    const household = await api.request<{ id: string; members: { residentId: string }[] }>('POST', '/api/v1/social-assistance/households', {
      token: clerk,
      body: { divisionCode: '430503101', urbanRural: 'rural', address: '罗市镇演示村', members: [{ name: '王五', residentId: '34052419800101001X', relationship: 'head' }] },
    });
    expect(household.status).toBe(201);
    const got = await api.request<{ members: { residentId: string }[] }>('GET', `/api/v1/social-assistance/households/${household.body.id}`, { token: clerk });
    expect(got.status).toBe(200);
    expect(got.body.members[0]?.residentId).toBe('340524********001X');
  });

  it('invalid resident IDs are rejected naming the field and the rule, and nothing is written', async () => {
    const clerk = await api.token({ userId: 'clerk-2', kind: 'staff', roles: ['clerk'], divisions: ['430503'] });
    const countRows = async (): Promise<number[]> => [
      Number((await queryService<{ n: string }>(stack, 'social-assistance', 'SELECT count(*) AS n FROM household'))[0]?.n),
      Number((await queryService<{ n: string }>(stack, 'social-assistance', 'SELECT count(*) AS n FROM household_member'))[0]?.n),
      Number((await queryService<{ n: string }>(stack, 'social-assistance', 'SELECT count(*) AS n FROM outbox'))[0]?.n),
    ];
    const before = await countRows();
    const response = await api.request<{ code: string; status: number; errors: { field: string; rule: string; message: string }[] }>('POST', '/api/v1/social-assistance/households', {
      token: clerk,
      body: {
        divisionCode: '430503001',
        urbanRural: 'urban',
        address: '中心路街道演示社区',
        members: [
          { name: '甲', residentId: '340524198001010015', relationship: 'head' }, // checksum
          { name: '乙', residentId: '3405241980010100', relationship: 'spouse' }, // length
          { name: '丙', residentId: '340524198002300012', relationship: 'child' }, // 30 February
        ],
      },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.errors.map((e) => [e.field, e.rule])).toEqual([
      ['members[0].residentId', 'checksum'],
      ['members[1].residentId', 'length'],
      ['members[2].residentId', 'birth-date'],
    ]);
    expect(await countRows()).toEqual(before);
  });

  it('an oversized body, broken JSON and an unknown route are problem documents, not framework pages', async () => {
    const big = await api.request<{ code: string; status: number }>('POST', '/api/v1/place-names', { token: officer, rawBody: JSON.stringify({ name: 'x'.repeat(300_000) }) });
    expect(big.status).toBe(413);
    expect(big.headers.get('content-type')).toContain('application/problem+json');
    const broken = await api.request<{ code: string; errors: { rule: string }[] }>('POST', '/api/v1/place-names', { token: officer, rawBody: '{"name": ' });
    expect(broken.status).toBe(400);
    expect(broken.body.errors[0]?.rule).toBe('json');
    const unknown = await api.request<{ code: string; traceId: string }>('GET', '/api/v1/nowhere');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('NOT_FOUND');
    expect(unknown.body.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('the same event delivered twice changes the projection once', async () => {
    const before = await counterTotal(api, officer, PlaceNameEvents.named);
    const event = createEvent({
      source: '/civil/place-names',
      type: PlaceNameEvents.named,
      subject: 'place-name/duplicate-test',
      divisioncode: '430503002000',
      actor: 'test',
      data: { nameId: 'duplicate-test', name: '重复', category: 'other', divisionCode: '430503002000', approval: { authority: null, date: null } },
    });
    const nc = await connect({ servers: stack.nats.url });
    try {
      const js = jetstream(nc);
      // Two different message ids, so JetStream's own de-duplication does not hide the second copy.
      await js.publish(PlaceNameEvents.named, JSON.stringify(event), { msgID: `${event.id}-a` });
      await js.publish(PlaceNameEvents.named, JSON.stringify(event), { msgID: `${event.id}-b` });
    } finally {
      await nc.drain();
    }
    await eventually(async () => ((await counterTotal(api, officer, PlaceNameEvents.named)) === before + 1 ? true : undefined), 20_000, 'the first copy to be applied');
    // Both copies were delivered and acknowledged: the consumer has nothing pending.
    await eventually(async () => {
      const processed = await queryService(stack, 'reporting', 'SELECT 1 FROM processed_event WHERE event_id = $1', [event.id]);
      return processed.length === 1 ? true : undefined;
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await counterTotal(api, officer, PlaceNameEvents.named)).toBe(before + 1);
    expect(await queryService(stack, 'reporting', 'SELECT id FROM event_archive WHERE id = $1', [event.id])).toHaveLength(1);
  });

  it('a malformed message is terminated and recorded, and consumption goes on', async () => {
    const nc = await connect({ servers: stack.nats.url });
    try {
      const js = jetstream(nc);
      await js.publish('civil.place-names.place-name.named.v1', new TextEncoder().encode('{"this is": not json'));
      await js.publish('civil.place-names.place-name.named.v1', JSON.stringify({ specversion: '1.0', id: 'not-a-uuid' }));
    } finally {
      await nc.drain();
    }
    const dead = await eventually(async () => {
      const rows = await queryService<{ payload: string; error: string }>(stack, 'reporting', `SELECT payload, error FROM dead_letter WHERE consumer = 'reporting' ORDER BY id`);
      return rows.length >= 2 ? rows : undefined;
    }, 20_000, 'two dead letters');
    expect(dead[0]?.payload).toBe('{"this is": not json');
    expect(dead[0]?.error).toContain('not JSON');
    expect(dead[1]?.error).toContain('id');

    // A good event after the bad ones is still applied.
    const before = await counterTotal(api, officer, PlaceNameEvents.named);
    const created = await api.request('POST', '/api/v1/place-names', { token: officer, body: { name: '文庭雅苑', category: 'residential-area-or-building', divisionCode: '430503003' } });
    expect(created.status).toBe(201);
    await eventually(async () => ((await counterTotal(api, officer, PlaceNameEvents.named)) === before + 1 ? true : undefined), 20_000, 'the next event');
  });
});
