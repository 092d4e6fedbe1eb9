/**
 * Error codes shared by every service and the gateway. A service replies with a code; the gateway
 * maps it to an HTTP status (RFC 9457 problem details). Adding a code forces the mapping below to
 * be extended: `httpStatusFor` switches exhaustively.
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'OUT_OF_DIVISION_SCOPE',
  'NOT_FOUND',
  'CONFLICT',
  'DUPLICATE_NAME',
  /** A business rule refuses the request as asked (e.g. a person who does not meet 特困 conditions). */
  'NOT_ELIGIBLE',
  'RESIDENT_ID_INVALID',
  'DIVISION_CODE_INVALID',
  /** Too many requests from one client or citizen; the response says when to retry (Retry-After). */
  'RATE_LIMITED',
  /** An Idempotency-Key sent again with a different request. */
  'IDEMPOTENCY_KEY_REUSED',
  'SERVICE_UNAVAILABLE',
  'TIMEOUT',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case 'VALIDATION_FAILED':
    case 'RESIDENT_ID_INVALID':
    case 'DIVISION_CODE_INVALID':
      return 400;
    case 'UNAUTHENTICATED':
      return 401;
    case 'FORBIDDEN':
    case 'OUT_OF_DIVISION_SCOPE':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'CONFLICT':
    case 'DUPLICATE_NAME':
      return 409;
    case 'NOT_ELIGIBLE':
    case 'IDEMPOTENCY_KEY_REUSED':
      return 422;
    case 'RATE_LIMITED':
      return 429;
    case 'SERVICE_UNAVAILABLE':
      return 503;
    case 'TIMEOUT':
      return 504;
    case 'INTERNAL':
      return 500;
  }
}

/** One invalid input field: `field` is a path such as `members[0].residentId`. */
export interface FieldError {
  field: string;
  /** Which rule failed, e.g. `checksum`, `required`, `max-length`. */
  rule: string;
  message: string;
}

/** The error part of an RPC reply, also the body the gateway turns into problem details. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  fields?: FieldError[];
}

/**
 * A failure the domain expects and can explain. Services throw it; the RPC layer replies with its
 * code; anything else becomes INTERNAL with no details leaked.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldError[],
  ) {
    super(message);
  }

  static validation(fields: FieldError[]): DomainError {
    const list = fields.map((f) => `${f.field} (${f.rule})`).join(', ');
    return new DomainError('VALIDATION_FAILED', `invalid input: ${list}`, fields);
  }

  toBody(): ErrorBody {
    return this.fields && this.fields.length > 0
      ? { code: this.code, message: this.message, fields: this.fields }
      : { code: this.code, message: this.message };
  }
}
