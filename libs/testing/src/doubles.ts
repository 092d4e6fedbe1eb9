/**
 * The shape of contracts' DomainError, checked by name: contracts' own tests use this library, so
 * it cannot import contracts back.
 */
export interface DomainErrorLike extends Error {
  code: string;
  fields?: { field: string; rule: string; message: string }[];
}

function isDomainError(value: unknown): value is DomainErrorLike {
  return value instanceof Error && value.name === 'DomainError' && typeof (value as { code?: unknown }).code === 'string';
}

/**
 * A stand-in that fails the test on any use: for proving that a check happens before I/O (a
 * repository, an outbox, a data source that must not be touched).
 */
export function untouchable<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get: (_target, property) => {
      throw new Error(`${name}.${String(property)} must not be used`);
    },
  });
}

/** Awaits a promise that must reject with a DomainError (of `code`, when given) and returns it. */
export async function domainErrorOf(promise: Promise<unknown>, code?: string): Promise<DomainErrorLike> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  if (caught === undefined) throw new Error('expected a DomainError, but the promise resolved');
  if (!isDomainError(caught)) throw new Error(`expected a DomainError, got ${caught instanceof Error ? caught.message : typeof caught}`);
  if (code && caught.code !== code) throw new Error(`expected DomainError ${code}, got ${caught.code}: ${caught.message}`);
  return caught;
}
