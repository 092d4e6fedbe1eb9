import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { buildResidentId } from '@civil/domain-kernel';
import type { Actor } from '@civil/contracts';
import { PersonalDataCipher, sealResidentId, serviceDataSourceOptions } from '@civil/platform';
import { createTestDatabase, domainErrorOf } from '@civil/testing';
import { Households1764000005000 } from '../migrations/1764000005000-households';
import { AssistanceBase1764000006000 } from '../migrations/1764000006000-assistance-base';
import { Verification1764000007000 } from '../migrations/1764000007000-verification';
import { ResidentIdsAtRest1764000060000 } from '../migrations/1764000060000-resident-ids-at-rest';
import { HttpSource } from './http-source.adapter';
import { TableSource, VerificationImportError, importVerificationCsv } from './table-source.adapter';
import { VerificationService, type VerificationReport } from './verification.service';

/**
 * Verification against real PostgreSQL: imported extracts answer through the table source, a
 * bureau that never answers is listed as missing, the report is stored; a bad extract writes nothing.
 */
describe('VerificationService (PostgreSQL)', () => {
  const HEADER = 'source_id,resident_id,category,kind,monthly_amount_fen,value_fen,description,as_of';
  const clerk: Actor = { userId: 'clerk-7', kind: 'staff', roles: ['clerk'], divisions: ['430503101000'] };
  const head = buildResidentId('430503', '1968-03-14', 11);
  const spouse = buildResidentId('430503', '1971-09-02', 22);
  const outsider = buildResidentId('430503', '1980-01-01', 33);

  let dataSource: DataSource;
  const cipher = PersonalDataCipher.fromEnvironment({});
  let dir: string;
  let silentBureau: Server;
  let silentBureauUrl: string;
  let householdId: string;
  const memberIds: string[] = [];

  async function csv(name: string, lines: string[]): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, `${[HEADER, ...lines].join('\n')}\n`, 'utf8');
    return path;
  }

  async function importedRows(): Promise<number> {
    const [row] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM verification_import_fact`);
    return row?.n ?? -1;
  }

  beforeAll(async () => {
    dataSource = new DataSource(
      serviceDataSourceOptions({
        url: await createTestDatabase('verification'),
        entities: [],
        migrations: [Households1764000005000, AssistanceBase1764000006000, Verification1764000007000, ResidentIdsAtRest1764000060000],
        applicationName: 'verification-test',
      }),
    );
    await dataSource.initialize();
    await dataSource.runMigrations();
    dir = await mkdtemp(join(tmpdir(), 'verification-'));

    householdId = uuidv7();
    await dataSource.query(`INSERT INTO household (id, division_code, urban_rural, address, created_by) VALUES ($1, '430503101000', 'urban', '城南街道 某小区 3-201', 'test')`, [householdId]);
    for (const [i, person] of [head, spouse].entries()) {
      const id = uuidv7();
      memberIds.push(id);
      await dataSource.query(
        `INSERT INTO household_member (id, household_id, name, resident_id_hash, resident_id_enc, relationship, birth_date, sex) VALUES ($1, $2, $3, $4, $8, $5, $6, $7)`,
        [id, householdId, i === 0 ? '张三' : '李四', sealResidentId(cipher, person.value).hash, i === 0 ? 'head' : 'spouse', person.birthDate, person.sex, sealResidentId(cipher, person.value).enc],
      );
    }

    // A bureau that accepts the connection and never answers.
    silentBureau = createServer(() => undefined);
    await new Promise<void>((resolve) => silentBureau.listen(0, '127.0.0.1', resolve));
    silentBureauUrl = `http://127.0.0.1:${(silentBureau.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    silentBureau.closeAllConnections();
    await new Promise<void>((resolve) => silentBureau.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
    await dataSource.destroy();
  });

  it('reports imported facts with their source, lists the silent bureau and the never-imported source as missing, and stores the report', async () => {
    // Last month's 住建 extract, replaced by this month's: only the latest extract of a source counts.
    await importVerificationCsv(dataSource, cipher, await csv('housing-2023-10.csv', [`housing,${head.value},asset,vehicle,,8000000,小型轿车 湘E·12345,2023-10-31`]));
    const summary = await importVerificationCsv(
      dataSource,
      cipher,
      await csv('2023-11.csv', [
        `housing,${spouse.value},asset,residential-property,,35000000,"住宅 86㎡, 城南街道",2023-11-30`,
        `fund,${head.value},income,housing-subsidy,50000,,住房补贴,2023-11-30`,
        `fund,${head.value},income,wages,180000,,"单位: 某物流公司",2023-11-30`,
        `fund,${outsider.value},income,wages,999999,,另一户,2023-11-30`,
      ]),
    );
    expect(summary).toMatchObject({ rows: 4, sources: { housing: 1, fund: 3 } });

    const service = new VerificationService(
      dataSource,
      [
        new TableSource(dataSource, cipher, 'housing', '住建'),
        new TableSource(dataSource, cipher, 'fund', '公积金'),
        new TableSource(dataSource, cipher, 'market', '市场监管'),
        new HttpSource({ id: 'tax', name: '税务', baseUrl: silentBureauUrl, timeoutMs: 5000, attempts: 3 }),
      ],
      { deadlineMs: 800 },
      cipher,
    );
    const started = performance.now();
    const report = await service.verify(householdId, clerk);
    expect(performance.now() - started).toBeLessThan(3000);

    expect(report.householdId).toBe(householdId);
    expect(report.sources.map((s) => [s.id, s.status])).toEqual([
      ['housing', 'answered'],
      ['fund', 'answered'],
      ['market', 'failed'],
      ['tax', 'timed-out'],
    ]);
    expect(report.sources[2]?.error).toBe('no extract of source market has been imported');
    expect(report.missingSources).toEqual(['market', 'tax']);
    expect(report.members).toEqual([
      {
        memberId: memberIds[0],
        name: '张三',
        residentId: head.masked(),
        incomes: [
          { kind: 'housing-subsidy', monthlyAmountFen: 50000, source: 'fund', sourceName: '公积金', asOf: '2023-11-30', description: '住房补贴' },
          { kind: 'wages', monthlyAmountFen: 180000, source: 'fund', sourceName: '公积金', asOf: '2023-11-30', description: '单位: 某物流公司' },
        ],
        assets: [],
      },
      {
        memberId: memberIds[1],
        name: '李四',
        residentId: spouse.masked(),
        incomes: [],
        assets: [{ kind: 'residential-property', valueFen: 35000000, source: 'housing', sourceName: '住建', asOf: '2023-11-30', description: '住宅 86㎡, 城南街道' }],
      },
    ]);
    expect(report.totals).toEqual({ householdMonthlyIncomeFen: 230000 });

    const [stored] = await dataSource.query<{ requested_by: string; completed: boolean; report: VerificationReport }[]>(
      `SELECT requested_by, completed_at IS NOT NULL AS completed, report FROM verification_request WHERE id = $1`,
      [report.id],
    );
    expect(stored).toEqual({ requested_by: 'clerk-7', completed: true, report });
    expect(JSON.stringify(stored?.report)).not.toContain(head.value);
    expect(await service.get(report.id, clerk)).toEqual(report);
    await domainErrorOf(service.get(report.id, { ...clerk, divisions: ['430503102000'] }), 'OUT_OF_DIVISION_SCOPE');
    await domainErrorOf(service.get(uuidv7(), clerk), 'NOT_FOUND');
  });

  it('an extract with one bad row writes nothing and names the line', async () => {
    const before = await importedRows();
    const file = await csv('bad.csv', [
      `housing,${head.value},asset,vehicle,,1,good row,2023-11-30`,
      `housing,${spouse.value},asset,vehicle,,1,good row,2023-11-30`,
      `housing,${spouse.value},asset,vehicle,,one hundred,bad row,2023-11-30`,
      `housing,${head.value},asset,vehicle,,1,good row,2023-11-30`,
    ]);
    const refused = importVerificationCsv(dataSource, cipher, file);
    await expect(refused).rejects.toBeInstanceOf(VerificationImportError);
    await expect(refused).rejects.toThrow('bad.csv: verification import refused, nothing was written: line 4 value_fen: must be a whole, non-negative number of fen');
    expect(await importedRows()).toBe(before);
  });

  it('an extract that is not UTF-8 (a GBK export) is refused', async () => {
    const path = join(dir, 'gbk.csv');
    // "核对" in GBK: BA CB B6 D4, not valid UTF-8 (BA cannot start a UTF-8 character).
    await writeFile(path, Buffer.concat([Buffer.from(`${HEADER}\nhousing,${head.value},asset,vehicle,,1,`), Buffer.from([0xba, 0xcb, 0xb6, 0xd4]), Buffer.from(',2023-11-30\n')]));
    await expect(importVerificationCsv(dataSource, cipher, path)).rejects.toThrow('gbk.csv: verification import refused, nothing was written: line 1: the file is not UTF-8 text');
  });

  it('a file larger than one insert chunk is still one transaction: a failure in the last chunk leaves nothing behind', async () => {
    // A constraint the parser does not know about, so the failure happens in the database, after the first chunks went in.
    await dataSource.query(`ALTER TABLE verification_import_fact ADD CONSTRAINT test_refuses_boom CHECK (description <> 'boom') NOT VALID`);
    try {
      const before = await importedRows();
      const rows = Array.from({ length: 12_000 }, (_, i) => `fund,${head.value},income,wages,${i},,${i === 11_999 ? 'boom' : 'ok'},2023-11-30`);
      await expect(importVerificationCsv(dataSource, cipher, await csv('big.csv', rows))).rejects.toThrow(/test_refuses_boom/);
      expect(await importedRows()).toBe(before);
    } finally {
      await dataSource.query(`ALTER TABLE verification_import_fact DROP CONSTRAINT test_refuses_boom`);
    }
  });
});
