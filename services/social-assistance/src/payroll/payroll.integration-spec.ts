import { DataSource } from 'typeorm';
import { buildResidentId } from '@civil/domain-kernel';
import type { Actor, EventEnvelope } from '@civil/contracts';
import { Outbox, PersonalDataCipher, sealResidentId, serviceDataSourceOptions } from '@civil/platform';
import { createTestDatabase, domainErrorOf } from '@civil/testing';
import { Households1764000005000 } from '../migrations/1764000005000-households';
import { AssistanceBase1764000006000 } from '../migrations/1764000006000-assistance-base';
import { Verification1764000007000 } from '../migrations/1764000007000-verification';
import { Payroll1764000008000 } from '../migrations/1764000008000-payroll';
import { PayrollExport1764000014000 } from '../migrations/1764000014000-payroll-export';
import { ResidentIdsAtRest1764000060000 } from '../migrations/1764000060000-resident-ids-at-rest';
import { PayrollEvents, type PayrollCompletedV1, type PayrollTotalsLine, type Programme } from '@civil/contracts';
import { PayrollService } from './payroll.service';

const approver: Actor = { userId: 'approver-1', kind: 'staff', roles: ['district-approver'], divisions: ['430503000000'] };
const otherApprover: Actor = { userId: 'approver-2', kind: 'staff', roles: ['district-approver'], divisions: ['430502000000'] };
const finance: Actor = { userId: 'finance-1', kind: 'staff', roles: ['finance-officer'], divisions: ['430503000000'] };
const clerk: Actor = { userId: 'clerk-1', kind: 'staff', roles: ['clerk'], divisions: ['430503000000'] };
const townshipReviewer: Actor = { userId: 'reviewer-1', kind: 'staff', roles: ['township-reviewer'], divisions: ['430503001000'] };

const VILLAGES = ['430503001001', '430503001002', '430503100001'];
const cipher = PersonalDataCipher.fromEnvironment({});

async function openDatabase(prefix: string): Promise<{ url: string; dataSource: DataSource }> {
  const url = await createTestDatabase(prefix);
  const dataSource = await connect(url);
  await dataSource.runMigrations();
  return { url, dataSource };
}

async function connect(url: string): Promise<DataSource> {
  const dataSource = new DataSource(
    serviceDataSourceOptions({ url, entities: [], migrations: [Households1764000005000, AssistanceBase1764000006000, Verification1764000007000, Payroll1764000008000, PayrollExport1764000014000, ResidentIdsAtRest1764000060000], applicationName: 'payroll-test', poolSize: 4 }),
  );
  await dataSource.initialize();
  return dataSource;
}

function serviceOn(dataSource: DataSource): PayrollService {
  return new PayrollService(new Outbox('social-assistance', dataSource), dataSource, cipher);
}

async function completedEvents(dataSource: DataSource, programme: Programme, period: string): Promise<EventEnvelope<PayrollCompletedV1>[]> {
  const rows = await dataSource.query<{ envelope: EventEnvelope<PayrollCompletedV1> }[]>(`SELECT envelope FROM outbox WHERE type = $1 AND subject = $1 AND envelope->>'subject' = $2 ORDER BY id`, [
    PayrollEvents.completed,
    `payroll/${programme}/${period}`,
  ]);
  return rows.map((r) => r.envelope);
}

async function linesOf(dataSource: DataSource, programme: Programme, period: string): Promise<unknown[]> {
  return dataSource.query(`SELECT * FROM payment_line WHERE programme = $1 AND period = $2 ORDER BY beneficiary_id`, [programme, period]);
}

/** The expected cells computed straight from the source table, independently of payment_line. */
async function expectedDibaoCells(dataSource: DataSource, period: string): Promise<PayrollTotalsLine[]> {
  const rows = await dataSource.query<{ township_code: string; urban_rural: 'urban' | 'rural'; households: number; persons: number; amount: number }[]>(
    `SELECT substr(division_code, 1, 9) || '000' AS township_code, urban_rural, count(*)::int AS households,
            sum(covered_persons)::int AS persons, sum(monthly_amount_fen)::int AS amount
       FROM dibao_case
      WHERE start_period <= $1 AND (end_period IS NULL OR end_period >= $1)
      GROUP BY 1, 2 ORDER BY 1, 2`,
    [period],
  );
  return rows.map((r) => ({ townshipCode: r.township_code, urbanRural: r.urban_rural, households: r.households, persons: r.persons, amountFen: r.amount }));
}

describe('PayrollService on many beneficiaries (PostgreSQL)', () => {
  const HOUSEHOLDS = 1500;
  const TEKUN = 400;
  const BATCH = 100;
  let url: string;
  let dataSource: DataSource;
  let payroll: PayrollService;

  beforeAll(async () => {
    ({ url, dataSource } = await openDatabase('payroll_bulk'));
    payroll = serviceOn(dataSource);
    // Set-based synthetic beneficiaries: every case open since 2024-01.
    await dataSource.query(
      `INSERT INTO household (id, division_code, urban_rural, address, created_by)
       SELECT md5('h' || i)::uuid, ($2::text[])[1 + i % 3], CASE WHEN i % 2 = 0 THEN 'urban' ELSE 'rural' END, '地址' || i, 'seed'
         FROM generate_series(1, $1::int) AS i`,
      [HOUSEHOLDS, VILLAGES],
    );
    await dataSource.query(
      `INSERT INTO dibao_case (id, household_id, division_code, urban_rural, covered_persons, monthly_amount_fen, start_period)
       SELECT md5('c' || i)::uuid, h.id, h.division_code, h.urban_rural, 1 + i % 4, 20000 + (i % 7) * 1000, '2024-01'
         FROM generate_series(1, $1::int) AS i JOIN household h ON h.id = md5('h' || i)::uuid`,
      [HOUSEHOLDS],
    );
    const sealed = Array.from({ length: TEKUN }, (_, i) => sealResidentId(cipher, `T${String(i + 1).padStart(17, '0')}`));
    await dataSource.query(
      `INSERT INTO tekun_person (id, resident_id_hash, resident_id_enc, name, division_code, urban_rural, care_mode, self_care_level, monthly_amount_fen, start_period)
       SELECT md5('t' || i)::uuid, ($3::text[])[i], ($4::text[])[i], '特困' || i, ($2::text[])[1 + i % 3],
              CASE WHEN i % 3 = 0 THEN 'urban' ELSE 'rural' END, 'dispersed', 'full', 50000 + (i % 5) * 1000, '2024-01'
         FROM generate_series(1, $1::int) AS i`,
      [TEKUN, VILLAGES, sealed.map((s) => s.hash), sealed.map((s) => s.enc)],
    );
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('run twice: the same lines and totals, one event, and the second run writes nothing', async () => {
    const first = await payroll.run('2024-05', 'dibao', approver, { batchSize: BATCH });
    expect(first.status).toBe('completed');
    expect(first.lines).toBe(HOUSEHOLDS);
    expect(first.batches).toBe(HOUSEHOLDS / BATCH + 1); // the last, empty batch completes the run
    const expected = await expectedDibaoCells(dataSource, '2024-05');
    expect(first.summary?.lines).toEqual(expected);
    const linesAfterFirst = await linesOf(dataSource, 'dibao', '2024-05');
    expect(linesAfterFirst).toHaveLength(HOUSEHOLDS);

    const second = await payroll.run('2024-05', 'dibao', approver, { batchSize: BATCH });
    expect(second).toEqual(first);
    expect(await linesOf(dataSource, 'dibao', '2024-05')).toEqual(linesAfterFirst); // created_at included: nothing rewritten
    const events = await completedEvents(dataSource, 'dibao', '2024-05');
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toEqual(first.summary);
    expect(events[0]?.divisioncode).toBe('430503000000');
    expect(events[0]?.actor).toBe(approver.userId);
  });

  it('two concurrent runs (two replicas) make one payroll: every line once, one event', async () => {
    const replica = await connect(url);
    try {
      const [a, b] = await Promise.all([
        payroll.run('2024-06', 'dibao', approver, { batchSize: 50 }),
        serviceOn(replica).run('2024-06', 'dibao', { ...approver, userId: 'approver-3' }, { batchSize: 50 }),
      ]);
      expect(a.status).toBe('completed');
      expect(b.summary).toEqual(a.summary);
      expect(a.summary?.totals.households).toBe(HOUSEHOLDS);
      expect(a.batches).toBe(HOUSEHOLDS / 50 + 1); // no batch was done twice
      const [count] = await dataSource.query<{ lines: number; beneficiaries: number }[]>(
        `SELECT count(*)::int AS lines, count(DISTINCT beneficiary_id)::int AS beneficiaries FROM payment_line WHERE programme = 'dibao' AND period = '2024-06'`,
      );
      expect(count).toEqual({ lines: HOUSEHOLDS, beneficiaries: HOUSEHOLDS });
      expect(await completedEvents(dataSource, 'dibao', '2024-06')).toHaveLength(1);
      expect((await dataSource.query(`SELECT count(*)::int AS n FROM payroll_run WHERE period = '2024-06'`))[0]).toEqual({ n: 1 });
    } finally {
      await replica.destroy();
    }
  });

  it('a run stopped after some batches shows its progress and a restart completes it with the right totals', async () => {
    const stopped = await payroll.run('2024-07', 'dibao', approver, { batchSize: BATCH, stopAfterBatches: 4 });
    expect(stopped).toMatchObject({ status: 'running', batches: 4, lines: 4 * BATCH, completedAt: null, summary: null });
    expect(stopped.lastKey).toMatch(/^[0-9a-f-]{36}$/);
    const progress = await payroll.getRun('2024-07', 'dibao', clerk);
    expect(progress).toMatchObject({ status: 'running', lines: 4 * BATCH, lastKey: stopped.lastKey });
    expect(await completedEvents(dataSource, 'dibao', '2024-07')).toHaveLength(0);

    const resumed = await payroll.run('2024-07', 'dibao', approver, { batchSize: BATCH });
    expect(resumed.status).toBe('completed');
    expect(resumed.batches).toBe(HOUSEHOLDS / BATCH + 1);
    expect(resumed.summary?.lines).toEqual(await expectedDibaoCells(dataSource, '2024-07'));
    expect(resumed.lastKey).toBeNull();
    expect(await completedEvents(dataSource, 'dibao', '2024-07')).toHaveLength(1);
  });

  it('a crash inside a batch loses only that batch; the restart completes with the right totals', async () => {
    await expect(payroll.run('2024-08', 'dibao', approver, { batchSize: BATCH, crashInBatch: 3 })).rejects.toThrow(/simulated crash in batch 3/);
    const afterCrash = await payroll.getRun('2024-08', 'dibao', approver);
    expect(afterCrash).toMatchObject({ status: 'running', batches: 2, lines: 2 * BATCH });
    expect(await linesOf(dataSource, 'dibao', '2024-08')).toHaveLength(2 * BATCH);

    const resumed = await payroll.run('2024-08', 'dibao', approver, { batchSize: BATCH });
    expect(resumed.summary?.lines).toEqual(await expectedDibaoCells(dataSource, '2024-08'));
    expect(await linesOf(dataSource, 'dibao', '2024-08')).toHaveLength(HOUSEHOLDS);
    expect(await completedEvents(dataSource, 'dibao', '2024-08')).toHaveLength(1);
  });

  it('特困: one line per person, households = persons', async () => {
    const run = await payroll.run('2024-05', 'tekun', approver, { batchSize: 64 });
    expect(run.summary?.totals.households).toBe(TEKUN);
    expect(run.summary?.totals.persons).toBe(TEKUN);
    for (const cell of run.summary?.lines ?? []) expect(cell.persons).toBe(cell.households);
    const [sum] = await dataSource.query<{ amount: number }[]>(`SELECT sum(monthly_amount_fen)::int AS amount FROM tekun_person`);
    expect(run.summary?.totals.amountFen).toBe(sum?.amount);
    expect(await completedEvents(dataSource, 'tekun', '2024-05')).toHaveLength(1);
  });

  it('lists lines in keyset pages, all of them once, by township too', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await payroll.listLines({ period: '2024-05', programme: 'dibao', limit: 400, ...(after ? { after } : {}) }, finance);
      seen.push(...page.items.map((l) => l.beneficiaryId));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toHaveLength(HOUSEHOLDS);
    expect(new Set(seen).size).toBe(HOUSEHOLDS);
    expect([...seen].sort()).toEqual(seen);

    const township = await payroll.listLines({ period: '2024-05', programme: 'dibao', townshipCode: '430503100', limit: 1000 }, finance);
    expect(township.items).toHaveLength(HOUSEHOLDS / 3);
    expect(township.items.every((l) => l.townshipCode === '430503100000' && l.divisionCode === '430503100001')).toBe(true);
    expect(township.next).toBeNull();

    // A township reviewer sees only the lines of their township.
    const scoped = await payroll.listLines({ period: '2024-05', programme: 'dibao', limit: 1000 }, townshipReviewer);
    expect(scoped.items).toHaveLength((HOUSEHOLDS / 3) * 2);
    expect(scoped.items.every((l) => l.townshipCode === '430503001000')).toBe(true);
  });
});

describe('PayrollService eligibility and totals by hand (PostgreSQL)', () => {
  let dataSource: DataSource;
  let payroll: PayrollService;
  const ids: Record<string, string> = {};

  async function household(key: string, village: string, urbanRural: 'urban' | 'rural', head: string, sequence: number): Promise<string> {
    const [row] = await dataSource.query<{ id: string }[]>(
      `INSERT INTO household (id, division_code, urban_rural, address, created_by) VALUES (uuidv7(), $1, $2, $3, 'test') RETURNING id`,
      [village, urbanRural, `${key} 地址`],
    );
    if (!row) throw new Error('no household');
    const residentId = buildResidentId(village.slice(0, 6), '1970-01-01', sequence);
    await dataSource.query(
      `INSERT INTO household_member (id, household_id, name, resident_id_hash, resident_id_enc, relationship, birth_date, sex) VALUES (uuidv7(), $1, $2, $3, $6, 'head', $4, $5)`,
      [row.id, head, sealResidentId(cipher, residentId.value).hash, residentId.birthDate, residentId.sex, sealResidentId(cipher, residentId.value).enc],
    );
    ids[key] = row.id;
    ids[`${key}:resident`] = residentId.value;
    return row.id;
  }

  async function dibaoCase(householdId: string, village: string, urbanRural: string, persons: number, amountFen: number, start: string, end: string | null): Promise<void> {
    await dataSource.query(
      `INSERT INTO dibao_case (id, household_id, division_code, urban_rural, covered_persons, monthly_amount_fen, start_period, end_period, stop_reason)
       VALUES (uuidv7(), $1, $2, $3, $4, $5, $6, $7, $8)`,
      [householdId, village, urbanRural, persons, amountFen, start, end, end === null ? null : '收入超标'],
    );
  }

  async function tekun(key: string, village: string, urbanRural: string, amountFen: number, start: string, end: string | null, sequence: number): Promise<void> {
    const residentId = buildResidentId(village.slice(0, 6), '1940-02-02', sequence);
    const [row] = await dataSource.query<{ id: string }[]>(
      `INSERT INTO tekun_person (id, resident_id_hash, resident_id_enc, name, division_code, urban_rural, care_mode, self_care_level, monthly_amount_fen, start_period, end_period, end_reason)
       VALUES (uuidv7(), $1, $9, $2, $3, $4, 'dispersed', 'partial', $5, $6, $7, $8) RETURNING id`,
      [sealResidentId(cipher, residentId.value).hash, key, village, urbanRural, amountFen, start, end, end === null ? null : '死亡', sealResidentId(cipher, residentId.value).enc],
    );
    if (!row) throw new Error('no tekun person');
    ids[key] = row.id;
    ids[`${key}:resident`] = residentId.value;
  }

  beforeAll(async () => {
    ({ dataSource } = await openDatabase('payroll_hand'));
    payroll = serviceOn(dataSource);
    const [v1, v2, v3] = VILLAGES as [string, string, string];
    await dibaoCase(await household('H1', v1, 'urban', '张三', 1), v1, 'urban', 3, 50000, '2023-01', null); // open
    await dibaoCase(await household('H2', v2, 'urban', '李四, "老李"', 3), v2, 'urban', 2, 40000, '2024-03', null); // starts in the month
    await dibaoCase(await household('H3', v1, 'rural', '王五', 5), v1, 'rural', 1, 30000, '2023-06', '2024-03'); // ends in the month
    await dibaoCase(await household('H4', v1, 'rural', '赵六', 7), v1, 'rural', 4, 60000, '2023-06', '2024-02'); // ended before
    await dibaoCase(await household('H5', v3, 'rural', '孙七', 9), v3, 'rural', 2, 35000, '2024-04', null); // starts after
    const h6 = await household('H6', v3, 'rural', '周八', 11);
    await dibaoCase(h6, v3, 'rural', 5, 70000, '2023-01', '2024-03'); // stopped in the month…
    await dibaoCase(h6, v3, 'rural', 3, 45000, '2024-03', null); // …and restarted in it: paid once, by the newer case
    await tekun('P1', v2, 'urban', 100000, '2023-01', null, 13);
    await tekun('P2', v3, 'rural', 80000, '2024-03', '2024-03', 15);
    await tekun('P3', v3, 'rural', 90000, '2024-04', null, 17);
    await tekun('P4', v1, 'rural', 85000, '2023-01', '2024-02', 19);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('低保 2024-03: totals by township × urban/rural as computed by hand', async () => {
    const run = await payroll.run('2024-03', 'dibao', approver);
    expect(run.summary).toEqual({
      period: '2024-03',
      programme: 'dibao',
      lines: [
        { townshipCode: '430503001000', urbanRural: 'rural', households: 1, persons: 1, amountFen: 30000 }, // H3
        { townshipCode: '430503001000', urbanRural: 'urban', households: 2, persons: 5, amountFen: 90000 }, // H1 + H2
        { townshipCode: '430503100000', urbanRural: 'rural', households: 1, persons: 3, amountFen: 45000 }, // H6's newer case
      ],
      totals: { households: 4, persons: 9, amountFen: 165000 },
    });
    const paid = await dataSource.query<{ beneficiary_id: string; amount_fen: string }[]>(
      `SELECT beneficiary_id, amount_fen FROM payment_line WHERE programme = 'dibao' AND period = '2024-03' ORDER BY amount_fen`,
    );
    expect(paid).toEqual([
      { beneficiary_id: ids.H3, amount_fen: '30000' },
      { beneficiary_id: ids.H2, amount_fen: '40000' },
      { beneficiary_id: ids.H6, amount_fen: '45000' },
      { beneficiary_id: ids.H1, amount_fen: '50000' },
    ]);
  });

  it('低保 2024-04 and 2024-02: cases starting and ending around the month', async () => {
    const april = await payroll.run('2024-04', 'dibao', approver);
    expect(april.summary?.totals).toEqual({ households: 4, persons: 3 + 2 + 2 + 3, amountFen: 50000 + 40000 + 35000 + 45000 }); // H1 H2 H5 H6
    const february = await payroll.run('2024-02', 'dibao', approver);
    expect(february.summary?.totals).toEqual({ households: 4, persons: 3 + 1 + 4 + 5, amountFen: 50000 + 30000 + 60000 + 70000 }); // H1 H3 H4 H6(old)
    const before = await payroll.run('2022-12', 'dibao', approver);
    expect(before.summary).toEqual({ period: '2022-12', programme: 'dibao', lines: [], totals: { households: 0, persons: 0, amountFen: 0 } });
    expect(await completedEvents(dataSource, 'dibao', '2022-12')).toHaveLength(1);
  });

  it('特困 2024-03: a person starting and ending in the month is paid, the others are not', async () => {
    const run = await payroll.run('2024-03', 'tekun', approver);
    expect(run.summary?.lines).toEqual([
      { townshipCode: '430503001000', urbanRural: 'urban', households: 1, persons: 1, amountFen: 100000 },
      { townshipCode: '430503100000', urbanRural: 'rural', households: 1, persons: 1, amountFen: 80000 },
    ]);
    expect(run.summary?.totals).toEqual({ households: 2, persons: 2, amountFen: 180000 });
  });

  it('a township reviewer sees the totals of their own township', async () => {
    const view = await payroll.getRun('2024-03', 'dibao', townshipReviewer);
    expect(view.summary?.lines.map((l) => l.townshipCode)).toEqual(['430503001000', '430503001000']);
    expect(view.summary?.totals).toEqual({ households: 3, persons: 6, amountFen: 120000 });
    expect(view.amountFen).toBe(120000);
  });

  it('exports the bank file: payee name and resident ID, yuan with two decimals, and audits the export', async () => {
    const csv = await payroll.exportCsvText('2024-03', 'dibao', finance);
    const records = csv.split('\r\n');
    expect(records[0]).toBe('period,programme,beneficiary_id,payee_name,payee_resident_id,division_code,township_code,urban_rural,persons,amount_yuan');
    expect(records.at(-1)).toBe('');
    expect(records.slice(1, -1).sort()).toEqual(
      [
        `2024-03,dibao,${ids.H1},张三,${ids['H1:resident']},430503001001,430503001000,urban,3,500.00`,
        `2024-03,dibao,${ids.H2},"李四, ""老李""",${ids['H2:resident']},430503001002,430503001000,urban,2,400.00`,
        `2024-03,dibao,${ids.H3},王五,${ids['H3:resident']},430503001001,430503001000,rural,1,300.00`,
        `2024-03,dibao,${ids.H6},周八,${ids['H6:resident']},430503100001,430503100000,rural,3,450.00`,
      ].sort(),
    );
    const tekunCsv = await payroll.exportCsvText('2024-03', 'tekun', finance);
    expect(tekunCsv).toContain(`2024-03,tekun,${ids.P2},P2,${ids['P2:resident']},430503100001,430503100000,rural,1,800.00\r\n`);
    const audits = await dataSource.query<{ envelope: EventEnvelope }[]>(`SELECT envelope FROM outbox WHERE type = $1 ORDER BY id`, [PayrollEvents.exported]);
    expect(audits.map((a) => [a.envelope.actor, { ...(a.envelope.data as object), exportId: 'x' }])).toEqual([
      ['finance-1', { period: '2024-03', programme: 'dibao', exportId: 'x', lines: 4, amountFen: 165000, residentIdsRevealed: true }],
      ['finance-1', { period: '2024-03', programme: 'tekun', exportId: 'x', lines: 2, amountFen: 180000, residentIdsRevealed: true }],
    ]);
    expect(audits.map((a) => typeof (a.envelope.data as { exportId?: unknown }).exportId)).toEqual(['string', 'string']);
  });

  it('pages the bank file under one recorded export: the header once, every line once, one audit event', async () => {
    const before = await dataSource.query<unknown[]>(`SELECT 1 FROM outbox WHERE type = $1`, [PayrollEvents.exported]);
    const first = await payroll.exportBankFilePage({ period: '2024-03', programme: 'dibao' }, finance, 3);
    expect(first.csv.split('\r\n')).toHaveLength(5); // header, 3 records, ''
    expect(first.next).not.toBeNull();
    const second = await payroll.exportBankFilePage({ period: '2024-03', programme: 'dibao', exportId: first.exportId, after: first.next ?? undefined }, finance, 3);
    expect(second.csv.startsWith('period,')).toBe(false);
    expect(second.next).toBeNull();
    expect(first.csv + second.csv).toBe(await payroll.exportCsvText('2024-03', 'dibao', finance));
    const after = await dataSource.query<unknown[]>(`SELECT 1 FROM outbox WHERE type = $1`, [PayrollEvents.exported]);
    expect(after.length - before.length).toBe(2); // the paged export and the whole-file one
    const [row] = await dataSource.query<{ lines: number; exported_by: string }[]>(`SELECT lines, exported_by FROM payroll_export WHERE id = $1`, [first.exportId]);
    expect(row).toEqual({ lines: 4, exported_by: 'finance-1' });
  });

  it('lets only the exporter read on, with the scope fixed at the start', async () => {
    const first = await payroll.exportBankFilePage({ period: '2024-03', programme: 'dibao' }, finance, 1);
    const someoneElse: Actor = { ...finance, userId: 'finance-2' };
    await domainErrorOf(payroll.exportBankFilePage({ period: '2024-03', programme: 'dibao', exportId: first.exportId, after: first.next ?? undefined }, someoneElse), 'NOT_FOUND');
    await domainErrorOf(payroll.exportBankFilePage({ period: '2024-03', programme: 'tekun', exportId: first.exportId, after: first.next ?? undefined }, finance), 'NOT_FOUND');
    await domainErrorOf(payroll.exportBankFilePage({ period: '2024-03', programme: 'dibao', exportId: first.exportId }, clerk), 'FORBIDDEN');
  });

  it('a line that exists outside the run fails the batch loudly instead of being skipped', async () => {
    await dataSource.query(
      `INSERT INTO payment_line (programme, period, beneficiary_id, source_id, household_id, division_code, township_code, urban_rural, persons, amount_fen)
       VALUES ('dibao', '2025-01', $1, $1, $1, '430503001001', '430503001000', 'urban', 1, 1)`,
      [ids.H1],
    );
    await expect(payroll.run('2025-01', 'dibao', approver)).rejects.toMatchObject({ code: '23505' });
    expect(await payroll.getRun('2025-01', 'dibao', approver)).toMatchObject({ status: 'running', batches: 0, lines: 0 });
    expect(await completedEvents(dataSource, 'dibao', '2025-01')).toHaveLength(0);
  });

  it('refuses: other roles, other districts, unfinished or unknown payrolls', async () => {
    await domainErrorOf(payroll.run('2024-09', 'dibao', clerk), 'FORBIDDEN');
    await domainErrorOf(payroll.run('2024-09', 'dibao', otherApprover), 'OUT_OF_DIVISION_SCOPE');
    await domainErrorOf(payroll.getRun('2024-09', 'dibao', clerk), 'NOT_FOUND'); // the refused runs left nothing behind
    await domainErrorOf(payroll.exportBankFilePage({ period: '2024-03', programme: 'dibao' }, clerk), 'FORBIDDEN');
    await payroll.run('2024-10', 'dibao', approver, { batchSize: 1, stopAfterBatches: 1 });
    await domainErrorOf(payroll.exportBankFilePage({ period: '2024-10', programme: 'dibao' }, finance), 'CONFLICT');
    const lines = await domainErrorOf(payroll.listLines({ period: '2024-03', programme: 'dibao', townshipCode: '430503000000', limit: 10 }, finance), 'VALIDATION_FAILED');
    expect(lines.fields?.[0]?.field).toBe('townshipCode');
  });
});
