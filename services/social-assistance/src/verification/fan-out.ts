import { SourceTimeoutError, validateFacts, type MemberQuery, type SourceFact, type VerificationSource } from './verification-source';

export type SourceStatus = 'answered' | 'timed-out' | 'failed';

export interface SourceOutcome {
  source: VerificationSource;
  status: SourceStatus;
  /** Empty unless answered. */
  facts: SourceFact[];
  error?: string;
  durationMs: number;
}

const MAX_ERROR_LENGTH = 300;

/**
 * Asks every source at once and waits at most `deadlineMs`. A source still busy at the deadline
 * is recorded as timed out and told to stop (the shared signal aborts); the answer does not wait
 * for it. What a source returns is validated: garbage makes it a failed source, with the reason.
 */
export async function fanOut(sources: readonly VerificationSource[], members: readonly MemberQuery[], deadlineMs: number): Promise<SourceOutcome[]> {
  const controller = new AbortController();
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((resolve) => {
    timer = setTimeout(() => resolve('deadline'), deadlineMs);
  });
  try {
    return await Promise.all(
      sources.map(async (source): Promise<SourceOutcome> => {
        const asked = performance.now();
        // Wrapped so a source that throws synchronously is a failed source, not a failed report.
        const answer = (async () => validateFacts(await source.lookup(members, controller.signal), members))().then(
          (facts) => ({ ok: true as const, facts }),
          (error: unknown) => ({ ok: false as const, error }),
        );
        const first = await Promise.race([answer, deadline]);
        const durationMs = Math.round(performance.now() - asked);
        if (first === 'deadline') {
          return { source, status: 'timed-out', facts: [], error: `no answer within the ${deadlineMs} ms deadline`, durationMs: Math.round(performance.now() - started) };
        }
        if (first.ok) return { source, status: 'answered', facts: first.facts, durationMs };
        const timedOut = first.error instanceof SourceTimeoutError;
        return { source, status: timedOut ? 'timed-out' : 'failed', facts: [], error: reasonOf(first.error), durationMs };
      }),
    );
  } finally {
    clearTimeout(timer);
    // Sources still working past the deadline stop now; nobody waits for them.
    controller.abort(new Error('verification deadline passed'));
  }
}

function reasonOf(error: unknown): string {
  const { message, name } = (typeof error === 'object' && error !== null ? error : {}) as { message?: unknown; name?: unknown };
  const text = typeof message === 'string' && message !== '' ? message : typeof name === 'string' ? name : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;
}
