import { CHINA_STATUTORY_CALENDAR_DATA, WorkingDayCalendar } from '@civil/domain-kernel';
import { DomainError, ROLES, type Role } from '@civil/contracts';
import {
  DEFAULT_WORKFLOW_SETTINGS,
  DIBAO_ACTIONS,
  DIBAO_ACTION_RULES,
  DIBAO_STATUSES,
  InconsistentActionLogError,
  allowedActions,
  approvableFrom,
  deadlineOf,
  decideAction,
  deriveApplication,
  isOverdue,
  deadlineEstimate,
  type ApplicationState,
  type DibaoAction,
  type LoggedAction,
  type WorkflowSettings,
  type WorkflowStatus,
} from './application-workflow';

// ---------------------------------------------------------------------------------------------
// Helpers

const ROLES_UNDER_TEST = ['citizen', 'clerk', 'township-reviewer', 'district-approver', 'admin'] as const satisfies readonly Role[];
const ALL_STATUSES: readonly WorkflowStatus[] = ['NEW', ...DIBAO_STATUSES];

const VALID_PAYLOADS: Record<DibaoAction, Record<string, unknown>> = {
  submit: {},
  'return-incomplete': { missing: ['户口簿复印件', '收入证明'] },
  resubmit: {},
  accept: {},
  'record-survey': { investigators: ['王五', '赵六'], findings: '入户核实，家庭无劳动能力' },
  'record-verification': { reportId: 'verification-1' },
  'record-democratic-review': { attendees: 9, outcome: 'agree', notes: '村民代表一致同意' },
  'township-audit': { passed: true, opinion: '符合条件' },
  'raise-objection': { objection: '群众反映家中有经营性车辆' },
  approve: { monthlyAmountFen: 52000, coveredPersons: 2 },
  reject: { reason: '家庭人均收入高于当地低保标准' },
  withdraw: { reason: '家庭情况好转' },
  'extend-deadline': { reason: '需补充核对异地存款' },
};

/** A role allowed to take the action (from its first status), for building logs through real actions. */
const ACTOR_FOR: Record<DibaoAction, Role> = {
  submit: 'citizen',
  'return-incomplete': 'clerk',
  resubmit: 'citizen',
  accept: 'clerk',
  'record-survey': 'township-reviewer',
  'record-verification': 'clerk',
  'record-democratic-review': 'township-reviewer',
  'township-audit': 'township-reviewer',
  'raise-objection': 'clerk',
  approve: 'district-approver',
  reject: 'district-approver',
  withdraw: 'citizen',
  'extend-deadline': 'district-approver',
};

function act(
  log: readonly LoggedAction[],
  action: DibaoAction,
  date: string,
  payload: unknown = VALID_PAYLOADS[action],
  role: Role = ACTOR_FOR[action],
  settings?: WorkflowSettings,
): LoggedAction[] {
  const { logged } = decideAction(log, { action, role, actorId: `${role}-1`, date, payload }, settings);
  return [...log, logged];
}

/** Applies the steps in order, each through decideAction. */
function run(steps: readonly [DibaoAction, string][], start: readonly LoggedAction[] = []): LoggedAction[] {
  return steps.reduce<LoggedAction[]>((log, [action, date]) => act(log, action, date), [...start]);
}

function domainErrorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but nothing was thrown');
}

function logErrorOf(fn: () => unknown): InconsistentActionLogError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InconsistentActionLogError) return error;
    throw error;
  }
  throw new Error('expected an InconsistentActionLogError, but nothing was thrown');
}

const SUBMITTED_PATH: [DibaoAction, string][] = [['submit', '2023-12-01']];
const ACCEPTED_PATH: [DibaoAction, string][] = [...SUBMITTED_PATH, ['accept', '2023-12-01']];
const DEMOCRATIC_PATH: [DibaoAction, string][] = [
  ...ACCEPTED_PATH,
  ['record-survey', '2023-12-04'],
  ['record-verification', '2023-12-04'],
];
const AUDIT_PATH: [DibaoAction, string][] = [...DEMOCRATIC_PATH, ['record-democratic-review', '2023-12-05']];
const NOTICE_PATH: [DibaoAction, string][] = [...AUDIT_PATH, ['township-audit', '2023-12-06']];

/** A log reaching each status through real actions; every date is before TRIAL_DATE. */
const PATHS: Record<WorkflowStatus, [DibaoAction, string][]> = {
  NEW: [],
  SUBMITTED: SUBMITTED_PATH,
  RETURNED_INCOMPLETE: [...SUBMITTED_PATH, ['return-incomplete', '2023-12-01']],
  ACCEPTED: ACCEPTED_PATH,
  DEMOCRATIC_REVIEW: DEMOCRATIC_PATH,
  TOWNSHIP_AUDIT: AUDIT_PATH,
  PUBLIC_NOTICE: NOTICE_PATH,
  APPROVED: [...NOTICE_PATH, ['approve', '2023-12-13']],
  REJECTED: [...ACCEPTED_PATH, ['reject', '2023-12-04']],
  WITHDRAWN: [...SUBMITTED_PATH, ['withdraw', '2023-12-02']],
};
const LOGS = Object.fromEntries(ALL_STATUSES.map((s) => [s, run(PATHS[s])])) as Record<WorkflowStatus, LoggedAction[]>;
/** Late enough that the notice started 2023-12-06 is over. */
const TRIAL_DATE = '2023-12-20';

function requestFor(action: DibaoAction, role: Role, date = TRIAL_DATE, payload: unknown = VALID_PAYLOADS[action]) {
  return { action, role, actorId: `${role}-1`, date, payload };
}

// ---------------------------------------------------------------------------------------------
// The permission table

describe('DIBAO_ACTION_RULES', () => {
  const nonFinal = ['SUBMITTED', 'RETURNED_INCOMPLETE', 'ACCEPTED', 'DEMOCRATIC_REVIEW', 'TOWNSHIP_AUDIT', 'PUBLIC_NOTICE'];

  it('states the brief, action by action', () => {
    // Written out independently of the implementation: a change to the table must change this test.
    expect(DIBAO_ACTION_RULES).toEqual({
      submit: { from: ['NEW'], roles: ['citizen', 'clerk'] },
      'return-incomplete': { from: ['SUBMITTED'], roles: ['clerk'] },
      resubmit: { from: ['RETURNED_INCOMPLETE'], roles: ['citizen', 'clerk'] },
      accept: { from: ['SUBMITTED'], roles: ['clerk'] },
      'record-survey': { from: ['ACCEPTED'], roles: ['clerk', 'township-reviewer'] },
      'record-verification': { from: ['ACCEPTED'], roles: ['clerk'] },
      'record-democratic-review': { from: ['DEMOCRATIC_REVIEW'], roles: ['township-reviewer'] },
      'township-audit': { from: ['TOWNSHIP_AUDIT'], roles: ['township-reviewer'] },
      'raise-objection': { from: ['PUBLIC_NOTICE'], roles: ['clerk', 'township-reviewer'] },
      approve: { from: ['PUBLIC_NOTICE'], roles: ['district-approver'] },
      reject: {
        from: ['ACCEPTED', 'DEMOCRATIC_REVIEW', 'TOWNSHIP_AUDIT', 'PUBLIC_NOTICE'],
        roles: ['district-approver', 'township-reviewer'],
        roleLimits: { 'township-reviewer': ['DEMOCRATIC_REVIEW', 'TOWNSHIP_AUDIT'] },
      },
      withdraw: { from: nonFinal, roles: ['citizen', 'clerk'] },
      'extend-deadline': { from: nonFinal, roles: ['district-approver'] },
    });
  });

  it('gives admin nothing and limits roles only within their own statuses', () => {
    for (const action of DIBAO_ACTIONS) {
      const rule = DIBAO_ACTION_RULES[action];
      expect(rule.roles).not.toContain('admin');
      for (const [role, statuses] of Object.entries(rule.roleLimits ?? {})) {
        expect(rule.roles).toContain(role);
        for (const status of statuses) expect(rule.from).toContain(status);
      }
    }
  });

  it('allows nothing out of a final status', () => {
    for (const action of DIBAO_ACTIONS) {
      for (const status of ['APPROVED', 'REJECTED', 'WITHDRAWN'] as const) expect(DIBAO_ACTION_RULES[action].from).not.toContain(status);
    }
  });
});

/** What the table says should happen, written from the table's meaning. */
function expectedRefusal(status: WorkflowStatus, action: DibaoAction, role: Role): 'FORBIDDEN' | 'CONFLICT' | null {
  const rule = DIBAO_ACTION_RULES[action];
  if (!rule.roles.includes(role)) return 'FORBIDDEN';
  if (!rule.from.includes(status)) return 'CONFLICT';
  const limit = rule.roleLimits?.[role];
  if (limit && !(limit as readonly WorkflowStatus[]).includes(status)) return 'FORBIDDEN';
  return null;
}

/** Where an allowed action leads from the status its test log is in. */
function expectedTarget(action: DibaoAction, from: WorkflowStatus): WorkflowStatus {
  switch (action) {
    case 'submit':
    case 'resubmit':
      return 'SUBMITTED';
    case 'return-incomplete':
      return 'RETURNED_INCOMPLETE';
    case 'accept':
    case 'raise-objection':
      return 'ACCEPTED';
    case 'record-survey':
    case 'record-verification':
      return 'ACCEPTED'; // the ACCEPTED test log has neither recorded yet
    case 'record-democratic-review':
      return 'TOWNSHIP_AUDIT';
    case 'township-audit':
      return 'PUBLIC_NOTICE';
    case 'approve':
      return 'APPROVED';
    case 'reject':
      return 'REJECTED';
    case 'withdraw':
      return 'WITHDRAWN';
    case 'extend-deadline':
      return from;
  }
}

describe('every action × every status × every role', () => {
  const cases = ALL_STATUSES.flatMap((status) =>
    DIBAO_ACTIONS.flatMap((action) =>
      ROLES_UNDER_TEST.map((role) => ({ status, action, role, expected: expectedRefusal(status, action, role) })),
    ),
  );

  it('covers 10 statuses × 13 actions × 5 roles', () => {
    expect(cases).toHaveLength(10 * 13 * 5);
    expect(LOGS.NEW).toEqual([]);
    for (const status of DIBAO_STATUSES) expect(deriveApplication(LOGS[status]).status).toBe(status);
  });

  it.each(cases)('$status · $action · $role → $expected', ({ status, action, role, expected }) => {
    const attempt = () => decideAction(LOGS[status], requestFor(action, role));
    if (expected === null) {
      const { state, logged } = attempt();
      expect(state.status).toBe(expectedTarget(action, status));
      expect(logged).toEqual({ action, role, actorId: `${role}-1`, date: TRIAL_DATE, payload: VALID_PAYLOADS[action] });
    } else {
      const error = domainErrorOf(attempt);
      expect(error.code).toBe(expected);
      if (expected === 'CONFLICT') {
        expect(error.message).toContain(status);
        expect(error.message).toContain(action);
      }
    }
    if (status !== 'NEW') {
      // What the UI is offered agrees with what the server accepts.
      expect(allowedActions(deriveApplication(LOGS[status]), role, TRIAL_DATE).includes(action)).toBe(expected === null);
    }
  });

  it.each(ROLES.filter((r) => !(ROLES_UNDER_TEST as readonly Role[]).includes(r)))('role %s may do nothing', (role) => {
    for (const action of DIBAO_ACTIONS) {
      const status = DIBAO_ACTION_RULES[action].from[0] ?? 'NEW';
      expect(domainErrorOf(() => decideAction(LOGS[status], requestFor(action, role))).code).toBe('FORBIDDEN');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The procedure

describe('survey and verification', () => {
  it.each([
    ['survey first', 'record-survey', 'record-verification'],
    ['verification first', 'record-verification', 'record-survey'],
  ] as const)('%s: DEMOCRATIC_REVIEW only once both are recorded', (_label, first, second) => {
    const afterFirst = act(LOGS.ACCEPTED, first, '2023-12-04');
    const middle = deriveApplication(afterFirst);
    expect(middle.status).toBe('ACCEPTED');
    expect([middle.surveyRecorded, middle.verificationRecorded]).toEqual([first === 'record-survey', first === 'record-verification']);
    expect(domainErrorOf(() => decideAction(afterFirst, requestFor('record-democratic-review', 'township-reviewer'))).code).toBe('CONFLICT');

    const both = deriveApplication(act(afterFirst, second, '2023-12-05'));
    expect(both).toMatchObject({ status: 'DEMOCRATIC_REVIEW', surveyRecorded: true, verificationRecorded: true });
  });

  it('recording the same one twice does not count as both', () => {
    const twice = act(act(LOGS.ACCEPTED, 'record-survey', '2023-12-04'), 'record-survey', '2023-12-05');
    expect(deriveApplication(twice)).toMatchObject({ status: 'ACCEPTED', surveyRecorded: true, verificationRecorded: false });
  });
});

describe('objection during public notice', () => {
  const objected = act(LOGS.PUBLIC_NOTICE, 'raise-objection', '2023-12-08');

  it('sends the application back to ACCEPTED with survey and verification to redo', () => {
    expect(deriveApplication(objected)).toMatchObject({
      status: 'ACCEPTED',
      surveyRecorded: false,
      verificationRecorded: false,
      noticeStartedOn: null,
    });
    expect(domainErrorOf(() => decideAction(objected, requestFor('approve', 'district-approver'))).code).toBe('CONFLICT');
    expect(domainErrorOf(() => decideAction(objected, requestFor('record-democratic-review', 'township-reviewer'))).code).toBe('CONFLICT');
  });

  it('needs both again, and a new notice counts from its own start', () => {
    const survey = act(objected, 'record-survey', '2023-12-11');
    expect(deriveApplication(survey).status).toBe('ACCEPTED');
    const renoticed = run(
      [
        ['record-verification', '2023-12-12'],
        ['record-democratic-review', '2023-12-13'],
        ['township-audit', '2023-12-14'],
      ],
      survey,
    );
    expect(deriveApplication(renoticed)).toMatchObject({ status: 'PUBLIC_NOTICE', noticeStartedOn: '2023-12-14' });
    // Seven days after the first notice (12-13) is not enough any more.
    expect(domainErrorOf(() => decideAction(renoticed, requestFor('approve', 'district-approver', '2023-12-20'))).code).toBe('CONFLICT');
    expect(decideAction(renoticed, requestFor('approve', 'district-approver', '2023-12-21')).state.status).toBe('APPROVED');
  });
});

describe('approval after the public notice', () => {
  // Notice started 2023-12-06: day 7 of the notice is 12-12, approval from 12-13.
  it.each([
    ['2023-12-06', 'CONFLICT'],
    ['2023-12-12', 'CONFLICT'],
    ['2023-12-13', 'APPROVED'],
    ['2023-12-31', 'APPROVED'],
  ])('approve on %s → %s', (date, expected) => {
    const attempt = () => decideAction(LOGS.PUBLIC_NOTICE, requestFor('approve', 'district-approver', date));
    if (expected === 'APPROVED') expect(attempt().state.status).toBe('APPROVED');
    else expect(domainErrorOf(attempt)).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('2023-12-13') });
  });

  it('takes the notice length from settings', () => {
    const tenDays: WorkflowSettings = { ...DEFAULT_WORKFLOW_SETTINGS, noticeDays: 10 };
    const state = deriveApplication(LOGS.PUBLIC_NOTICE, tenDays);
    expect(approvableFrom(state, tenDays)).toBe('2023-12-16');
    expect(approvableFrom(state)).toBe('2023-12-13');
    expect(domainErrorOf(() => decideAction(LOGS.PUBLIC_NOTICE, requestFor('approve', 'district-approver', '2023-12-13'), tenDays)).code).toBe(
      'CONFLICT',
    );
    expect(decideAction(LOGS.PUBLIC_NOTICE, requestFor('approve', 'district-approver', '2023-12-16'), tenDays).state.status).toBe('APPROVED');
  });

  it('offers approve in the UI only once the notice is over', () => {
    const state = deriveApplication(LOGS.PUBLIC_NOTICE);
    expect(allowedActions(state, 'district-approver', '2023-12-12')).toEqual(['reject', 'extend-deadline']);
    expect(allowedActions(state, 'district-approver', '2023-12-13')).toEqual(['approve', 'reject', 'extend-deadline']);
    expect(allowedActions(state, 'district-approver')).toEqual(['approve', 'reject', 'extend-deadline']);
    expect(approvableFrom(deriveApplication(LOGS.ACCEPTED))).toBeNull();
  });

  it.each([
    ['2023-12-15', '2024-01', 'across the year end'],
    ['2024-01-31', '2024-02', 'from the last day of a month'],
    ['2024-02-29', '2024-03', 'from a leap day'],
  ])('approved %s → benefit from %s (%s)', (date, period) => {
    const notice = act(LOGS.TOWNSHIP_AUDIT, 'township-audit', '2023-12-08');
    const { state } = decideAction(notice, requestFor('approve', 'district-approver', date));
    expect(state).toMatchObject({
      status: 'APPROVED',
      decidedOn: date,
      benefitStartPeriod: period,
      approved: { monthlyAmountFen: 52000, coveredPersons: 2 },
      rejectionReason: null,
    });
  });
});

describe('other transitions', () => {
  it('return-incomplete lists everything missing in one notice; the last notice is kept', () => {
    const returned = act(LOGS.SUBMITTED, 'return-incomplete', '2023-12-02', { missing: [' 户口簿复印件 ', '收入证明', '残疾证'] });
    expect(deriveApplication(returned)).toMatchObject({ status: 'RETURNED_INCOMPLETE', missing: ['户口簿复印件', '收入证明', '残疾证'] });
    const again = run([['resubmit', '2023-12-05']], returned);
    const second = act(again, 'return-incomplete', '2023-12-06', { missing: ['银行流水'] });
    expect(deriveApplication(second).missing).toEqual(['银行流水']);
  });

  it('resubmit restarts the deadline clock', () => {
    const log = run([['return-incomplete', '2023-09-05'], ['resubmit', '2023-09-20']], run([['submit', '2023-09-01']]));
    expect(deriveApplication(log)).toMatchObject({ status: 'SUBMITTED', submittedOn: '2023-09-20' });
  });

  it('reject keeps the written reason and the decision date', () => {
    const { state } = decideAction(LOGS.TOWNSHIP_AUDIT, requestFor('reject', 'township-reviewer', '2023-12-07', { reason: '  有经营性车辆  ' }));
    expect(state).toMatchObject({ status: 'REJECTED', rejectionReason: '有经营性车辆', decidedOn: '2023-12-07', approved: null, benefitStartPeriod: null });
  });

  it('withdraw needs no reason', () => {
    const { state, logged } = decideAction(LOGS.ACCEPTED, requestFor('withdraw', 'citizen', '2023-12-07', {}));
    expect(state.status).toBe('WITHDRAWN');
    expect(logged.payload).toEqual({});
    expect(state.decidedOn).toBeNull();
  });

  it('extends the deadline at most once and keeps the status', () => {
    const extended = act(LOGS.DEMOCRATIC_REVIEW, 'extend-deadline', '2023-12-05');
    const state = deriveApplication(extended);
    expect(state).toMatchObject({ status: 'DEMOCRATIC_REVIEW', deadlineExtended: true });
    expect(domainErrorOf(() => decideAction(extended, requestFor('extend-deadline', 'district-approver'))))
      .toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('already') });
    expect(allowedActions(state, 'district-approver')).toEqual(['reject']);
    expect(allowedActions(deriveApplication(LOGS.DEMOCRATIC_REVIEW), 'district-approver')).toEqual(['reject', 'extend-deadline']);
  });

  it('a submit makes a fresh state', () => {
    expect(decideAction([], requestFor('submit', 'clerk', '2023-12-01')).state).toEqual({
      status: 'SUBMITTED',
      submittedOn: '2023-12-01',
      surveyRecorded: false,
      verificationRecorded: false,
      noticeStartedOn: null,
      deadlineExtended: false,
      decidedOn: null,
      rejectionReason: null,
      missing: [],
      benefitStartPeriod: null,
      approved: null,
    } satisfies ApplicationState);
  });

  it.each([
    ['citizen', 'SUBMITTED', ['withdraw']],
    ['citizen', 'RETURNED_INCOMPLETE', ['resubmit', 'withdraw']],
    ['clerk', 'SUBMITTED', ['return-incomplete', 'accept', 'withdraw']],
    ['clerk', 'ACCEPTED', ['record-survey', 'record-verification', 'withdraw']],
    ['township-reviewer', 'ACCEPTED', ['record-survey']],
    ['township-reviewer', 'TOWNSHIP_AUDIT', ['township-audit', 'reject']],
    ['township-reviewer', 'PUBLIC_NOTICE', ['raise-objection']],
    ['admin', 'PUBLIC_NOTICE', []],
    ['district-approver', 'APPROVED', []],
  ] as const)('allowedActions(%s in %s) = %j', (role, status, expected) => {
    expect(allowedActions(deriveApplication(LOGS[status]), role)).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------------------------
// Input checks

describe('payload validation', () => {
  it.each([
    ['return-incomplete', { missing: [] }, ['payload.missing']],
    ['return-incomplete', { missing: ['户口簿', '  '] }, ['payload.missing[1]']],
    ['return-incomplete', {}, ['payload.missing']],
    ['record-survey', { investigators: ['王五', ' 王五 '], findings: '' }, ['payload.findings', 'payload.investigators']],
    ['record-survey', { investigators: ['王五'], findings: 'x', extra: 1 }, ['payload.extra', 'payload.investigators']],
    ['record-verification', { reportId: 7 }, ['payload.reportId']],
    ['record-democratic-review', { attendees: 0, outcome: 'maybe' }, ['payload.attendees', 'payload.notes', 'payload.outcome']],
    ['record-democratic-review', { attendees: 2.5, outcome: 'agree', notes: '' }, ['payload.attendees']],
    ['township-audit', { passed: false, opinion: ' ' }, ['payload.opinion', 'payload.passed']],
    ['raise-objection', {}, ['payload.objection']],
    ['approve', { monthlyAmountFen: 520.5, coveredPersons: 0 }, ['payload.coveredPersons', 'payload.monthlyAmountFen']],
    ['approve', { monthlyAmountFen: '52000', coveredPersons: 2 }, ['payload.monthlyAmountFen']],
    ['approve', { monthlyAmountFen: -1, coveredPersons: 2 }, ['payload.monthlyAmountFen']],
    ['reject', { reason: '   ' }, ['payload.reason']],
    ['reject', {}, ['payload.reason']],
    ['withdraw', { reason: 5 }, ['payload.reason']],
    ['extend-deadline', { reason: '' }, ['payload.reason']],
    ['accept', { note: 'x' }, ['payload.note']],
    ['accept', null, ['payload']],
  ] as const)('%s with %j names %j', (action, payload, fields) => {
    const status = DIBAO_ACTION_RULES[action].from[0] ?? 'NEW';
    const error = domainErrorOf(() => decideAction(LOGS[status], requestFor(action, ACTOR_FOR[action], TRIAL_DATE, payload)));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect((error.fields ?? []).map((f) => f.field).sort()).toEqual([...fields].sort());
  });

  it('says which rule failed', () => {
    const survey = domainErrorOf(() =>
      decideAction(LOGS.ACCEPTED, requestFor('record-survey', 'clerk', TRIAL_DATE, { investigators: ['王五', '王五'], findings: 'x', extra: 1 })),
    );
    expect(survey.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'payload.investigators', rule: 'min-distinct-investigators' }),
        expect.objectContaining({ field: 'payload.extra', rule: 'unknown-field' }),
      ]),
    );
  });

  it('logs the parsed payload', () => {
    const { logged } = decideAction(
      LOGS.ACCEPTED,
      requestFor('record-survey', 'clerk', TRIAL_DATE, { investigators: [' 王五 ', '赵六'], findings: ' 属实 ' }),
    );
    expect(logged.payload).toEqual({ investigators: ['王五', '赵六'], findings: '属实' });
  });

  it('checks permission before the payload', () => {
    expect(domainErrorOf(() => decideAction(LOGS.SUBMITTED, requestFor('accept', 'citizen', TRIAL_DATE, { bad: 1 }))).code).toBe('FORBIDDEN');
    expect(domainErrorOf(() => decideAction(LOGS.APPROVED, requestFor('reject', 'district-approver', TRIAL_DATE, {}))).code).toBe('CONFLICT');
  });

  it.each([
    [{ action: 'close' }, ['action']],
    [{ role: 'mayor' }, ['role']],
    [{ actorId: ' ' }, ['actorId']],
    [{ date: '2023-02-29' }, ['date']],
    [{ date: '20231201' }, ['date']],
    [{ action: 'close', role: 'mayor', date: '' }, ['action', 'date', 'role']],
  ])('refuses a request with %j', (override, fields) => {
    const request = { ...requestFor('accept', 'clerk'), ...override } as Parameters<typeof decideAction>[1];
    const error = domainErrorOf(() => decideAction(LOGS.SUBMITTED, request));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect((error.fields ?? []).map((f) => f.field).sort()).toEqual(fields);
  });
});

describe('dates', () => {
  it('refuses an action dated before the last one, accepts the same day', () => {
    const error = domainErrorOf(() => decideAction(LOGS.SUBMITTED, requestFor('accept', 'clerk', '2023-11-30')));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain('2023-12-01');
    expect(decideAction(LOGS.SUBMITTED, requestFor('accept', 'clerk', '2023-12-01')).state.status).toBe('ACCEPTED');
  });

  it('does not change the log it is given', () => {
    const log = run(PATHS.ACCEPTED);
    const copy = structuredClone(log);
    decideAction(log, requestFor('record-survey', 'clerk'));
    expect(log).toEqual(copy);
  });
});

// ---------------------------------------------------------------------------------------------
// Replay

describe('deriveApplication', () => {
  it.each(DIBAO_STATUSES)('replays the %s log to the state decideAction returned', (status) => {
    const path = PATHS[status];
    const last = path[path.length - 1];
    if (!last) throw new Error('every status path has a step');
    const before = run(path.slice(0, -1));
    const { state } = decideAction(before, requestFor(last[0], ACTOR_FOR[last[0]], last[1]));
    expect(deriveApplication(LOGS[status])).toEqual(state);
  });

  it('refuses an empty log', () => {
    expect(logErrorOf(() => deriveApplication([]))).toMatchObject({ index: -1 });
  });

  const submit = LOGS.SUBMITTED[0] as LoggedAction;
  const accept: LoggedAction = { action: 'accept', role: 'clerk', actorId: 'c', date: '2023-12-02', payload: {} };

  it.each([
    ['starts without a submit', [accept], 0, 'CONFLICT'],
    ['submits twice', [submit, submit], 1, 'CONFLICT'],
    ['goes back in time', [submit, accept, { ...accept, action: 'record-verification', date: '2023-12-01', payload: { reportId: 'r' } }], 2, 'CONFLICT'],
    ['has an admin accept', [submit, { ...accept, role: 'admin' }], 1, 'FORBIDDEN'],
    ['has a bad stored payload', [submit, { ...accept, payload: { unexpected: true } }], 1, 'VALIDATION_FAILED'],
    [
      'approves during the notice',
      [...LOGS.PUBLIC_NOTICE, { action: 'approve', role: 'district-approver', actorId: 'd', date: '2023-12-12', payload: VALID_PAYLOADS.approve }],
      LOGS.PUBLIC_NOTICE.length,
      'CONFLICT',
    ],
  ] as const)('refuses a log that %s', (_label, log, index, code) => {
    const error = logErrorOf(() => deriveApplication(log as readonly LoggedAction[]));
    expect(error.index).toBe(index);
    expect(error.cause).toBeInstanceOf(DomainError);
    expect((error.cause as DomainError).code).toBe(code);
    // decideAction on a corrupt log refuses in the same way rather than appending to it.
    expect(() => decideAction(log as readonly LoggedAction[], requestFor('withdraw', 'clerk'))).toThrow(InconsistentActionLogError);
  });

  it('replays with the settings it is given', () => {
    expect(deriveApplication(LOGS.APPROVED).status).toBe('APPROVED');
    expect(() => deriveApplication(LOGS.APPROVED, { ...DEFAULT_WORKFLOW_SETTINGS, noticeDays: 8 })).toThrow(InconsistentActionLogError);
  });

  it.each([
    [{ noticeDays: -1 }],
    [{ noticeDays: 1.5 }],
    [{ deadlineWorkingDays: 0 }],
    [{ deadlineWorkingDays: 30, extendedDeadlineWorkingDays: 29 }],
  ])('refuses settings %j', (override) => {
    expect(() => deriveApplication(LOGS.SUBMITTED, { ...DEFAULT_WORKFLOW_SETTINGS, ...override })).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------------------------
// Deadlines

describe('deadlines', () => {
  const calendar = new WorkingDayCalendar({
    holidays: [...CHINA_STATUTORY_CALENDAR_DATA[2023]!.holidays, ...CHINA_STATUTORY_CALENDAR_DATA[2024]!.holidays],
    workingWeekends: [...CHINA_STATUTORY_CALENDAR_DATA[2023]!.workingWeekends, ...CHINA_STATUTORY_CALENDAR_DATA[2024]!.workingWeekends],
  });
  const submittedOn = (date: string) => deriveApplication(run([['submit', date]]));

  it.each([
    // 2023-09-20 (Wed) + 30 working days, across 中秋国庆 (Sep 29 – Oct 6 off, Sat Oct 7 and Sun Oct 8 worked):
    // Sep 21, 22, 25, 26, 27, 28 = 6; Oct 7, 8 = 8; Oct 9–13, 16–20, 23–27, Oct 30 – Nov 3 = 28; Nov 6, 7 = 30.
    ['2023-09-20', false, '2023-11-07'],
    // Extended to 45, from the same start: Nov 8, 9, 10 = 33; Nov 13–17 = 38; Nov 20–24 = 43; Nov 27, 28 = 45.
    ['2023-09-20', true, '2023-11-28'],
    // Weekends only plus 清明 (Wed Apr 5): Mar 2, 3 = 2; five full weeks Mar 6 – Mar 31 = 22;
    // Apr 3, 4 = 24; Apr 6, 7 = 26; Apr 10–13 = 30.
    ['2023-03-01', false, '2023-04-13'],
    // Submitted on a holiday: counting starts with the 调休 Saturday. Oct 7, 8 = 2; Oct 9 – Nov 10 = 27;
    // Nov 13, 14, 15 = 30.
    ['2023-10-01', false, '2023-11-15'],
    // Across the year end into 2024 (元旦 Mon Jan 1 off): Dec 18–22, 25–29 = 10; Jan 2–5 = 14;
    // Jan 8–12, 15–19, 22–26 = 29; Jan 29 = 30.
    ['2023-12-15', false, '2024-01-29'],
  ])('submitted %s, extended %s: deadline %s', (date, extended, expected) => {
    const submitted = run([['submit', date]]);
    const state = deriveApplication(extended ? act(submitted, 'extend-deadline', date) : submitted);
    expect(deadlineOf(state, calendar)).toBe(expected);
  });

  it('extension and settings change the count', () => {
    const extended = deriveApplication(act(run([['submit', '2023-09-20']]), 'extend-deadline', '2023-09-21'));
    expect(deadlineOf(extended, calendar)).toBe('2023-11-28');
    const shorter: WorkflowSettings = { noticeDays: 7, deadlineWorkingDays: 2, extendedDeadlineWorkingDays: 3 };
    expect(deadlineOf(submittedOn('2023-09-27'), calendar, shorter)).toBe('2023-10-07');
    expect(deadlineOf(extended, calendar, shorter)).toBe('2023-09-25');
  });

  it('counts from the resubmission', () => {
    const log = run([['return-incomplete', '2023-09-05'], ['resubmit', '2023-09-20']], run([['submit', '2023-09-01']]));
    expect(deadlineOf(deriveApplication(log), calendar)).toBe('2023-11-07');
  });

  it('refuses to count through a year the calendar does not know', () => {
    const only2023 = new WorkingDayCalendar(CHINA_STATUTORY_CALENDAR_DATA[2023]!);
    expect(deadlineOf(submittedOn('2023-09-20'), only2023)).toBe('2023-11-07');
    expect(() => deadlineOf(submittedOn('2023-12-15'), only2023)).toThrow(/2024/);
  });

  it('estimates a provisional deadline through an unknown year, and never calls a case late on it', () => {
    const only2023 = new WorkingDayCalendar(CHINA_STATUTORY_CALENDAR_DATA[2023]!);
    const state = submittedOn('2023-12-15');
    const estimate = deadlineEstimate(state, only2023);
    expect(estimate).toEqual({ date: only2023.addWorkingDays('2023-12-15', 30), provisional: true, missingYears: [2024] });
    expect(deadlineEstimate(state, calendar)).toEqual({ date: deadlineOf(state, calendar), provisional: false, missingYears: [] });
    expect(isOverdue(state, only2023, '2024-06-01')).toBe(false);
    expect(isOverdue(state, calendar, '2024-06-01')).toBe(true);
  });

  it.each([
    ['SUBMITTED', '2023-11-07', false, 'on the deadline day'],
    ['SUBMITTED', '2023-11-08', true, 'the day after'],
    ['ACCEPTED', '2024-03-01', true, 'long after, still open'],
    ['extended', '2023-11-08', false, 'extended to 11-28'],
    ['extended', '2023-11-29', true, 'past the extension'],
    ['APPROVED', '2024-03-01', false, 'decided'],
    ['REJECTED', '2024-03-01', false, 'decided'],
    ['WITHDRAWN', '2024-03-01', false, 'withdrawn'],
  ] as const)('%s on %s: overdue %s (%s)', (kind, today, expected, _why) => {
    const submitted = run([['submit', '2023-09-20']]);
    const notice = run(
      [
        ['accept', '2023-09-21'],
        ['record-survey', '2023-09-22'],
        ['record-verification', '2023-09-22'],
        ['record-democratic-review', '2023-09-25'],
        ['township-audit', '2023-09-26'],
      ],
      submitted,
    );
    const logs: Record<typeof kind, LoggedAction[]> = {
      SUBMITTED: submitted,
      ACCEPTED: run([['accept', '2023-09-21']], submitted),
      extended: act(submitted, 'extend-deadline', '2023-09-21'),
      APPROVED: act(notice, 'approve', '2023-12-01'),
      REJECTED: act(notice, 'reject', '2023-12-01'),
      WITHDRAWN: act(submitted, 'withdraw', '2023-12-01'),
    };
    expect(isOverdue(deriveApplication(logs[kind]), calendar, today)).toBe(expected);
  });
});
