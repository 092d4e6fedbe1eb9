import { mapFieldErrors, parseProblem, problemSummary } from './problem';

/** A 400 as the gateway sends it (application/problem+json with the bad fields). */
const badRequest = {
  type: 'about:blank',
  title: 'Bad Request',
  status: 400,
  code: 'VALIDATION_FAILED',
  detail: 'invalid input: members[0].residentId (checksum), amountFen (cap), asOf (invalid_format)',
  instance: '/api/v1/social-assistance/households',
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  errors: [
    { field: 'members[0].residentId', rule: 'checksum', message: 'resident ID check character is wrong' },
    { field: 'amountFen', rule: 'cap', message: 'the amount exceeds the cap of 6 months of the standard' },
    { field: 'asOf', rule: 'invalid_format', message: 'Invalid ISO date' },
    { field: 'payload.investigators', rule: 'too_small', message: 'Too small' },
    { field: 'unknownThing', rule: 'some-new-rule', message: 'something the portal has no words for' },
  ],
};

describe('problem details to form messages', () => {
  it('reads a problem document, tolerating junk', () => {
    const problem = parseProblem(400, badRequest);
    expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
    expect(problem.errors).toHaveLength(5);
    expect(parseProblem(502, 'gateway exploded')).toMatchObject({ status: 502, code: null, errors: [] });
    expect(parseProblem(400, { errors: [null, 3, { rule: 'x' }, { field: 'a' }] }).errors).toEqual([{ field: 'a', rule: 'invalid', message: '' }]);
    expect(parseProblem(429, {}, '17').retryAfter).toBe(17);
  });

  it('puts each field error next to the field it names, in Chinese', () => {
    const errors = mapFieldErrors(parseProblem(400, badRequest), ['members[0].residentId', 'amountFen', 'asOf', 'payload']);
    expect(errors.fields).toEqual({
      'members[0].residentId': ['校验码不正确，请核对号码'],
      amountFen: ['超过救助金额上限'],
      asOf: ['格式不正确'],
      payload: ['数值或长度过小'],
    });
    // No field of the form: shown above it, with the API's own words when the rule is unknown.
    expect(errors.general).toEqual(['unknownThing: something the portal has no words for']);
  });

  it('falls back from a nested path to its top-level field, and follows aliases', () => {
    const problem = parseProblem(400, { status: 400, errors: [{ field: 'members[1].name', rule: 'required', message: 'Required' }, { field: 'onDate', rule: 'past-date', message: 'in the past' }] });
    expect(mapFieldErrors(problem, ['members', 'visitDate'], { onDate: 'visitDate' }).fields).toEqual({ members: ['此项必填'], visitDate: ['日期不能早于今天'] });
  });

  it('turns a refusal without fields into one sentence above the form', () => {
    expect(mapFieldErrors(parseProblem(409, { status: 409, code: 'CONFLICT', detail: '该时段已约满' }), ['slotId'])).toEqual({ fields: {}, general: ['无法办理：该时段已约满'] });
    expect(problemSummary(parseProblem(403, { code: 'FORBIDDEN' }))).toBe('您的角色无权查看此内容。');
    expect(problemSummary(parseProblem(429, {}, '30'))).toBe('操作过于频繁，请 30 秒后再试。');
    expect(problemSummary(parseProblem(0, null))).toBe('无法连接服务器，请检查网络。');
  });
});
