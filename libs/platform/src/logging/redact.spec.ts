import { redactText, redactValue } from './redact';

const ID = '34052419800101001X';
const ID_MASKED = '340524********001X';
const ID2 = '11010519491231002X';
const ID2_MASKED = '110105********002X';
const ID_DIGIT_CHECK = '110105194912310021';
const MOBILE = '13812345678';
const MOBILE_MASKED = '138****5678';

describe('redactText', () => {
  it.each<[string, string, string]>([
    ['a bare resident ID', ID, ID_MASKED],
    ['a resident ID with a lower-case x', '34052419800101001x', '340524********001x'],
    ['a resident ID ending in a digit', ID_DIGIT_CHECK, '110105********0021'],
    ['a resident ID inside a sentence', `resident ${ID} registered`, `resident ${ID_MASKED} registered`],
    ['a resident ID after a key', `residentId=${ID}&x=1`, `residentId=${ID_MASKED}&x=1`],
    ['a resident ID in JSON text', `{"residentId":"${ID}"}`, `{"residentId":"${ID_MASKED}"}`],
    ['a resident ID next to Chinese text', `身份证号${ID}。`, `身份证号${ID_MASKED}。`],
    ['two resident IDs', `${ID},${ID2}`, `${ID_MASKED},${ID2_MASKED}`],
    ['a bare mobile number', MOBILE, MOBILE_MASKED],
    ['a mobile number in a sentence', `call ${MOBILE} now`, `call ${MOBILE_MASKED} now`],
    ['a mobile number with +86 and a space', `+86 ${MOBILE}`, `+86 ${MOBILE_MASKED}`],
    ['a mobile number after a colon', `tel:${MOBILE}`, `tel:${MOBILE_MASKED}`],
    ['a resident ID and a mobile number', `${ID} / ${MOBILE}`, `${ID_MASKED} / ${MOBILE_MASKED}`],
    ['every 13x–19x prefix', '13912345678 15012345678 19912345678', '139****5678 150****5678 199****5678'],
  ])('masks %s', (_label, input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it.each<[string, string]>([
    ['a 12-digit division code', 'division 430503101000'],
    ['a township code', '430503101'],
    ['a 19-digit number', '1234567890123456789'],
    ['a 19-digit number starting like a resident ID', `${ID_DIGIT_CHECK}7`],
    ['a 17-digit number', '34052419800101001'],
    ['an 18-character run inside a longer alphanumeric token', `A${ID}B`],
    ['an 11-digit number not starting 13–19', '12345678901'],
    ['a 10-digit number starting like a mobile', '1381234567'],
    ['a 12-digit number starting like a mobile', '138123456789'],
    ['a UUID', '0190a3e2-7b1c-7d4e-8f00-123456789abc'],
    ['an amount of fen', 'monthlyAmountFen=10000'],
    ['an ISO timestamp', '2025-06-30T12:34:56.789Z'],
    ['an empty string', ''],
  ])('leaves %s alone', (_label, input) => {
    expect(redactText(input)).toBe(input);
  });

  it('is idempotent', () => {
    const once = redactText(`${ID} ${MOBILE}`);
    expect(redactText(once)).toBe(once);
  });
});

describe('redactValue', () => {
  it.each<[string, unknown]>([
    ['a number', 430503101000],
    ['a boolean', true],
    ['null', null],
    ['undefined', undefined],
    ['a bigint', 12345678901234567890n],
  ])('returns %s unchanged', (_label, value) => {
    expect(redactValue(value)).toBe(value);
  });

  it('masks strings in nested objects and arrays without touching the input', () => {
    const input = {
      residentId: ID,
      divisionCode: '430503101000',
      count: 3,
      household: { members: [{ name: '张三', residentId: ID2, mobile: MOBILE }, { note: `spouse of ${ID}` }] },
      tags: ['x', ID],
    };
    const snapshot = JSON.parse(JSON.stringify(input));
    expect(redactValue(input)).toEqual({
      residentId: ID_MASKED,
      divisionCode: '430503101000',
      count: 3,
      household: { members: [{ name: '张三', residentId: ID2_MASKED, mobile: MOBILE_MASKED }, { note: `spouse of ${ID_MASKED}` }] },
      tags: ['x', ID_MASKED],
    });
    expect(input).toEqual(snapshot);
  });

  it('turns an error into type, redacted message and redacted stack', () => {
    const error = new TypeError(`no household for ${ID}`);
    const out = redactValue({ err: error }) as { err: { type: string; message: string; stack: string } };
    expect(out.err.type).toBe('TypeError');
    expect(out.err.message).toBe(`no household for ${ID_MASKED}`);
    expect(out.err.stack).toContain(`TypeError: no household for ${ID_MASKED}`);
    expect(JSON.stringify(out)).not.toContain(ID);
  });

  it('keeps the name of a custom error class', () => {
    class DomainishError extends Error {
      override readonly name = 'DomainishError';
    }
    expect(redactValue(new DomainishError('x'))).toEqual({ type: 'DomainishError', message: 'x', stack: expect.any(String) });
  });

  it('handles an error without a stack', () => {
    const error = new Error(`bad ${MOBILE}`);
    error.stack = undefined;
    expect(redactValue(error)).toEqual({ type: 'Error', message: `bad ${MOBILE_MASKED}`, stack: undefined });
  });

  it('redacts errors inside arrays', () => {
    const out = redactValue([new Error(ID)]) as { message: string }[];
    expect(out[0]?.message).toBe(ID_MASKED);
  });

  it('logs dates and value objects as JSON would show them', () => {
    const valueObject = { secret: ID, toJSON: () => ID };
    expect(redactValue({ at: new Date('2025-06-30T00:00:00.000Z'), who: valueObject })).toEqual({
      at: '2025-06-30T00:00:00.000Z',
      who: ID_MASKED,
    });
  });

  it('never lets a string through unredacted, however deep it is nested', () => {
    let deep: Record<string, unknown> = { residentId: ID };
    for (let i = 0; i < 20; i++) deep = { level: deep };
    const out = redactValue({ deep });
    expect(JSON.stringify(out)).not.toContain(ID);
  });

  it('does not hang on a cyclic object', () => {
    const cyclic: Record<string, unknown> = { residentId: ID };
    cyclic.self = cyclic;
    const out = redactValue(cyclic) as Record<string, unknown>;
    expect(out.residentId).toBe(ID_MASKED);
    expect(JSON.stringify(out)).not.toContain(ID);
  });
});
