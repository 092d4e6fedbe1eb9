import type { Actor, Role } from '@civil/contracts';
import { domainErrorOf } from '@civil/testing';
import { AnnualReportHandlers } from './annual-report.handlers';
import type { AnnualReportService } from './annual-report.service';

const staff = (roles: Role[]): Actor => ({ userId: 'u-1', kind: 'staff', roles, divisions: ['430503000000'] });
const ctx = (actor: Actor | null) => ({ subject: 's', actor });

describe('AnnualReportHandlers', () => {
  const service = { model: jest.fn(async () => ({ year: 2023 })), html: jest.fn(async () => '<html></html>'), docx: jest.fn(async () => Buffer.from('PK')), template: jest.fn(), saveTemplate: jest.fn(async () => ({ year: 2023 })) };
  const handlers = new AnnualReportHandlers(service as unknown as AnnualReportService);

  it.each<Role>(['leader', 'finance-officer', 'auditor', 'admin'])('lets %s read the report, its preview and its .docx', async (role) => {
    await expect(handlers.report({ year: 2023 }, ctx(staff([role])))).resolves.toEqual({ year: 2023 });
    await expect(handlers.preview({ year: 2023 }, ctx(staff([role])))).resolves.toEqual({ exportId: 'annual-report-2023', next: null, text: '<html></html>' });
    await expect(handlers.docx({ year: 2023 }, ctx(staff([role])))).resolves.toEqual({ exportId: 'annual-report-2023', next: null, base64: Buffer.from('PK').toString('base64') });
  });

  it.each<[string, Actor | null]>([
    ['no actor', null],
    ['a clerk', staff(['clerk'])],
    ['a citizen', { userId: 'c', kind: 'citizen', roles: ['citizen'], divisions: [] }],
  ])('refuses %s', async (_label, actor) => {
    await domainErrorOf(handlers.report({ year: 2023 }, ctx(actor)), 'FORBIDDEN');
    await domainErrorOf(handlers.docx({ year: 2023 }, ctx(actor)), 'FORBIDDEN');
  });

  it('lets only the finance office and admins edit templates', async () => {
    for (const role of ['leader', 'auditor'] as Role[]) await domainErrorOf(handlers.saveTemplate({ year: 2023, section: 'problems', text: 'x' }, ctx(staff([role]))), 'FORBIDDEN');
    await handlers.saveTemplate({ year: 2023, section: 'problems', text: 'x' }, ctx(staff(['finance-officer'])));
    expect(service.saveTemplate).toHaveBeenCalledWith(2023, 'problems', 'x', 'u-1');
  });
});
