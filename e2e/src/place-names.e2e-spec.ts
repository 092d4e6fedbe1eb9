import { startStack, type Stack } from '@civil/launcher';
import { GatewayClient, queryService } from './support/api';

/**
 * Place names and divisions through the gateway, as the public and the place-names office use
 * them: the public search without a login, the naming check, a renaming from proposal to
 * announcement, the division tree, and bad input refused with nothing written.
 */
describe('place names and divisions through the gateway', () => {
  let stack: Stack;
  let api: GatewayClient;
  let officer: string;
  let approver: string;
  const counts = async (): Promise<{ places: number; versions: number; proposals: number }> => {
    const [row] = await queryService<{ places: number; versions: number; proposals: number }>(
      stack,
      'place-names',
      `SELECT (SELECT count(*) FROM place_name)::int AS places, (SELECT count(*) FROM place_name_version)::int AS versions,
              (SELECT count(*) FROM naming_proposal)::int AS proposals`,
    );
    return row ?? { places: -1, versions: -1, proposals: -1 };
  };

  beforeAll(async () => {
    stack = await startStack({ env: { LOG_LEVEL: 'warn' } });
    api = new GatewayClient(stack.gatewayUrl);
    officer = await api.token({ userId: 'pn-officer', kind: 'staff', roles: ['place-names-officer'], divisions: ['430503'] });
    approver = await api.token({ userId: 'pn-approver', kind: 'staff', roles: ['district-approver'], divisions: ['430503'] });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('shows the district tree with its 14 township-level units, without a login', async () => {
    const tree = await api.request<{ root: { code: string; name: string; children: { code: string; name: string }[] } }>('GET', '/api/v1/divisions/tree?root=430503');
    expect(tree.status).toBe(200);
    expect(tree.body.root).toMatchObject({ code: '430503000000', name: '大祥区' });
    expect(tree.body.root.children.map((c) => c.name)).toEqual(
      expect.arrayContaining(['中心路街道', '红旗路街道', '城北路街道', '城西街道', '翠园街道', '百春园街道', '城南街道', '火车南站街道', '学院路街道', '雨溪街道', '檀江街道', '罗市镇', '蔡锷乡', '板桥乡']),
    );
    expect(tree.body.root.children).toHaveLength(14);
  });

  it('renames 大顺米兰豪苑 to 文庭雅苑 from proposal to announcement; the old name stays searchable as former', async () => {
    const recorded = await api.request<{ id: string }>('POST', '/api/v1/place-names', {
      token: officer,
      body: { name: '大顺米兰豪苑', category: 'residential-area-or-building', type: '小区', divisionCode: '430503003', approvalDate: '2012-03-01' },
    });
    expect(recorded.status).toBe(201);

    const check = await api.request<{ passes: boolean; findings: { rule: string }[] }>('POST', '/api/v1/naming/check', {
      body: { name: '大顺米兰豪苑', category: 'residential-area-or-building', divisionCode: '430503003' },
    });
    expect([check.status, check.body.passes, check.body.findings.map((f) => f.rule)]).toEqual([200, false, expect.arrayContaining(['foreign-word'])]);

    const submitted = await api.request<{ id: string; status: string }>('POST', '/api/v1/naming/proposals', {
      token: officer,
      body: {
        kind: 'renaming',
        placeNameId: recorded.body.id,
        name: '文庭雅苑',
        origin: '取“文雅庭院”之意',
        reason: '清理整治不规范地名：原名含外国地名译名',
        documents: [{ title: '更名申请书', reference: '祥民地〔2023〕7号' }],
      },
    });
    expect(submitted.status).toBe(201);
    const id = submitted.body.id;
    const reviewer = await api.token({ userId: 'pn-reviewer', kind: 'staff', roles: ['place-names-officer'], divisions: ['430503'] });
    const reviewed = await api.request('POST', `/api/v1/naming/proposals/${id}/review`, { token: reviewer, body: { decision: 'forward', opinion: '符合命名规则，同意报批' } });
    expect(reviewed.status).toBe(200);
    const approved = await api.request('POST', `/api/v1/naming/proposals/${id}/approve`, {
      token: approver,
      body: { decision: 'approve', approvingAuthority: '邵阳市大祥区人民政府', approvalDate: '2023-06-20', documentNumber: '祥政函〔2023〕31号' },
    });
    expect(approved.status).toBe(200);
    const announced = await api.request<{ status: string; placeNameId: string }>('POST', `/api/v1/naming/proposals/${id}/announce`, {
      token: officer,
      body: { announcementNumber: '大祥区地名公告〔2023〕2号', announcedOn: '2023-07-01' },
    });
    expect([announced.status, announced.body.status, announced.body.placeNameId]).toEqual([200, 'announced', recorded.body.id]);

    const byOld = await api.request<{ items: { id: string; name: string; matched: { name: string; status: string } }[] }>('GET', `/api/v1/place-names?q=${encodeURIComponent('大顺米兰豪苑')}`);
    expect(byOld.body.items[0]).toMatchObject({ id: recorded.body.id, name: '文庭雅苑', matched: { name: '大顺米兰豪苑', status: 'former' } });
    const byPinyin = await api.request<{ items: { name: string }[] }>('GET', '/api/v1/place-names?q=wentingyayuan');
    expect(byPinyin.body.items.map((i) => i.name)).toContain('文庭雅苑');
  });

  it('refuses bad input with 400 naming each field, and writes nothing', async () => {
    const before = await counts();
    const bad = await api.request<{ errors: { field: string }[] }>('POST', '/api/v1/place-names', {
      token: officer,
      body: { name: '路', category: 'mountain', divisionCode: '4305', longitude: 200, aliases: [{ name: '旧', status: 'standard' }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.field).sort()).toEqual(['aliases[0].name', 'aliases[0].status', 'category', 'divisionCode', 'longitude', 'name']);
    const badProposal = await api.request<{ errors: { field: string }[] }>('POST', '/api/v1/naming/proposals', { token: officer, body: { kind: 'naming', name: '新路', documents: [] } });
    expect(badProposal.status).toBe(400);
    expect(badProposal.body.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['origin', 'reason', 'documents', 'category', 'divisionCode']));
    expect(await counts()).toEqual(before);
  });

  it('answers the public search on any text without a login and never with a 5xx', async () => {
    const odd = ['', ' ', '%', '_', '\\', "'; DROP TABLE place_name; --", '😀🏠', '東方ＡＢＣ Дом ١٢٣', '檀'.repeat(1000), '<script>alert(1)</script>', 'a'.repeat(999)];
    for (const q of odd) {
      const response = await api.request<{ items: unknown[] }>('GET', `/api/v1/place-names?q=${encodeURIComponent(q)}`);
      expect([q.slice(0, 20), response.status, Array.isArray(response.body.items)]).toEqual([q.slice(0, 20), 200, true]);
    }
    const tooLong = await api.request<{ errors: { field: string }[] }>('GET', `/api/v1/place-names?q=${'x'.repeat(1001)}`);
    expect([tooLong.status, tooLong.body.errors.map((e) => e.field)]).toEqual([400, ['q']]);
  });
});
