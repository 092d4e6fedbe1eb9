import { ALL_SERVICES, NO_RATE_LIMITS, startStack, type Stack } from '@civil/launcher';
import { PayrollEvents } from '@civil/contracts';
import { GatewayClient, eventually, queryService } from './support/api';
import { expectEveryServiceRecovered, expectTotalsAgree, loadTokens, startWriteLoad } from './support/write-load';

/**
 * Fault drills under load (issue 11): writes to every department run through the gateway while a
 * part of the platform is killed or restarted; afterwards every service's own record of what it
 * committed must equal what reporting archived and counted. Each drill is bounded in time.
 */
describe('fault drills under load', () => {
  let stack: Stack;
  let api: GatewayClient;
  let leader: string;
  let tokens: Awaited<ReturnType<typeof loadTokens>>;

  beforeAll(async () => {
    // A short outbox back-off, so the relays retry soon after NATS or PostgreSQL is back.
    stack = await startStack({ portal: false, ...(process.env.DRILL_LOGS === '1' ? { streamLogs: true, log: (line: string) => process.stderr.write(`${line}\n`) } : {}), env: { LOG_LEVEL: 'warn', OUTBOX_MAX_BACKOFF_MS: '1000', ...NO_RATE_LIMITS } });
    api = new GatewayClient(stack.gatewayUrl);
    leader = await api.token({ userId: 'drill-leader', kind: 'staff', roles: ['leader'], divisions: ['430503'] });
    tokens = await loadTokens(api);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('kill -9 of each service in turn while writes run: each restarts and every committed write reaches reporting once', async () => {
    const load = startWriteLoad(api, tokens, '九杀');
    for (const name of ALL_SERVICES) {
      await pause(1500);
      await stack.stopService(name, 'SIGKILL');
      await pause(700);
      await stack.startService(name);
    }
    load.mark();
    await pause(2500);
    const result = await load.stop();
    expectEveryServiceRecovered(result);
    const rows = await expectTotalsAgree(stack, api, leader);
    for (const row of rows) expect(row.committed).toBeGreaterThanOrEqual(result.byService[row.service]?.created ?? 0);
  });

  it('NATS killed and restarted mid-load: the outboxes hold the events, nothing is lost or doubled', async () => {
    const load = startWriteLoad(api, tokens, '断流');
    await pause(2000);
    await stack.nats.kill();
    await pause(2000);
    await stack.nats.restart();
    load.mark();
    await pause(4000);
    const result = await load.stop();
    expectEveryServiceRecovered(result);
    await expectTotalsAgree(stack, api, leader);
  });

  it('PostgreSQL restarted mid-load: services reconnect, answers during the outage are definite, totals agree', async () => {
    const load = startWriteLoad(api, tokens, '断库');
    await pause(2000);
    await stack.postgres.restart();
    load.mark();
    await pause(4000);
    const result = await load.stop();
    expectEveryServiceRecovered(result);
    // While the database was away callers got "unavailable" (503) or a timeout, not a crash (500).
    for (const [service, outcome] of Object.entries(result.byService)) {
      const unexpected = Object.entries(outcome.firstAnswer).filter(([status]) => status !== '503' && status !== '504');
      expect({ service, unexpected }).toEqual({ service, unexpected: [] });
    }
    await expectTotalsAgree(stack, api, leader);
  });

  it('a payroll run killed (-9) halfway and run again: it resumes after the last committed batch, pays each household once and reports once', async () => {
    const households = 150_000;
    const period = '2024-06';
    await generateDibaoCases(stack, households);
    const approver = await api.token({ userId: 'drill-approver', kind: 'staff', roles: ['district-approver'], divisions: ['430503'] });
    const runPayroll = (): Promise<unknown> =>
      api.request('POST', '/api/v1/social-assistance/payrolls', { token: approver, body: { period, programme: 'dibao' } }).catch((error: unknown) => error);

    // The gateway may answer before the run ends (its request timeout); the run goes on in the service.
    const firstCall = runPayroll();
    const halfway = await eventually(async () => {
      const [run] = await queryService<{ status: string; lines: number }>(stack, 'social-assistance', `SELECT status, lines FROM payroll_run WHERE period = $1 AND programme = 'dibao'`, [period]);
      return run && run.lines > 0 ? run : undefined;
    }, 120_000, 'the first committed batch');
    await stack.stopService('social-assistance', 'SIGKILL');
    await firstCall;

    // Killed in the middle: what was committed is whole batches, and the run says how far it got.
    const [killed] = await queryService<{ status: string; lines: number; written: string }>(
      stack,
      'social-assistance',
      `SELECT status, lines, (SELECT count(*) FROM payment_line WHERE period = $1 AND programme = 'dibao') AS written FROM payroll_run WHERE period = $1 AND programme = 'dibao'`,
      [period],
    );
    expect(halfway.status).toBe('running');
    expect(killed?.status).toBe('running');
    expect(killed?.lines).toBeLessThan(households);
    expect(Number(killed?.written)).toBe(killed?.lines);

    await stack.startService('social-assistance');
    await runPayroll();
    await eventually(async () => {
      const [run] = await queryService<{ status: string }>(stack, 'social-assistance', `SELECT status FROM payroll_run WHERE period = $1 AND programme = 'dibao'`, [period]);
      return run?.status === 'completed' ? true : undefined;
    }, 180_000, 'the resumed payroll to complete');

    const [paid] = await queryService<{ lines: string; households: string; amount: string; expected: string; run_lines: number; run_amount: string }>(
      stack,
      'social-assistance',
      `SELECT count(*) AS lines, count(DISTINCT household_id) AS households, sum(amount_fen) AS amount,
              (SELECT sum(monthly_amount_fen) FROM dibao_case) AS expected,
              (SELECT lines FROM payroll_run WHERE period = $1 AND programme = 'dibao') AS run_lines,
              (SELECT amount_fen FROM payroll_run WHERE period = $1 AND programme = 'dibao') AS run_amount
         FROM payment_line WHERE period = $1 AND programme = 'dibao'`,
      [period],
    );
    expect(paid).toEqual({ lines: String(households), households: String(households), amount: paid?.expected, expected: paid?.expected, run_lines: households, run_amount: paid?.expected });

    // One completion event, archived once by reporting, with the totals of the whole payroll.
    const completed = await eventually(async () => {
      const rows = await queryService<{ amount: string; households: string }>(
        stack,
        'reporting',
        `SELECT envelope->'data'->'totals'->>'amountFen' AS amount, envelope->'data'->'totals'->>'households' AS households FROM event_archive WHERE type = $1`,
        [PayrollEvents.completed],
      );
      return rows.length > 0 ? rows : undefined;
    }, 60_000, 'payroll.completed in reporting');
    await pause(1000);
    const [outbox] = await queryService<{ n: string }>(stack, 'social-assistance', `SELECT count(*) AS n FROM outbox WHERE type = $1`, [PayrollEvents.completed]);
    expect({ outbox: Number(outbox?.n), archived: completed }).toEqual({ outbox: 1, archived: [{ amount: paid?.expected, households: String(households) }] });
  });
});

/**
 * N 低保 households and their open cases straight into social assistance's tables, set-based (as
 * the payroll benchmark does): registering 150,000 households through the API would take the
 * drill's whole time budget, and the payroll reads only these two tables.
 */
async function generateDibaoCases(stack: Stack, households: number): Promise<void> {
  await queryService(
    stack,
    'social-assistance',
    `INSERT INTO household (id, division_code, urban_rural, address, created_by)
     SELECT uuidv7(), '430503' || lpad((1 + i % 20)::text, 3, '0') || lpad((1 + (i / 20) % 10)::text, 3, '0'),
            CASE WHEN i % 3 = 0 THEN 'urban' ELSE 'rural' END, '演练地址 ' || i, 'drill'
       FROM generate_series(1, $1::int) AS i`,
    [households],
  );
  await queryService(
    stack,
    'social-assistance',
    `INSERT INTO dibao_case (id, household_id, division_code, urban_rural, covered_persons, monthly_amount_fen, start_period)
     SELECT uuidv7(), h.id, h.division_code, h.urban_rural, 1 + n % 4, 20000 + (n % 50) * 1000, '2024-01'
       FROM (SELECT id, division_code, urban_rural, row_number() OVER (ORDER BY id) AS n FROM household WHERE created_by = 'drill') AS h`,
  );
  await queryService(stack, 'social-assistance', `ANALYZE household; ANALYZE dibao_case`);
}

function pause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
