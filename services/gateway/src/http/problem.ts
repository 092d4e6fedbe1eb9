import { trace } from '@opentelemetry/api';
import { httpStatusFor, type ErrorBody, type ErrorCode } from '@civil/contracts';

/** RFC 9457 problem details, with the platform's error code and the trace id for support. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  instance: string;
  traceId: string | null;
  errors?: ErrorBody['fields'];
}

const TITLES: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'The request is not valid',
  UNAUTHENTICATED: 'Authentication required',
  FORBIDDEN: 'Not allowed',
  OUT_OF_DIVISION_SCOPE: 'Outside your divisions',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Conflict with the current state',
  DUPLICATE_NAME: 'The name already exists',
  NOT_ELIGIBLE: 'The rules do not allow it',
  RESIDENT_ID_INVALID: 'Invalid resident ID number',
  DIVISION_CODE_INVALID: 'Invalid division code',
  RATE_LIMITED: 'Too many requests',
  IDEMPOTENCY_KEY_REUSED: 'Idempotency-Key reused with a different request',
  SERVICE_UNAVAILABLE: 'Service unavailable',
  TIMEOUT: 'The service did not answer in time',
  INTERNAL: 'Internal error',
};

export function currentTraceId(): string | null {
  const span = trace.getActiveSpan();
  return span ? span.spanContext().traceId : null;
}

export function problemFor(body: ErrorBody, instance: string): ProblemDetails {
  const problem: ProblemDetails = {
    type: `urn:civil:problem:${body.code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[body.code],
    status: httpStatusFor(body.code),
    code: body.code,
    // Internal errors say nothing about internals.
    detail: body.code === 'INTERNAL' ? 'An unexpected error occurred. Quote the trace id when reporting it.' : body.message,
    instance,
    traceId: currentTraceId(),
  };
  if (body.fields && body.fields.length > 0) problem.errors = body.fields;
  return problem;
}
