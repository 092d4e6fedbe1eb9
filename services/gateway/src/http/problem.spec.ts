import { ROOT_CONTEXT, TraceFlags, context, trace, type Context, type ContextManager } from '@opentelemetry/api';
import { ERROR_CODES, httpStatusFor, type ErrorBody, type ErrorCode } from '@civil/contracts';
import { currentTraceId, problemFor } from './problem';

/** A synchronous context manager: enough for `context.with` in a unit test, no async hooks needed. */
class StackContextManager implements ContextManager {
  private current: Context = ROOT_CONTEXT;
  active(): Context {
    return this.current;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    const previous = this.current;
    this.current = ctx;
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.current = previous;
    }
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.current = ROOT_CONTEXT;
    return this;
  }
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('problemFor', () => {
  const urns: Record<ErrorCode, string> = {
    VALIDATION_FAILED: 'urn:civil:problem:validation-failed',
    UNAUTHENTICATED: 'urn:civil:problem:unauthenticated',
    FORBIDDEN: 'urn:civil:problem:forbidden',
    OUT_OF_DIVISION_SCOPE: 'urn:civil:problem:out-of-division-scope',
    NOT_FOUND: 'urn:civil:problem:not-found',
    CONFLICT: 'urn:civil:problem:conflict',
    DUPLICATE_NAME: 'urn:civil:problem:duplicate-name',
    NOT_ELIGIBLE: 'urn:civil:problem:not-eligible',
    RESIDENT_ID_INVALID: 'urn:civil:problem:resident-id-invalid',
    DIVISION_CODE_INVALID: 'urn:civil:problem:division-code-invalid',
    RATE_LIMITED: 'urn:civil:problem:rate-limited',
    IDEMPOTENCY_KEY_REUSED: 'urn:civil:problem:idempotency-key-reused',
    SERVICE_UNAVAILABLE: 'urn:civil:problem:service-unavailable',
    TIMEOUT: 'urn:civil:problem:timeout',
    INTERNAL: 'urn:civil:problem:internal',
  };

  it.each(ERROR_CODES.map((code) => [code, httpStatusFor(code), urns[code]] as const))('maps %s to status %i and type %s', (code, status, type) => {
    const problem = problemFor({ code, message: 'm' }, '/api/v1/x');
    expect(problem.status).toBe(status);
    expect(problem.type).toBe(type);
    expect(problem.code).toBe(code);
    expect(problem.instance).toBe('/api/v1/x');
    expect(typeof problem.title).toBe('string');
    expect(problem.title.length).toBeGreaterThan(0);
  });

  it.each<[ErrorCode, number]>([
    ['VALIDATION_FAILED', 400],
    ['UNAUTHENTICATED', 401],
    ['OUT_OF_DIVISION_SCOPE', 403],
    ['NOT_FOUND', 404],
    ['DUPLICATE_NAME', 409],
    ['NOT_ELIGIBLE', 422],
    ['SERVICE_UNAVAILABLE', 503],
    ['TIMEOUT', 504],
    ['INTERNAL', 500],
  ])('gives %s the HTTP status %i', (code, status) => {
    expect(problemFor({ code, message: 'm' }, '/').status).toBe(status);
  });

  it('gives every code its own title', () => {
    const titles = ERROR_CODES.map((code) => problemFor({ code, message: 'm' }, '/').title);
    expect(new Set(titles).size).toBe(ERROR_CODES.length);
  });

  it.each(ERROR_CODES.filter((c) => c !== 'INTERNAL').map((c) => [c]))('passes the message of %s through as detail', (code) => {
    expect(problemFor({ code, message: 'division 430503101000 is outside your scope' }, '/').detail).toBe('division 430503101000 is outside your scope');
  });

  it('hides the detail of an INTERNAL error', () => {
    const problem = problemFor({ code: 'INTERNAL', message: 'relation "household" does not exist at pg/lib/client.js:12' }, '/api/v1/x');
    expect(problem.detail).toBe('An unexpected error occurred. Quote the trace id when reporting it.');
    expect(JSON.stringify(problem)).not.toContain('household');
  });

  it('copies field errors into errors', () => {
    const fields: ErrorBody['fields'] = [
      { field: 'members[0].residentId', rule: 'checksum', message: 'resident ID checksum is wrong' },
      { field: 'address', rule: 'too_small', message: 'too short' },
    ];
    const problem = problemFor({ code: 'VALIDATION_FAILED', message: 'invalid input', fields }, '/api/v1/social-assistance/households');
    expect(problem.errors).toEqual(fields);
  });

  it.each<[string, ErrorBody['fields']]>([
    ['absent', undefined],
    ['empty', []],
  ])('has no errors key when fields are %s', (_label, fields) => {
    const problem = problemFor({ code: 'VALIDATION_FAILED', message: 'x', ...(fields ? { fields } : {}) }, '/');
    expect(problem).not.toHaveProperty('errors');
  });

  it('produces exactly the RFC 9457 members plus code and traceId', () => {
    expect(problemFor({ code: 'NOT_FOUND', message: 'no such place name' }, '/api/v1/place-names/1')).toEqual({
      type: 'urn:civil:problem:not-found',
      title: 'Not found',
      status: 404,
      code: 'NOT_FOUND',
      detail: 'no such place name',
      instance: '/api/v1/place-names/1',
      traceId: null,
    });
  });

  describe('trace id', () => {
    beforeAll(() => {
      context.setGlobalContextManager(new StackContextManager());
    });
    afterAll(() => {
      context.disable();
    });

    it('is null when no span is active', () => {
      expect(currentTraceId()).toBeNull();
      expect(problemFor({ code: 'INTERNAL', message: 'x' }, '/').traceId).toBeNull();
    });

    it('is the active span’s trace id', () => {
      const ctx = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED });
      const problem = context.with(ctx, () => problemFor({ code: 'INTERNAL', message: 'x' }, '/'));
      expect(problem.traceId).toBe(TRACE_ID);
      expect(context.with(ctx, () => currentTraceId())).toBe(TRACE_ID);
    });
  });
});
