import { v7 as uuidv7 } from 'uuid';
import { DataSource } from 'typeorm';
import { buildResidentId } from '@civil/domain-kernel';
import { Outbox, PersonalDataCipher, sealResidentId, serviceDataSourceOptions } from '@civil/platform';
import { createTestDatabase, domainErrorOf } from '@civil/testing';
import { Households1764000005000 } from '../migrations/1764000005000-households';
import { AssistanceBase1764000006000 } from '../migrations/1764000006000-assistance-base';
import { Verification1764000007000 } from '../migrations/1764000007000-verification';
import { ResidentIdsAtRest1764000060000 } from '../migrations/1764000060000-resident-ids-at-rest';
import { TemporaryAssistance1764000010000 } from '../migrations/1764000010000-temporary-assistance';
import { TemporaryAssistanceEvents, type Actor, type TemporaryAssistanceGrantedV1 } from '@civil/contracts';
import { TemporaryAssistanceService } from './temporary-assistance.service';

/**
 * 临时救助 against real PostgreSQL. The household is rural in 430503101000: demo standard 430.00元,
 * so the cap (6×) is 2580.00元 and the township decides up to 1290.00元 (3×).
 */
describe('TemporaryAssistanceService (PostgreSQL)', () => {
  let dataSource: DataSource;
  let service: TemporaryAssistanceService;
  const clerk: Actor = { userId: 'clerk', kind: 'staff', roles: ['clerk'], divisions: ['430503101000'] };
  const reviewer: Actor = { userId: 'reviewer', kind: 'staff', roles: ['township-reviewer'], divisions: ['430503101000'] };
  const approver: Actor = { userId: 'approver', kind: 'staff', roles: ['district-approver'], divisions: ['430503000000'] };
  const TOWNSHIP_LIMIT = 129000;
  const CAP = 258000;

  let sequence = 0;
  const cipher = PersonalDataCipher.fromEnvironment({});
  /** A household of two; returns its id and a citizen actor for its head. */
  async function household(): Promise<{ id: string; citizen: Actor }> {
    const id = uuidv7();
    await dataSource.query(`INSERT INTO household (id, division_code, urban_rural, address, created_by) VALUES ($1, '430503101000', 'rural', '罗市镇', 'test')`, [id]);
    sequence += 2;
    const members = [buildResidentId('430503', '1970-01-01', sequence + 1), buildResidentId('430503', '1972-05-05', sequence + 2)];
    for (const [i, m] of members.entries()) {
      await dataSource.query(
        `INSERT INTO household_member (id, household_id, name, resident_id_hash, resident_id_enc, relationship, birth_date, sex) VALUES ($1, $2, $3, $4, $8, $5, $6, $7)`,
        [uuidv7(), id, `成员${i}`, sealResidentId(cipher, m.value).hash, i === 0 ? 'head' : 'spouse', m.birthDate, m.sex, sealResidentId(cipher, m.value).enc],
      );
    }
    const citizen: Actor = { userId: `citizen-${sequence}`, kind: 'citizen', roles: ['citizen'], divisions: [], residentId: members[0]?.value ?? '' };
    return { id, citizen };
  }

  async function grantedEvents(caseId: string): Promise<TemporaryAssistanceGrantedV1[]> {
    const rows = await dataSource.query<{ data: TemporaryAssistanceGrantedV1 }[]>(
      `SELECT envelope->'data' AS data FROM outbox WHERE type = $1 AND envelope->>'subject' = $2 ORDER BY id`,
      [TemporaryAssistanceEvents.granted, `temporary-assistance-case/${caseId}`],
    );
    return rows.map((r) => r.data);
  }

  beforeAll(async () => {
    dataSource = new DataSource(
      serviceDataSourceOptions({
        url: await createTestDatabase('temporary_assistance'),
        entities: [],
        migrations: [Households1764000005000, AssistanceBase1764000006000, Verification1764000007000, TemporaryAssistance1764000010000, ResidentIdsAtRest1764000060000],
        applicationName: 'temporary-assistance-test',
      }),
    );
    await dataSource.initialize();
    await dataSource.runMigrations();
    service = new TemporaryAssistanceService(new Outbox('social-assistance', dataSource), dataSource, cipher);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('an emergency is granted at once with its event, documented after, and ratified by the role the amount needs', async () => {
    const { id: householdId } = await household();
    const granted = await service.grantEmergency({ householdId, cause: '房屋失火', persons: 2, amountFen: 100000 }, clerk, '2024-03-01');
    expect(granted).toMatchObject({ kind: 'emergency', status: 'EMERGENCY_GRANTED', grantedOn: '2024-03-01', standardFen: 43000, capFen: CAP, townshipLimitFen: TOWNSHIP_LIMIT });
    expect(await grantedEvents(granted.id)).toEqual([
      { caseId: granted.id, householdId, kind: 'emergency', persons: 2, amountFen: 100000, urbanRural: 'rural', grantedOn: '2024-03-01' },
    ]);
    await domainErrorOf(service.act(granted.id, 'ratify', {}, reviewer, '2024-03-02'), 'CONFLICT'); // documents first
    const documented = await service.act(granted.id, 'add-documents', { documents: ['消防出警记录', '村委会证明'] }, clerk, '2024-03-05');
    expect(documented).toMatchObject({ status: 'SUPPLEMENTARY_DOCS', documents: ['消防出警记录', '村委会证明'] });
    await domainErrorOf(service.act(granted.id, 'ratify', {}, clerk, '2024-03-06'), 'FORBIDDEN');
    const ratified = await service.act(granted.id, 'ratify', { opinion: '情况属实' }, reviewer, '2024-03-06');
    expect(ratified.status).toBe('RATIFIED');
    expect(ratified.actions.map((a) => [a.action, a.role])).toEqual([
      ['grant-emergency', 'clerk'],
      ['add-documents', 'clerk'],
      ['ratify', 'township-reviewer'],
    ]);
    expect(await grantedEvents(granted.id)).toHaveLength(1);
    // The log is append-only.
    await expect(dataSource.query(`DELETE FROM temporary_assistance_action WHERE case_id = $1`, [granted.id])).rejects.toThrow(/append-only/);
  });

  it('above the township limit only the district grants an emergency, and only the district ratifies it', async () => {
    const { id: householdId } = await household();
    const input = { householdId, cause: '交通事故', persons: 1, amountFen: TOWNSHIP_LIMIT + 1 };
    await domainErrorOf(service.grantEmergency(input, clerk, '2024-04-01'), 'FORBIDDEN');
    await domainErrorOf(service.grantEmergency(input, reviewer, '2024-04-01'), 'FORBIDDEN');
    expect(await dataSource.query(`SELECT 1 FROM temporary_assistance_case WHERE household_id = $1`, [householdId])).toEqual([]);
    const granted = await service.grantEmergency(input, approver, '2024-04-01');
    await service.act(granted.id, 'add-documents', { documents: ['交警事故认定书'] }, clerk, '2024-04-03');
    await domainErrorOf(service.act(granted.id, 'ratify', {}, reviewer, '2024-04-04'), 'FORBIDDEN');
    expect((await service.act(granted.id, 'ratify', {}, approver, '2024-04-04')).status).toBe('RATIFIED');
  });

  it('a citizen applies for expenditure assistance; the township reviews and approves up to 3×, emitting granted', async () => {
    const { id: householdId, citizen } = await household();
    const applied = await service.apply({ householdId, cause: '住院医疗自付费用', persons: 1, amountFen: TOWNSHIP_LIMIT }, citizen, '2024-05-06');
    expect(applied).toMatchObject({ kind: 'expenditure', status: 'SUBMITTED', grantedOn: null });
    expect(await grantedEvents(applied.id)).toEqual([]);
    expect((await service.get(applied.id, citizen)).status).toBe('SUBMITTED');
    await domainErrorOf(service.act(applied.id, 'approve', {}, reviewer, '2024-05-07'), 'CONFLICT'); // review first
    await service.act(applied.id, 'review', { findings: '医疗票据属实' }, clerk, '2024-05-08');
    const approved = await service.act(applied.id, 'approve', {}, reviewer, '2024-05-10');
    expect(approved).toMatchObject({ status: 'APPROVED', grantedOn: '2024-05-10' });
    expect(await grantedEvents(applied.id)).toEqual([
      { caseId: applied.id, householdId, kind: 'expenditure', persons: 1, amountFen: TOWNSHIP_LIMIT, urbanRural: 'rural', grantedOn: '2024-05-10' },
    ]);
  });

  it('above 3× the township may not approve; the district may', async () => {
    const { id: householdId, citizen } = await household();
    const applied = await service.apply({ householdId, cause: '子女大学学费', persons: 1, amountFen: TOWNSHIP_LIMIT + 1 }, citizen, '2024-06-03');
    await service.act(applied.id, 'review', { findings: '学费票据属实' }, reviewer, '2024-06-04');
    await domainErrorOf(service.act(applied.id, 'approve', {}, reviewer, '2024-06-05'), 'FORBIDDEN');
    await domainErrorOf(service.act(applied.id, 'reject', { reason: '不符合条件' }, reviewer, '2024-06-05'), 'FORBIDDEN');
    expect((await service.get(applied.id, reviewer)).allowedActions).toEqual([]);
    expect((await service.get(applied.id, approver)).allowedActions).toEqual(['approve', 'reject']);
    expect((await service.act(applied.id, 'approve', {}, approver, '2024-06-06')).status).toBe('APPROVED');
    expect(await grantedEvents(applied.id)).toHaveLength(1);
  });

  it('a rejection needs a written reason and emits nothing', async () => {
    const { id: householdId } = await household();
    const applied = await service.apply({ householdId, cause: '医疗费用', persons: 2, amountFen: 50000 }, clerk, '2024-07-01');
    const noReason = await domainErrorOf(service.act(applied.id, 'reject', {}, reviewer, '2024-07-02'), 'VALIDATION_FAILED');
    expect(noReason.fields?.map((f) => f.field)).toEqual(['payload.reason']);
    const rejected = await service.act(applied.id, 'reject', { reason: '已获医保全额报销' }, reviewer, '2024-07-02');
    expect(rejected).toMatchObject({ status: 'REJECTED', rejectionReason: '已获医保全额报销' });
    expect(await grantedEvents(applied.id)).toEqual([]);
  });

  it('an amount above the cap is refused naming amountFen, and nothing is written', async () => {
    const { id: householdId, citizen } = await household();
    const [before] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM outbox`);
    for (const attempt of [
      service.grantEmergency({ householdId, cause: '火灾', persons: 2, amountFen: CAP + 1 }, approver, '2024-08-01'),
      service.apply({ householdId, cause: '医疗', persons: 2, amountFen: CAP + 1 }, citizen, '2024-08-01'),
    ]) {
      const error = await domainErrorOf(attempt, 'VALIDATION_FAILED');
      expect(error.fields).toEqual([expect.objectContaining({ field: 'amountFen', rule: 'cap' })]);
    }
    expect(await dataSource.query(`SELECT 1 FROM temporary_assistance_case WHERE household_id = $1`, [householdId])).toEqual([]);
    const [after] = await dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM outbox`);
    expect(after?.n).toBe(before?.n);
    // Exactly the cap is allowed (district, above the township limit).
    expect((await service.grantEmergency({ householdId, cause: '火灾', persons: 2, amountFen: CAP }, approver, '2024-08-01')).amountFen).toBe(CAP);
  });

  it('citizens see and apply for their own household only; staff outside the division are refused', async () => {
    const mine = await household();
    const theirs = await household();
    const theirCase = await service.apply({ householdId: theirs.id, cause: '医疗', persons: 1, amountFen: 10000 }, theirs.citizen, '2024-09-02');
    await domainErrorOf(service.get(theirCase.id, mine.citizen), 'NOT_FOUND');
    await domainErrorOf(service.act(theirCase.id, 'review', { findings: 'x' }, mine.citizen, '2024-09-03'), 'NOT_FOUND');
    await domainErrorOf(service.apply({ householdId: theirs.id, cause: '医疗', persons: 1, amountFen: 10000 }, mine.citizen, '2024-09-02'), 'NOT_FOUND');
    await domainErrorOf(service.grantEmergency({ householdId: mine.id, cause: '火灾', persons: 1, amountFen: 10000 }, mine.citizen, '2024-09-02'), 'FORBIDDEN');
    const elsewhere: Actor = { userId: 'other', kind: 'staff', roles: ['clerk'], divisions: ['430503001000'] };
    await domainErrorOf(service.get(theirCase.id, elsewhere), 'OUT_OF_DIVISION_SCOPE');
    await domainErrorOf(service.grantEmergency({ householdId: mine.id, cause: '火灾', persons: 1, amountFen: 10000 }, elsewhere, '2024-09-02'), 'OUT_OF_DIVISION_SCOPE');
    // A citizen's own case stays readable, but its decisions are not theirs.
    expect((await service.get(theirCase.id, theirs.citizen)).allowedActions).toEqual([]);
    await domainErrorOf(service.act(theirCase.id, 'review', { findings: 'x' }, theirs.citizen, '2024-09-03'), 'FORBIDDEN');
  });

  it('uses the most specific standard in force on the date', async () => {
    await dataSource.query(
      `INSERT INTO rule_dibao_standard (division_code, urban_rural, effective_from, monthly_standard_fen, floor_bp) VALUES ('430503101000', 'rural', '2025-01-01', 50000, 2000)`,
    );
    const { id: householdId } = await household();
    const before = await service.grantEmergency({ householdId, cause: '突发疾病', persons: 1, amountFen: 1000 }, clerk, '2024-12-31');
    const after = await service.grantEmergency({ householdId, cause: '突发疾病', persons: 1, amountFen: 1000 }, clerk, '2025-01-02');
    expect([before.standardFen, after.standardFen]).toEqual([43000, 50000]);
    expect(after).toMatchObject({ capFen: 300000, townshipLimitFen: 150000 });
  });
});
