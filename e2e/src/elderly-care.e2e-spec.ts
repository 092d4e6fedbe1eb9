import { buildResidentId, todayInShanghai } from '@civil/domain-kernel';
import { startStack, type Stack } from '@civil/launcher';
import { GatewayClient, queryService } from './support/api';

/** Elderly care through the gateway, as the elderly-care office uses it. */
describe('elderly care through the gateway', () => {
  let stack: Stack;
  let api: GatewayClient;
  let officer: string;
  const today = todayInShanghai();
  const count = async (table: string): Promise<number> => {
    const [row] = await queryService<{ n: number }>(stack, 'elderly-care', `SELECT count(*)::int AS n FROM ${table}`);
    return row?.n ?? 0;
  };

  beforeAll(async () => {
    stack = await startStack({ env: { LOG_LEVEL: 'warn' } });
    api = new GatewayClient(stack.gatewayUrl);
    officer = await api.token({ userId: 'ec-officer', kind: 'staff', roles: ['elderly-care-officer'], divisions: ['430503'] });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('registers a care home, admits into its last bed exactly once under concurrency, and reports the occupancy', async () => {
    const before = await count('care_institution');
    const bad = await api.request<{ errors: { field: string }[] }>('POST', '/api/v1/elderly-care/institutions', {
      token: officer,
      body: { name: '某民办养老院', ownership: 'private', divisionCode: '430503101', address: '罗市镇', openedOn: '2020-01-01', beds: { 'self-care': 0, 'semi-dependent': 0, dependent: 0 } },
    });
    expect([bad.status, bad.body.errors.map((e) => e.field).sort()]).toEqual([400, ['beds', 'licenceNumber']]);
    expect(await count('care_institution')).toBe(before);

    const citizen = await api.token({ userId: 'c-1', kind: 'citizen', roles: ['citizen'], residentId: buildResidentId('430503', '1950-01-01', 11).value });
    const home = { name: 'e2e 罗市镇敬老院', ownership: 'public', divisionCode: '430503101', address: '罗市镇', openedOn: '2020-01-01', beds: { 'self-care': 1, 'semi-dependent': 0, dependent: 0 } };
    expect((await api.request('POST', '/api/v1/elderly-care/institutions', { token: citizen, body: home })).status).toBe(403);
    const registered = await api.request<{ id: string }>('POST', '/api/v1/elderly-care/institutions', { token: officer, body: home });
    expect(registered.status).toBe(201);

    const admit = (sequence: number) =>
      api.request('POST', `/api/v1/elderly-care/institutions/${registered.body.id}/admissions`, {
        token: officer,
        body: { residentId: buildResidentId('430503', '1938-03-03', sequence).value, residentName: `老人${sequence}`, admittedOn: today, bedType: 'self-care', funding: 'self-paying' },
      });
    const statuses = (await Promise.all([admit(21), admit(22), admit(23)])).map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s >= 400 && s < 500)).toHaveLength(2);

    const occupancy = await api.request<{ total: { beds: number; occupied: number; free: number } }>('GET', `/api/v1/elderly-care/institutions/${registered.body.id}/occupancy?date=${today}`, { token: officer });
    expect([occupancy.status, occupancy.body.total]).toEqual([200, expect.objectContaining({ beds: 1, occupied: 1, free: 0 })]);
  });

  it('registers an older resident with the allowance months from the birthday, the resident ID masked', async () => {
    const residentId = buildResidentId('430503', '1934-05-17', 31).value;
    const registered = await api.request<{ id: string; residentId: string; highAgeFrom: string; longevityFrom: string }>('POST', '/api/v1/elderly-care/older-residents', {
      token: officer,
      body: { residentId, name: '王奶奶', divisionCode: '430503101', residenceBasis: 'hukou' },
    });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ residentId: `${residentId.slice(0, 6)}********${residentId.slice(14)}`, highAgeFrom: '2024-06', longevityFrom: '2034-06' });
  });
});
