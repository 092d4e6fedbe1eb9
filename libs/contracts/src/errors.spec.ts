import { DomainError, ERROR_CODES, httpStatusFor, isErrorCode, type ErrorCode, type FieldError } from './errors';

describe('httpStatusFor', () => {
  const expected: Record<ErrorCode, number> = {
    VALIDATION_FAILED: 400,
    RESIDENT_ID_INVALID: 400,
    DIVISION_CODE_INVALID: 400,
    UNAUTHENTICATED: 401,
    FORBIDDEN: 403,
    OUT_OF_DIVISION_SCOPE: 403,
    NOT_FOUND: 404,
    CONFLICT: 409,
    DUPLICATE_NAME: 409,
    NOT_ELIGIBLE: 422,
    IDEMPOTENCY_KEY_REUSED: 422,
    RATE_LIMITED: 429,
    SERVICE_UNAVAILABLE: 503,
    TIMEOUT: 504,
    INTERNAL: 500,
  };

  it('has an expectation for exactly the codes in ERROR_CODES', () => {
    expect(Object.keys(expected).sort()).toEqual([...ERROR_CODES].sort());
  });

  it.each(ERROR_CODES.map((code) => [code, expected[code]] as const))('maps %s to %i', (code, status) => {
    expect(httpStatusFor(code)).toBe(status);
  });

  it('maps every code to a 4xx or 5xx status', () => {
    for (const code of ERROR_CODES) {
      const status = httpStatusFor(code);
      expect(Number.isInteger(status)).toBe(true);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
    }
  });
});

describe('isErrorCode', () => {
  it.each(ERROR_CODES.map((c) => [c]))('accepts %s', (code) => {
    expect(isErrorCode(code)).toBe(true);
  });

  it.each([['validation_failed'], ['NOPE'], [''], [42], [null], [undefined], [{}], [['INTERNAL']]])('rejects %p', (value) => {
    expect(isErrorCode(value)).toBe(false);
  });
});

describe('DomainError', () => {
  it('is an Error carrying its code, message and name', () => {
    const error = new DomainError('NOT_FOUND', 'place name x does not exist');
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.name).toBe('DomainError');
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe('place name x does not exist');
    expect(error.fields).toBeUndefined();
  });

  describe('validation', () => {
    const fields: FieldError[] = [
      { field: 'members[0].residentId', rule: 'checksum', message: 'resident ID checksum is wrong' },
      { field: 'address', rule: 'too_small', message: 'Too small' },
    ];

    it('is VALIDATION_FAILED naming every field and rule in the message, in order', () => {
      const error = DomainError.validation(fields);
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.message).toBe('invalid input: members[0].residentId (checksum), address (too_small)');
      expect(error.fields).toEqual(fields);
    });

    it('works with a single field', () => {
      const error = DomainError.validation([{ field: 'name', rule: 'required', message: 'x' }]);
      expect(error.message).toBe('invalid input: name (required)');
    });
  });

  describe('toBody', () => {
    it('includes fields when there are some', () => {
      const fields: FieldError[] = [{ field: 'name', rule: 'required', message: 'name is required' }];
      const body = DomainError.validation(fields).toBody();
      expect(body).toEqual({ code: 'VALIDATION_FAILED', message: 'invalid input: name (required)', fields });
    });

    it.each([
      ['no fields', undefined],
      ['an empty field list', [] as FieldError[]],
    ])('omits the fields key with %s', (_label, fields) => {
      const body = new DomainError('CONFLICT', 'already there', fields).toBody();
      expect(body).toEqual({ code: 'CONFLICT', message: 'already there' });
      expect(Object.keys(body)).not.toContain('fields');
    });

    it('is plain JSON (no name or stack leak)', () => {
      const body = new DomainError('INTERNAL', 'boom').toBody();
      expect(JSON.parse(JSON.stringify(body))).toEqual({ code: 'INTERNAL', message: 'boom' });
    });
  });
});
