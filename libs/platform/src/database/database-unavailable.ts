/**
 * Whether an error means the database could not be reached or dropped the connection (a restart,
 * a failover, a network cut), as opposed to a fault in the statement or the data. Callers get
 * "service unavailable, try again" for these, not "internal error": nothing is wrong with their
 * request.
 */

// SQLSTATE class 08 (connection exception) and the operator-intervention codes a shutting-down
// or starting server sends: admin_shutdown, crash_shutdown, cannot_connect_now.
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03']);
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
// node-postgres reports a socket closed under a query without a code.
const UNAVAILABLE_MESSAGES = [/^Connection terminated/, /^Client has encountered a connection error/, /timeout exceeded when trying to connect/, /Client was closed and is not queryable/];

// TypeORM releases a query runner whose connection failed; the next statement or COMMIT on it says so.
const RELEASED_RUNNER_ERRORS = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError']);

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 4; depth += 1) {
    if (RELEASED_RUNNER_ERRORS.has(current.name)) return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('08') || UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_SOCKET_CODES.has(code))) return true;
    if (UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(current instanceof Error ? current.message : ''))) return true;
    // TypeORM wraps the driver's error (QueryFailedError.driverError); Error.cause for the rest.
    current = (current as { driverError?: unknown }).driverError ?? (current as { cause?: unknown }).cause;
  }
  return false;
}
