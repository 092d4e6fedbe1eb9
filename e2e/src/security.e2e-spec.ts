import { randomUUID } from 'node:crypto';
import { buildResidentId } from '@civil/domain-kernel';
import { eventually } from '@civil/testing';
import { startStack, type Stack } from '@civil/launcher';
import { GatewayClient, queryService } from './support/api';

interface AuditEntry {
  kind: string;
  actor: { userId: string } | null;
  route: string;
  recordId: string | null;
  status: number;
  reason: string | null;
}

/**
 * The security chain across the whole platform: a reveal reaches the real service, which unmasks
 * at the source; the database holds no readable number; every write and reveal lands, through
 * the AUDIT stream and the reporting service, in the audit log an auditor reads and exports.
 */
describe('security across the platform', () => {
  let stack: Stack;
  let api: GatewayClient;

  beforeAll(async () => {
    stack = await startStack({ env: { LOG_LEVEL: 'warn' } });
    api = new GatewayClient(stack.gatewayUrl);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('reveals a resident ID only on an audited request, keeps none readable at rest, and the auditor sees it all', async () => {
    const residentId = buildResidentId('430503', '1936-02-11', 57).value;
    const masked = `${residentId.slice(0, 6)}********${residentId.slice(14)}`;
    const officer = await api.token({ userId: 'sec-officer', kind: 'staff', roles: ['elderly-care-officer'], divisions: ['430503'] });
    const revealer = await api.token({ userId: 'sec-revealer', kind: 'staff', roles: ['elderly-care-officer'], divisions: ['430503'], permissions: ['personal-data:reveal'] });
    const auditor = await api.token({ userId: 'sec-auditor', kind: 'staff', roles: ['auditor'], divisions: ['430503'] });

    const registered = await api.request<{ id: string; residentId: string }>('POST', '/api/v1/elderly-care/older-residents', {
      token: officer,
      headers: { 'idempotency-key': randomUUID() },
      body: { residentId, name: '审计测试老人', divisionCode: '430503101', residenceBasis: 'hukou' },
    });
    expect(registered.status).toBe(201);
    expect(registered.body.residentId).toBe(masked);
    const path = `/api/v1/elderly-care/older-residents/${registered.body.id}`;

    expect((await api.request<{ residentId: string }>('GET', path, { token: revealer })).body.residentId).toBe(masked);
    expect((await api.request('GET', path, { token: officer, headers: { 'x-reveal-reason': 'check' } })).status).toBe(403);
    const revealed = await api.request<{ residentId: string }>('GET', path, { token: revealer, headers: { 'x-reveal-reason': encodeURIComponent('核对高龄津贴身份') } });
    expect([revealed.status, revealed.body.residentId]).toEqual([200, residentId]);

    // At rest: nothing in the elderly-care database reads as the number.
    const dump = await queryService<{ found: number }>(stack, 'elderly-care', `SELECT count(*)::int AS found FROM older_resident r WHERE row_to_json(r)::text LIKE '%' || $1 || '%'`, [residentId.slice(6)]);
    expect(dump).toEqual([{ found: 0 }]);

    const entries = await eventually(
      async () => (await api.request<{ items: AuditEntry[] }>('GET', `/api/v1/audit-log?recordId=${registered.body.id}`, { token: auditor })).body.items ?? [],
      (items) => items.length >= 2,
      'the reveal and the refused reveal in the audit log',
    );
    expect(entries.find((e) => e.kind === 'reveal')).toMatchObject({ actor: { userId: 'sec-revealer' }, reason: '核对高龄津贴身份', route: '/api/v1/elderly-care/older-residents/:id' });
    expect(entries.find((e) => e.kind === 'refused')).toMatchObject({ actor: { userId: 'sec-officer' }, status: 403 });
    const writes = await eventually(
      async () => (await api.request<{ items: AuditEntry[] }>('GET', '/api/v1/audit-log?kind=write&userId=sec-officer', { token: auditor })).body.items ?? [],
      (items) => items.some((e) => e.recordId === registered.body.id),
      'the registration in the audit log',
    );
    expect(writes.find((e) => e.recordId === registered.body.id)).toMatchObject({ route: '/api/v1/elderly-care/older-residents', status: 201 });

    const csv = await api.request<string>('GET', '/api/v1/audit-log/export?userId=sec-revealer', { token: auditor });
    expect(csv.status).toBe(200);
    expect(csv.body).toContain('核对高龄津贴身份');
    expect((await api.request('GET', '/api/v1/audit-log', { token: officer })).status).toBe(403);
  });
});
