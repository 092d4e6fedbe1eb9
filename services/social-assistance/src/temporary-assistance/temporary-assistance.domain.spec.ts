import { DomainError, type Role } from '@civil/contracts';
import {
  TA_ACTIONS,
  TA_ACTION_RULES,
  actingRole,
  allowedTaActions,
  amountLimits,
  checkAmount,
  decideTemporaryAction,
  deriveCase,
  roleMayDecide,
  type LoggedTaAction,
  type TemporaryAssistanceAction,
  type TemporaryAssistanceKind,
} from './temporary-assistance.domain';

// Rural demo standard 430.00元: cap 6× = 2580.00元, township 3× = 1290.00元.
const limits = amountLimits(43000, { capMultipleBp: 60000, townshipLimitBp: 30000 });

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

function entry(action: TemporaryAssistanceAction, role: Role, payload: Record<string, unknown> = {}, date = '2024-03-01'): LoggedTaAction {
  return { action, role, actorId: role, date, payload };
}

describe('amount limits', () => {
  it('are the standard times the rule, rounded down', () => {
    expect(limits).toEqual({ standardFen: 43000, capFen: 258000, townshipLimitFen: 129000 });
    expect(amountLimits(33333, { capMultipleBp: 15000, townshipLimitBp: 10000 })).toEqual({ standardFen: 33333, capFen: 49999, townshipLimitFen: 33333 });
  });

  it.each([
    [1, null],
    [258000, null],
    [258001, 'cap'],
    [0, 'positive'],
    [-5, 'positive'],
    [1.5, 'positive'],
  ])('amount %d → %s', (amountFen, rule) => {
    if (rule === null) {
      expect(() => checkAmount(amountFen, limits)).not.toThrow();
    } else {
      const error = errorOf(() => checkAmount(amountFen, limits));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.fields).toEqual([expect.objectContaining({ field: 'amountFen', rule })]);
    }
  });
});

describe('who may decide by amount', () => {
  it.each<[TemporaryAssistanceAction, Role, number, boolean]>([
    ['grant-emergency', 'clerk', 129000, true],
    ['grant-emergency', 'clerk', 129001, false],
    ['grant-emergency', 'township-reviewer', 129000, true],
    ['grant-emergency', 'township-reviewer', 129001, false],
    ['grant-emergency', 'district-approver', 258000, true],
    ['grant-emergency', 'citizen', 100, false],
    ['grant-emergency', 'admin', 100, false],
    ['ratify', 'township-reviewer', 129000, true],
    ['ratify', 'township-reviewer', 129001, false],
    ['ratify', 'district-approver', 258000, true],
    ['ratify', 'clerk', 100, false],
    ['approve', 'township-reviewer', 129000, true],
    ['approve', 'township-reviewer', 129001, false],
    ['approve', 'district-approver', 200000, true],
    ['approve', 'clerk', 100, false],
    ['reject', 'township-reviewer', 129001, false],
    ['reject', 'district-approver', 129001, true],
    ['apply', 'citizen', 258000, true],
    ['apply', 'clerk', 258000, true],
    ['review', 'clerk', 258000, true],
    ['add-documents', 'clerk', 258000, true],
    ['add-documents', 'citizen', 100, false],
  ])('%s by %s for %d fen → %s', (action, role, amountFen, allowed) => {
    expect(roleMayDecide(action, role, amountFen, limits)).toBe(allowed);
  });
});

describe('the permission table', () => {
  it('every action belongs to one kind, and only the opening actions start from NEW', () => {
    for (const action of TA_ACTIONS) {
      const rule = TA_ACTION_RULES[action];
      expect(rule.from.includes('NEW')).toBe(action === 'grant-emergency' || action === 'apply');
      for (const role of rule.upToTownshipLimit ?? []) expect(rule.roles).toContain(role);
    }
  });

  const emergency: [string, LoggedTaAction[]][] = [
    ['new', []],
    ['granted', [entry('grant-emergency', 'clerk')]],
    ['documented', [entry('grant-emergency', 'clerk'), entry('add-documents', 'clerk', { documents: ['火灾证明'] })]],
  ];
  it.each<[TemporaryAssistanceKind, string, LoggedTaAction[], Role, number, TemporaryAssistanceAction[]]>([
    ['emergency', ...emergency[0]!, 'clerk', 1000, ['grant-emergency']],
    ['emergency', ...emergency[1]!, 'clerk', 1000, ['add-documents']],
    ['emergency', ...emergency[2]!, 'clerk', 1000, ['add-documents']],
    ['emergency', ...emergency[2]!, 'township-reviewer', 1000, ['add-documents', 'ratify']],
    ['emergency', ...emergency[2]!, 'township-reviewer', 200000, ['add-documents']],
    ['emergency', ...emergency[2]!, 'district-approver', 200000, ['ratify']],
    ['expenditure', 'new', [], 'citizen', 1000, ['apply']],
    ['expenditure', 'submitted', [entry('apply', 'citizen')], 'clerk', 1000, ['review']],
    ['expenditure', 'submitted', [entry('apply', 'citizen')], 'township-reviewer', 1000, ['review', 'reject']],
    ['expenditure', 'reviewed', [entry('apply', 'citizen'), entry('review', 'clerk', { findings: 'x' })], 'township-reviewer', 1000, ['approve', 'reject']],
    ['expenditure', 'reviewed', [entry('apply', 'citizen'), entry('review', 'clerk', { findings: 'x' })], 'township-reviewer', 200000, []],
    ['expenditure', 'reviewed', [entry('apply', 'citizen'), entry('review', 'clerk', { findings: 'x' })], 'district-approver', 200000, ['approve', 'reject']],
    ['expenditure', 'approved', [entry('apply', 'citizen'), entry('review', 'clerk', { findings: 'x' }), entry('approve', 'district-approver')], 'district-approver', 1000, []],
  ])('%s case %s (log %j): %s with %d fen may %j', (kind, _label, log, role, amountFen, expected) => {
    expect(allowedTaActions(deriveCase(kind, log), role, amountFen, limits)).toEqual(expected);
  });
});

describe('deciding an action', () => {
  const applied = [entry('apply', 'citizen')];
  const reviewed = [...applied, entry('review', 'clerk', { findings: '医疗费用属实' })];

  it.each<[string, TemporaryAssistanceKind, LoggedTaAction[], TemporaryAssistanceAction, Role, unknown, number, string]>([
    ['wrong kind', 'emergency', [entry('grant-emergency', 'clerk')], 'review', 'clerk', { findings: 'x' }, 1000, 'CONFLICT'],
    ['wrong status', 'expenditure', applied, 'approve', 'district-approver', {}, 1000, 'CONFLICT'],
    ['twice opened', 'expenditure', applied, 'apply', 'citizen', {}, 1000, 'CONFLICT'],
    ['role not listed', 'expenditure', reviewed, 'approve', 'clerk', {}, 1000, 'FORBIDDEN'],
    ['township above its limit', 'expenditure', reviewed, 'approve', 'township-reviewer', {}, 129001, 'FORBIDDEN'],
    ['reject without a reason', 'expenditure', reviewed, 'reject', 'district-approver', { reason: '  ' }, 1000, 'VALIDATION_FAILED'],
    ['documents missing', 'emergency', [entry('grant-emergency', 'clerk')], 'add-documents', 'clerk', { documents: [] }, 1000, 'VALIDATION_FAILED'],
    ['unknown payload field', 'expenditure', applied, 'review', 'clerk', { findings: 'x', extra: 1 }, 1000, 'VALIDATION_FAILED'],
  ])('refuses: %s', (_label, kind, log, action, role, payload, amountFen, code) => {
    expect(errorOf(() => decideTemporaryAction(kind, log, { action, role, actorId: 'u', date: '2024-03-02', payload }, amountFen, limits)).code).toBe(code);
  });

  it('names payload fields in validation errors', () => {
    const error = errorOf(() => decideTemporaryAction('expenditure', reviewed, { action: 'reject', role: 'district-approver', actorId: 'u', date: '2024-03-02', payload: {} }, 1000, limits));
    expect(error.fields?.map((f) => f.field)).toEqual(['payload.reason']);
  });

  it('a rejection records its trimmed reason; an approval its date', () => {
    const rejected = decideTemporaryAction('expenditure', reviewed, { action: 'reject', role: 'township-reviewer', actorId: 'u', date: '2024-03-02', payload: { reason: ' 不符合条件 ' } }, 1000, limits);
    expect(rejected.state).toMatchObject({ status: 'REJECTED', rejectionReason: '不符合条件', grantedOn: null });
    const approved = decideTemporaryAction('expenditure', reviewed, { action: 'approve', role: 'district-approver', actorId: 'u', date: '2024-03-03', payload: {} }, 200000, limits);
    expect(approved.state).toMatchObject({ status: 'APPROVED', grantedOn: '2024-03-03' });
  });

  it('an emergency runs granted → documented → ratified', () => {
    const granted = decideTemporaryAction('emergency', [], { action: 'grant-emergency', role: 'clerk', actorId: 'c', date: '2024-03-01', payload: {} }, 1000, limits);
    expect(granted.state).toMatchObject({ status: 'EMERGENCY_GRANTED', grantedOn: '2024-03-01' });
    const documented = decideTemporaryAction('emergency', [granted.logged], { action: 'add-documents', role: 'clerk', actorId: 'c', date: '2024-03-05', payload: { documents: ['火灾证明', '医院诊断'] } }, 1000, limits);
    expect(documented.state).toMatchObject({ status: 'SUPPLEMENTARY_DOCS', documents: ['火灾证明', '医院诊断'] });
    const ratified = decideTemporaryAction('emergency', [granted.logged, documented.logged], { action: 'ratify', role: 'township-reviewer', actorId: 't', date: '2024-03-06', payload: {} }, 1000, limits);
    expect(ratified.state).toMatchObject({ status: 'RATIFIED', grantedOn: '2024-03-01' });
  });

  it.each<[Role[], number, Role]>([
    [['township-reviewer', 'district-approver'], 1000, 'township-reviewer'],
    [['township-reviewer', 'district-approver'], 200000, 'district-approver'],
    [['clerk', 'township-reviewer'], 200000, 'township-reviewer'],
    [['clerk'], 1000, 'clerk'],
    [[], 1000, 'citizen'],
  ])('an actor with %j approving %d fen acts as %s', (roles, amountFen, expected) => {
    expect(actingRole(roles, 'expenditure', reviewed, 'approve', amountFen, limits)).toBe(expected);
  });
});
