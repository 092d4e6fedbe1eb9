import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { FACT_CATEGORIES, SourceAnswerError, SourceTimeoutError, describeIssues, factKindSchema, localDateSchema, type MemberQuery, type SourceFact, type VerificationSource } from './verification-source';

/**
 * A bureau's lookup API (税务, 人社…), the one truly external dependency of verification.
 *
 *   POST ${baseUrl}/lookup   { "residentIds": ["4305…", …] }
 *   200                      { "facts": [{ "residentId", "category", "kind", "monthlyAmountFen"?, "valueFen"?, "description", "asOf" }] }
 *
 * Each attempt has its own timeout, combined with the caller's signal (the report's deadline).
 * Network errors, attempt timeouts and 5xx are retried with exponential backoff; a 4xx is the
 * request's fault and is not. An answer that is not the documented shape fails the source with
 * the reason: it is never read as "nothing found".
 */
export interface HttpSourceOptions {
  id: string;
  name: string;
  /** e.g. https://tax.example.gov.cn/api; `/lookup` is appended. */
  baseUrl: string;
  /** Per attempt, including reading the body. Default 2000. */
  timeoutMs?: number;
  /** Total attempts, the first one included. Default 3. */
  attempts?: number;
  /** Wait before the first retry; doubles each time (with jitter), at most 5 s. Default 200. */
  backoffMs?: number;
  /** Larger answers are refused. Default 5 MiB. */
  maxBodyBytes?: number;
}

const wireFactSchema = z.object({
  residentId: z.string().min(1),
  category: z.enum(FACT_CATEGORIES),
  kind: factKindSchema,
  monthlyAmountFen: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).nullish(),
  valueFen: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).nullish(),
  description: z.string().max(2000).default(''),
  asOf: localDateSchema,
});
const wireAnswerSchema = z.object({ facts: z.array(wireFactSchema) });

const MAX_BACKOFF_MS = 5000;

type Attempt = { kind: 'answer'; text: string } | { kind: 'retry'; reason: string; timedOut: boolean } | { kind: 'fail'; reason: string };

export class HttpSource implements VerificationSource {
  readonly id: string;
  readonly name: string;
  private readonly url: string;
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly maxBodyBytes: number;

  constructor(options: HttpSourceOptions) {
    this.id = options.id;
    this.name = options.name;
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/lookup`;
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.attempts = Math.max(1, options.attempts ?? 3);
    this.backoffMs = options.backoffMs ?? 200;
    this.maxBodyBytes = options.maxBodyBytes ?? 5 * 1024 * 1024;
  }

  async lookup(members: readonly MemberQuery[], signal: AbortSignal): Promise<SourceFact[]> {
    signal.throwIfAborted();
    if (members.length === 0) return [];
    const body = JSON.stringify({ residentIds: members.map((m) => m.residentId) });
    let timeouts = 0;
    let lastReason = '';
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      const outcome = await this.attempt(body, signal);
      switch (outcome.kind) {
        case 'answer':
          return this.toFacts(outcome.text, members);
        case 'fail':
          throw new SourceAnswerError(attempt > 1 ? `${outcome.reason} (attempt ${attempt})` : outcome.reason);
        case 'retry':
          lastReason = outcome.reason;
          if (outcome.timedOut) timeouts += 1;
          break;
      }
      if (attempt < this.attempts) await sleep(this.backoff(attempt), undefined, { signal });
    }
    if (timeouts === this.attempts) throw new SourceTimeoutError(`no answer within ${this.timeoutMs} ms in ${this.attempts} attempt(s)`);
    throw new Error(`gave up after ${this.attempts} attempt(s); last: ${lastReason}`);
  }

  private async attempt(body: string, signal: AbortSignal): Promise<Attempt> {
    const attemptSignal = AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)]);
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body,
        signal: attemptSignal,
        redirect: 'error',
      });
      if (response.status >= 500) {
        await response.body?.cancel().catch(() => undefined);
        return { kind: 'retry', reason: `HTTP ${response.status}`, timedOut: false };
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        return { kind: 'fail', reason: `HTTP ${response.status} (not retried: the bureau refused the request)` };
      }
      return { kind: 'answer', text: await this.readBody(response) };
    } catch (error) {
      // The caller's deadline ends everything; only this attempt's own timeout is retried.
      if (signal.aborted) throw signal.reason;
      if (error instanceof SourceAnswerError) return { kind: 'fail', reason: error.message };
      if (attemptSignal.aborted) return { kind: 'retry', reason: `no answer within ${this.timeoutMs} ms`, timedOut: true };
      return { kind: 'retry', reason: `network error: ${networkErrorOf(error)}`, timedOut: false };
    }
  }

  private async readBody(response: Response): Promise<string> {
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > this.maxBodyBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw new SourceAnswerError(`the answer is larger than ${this.maxBodyBytes} bytes`);
    }
    if (!response.body) return '';
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > this.maxBodyBytes) {
        await reader.cancel().catch(() => undefined);
        throw new SourceAnswerError(`the answer is larger than ${this.maxBodyBytes} bytes`);
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  private toFacts(text: string, members: readonly MemberQuery[]): SourceFact[] {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new SourceAnswerError('the answer is not JSON');
    }
    const parsed = wireAnswerSchema.safeParse(json);
    if (!parsed.success) throw new SourceAnswerError(`invalid answer: ${describeIssues(parsed.error)}`);
    const memberOf = new Map(members.map((m) => [m.residentId.toUpperCase(), m.memberId]));
    return parsed.data.facts.map((fact, i) => {
      const memberId = memberOf.get(fact.residentId.trim().toUpperCase());
      // A bureau answering about someone it was not asked about is a fault, not extra information.
      if (memberId === undefined) throw new SourceAnswerError(`invalid answer: facts[${i}].residentId was not asked about`);
      return {
        memberId,
        category: fact.category,
        kind: fact.kind,
        ...(fact.monthlyAmountFen === null || fact.monthlyAmountFen === undefined ? {} : { monthlyAmountFen: fact.monthlyAmountFen }),
        ...(fact.valueFen === null || fact.valueFen === undefined ? {} : { valueFen: fact.valueFen }),
        description: fact.description,
        asOf: fact.asOf,
      };
    });
  }

  /** 200, 400, 800… ms, each between 50 % and 100 % of that so replicas do not retry in step. */
  private backoff(attempt: number): number {
    const full = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2 ** (attempt - 1));
    return Math.round(full * (0.5 + Math.random() * 0.5));
  }
}

/** undici reports "fetch failed" with the reason (ECONNREFUSED, socket closed…) in `cause`. */
function networkErrorOf(error: unknown): string {
  // Duck-typed: fetch's errors may come from another realm (e.g. a test sandbox), where instanceof fails.
  const { message, cause } = (typeof error === 'object' && error !== null ? error : {}) as { message?: unknown; cause?: unknown };
  const { code, message: causeMessage } = (typeof cause === 'object' && cause !== null ? cause : {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string') return code;
  if (typeof causeMessage === 'string' && causeMessage !== '') return causeMessage;
  return typeof message === 'string' ? message : String(error);
}
