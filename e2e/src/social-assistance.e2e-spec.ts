import { PersonalDataCipher, sealResidentId } from '@civil/platform';
import { Period, buildResidentId, todayInShanghai } from '@civil/domain-kernel';
import { startStack, type Stack } from '@civil/launcher';
import { GatewayClient, queryService } from './support/api';

/** Social-assistance casework through the gateway, as clerks and citizens use it. */
describe('social assistance through the gateway', () => {
  let stack: Stack;
  let api: GatewayClient;
  let clerk: string;
  let householdId: string;
  let headId: string;
  const head = buildResidentId('430503', '1975-03-08', 11).value;
  const spouse = buildResidentId('430503', '1978-11-20', 22).value;
  const stranger = buildResidentId('430503', '1980-01-01', 33).value;

  const count = async (table: string): Promise<number> =>
    Number((await queryService<{ n: string }>(stack, 'social-assistance', `SELECT count(*) AS n FROM ${table}`))[0]?.n);

  beforeAll(async () => {
    stack = await startStack({ env: { LOG_LEVEL: 'warn' } });
    api = new GatewayClient(stack.gatewayUrl);
    clerk = await api.token({ userId: 'clerk-lsz', kind: 'staff', roles: ['clerk'], divisions: ['430503101'] });
    const registered = await api.request<{ id: string; members: { id: string; relationship: string }[] }>('POST', '/api/v1/social-assistance/households', {
      token: clerk,
      body: {
        divisionCode: '430503101',
        urbanRural: 'rural',
        address: '罗市镇演示村 3 组',
        members: [
          { name: '刘一', residentId: head, relationship: 'head' },
          { name: '陈二', residentId: spouse, relationship: 'spouse' },
        ],
      },
    });
    expect(registered.status).toBe(201);
    householdId = registered.body.id;
    headId = registered.body.members.find((m) => m.relationship === 'head')?.id ?? '';
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('records incomes and assets with their source and date, and keeps the change history', async () => {
    const income = await api.request('POST', `/api/v1/social-assistance/households/${householdId}/incomes`, {
      token: clerk,
      body: { memberId: headId, kind: 'wages', monthlyAmountFen: 80000, source: '人社 就业登记', asOf: '2023-06-30' },
    });
    expect(income.status).toBe(201);
    const asset = await api.request('POST', `/api/v1/social-assistance/households/${householdId}/assets`, {
      token: clerk,
      body: { memberId: headId, kind: 'deposit', valueFen: 500000, source: '银行 存款查询', asOf: '2023-06-30' },
    });
    expect(asset.status).toBe(201);
    const finances = await api.request<{ incomes: { source: string; monthlyAmountFen: number }[]; assets: unknown[]; history: { change: string }[] }>(
      'GET',
      `/api/v1/social-assistance/households/${householdId}/finances`,
      { token: clerk },
    );
    expect(finances.status).toBe(200);
    expect(finances.body.incomes).toEqual([expect.objectContaining({ source: '人社 就业登记', monthlyAmountFen: 80000 })]);
    expect(finances.body.assets).toHaveLength(1);
    expect(finances.body.history.map((h) => h.change)).toEqual(['registered', 'income-recorded', 'asset-recorded']);
  });

  it('bad input is a 400 naming each field, and nothing is written', async () => {
    const before = [await count('member_income'), await count('household_history'), await count('household')];
    const negative = await api.request<{ errors: { field: string; rule: string }[] }>('POST', `/api/v1/social-assistance/households/${householdId}/incomes`, {
      token: clerk,
      body: { memberId: headId, kind: 'wages', monthlyAmountFen: -5, source: '', asOf: '2023-02-30' },
    });
    expect(negative.status).toBe(400);
    expect(negative.body.errors.map((e) => e.field).sort()).toEqual(['asOf', 'monthlyAmountFen', 'source']);
    const missing = await api.request<{ errors: { field: string }[] }>('POST', '/api/v1/social-assistance/households', { token: clerk, body: { divisionCode: '430503101' } });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e) => e.field).sort()).toEqual(['address', 'members', 'urbanRural']);
    const unknownDivision = await api.request<{ errors: { field: string; rule: string }[] }>('POST', '/api/v1/social-assistance/households', {
      token: await api.token({ userId: 'clerk-county', kind: 'staff', roles: ['clerk'], divisions: ['430503'] }),
      body: { divisionCode: '430503999', urbanRural: 'urban', address: '不存在的街道', members: [{ name: '某', residentId: stranger, relationship: 'head' }] },
    });
    expect(unknownDivision.status).toBe(400);
    expect(unknownDivision.body.errors).toEqual([expect.objectContaining({ field: 'divisionCode', rule: 'unknown-division' })]);
    const notMember = await api.request<{ errors: { field: string; rule: string }[] }>('POST', `/api/v1/social-assistance/households/${householdId}/incomes`, {
      token: clerk,
      body: { memberId: '0193a0a0-0000-7000-8000-00000000dead', kind: 'wages', monthlyAmountFen: 100, source: 'x', asOf: '2023-06-30' },
    });
    expect(notMember.status).toBe(400);
    expect(notMember.body.errors).toEqual([expect.objectContaining({ field: 'memberId', rule: 'member-of-household' })]);
    expect([await count('member_income'), await count('household_history'), await count('household')]).toEqual(before);
  });

  it('a citizen applies for their own household and follows it; another citizen cannot see it', async () => {
    const citizen = await api.token({ userId: 'citizen-liu', kind: 'citizen', roles: ['citizen'], residentId: head });
    const applied = await api.request<{ id: string; status: string; deadline: string; allowedActions: string[] }>('POST', '/api/v1/social-assistance/dibao-applications', {
      token: citizen,
      body: { householdId },
    });
    expect(applied.status).toBe(201);
    expect(applied.body.status).toBe('SUBMITTED');
    expect(applied.body.deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(applied.body.allowedActions).toEqual(['withdraw']);

    const other = await api.token({ userId: 'citizen-x', kind: 'citizen', roles: ['citizen'], residentId: stranger });
    expect((await api.request('GET', `/api/v1/social-assistance/dibao-applications/${applied.body.id}`, { token: other })).status).toBe(404);
    expect((await api.request('POST', '/api/v1/social-assistance/dibao-applications', { token: other, body: { householdId } })).status).toBe(404);

    // The clerk acts; the citizen sees the new status.
    const accepted = await api.request<{ status: string }>('POST', `/api/v1/social-assistance/dibao-applications/${applied.body.id}/actions`, {
      token: clerk,
      body: { action: 'accept', payload: {} },
    });
    expect(accepted.status).toBe(200);
    const seen = await api.request<{ status: string; actions: { action: string }[] }>('GET', `/api/v1/social-assistance/dibao-applications/${applied.body.id}`, { token: citizen });
    expect(seen.body.status).toBe('ACCEPTED');
    expect(seen.body.actions.map((a) => a.action)).toEqual(['submit', 'accept']);

    // A citizen may not take a caseworker's action; a clerk may not approve.
    const byCitizen = await api.request<{ code: string }>('POST', `/api/v1/social-assistance/dibao-applications/${applied.body.id}/actions`, {
      token: citizen,
      body: { action: 'record-verification', payload: { reportId: 'r-1' } },
    });
    expect(byCitizen.status).toBe(403);
    const survey = await api.request<{ code: string; errors: { field: string }[] }>('POST', `/api/v1/social-assistance/dibao-applications/${applied.body.id}/actions`, {
      token: clerk,
      body: { action: 'record-survey', payload: { investigators: ['张'], findings: '' } },
    });
    expect(survey.status).toBe(400);
    expect(survey.body.errors.map((e) => e.field)).toContain('payload.investigators');
    const approve = await api.request<{ code: string }>('POST', `/api/v1/social-assistance/dibao-applications/${applied.body.id}/actions`, {
      token: clerk,
      body: { action: 'approve', payload: { monthlyAmountFen: 10000, coveredPersons: 2 } },
    });
    expect(approve.status).toBe(403);
    // The log is append-only in the database itself.
    await expect(queryService(stack, 'social-assistance', `DELETE FROM dibao_application_action WHERE application_id = $1`, [applied.body.id])).rejects.toThrow(/append-only/);
  });

  it('a clerk outside the township cannot see it; the overdue list follows the deadline and the caller’s divisions', async () => {
    const elsewhere = await api.token({ userId: 'clerk-zxl', kind: 'staff', roles: ['clerk'], divisions: ['430503001'] });
    const [row] = await queryService<{ id: string }>(stack, 'social-assistance', `SELECT id FROM dibao_application LIMIT 1`);
    const foreign = await api.request<{ code: string }>('GET', `/api/v1/social-assistance/dibao-applications/${row?.id ?? ''}`, { token: elsewhere });
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('OUT_OF_DIVISION_SCOPE');
    const view = await api.request<{ deadline: string; deadlineProvisional: boolean }>('GET', `/api/v1/social-assistance/dibao-applications/${row?.id ?? ''}`, { token: clerk });
    const lateDay = `${Number(view.body.deadline.slice(0, 4)) + 1}-01-15`;
    const overdue = await api.request<{ items: { id: string; overdue: boolean }[] }>('GET', `/api/v1/social-assistance/dibao-applications/overdue?today=${lateDay}`, { token: clerk });
    expect(overdue.status).toBe(200);
    // A deadline that runs into a year whose holidays are not loaded yet is provisional (it may be
    // too early), and a provisional deadline never makes a case overdue.
    if (view.body.deadlineProvisional) expect(overdue.body.items.map((i) => i.id)).not.toContain(row?.id);
    else expect(overdue.body.items.map((i) => i.id)).toContain(row?.id);
    const notYet = await api.request<{ items: unknown[] }>('GET', `/api/v1/social-assistance/dibao-applications/overdue?today=${view.body.deadline}`, { token: clerk });
    expect(notYet.body.items).toEqual([]);
    const elsewhereList = await api.request<{ items: unknown[] }>('GET', `/api/v1/social-assistance/dibao-applications/overdue?today=${lateDay}`, { token: elsewhere });
    expect(elsewhereList.body.items).toEqual([]);
  });

  it('a citizen applies for expenditure-type temporary assistance and follows it; the cap is enforced', async () => {
    const citizen = await api.token({ userId: 'citizen-liu-2', kind: 'citizen', roles: ['citizen'], residentId: spouse });
    const tooMuch = await api.request<{ errors: { field: string; rule: string }[] }>('POST', '/api/v1/social-assistance/temporary-assistance/applications', {
      token: citizen,
      body: { householdId, cause: '住院医疗费用', persons: 2, amountFen: 100_000_000 },
    });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.errors).toEqual([expect.objectContaining({ field: 'amountFen', rule: 'cap' })]);
    const applied = await api.request<{ id: string; status: string }>('POST', '/api/v1/social-assistance/temporary-assistance/applications', {
      token: citizen,
      body: { householdId, cause: '住院医疗费用', persons: 2, amountFen: 150_000 },
    });
    expect(applied.status).toBe(201);
    expect(applied.body.status).toBe('SUBMITTED');
    const own = await api.request<{ status: string }>('GET', `/api/v1/social-assistance/temporary-assistance/${applied.body.id}`, { token: citizen });
    expect(own.status).toBe(200);
    const other = await api.token({ userId: 'citizen-y', kind: 'citizen', roles: ['citizen'], residentId: stranger });
    expect((await api.request('GET', `/api/v1/social-assistance/temporary-assistance/${applied.body.id}`, { token: other })).status).toBe(404);
  });

  it('downloads a payroll’s bank file as one CSV streamed page by page, recording the export once', async () => {
    // 2,500 paid households (more than one page of the bank file), set up directly in the database,
    // their heads' numbers sealed as the service keeps them (lookup hash + ciphertext under the stack's key).
    const cipher = new PersonalDataCipher(stack.personalDataKey);
    const heads = Array.from({ length: 2500 }, (_, i) => sealResidentId(cipher, `E2E-${i}`));
    await queryService(
      stack,
      'social-assistance',
      `WITH h AS (
         INSERT INTO household (id, division_code, urban_rural, address, created_by)
         SELECT gen_random_uuid(), '430503101001', 'rural', '批量户 ' || g, 'e2e' FROM generate_series(1, 2500) g RETURNING id),
       numbered AS (SELECT id, row_number() OVER () AS n FROM h),
       m AS (
         INSERT INTO household_member (id, household_id, name, resident_id_hash, resident_id_enc, relationship, birth_date, sex)
         SELECT gen_random_uuid(), numbered.id, '户主', head.hash, head.enc, 'head', '1960-01-01', 'male'
           FROM numbered JOIN unnest($1::text[], $2::text[]) WITH ORDINALITY AS head(hash, enc, n) ON head.n = numbered.n
         RETURNING household_id)
       INSERT INTO dibao_case (id, household_id, division_code, urban_rural, covered_persons, monthly_amount_fen, start_period)
       SELECT gen_random_uuid(), household_id, '430503101001', 'rural', 1, 30000, '2030-01' FROM m`,
      [heads.map((head) => head.hash), heads.map((head) => head.enc)],
    );
    const approver = await api.token({ userId: 'approver-e2e', kind: 'staff', roles: ['district-approver'], divisions: ['430503'] });
    const run = await api.request<{ status: string; lines: number }>('POST', '/api/v1/social-assistance/payrolls', { token: approver, body: { period: '2030-01', programme: 'dibao' } });
    expect([run.status, run.body.status, run.body.lines]).toEqual([200, 'completed', 2500]);

    const finance = await api.token({ userId: 'finance-e2e', kind: 'staff', roles: ['finance-officer'], divisions: ['430503'] });
    const file = await api.request<string>('GET', '/api/v1/social-assistance/payrolls/2030-01/dibao/bank-file', { token: finance });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="bank-file-dibao-2030-01.csv"');
    const records = file.body.split('\r\n');
    expect(records[0]).toBe('period,programme,beneficiary_id,payee_name,payee_resident_id,division_code,township_code,urban_rural,persons,amount_yuan');
    expect(records.at(-1)).toBe('');
    const beneficiaries = records.slice(1, -1).map((r) => r.split(',')[2]);
    expect(beneficiaries).toHaveLength(2500);
    expect(new Set(beneficiaries).size).toBe(2500);
    expect(records.slice(1, -1).every((r) => r.endsWith(',1,300.00'))).toBe(true);
    const exports = await queryService<{ lines: number; exported_by: string }>(stack, 'social-assistance', `SELECT lines, exported_by FROM payroll_export WHERE period = '2030-01'`);
    expect(exports).toEqual([{ lines: 2500, exported_by: 'finance-e2e' }]);

    // A clerk may not take the file; a bad period is a 400 naming it.
    const refused = await api.request<{ code: string }>('GET', '/api/v1/social-assistance/payrolls/2030-01/dibao/bank-file', { token: clerk });
    expect([refused.status, refused.body.code]).toEqual([403, 'FORBIDDEN']);
    const bad = await api.request<{ errors: { field: string }[] }>('GET', '/api/v1/social-assistance/payrolls/2030-13/dibao/bank-file', { token: finance });
    expect([bad.status, bad.body.errors.map((e) => e.field)]).toEqual([400, ['period']]);
  });

  it('特困: assessed, refused with the failed conditions, enrolled by the district, counted in the census', async () => {
    const elder = buildResidentId('430503', '1940-05-05', 41).value;
    const young = buildResidentId('430503', '1990-05-05', 43).value;
    for (const [residentId, name] of [[elder, '独居老人'], [young, '青年']] as const) {
      const made = await api.request('POST', '/api/v1/social-assistance/households', {
        token: clerk,
        body: { divisionCode: '430503101', urbanRural: 'rural', address: '罗市镇演示村 5 组', members: [{ name, residentId, relationship: 'head' }] },
      });
      expect(made.status).toBe(201);
    }
    const approver = await api.token({ userId: 'approver-tk', kind: 'staff', roles: ['district-approver'], divisions: ['430503'] });
    const assessed = await api.request<{ eligible: boolean; conditions: { condition: string; met: boolean }[] }>('POST', '/api/v1/social-assistance/tekun/assessments', {
      token: clerk,
      body: { residentId: young, legalSupporters: { status: 'none' } },
    });
    expect([assessed.status, assessed.body.eligible]).toEqual([200, false]);
    const refused = await api.request<{ code: string; detail: string }>('POST', '/api/v1/social-assistance/tekun/persons', {
      token: approver,
      body: { residentId: young, legalSupporters: { status: 'none' }, careMode: 'dispersed', selfCareLevel: 'full' },
    });
    expect([refused.status, refused.body.code]).toEqual([422, 'NOT_ELIGIBLE']);
    expect(refused.body.detail).toContain('unable-to-work');
    const bad = await api.request<{ errors: { field: string }[] }>('POST', '/api/v1/social-assistance/tekun/persons', {
      token: approver,
      body: { residentId: elder, legalSupporters: { status: 'none' }, careMode: 'centralized', selfCareLevel: 'full' },
    });
    expect([bad.status, bad.body.errors.map((e) => e.field)]).toEqual([400, ['institutionName']]);
    expect(await count('tekun_person')).toBe(0);

    const enrolled = await api.request<{ personId: string; status: string; amount: { monthlyAmountFen: number } }>('POST', '/api/v1/social-assistance/tekun/persons', {
      token: approver,
      body: { residentId: elder, legalSupporters: { status: 'none' }, careMode: 'dispersed', selfCareLevel: 'full' },
    });
    expect([enrolled.status, enrolled.body.status, enrolled.body.amount.monthlyAmountFen]).toEqual([201, 'active', 73300]);
    const seen = await api.request<{ residentId: string }>('GET', `/api/v1/social-assistance/tekun/persons/${enrolled.body.personId}`, { token: clerk });
    expect(seen.body.residentId).toBe(`${elder.slice(0, 6)}********${elder.slice(14)}`);
    const next = Period.fromDate(todayInShanghai()).next().toString();
    const census = await api.request<{ persons: number; dispersed: number }>('GET', `/api/v1/social-assistance/tekun/census?period=${next}`, { token: approver });
    expect([census.status, census.body.persons, census.body.dispersed]).toEqual([200, 1, 1]);
  });

  it('charity: a donation, an activity that may not overdraw the fund, and the year’s summary', async () => {
    const today = todayInShanghai();
    const year = Number(today.slice(0, 4));
    const donation = await api.request('POST', '/api/v1/social-assistance/charity/donations', {
      token: clerk,
      body: { donorKind: 'organisation', donorName: '爱心企业', kind: 'money', amountFen: 100000, receiptNumber: `E2E-${Date.now()}`, receivedOn: today, divisionCode: '430503101' },
    });
    expect(donation.status).toBe(201);
    const overdraw = await api.request<{ code: string }>('POST', '/api/v1/social-assistance/charity/activities', {
      token: clerk,
      body: { kind: 'visit', title: '走访慰问', divisionCode: '430503101', heldOn: today, householdsVisited: 3, fundsDistributedFen: 100001 },
    });
    expect([overdraw.status, overdraw.body.code]).toEqual([409, 'CONFLICT']);
    const visit = await api.request('POST', '/api/v1/social-assistance/charity/activities', {
      token: clerk,
      body: { kind: 'visit', title: '走访慰问', divisionCode: '430503101', heldOn: today, householdsVisited: 3, fundsDistributedFen: 60000 },
    });
    expect(visit.status).toBe(201);
    const summary = await api.request<{ total: { fundsReceivedFen: number; fundsDistributedFen: number; householdsVisited: number; activities: number } }>(
      'GET',
      `/api/v1/social-assistance/charity/summary?year=${year}`,
      { token: clerk },
    );
    expect(summary.status).toBe(200);
    expect(summary.body.total).toMatchObject({ fundsReceivedFen: 100000, fundsDistributedFen: 60000, householdsVisited: 3, activities: 1 });
  });
});
