import { NAMING_PROPOSAL_STATUSES, type Actor, type NamingProposalStatus } from '@civil/contracts';
import { ALLOWED_FROM, assertNamePasses, assertNotSubmitter, assertTransition, type ProposalAction } from './naming-proposals.domain';

const codeOf = (fn: () => void): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('naming proposal transitions', () => {
  const table: [ProposalAction, NamingProposalStatus[]][] = [
    ['review', ['submitted']],
    ['approve', ['reviewed']],
    ['announce', ['approved']],
    ['withdraw', ['submitted', 'reviewed']],
  ];
  it.each(table)('%s is allowed only from %j; every other status is a CONFLICT', (action, allowed) => {
    expect(ALLOWED_FROM[action]).toEqual(allowed);
    for (const status of NAMING_PROPOSAL_STATUSES) {
      expect(codeOf(() => assertTransition(action, status, 'p'))).toBe(allowed.includes(status) ? undefined : 'CONFLICT');
    }
  });

  it('keeps the submitter from reviewing', () => {
    const actor: Actor = { userId: 'officer-a', kind: 'staff', roles: ['place-names-officer'], divisions: ['430503000000'] };
    expect(codeOf(() => assertNotSubmitter(actor, 'officer-a'))).toBe('FORBIDDEN');
    expect(codeOf(() => assertNotSubmitter(actor, 'officer-b'))).toBeUndefined();
  });

  it('turns each error finding into a field error of the name; warnings do not block', () => {
    expect(() =>
      assertNamePasses({ name: '福星路', passes: true, findings: [{ rule: 'homophone-in-scope', severity: 'warning', message: 'sounds like 富星路' }] }, 'submitted'),
    ).not.toThrow();
    let fields: unknown;
    try {
      assertNamePasses(
        {
          name: 'A区帝景',
          passes: false,
          findings: [
            { rule: 'forbidden-word', severity: 'error', message: '帝' },
            { rule: 'latin-letters', severity: 'error', message: 'A' },
            { rule: 'long-name', severity: 'warning', message: 'long' },
          ],
        },
        'approved',
      );
    } catch (error) {
      expect((error as { code: string }).code).toBe('NOT_ELIGIBLE');
      fields = (error as { fields: unknown }).fields;
    }
    expect(fields).toEqual([
      { field: 'name', rule: 'forbidden-word', message: '帝' },
      { field: 'name', rule: 'latin-letters', message: 'A' },
    ]);
  });
});
