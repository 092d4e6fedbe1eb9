import pino from 'pino';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { buildResidentId } from '@civil/domain-kernel';
import { AllowanceEvents, DibaoEvents, createEvent, type DibaoHouseholdStartedV1 } from '@civil/contracts';
import { Outbox, PersonalDataCipher, sealResidentId } from '@civil/platform';
import { createTestDatabase } from '@civil/testing';
import { serviceDataSource } from '../data-source';
import { applyDibaoCaseEvent } from '../allowances/dibao-cases.consumer';
import { generateAllowanceDemo, personMonths, spansFor } from './allowances-demo';
import { SEED_2023 } from './seed-2023';

const cipher = PersonalDataCipher.fromEnvironment(process.env);

describe('allowance demo arithmetic', () => {
  it('finds whole person-months for each half-year rate, as even as possible', () => {
    expect(personMonths(36_880_000, 115_000, 120_000)).toEqual({ a: 160, b: 154 });
    const { a, b } = personMonths(181_950_000, 7000, 8000);
    expect(7000 * a + 8000 * b).toBe(181_950_000);
    expect(Math.abs(a - b)).toBeLessThan(16);
    expect(() => personMonths(10_001, 7000, 8000)).toThrow(/whole months/);
  });

  it('lays spans that add up to the person-months of each half', () => {
    const spans = spansFor(160, 154);
    const months = (from: number, to: number): number => spans.reduce((n, s) => n + Math.max(0, Math.min(s.last, to) - Math.max(s.first, from) + 1), 0);
    expect([months(1, 6), months(7, 12)]).toEqual([160, 154]);
    expect(spans.every((s) => s.first >= 1 && s.last <= 12 && s.first <= s.last)).toBe(true);
  });
});

/** The allowance part of the 2023 demo against real PostgreSQL, its 低保 read model fed by events as the consumer would. */
describe('allowance demo (PostgreSQL)', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = new DataSource(serviceDataSource(await createTestDatabase('allowance_demo'), 6));
    await dataSource.initialize();
    await dataSource.runMigrations();
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('pays exactly the report’s four amounts in 2023, through 48 payrolls', async () => {
    const outbox = new Outbox('social-affairs', dataSource);
    // Social assistance's start events for 1,200 households of two on 低保 all year.
    await dataSource.transaction(async (manager) => {
      for (let i = 0; i < 1200; i++) {
        const householdId = uuidv7();
        const data: DibaoHouseholdStartedV1 = {
          householdId,
          caseId: uuidv7(),
          urbanRural: i % 3 === 0 ? 'urban' : 'rural',
          persons: 2,
          monthlyAmountFen: 60000,
          effectivePeriod: '2022-06',
          origin: 'import',
          members: [buildResidentId('430503', `19${50 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`, 100 + (i % 700)).value, buildResidentId('430503', `19${50 + (i % 40)}-0${1 + (i % 9)}-2${i % 9}`, 100 + (i % 700)).value].map((id) =>
            sealResidentId(cipher, id),
          ),
        };
        const event = createEvent({ source: '/civil/social-assistance', type: DibaoEvents.householdStarted, subject: `household/${householdId}`, divisioncode: '430503101000', actor: 'import', data });
        await applyDibaoCaseEvent(event, manager, outbox, cipher);
      }
    });

    const totals = await generateAllowanceDemo(dataSource, outbox, pino({ level: 'silent' }), { waitForDibaoMembersMs: 10_000 });
    expect(totals).toEqual({
      orphanFen: SEED_2023.allowances.orphanFen,
      deFactoUnsupportedFen: SEED_2023.allowances.deFactoUnsupportedFen,
      disabilityLivingFen: SEED_2023.allowances.disabilityLivingFen,
      disabilityCareFen: SEED_2023.allowances.disabilityCareFen,
    });
    // The same figures from the payments themselves and from the events reporting will read.
    const fromPayments = await dataSource.query<{ programme: string; fen: string }[]>(`SELECT programme, sum(amount_fen)::bigint AS fen FROM allowance_payment WHERE period LIKE '2023-%' GROUP BY programme ORDER BY programme`);
    const fromEvents = await dataSource.query<{ programme: string; fen: string; payrolls: number }[]>(
      `SELECT envelope->'data'->>'programme' AS programme, sum((envelope->'data'->>'amountFen')::bigint)::bigint AS fen, count(*)::int AS payrolls FROM outbox WHERE type = $1 GROUP BY 1 ORDER BY 1`,
      [AllowanceEvents.payrollCompleted],
    );
    expect(fromEvents.map((e) => e.payrolls)).toEqual([12, 12, 12, 12]);
    expect(fromEvents.map((e) => [e.programme, e.fen])).toEqual(fromPayments.map((p) => [p.programme, p.fen]));
    // Every living allowance holder was a member of a 低保 household in each month paid.
    const [outside] = await dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM allowance_payment p WHERE p.programme = 'disability-living' AND NOT EXISTS (
         SELECT 1 FROM dibao_case_member_view m JOIN dibao_case_view c ON c.case_id = m.case_id
          WHERE m.resident_id_hash = p.resident_id_hash AND c.first_period <= p.period AND (c.until_period IS NULL OR c.until_period > p.period))`,
    );
    expect(outside?.n).toBe(0);
  });
});
