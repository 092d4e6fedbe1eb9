import type { DataSource } from 'typeorm';
import { buildResidentId } from '@civil/domain-kernel';
import type { Actor } from '@civil/contracts';
import { PersonalDataCipher } from '@civil/platform';
import { domainErrorOf, untouchable } from '@civil/testing';
import { fanOut } from './fan-out';
import { SourceTimeoutError, type MemberQuery, type SourceFact, type VerificationSource } from './verification-source';
import { VerificationService, type VerificationReport } from './verification.service';

/** Fan-out and the report, with in-memory sources and a scripted data source (SQL is covered by the integration spec). */

const head = buildResidentId('430503', '1968-03-14', 11);
const spouse = buildResidentId('430503', '1971-09-02', 22);
const HOUSEHOLD = '0194d2a0-0000-7000-8000-000000000001';
const memberRows = [
  { id: 'm-head', name: '张三', resident_id: head.value },
  { id: 'm-spouse', name: '李四', resident_id: spouse.value },
];
const cipher = PersonalDataCipher.fromEnvironment({});
/** The rows as the table holds them: the number encrypted. */
const storedMemberRows = memberRows.map((m) => ({ id: m.id, name: m.name, resident_id_enc: cipher.encrypt(m.resident_id) }));
const clerk: Actor = { userId: 'clerk-1', kind: 'staff', roles: ['clerk'], divisions: ['430503101000'] };

/** A source that answers `facts` after `delayMs`, recording whether it was told to stop. */
class ScriptedSource implements VerificationSource {
  aborted = false;
  asked: readonly MemberQuery[] = [];
  constructor(
    readonly id: string,
    readonly name: string,
    private readonly answer: () => Promise<unknown>,
  ) {}
  async lookup(members: readonly MemberQuery[], signal: AbortSignal): Promise<SourceFact[]> {
    this.asked = members;
    signal.addEventListener('abort', () => (this.aborted = true));
    return (await this.answer()) as SourceFact[];
  }
}
const after = <T>(ms: number, value: T) => () => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));
const neverAnswers = () => new Promise<never>(() => undefined);

const wages = (memberId: string, amount: number): SourceFact => ({ memberId, category: 'income', kind: 'wages', monthlyAmountFen: amount, description: '工资', asOf: '2023-11-30' });

/** Answers the service's queries from fixed rows; records writes. */
function fakeDataSource(household: { division_code: string } | null = { division_code: '430503101000' }) {
  const writes: { sql: string; params: unknown[] }[] = [];
  const query = async (sql: string, params: unknown[] = []): Promise<unknown[]> => {
    if (/FROM household WHERE id/.test(sql)) return household ? [household] : [];
    if (/FROM household_member/.test(sql)) return storedMemberRows;
    if (/^\s*(INSERT|UPDATE)/.test(sql)) {
      writes.push({ sql, params });
      return [];
    }
    throw new Error(`unexpected query ${sql}`);
  };
  return { dataSource: { query } as unknown as DataSource, writes };
}

describe('VerificationService', () => {
  it('one slow source does not hold the report past the deadline: it is missing, the others are reported with their source', async () => {
    const tax = new ScriptedSource('tax', '税务', after(20, [wages('m-head', 180000)]));
    const housing = new ScriptedSource('housing', '住建', after(10, [{ memberId: 'm-spouse', category: 'asset', kind: 'residential-property', valueFen: 35_000_000, description: '住宅 86㎡', asOf: '2023-06-30' }]));
    const police = new ScriptedSource('public-security', '公安', neverAnswers);
    const { dataSource, writes } = fakeDataSource();
    const service = new VerificationService(dataSource, [tax, police, housing], { deadlineMs: 300 }, cipher);

    const started = performance.now();
    const report = await service.verify(HOUSEHOLD, clerk);
    const elapsed = performance.now() - started;

    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(800);
    expect(report.missingSources).toEqual(['public-security']);
    expect(report.sources.map((s) => [s.id, s.name, s.status])).toEqual([
      ['tax', '税务', 'answered'],
      ['public-security', '公安', 'timed-out'],
      ['housing', '住建', 'answered'],
    ]);
    expect(report.sources[1]?.error).toBe('no answer within the 300 ms deadline');
    expect(police.aborted).toBe(true);
    expect(police.asked.map((m) => m.residentId)).toEqual([head.value, spouse.value]);

    expect(report.members).toEqual([
      {
        memberId: 'm-head',
        name: '张三',
        residentId: head.masked(),
        incomes: [{ kind: 'wages', monthlyAmountFen: 180000, source: 'tax', sourceName: '税务', asOf: '2023-11-30', description: '工资' }],
        assets: [],
      },
      {
        memberId: 'm-spouse',
        name: '李四',
        residentId: spouse.masked(),
        incomes: [],
        assets: [{ kind: 'residential-property', valueFen: 35_000_000, source: 'housing', sourceName: '住建', asOf: '2023-06-30', description: '住宅 86㎡' }],
      },
    ]);
    expect(report.totals).toEqual({ householdMonthlyIncomeFen: 180000 });
    expect(JSON.stringify(report)).not.toContain(head.value);

    // The request is recorded before the sources are asked, and the report stored with it.
    expect(writes.map((w) => w.sql.trim().split(/\s+/)[0])).toEqual(['INSERT', 'UPDATE']);
    expect(writes[0]?.params.slice(0, 3)).toEqual([report.id, HOUSEHOLD, 'clerk-1']);
    expect(JSON.parse(writes[1]?.params[2] as string) as VerificationReport).toEqual(report);
  });

  it('sources that fail, time out on their own or answer garbage are listed with the reason', async () => {
    const sources = [
      new ScriptedSource('tax', '税务', () => Promise.reject(new Error('gave up after 3 attempt(s); last: HTTP 502'))),
      new ScriptedSource('pension', '人社', () => Promise.reject(new SourceTimeoutError('no answer within 500 ms in 3 attempt(s)'))),
      new ScriptedSource('bank', '银行', after(1, [{ memberId: 'm-head', category: 'asset', kind: 'Deposit!', valueFen: -5, description: '', asOf: '2023-02-30' }])),
      new ScriptedSource('fund', '公积金', after(1, [wages('someone-else', 1)])),
      new ScriptedSource('market', '市场监管', after(1, [])),
    ];
    const outcomes = await fanOut(sources, memberRows.map((m) => ({ memberId: m.id, residentId: m.resident_id, name: m.name })), 1000);
    expect(outcomes.map((o) => [o.source.id, o.status])).toEqual([
      ['tax', 'failed'],
      ['pension', 'timed-out'],
      ['bank', 'failed'],
      ['fund', 'failed'],
      ['market', 'answered'],
    ]);
    expect(outcomes[0]?.error).toBe('gave up after 3 attempt(s); last: HTTP 502');
    expect(outcomes[1]?.error).toBe('no answer within 500 ms in 3 attempt(s)');
    expect(outcomes[2]?.error).toMatch(/^invalid answer: \[0\]\.kind: .*; \[0\]\.valueFen: .*; \[0\]\.asOf: must be a date YYYY-MM-DD$/);
    expect(outcomes[3]?.error).toBe('invalid answer: [0].memberId is not a member that was asked about');
  });

  it('a source that throws instead of returning a promise is a failed source, not a failed verification', async () => {
    const broken: VerificationSource = {
      id: 'broken',
      name: '坏',
      lookup: () => {
        throw new Error('not configured');
      },
    };
    const [outcome] = await fanOut([broken], [], 1000);
    expect(outcome).toMatchObject({ status: 'failed', error: 'not configured' });
  });

  it('shows full resident IDs only to a caller with personal-data:reveal; the stored report stays masked', async () => {
    const revealer: Actor = { ...clerk, permissions: ['personal-data:reveal'] };
    const tax = new ScriptedSource('tax', '税务', after(1, [wages('m-head', 180000)]));
    const { dataSource, writes } = fakeDataSource();
    const service = new VerificationService(dataSource, [tax], { deadlineMs: 1000 }, cipher);

    const revealed = await service.verify(HOUSEHOLD, revealer);
    expect(revealed.members.map((m) => m.residentId)).toEqual([head.value, spouse.value]);
    const stored = JSON.parse(writes[1]?.params[2] as string) as VerificationReport;
    expect(stored.members.map((m) => m.residentId)).toEqual([head.masked(), spouse.masked()]);

    // Read back: masked as stored, unless the caller may reveal (then from the registry).
    const registryQueries: unknown[][] = [];
    const reader = {
      query: async (sql: string, params: unknown[] = []): Promise<unknown[]> => {
        if (/FROM verification_request/.test(sql)) return [{ household_id: HOUSEHOLD, division_code: '430503101000', report: stored }];
        if (/FROM household_member/.test(sql)) {
          registryQueries.push(params);
          return storedMemberRows;
        }
        throw new Error(`unexpected query ${sql}`);
      },
    } as unknown as DataSource;
    const readService = new VerificationService(reader, [tax], { deadlineMs: 1000 }, cipher);
    expect((await readService.get(stored.id, clerk)).members.map((m) => m.residentId)).toEqual([head.masked(), spouse.masked()]);
    expect(registryQueries).toEqual([]);
    expect((await readService.get(stored.id, revealer)).members.map((m) => m.residentId)).toEqual([head.value, spouse.value]);
    expect(registryQueries).toEqual([[HOUSEHOLD, ['m-head', 'm-spouse']]]);
  });

  it('household income: kinds add up, the same kind from two sources counts once (the larger)', async () => {
    const tax = new ScriptedSource('tax', '税务', after(1, [wages('m-head', 180000), wages('m-head', 20000)]));
    const hr = new ScriptedSource('hr', '人社', after(1, [wages('m-head', 190000), { ...wages('m-spouse', 150000), kind: 'pension' }]));
    const service = new VerificationService(fakeDataSource().dataSource, [tax, hr], { deadlineMs: 1000 }, cipher);
    const report = await service.verify(HOUSEHOLD, clerk);
    // head's wages: 税务 200000 (two employers) vs 人社 190000 -> 200000; spouse's pension 150000.
    expect(report.totals.householdMonthlyIncomeFen).toBe(350000);
    expect(report.members[0]?.incomes.map((i) => [i.source, i.monthlyAmountFen])).toEqual([
      ['tax', 180000],
      ['tax', 20000],
      ['hr', 190000],
    ]);
  });

  describe('who may verify', () => {
    const source = new ScriptedSource('tax', '税务', after(1, []));

    it('citizens and roles outside social assistance are refused before anything is read', async () => {
      const service = new VerificationService(untouchable<DataSource>('dataSource'), [source], { deadlineMs: 100 }, cipher);
      await domainErrorOf(service.verify(HOUSEHOLD, { userId: 'c', kind: 'citizen', roles: ['citizen'], divisions: [], residentId: head.value }), 'FORBIDDEN');
      await domainErrorOf(service.verify(HOUSEHOLD, { ...clerk, roles: ['auditor'] }), 'FORBIDDEN');
      await domainErrorOf(service.get(HOUSEHOLD, { ...clerk, roles: ['registrar'] }), 'FORBIDDEN');
    });

    it.each(['clerk', 'township-reviewer', 'district-approver', 'admin'] as const)('%s within the division may', async (role) => {
      const service = new VerificationService(fakeDataSource().dataSource, [source], { deadlineMs: 100 }, cipher);
      const report = await service.verify(HOUSEHOLD, { ...clerk, roles: [role], divisions: ['430503000000'] });
      expect(report.missingSources).toEqual([]);
    });

    it('a caseworker of another township is out of scope; an unknown household is not found', async () => {
      const elsewhere = new VerificationService(fakeDataSource().dataSource, [source], { deadlineMs: 100 }, cipher);
      await domainErrorOf(elsewhere.verify(HOUSEHOLD, { ...clerk, divisions: ['430503102000'] }), 'OUT_OF_DIVISION_SCOPE');
      const missing = new VerificationService(fakeDataSource(null).dataSource, [source], { deadlineMs: 100 }, cipher);
      await domainErrorOf(missing.verify(HOUSEHOLD, clerk), 'NOT_FOUND');
    });

    it('with no source configured there is no report to make', async () => {
      const service = new VerificationService(fakeDataSource().dataSource, [], { deadlineMs: 100 }, cipher);
      await domainErrorOf(service.verify(HOUSEHOLD, clerk), 'SERVICE_UNAVAILABLE');
    });

    it('two sources with one id are a configuration error', () => {
      expect(() => new VerificationService(fakeDataSource().dataSource, [source, source], { deadlineMs: 100 }, cipher)).toThrow('verification source id tax is configured twice');
    });
  });
});
