import { DomainError, parseOrThrow, type Actor } from '@civil/contracts';
import { domainErrorOf, untouchable } from '@civil/testing';
import { bankFileRecord, csvField } from './payroll-csv';
import { listPaymentLinesSchema, runPayrollSchema } from '@civil/contracts';
import { PayrollHandlers } from './payroll.handlers';
import type { PayrollService } from './payroll.service';

function fieldsOf(run: () => unknown): { field: string; rule: string }[] {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError && error.code === 'VALIDATION_FAILED') return (error.fields ?? []).map(({ field, rule }) => ({ field, rule }));
    throw error;
  }
  throw new Error('expected VALIDATION_FAILED');
}

describe('payroll request schemas', () => {
  it('accepts a period and a programme', () => {
    expect(parseOrThrow(runPayrollSchema, { period: '2024-03', programme: 'dibao' })).toEqual({ period: '2024-03', programme: 'dibao' });
  });

  it.each([['2024-13'], ['2024-3'], ['202403'], ['2024-00'], ['']])('refuses period %p naming `period`', (period) => {
    expect(fieldsOf(() => parseOrThrow(runPayrollSchema, { period, programme: 'tekun' }))).toEqual([{ field: 'period', rule: 'format' }]);
  });

  it('refuses a period that is not a string, an unknown programme and extra fields', () => {
    expect(fieldsOf(() => parseOrThrow(runPayrollSchema, { period: 202403, programme: 'dibao' }))[0]?.field).toBe('period');
    expect(fieldsOf(() => parseOrThrow(runPayrollSchema, { period: '2024-03', programme: 'orphan' }))[0]?.field).toBe('programme');
    expect(fieldsOf(() => parseOrThrow(runPayrollSchema, { period: '2024-03', programme: 'dibao', stopAfterBatches: 1 }))[0]?.rule).toBe('unrecognized_keys');
  });

  it('lines: a limit of 1..1000 (100 by default), a township code normalised to 12 digits, a uuid cursor', () => {
    expect(parseOrThrow(listPaymentLinesSchema, { period: '2024-03', programme: 'dibao', townshipCode: '430503100' })).toEqual({
      period: '2024-03',
      programme: 'dibao',
      townshipCode: '430503100000',
      limit: 100,
    });
    expect(fieldsOf(() => parseOrThrow(listPaymentLinesSchema, { period: '2024-03', programme: 'dibao', limit: 1001 }))[0]?.field).toBe('limit');
    expect(fieldsOf(() => parseOrThrow(listPaymentLinesSchema, { period: '2024-03', programme: 'dibao', after: 'x' }))[0]?.field).toBe('after');
  });
});

describe('PayrollHandlers', () => {
  it('refuses a request without an actor before touching the service', async () => {
    const handlers = new PayrollHandlers(untouchable<PayrollService>('PayrollService'));
    await domainErrorOf(handlers.run({ period: '2024-03', programme: 'dibao' }, { subject: 'social-assistance.payroll.run', actor: null }), 'UNAUTHENTICATED');
    await domainErrorOf(handlers.get({ period: '2024-03', programme: 'dibao' }, { subject: 'social-assistance.payroll.get', actor: null }), 'UNAUTHENTICATED');
  });

  it('passes the period, programme and actor to the service (no test hooks over RPC)', async () => {
    const calls: unknown[][] = [];
    const service = { run: async (...args: unknown[]) => calls.push(args) } as unknown as PayrollService;
    const actor: Actor = { userId: 'a', kind: 'staff', roles: ['admin'], divisions: ['430503000000'] };
    await new PayrollHandlers(service).run({ period: '2024-03', programme: 'tekun' }, { subject: 'social-assistance.payroll.run', actor });
    expect(calls).toEqual([['2024-03', 'tekun', actor]]);
  });
});

describe('bank file CSV', () => {
  it('quotes fields with commas, quotes or line breaks (RFC 4180)', () => {
    expect(csvField('张三')).toBe('张三');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('writes amounts as yuan with two decimals from bigint fen strings', () => {
    const record = bankFileRecord({
      period: '2024-03',
      programme: 'dibao',
      beneficiaryId: 'b',
      payeeName: '张三',
      payeeResidentId: '430503197001010011',
      divisionCode: '430503001001',
      townshipCode: '430503001000',
      urbanRural: 'rural',
      persons: 3,
      amountFen: '123405',
    });
    expect(record).toBe('2024-03,dibao,b,张三,430503197001010011,430503001001,430503001000,rural,3,1234.05\r\n');
  });
});
