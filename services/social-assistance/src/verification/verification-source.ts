import { isValidLocalDate } from '@civil/domain-kernel';
import { z } from 'zod';

/**
 * The pluggable data sources of household economic verification (家庭经济状况核对): 公安, 人社,
 * 税务, 住建, 公积金, 市场监管, banks… Each adapter answers for a list of members; whatever it
 * returns is checked here before it reaches a report, so an adapter answering garbage counts as a
 * failed source (with the reason), never as "nothing found".
 */

/** Who a source is asked about. `residentId` is the full number: sources match on it. */
export interface MemberQuery {
  memberId: string;
  residentId: string;
  name: string;
}

export const FACT_CATEGORIES = ['income', 'asset'] as const;
export type FactCategory = (typeof FACT_CATEGORIES)[number];

/** Kinds are lower-case slugs (`wages`, `pension`, `vehicle`, `residential-property`, `deposit`, `business-registration`…). */
export const factKindSchema = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'must be a lower-case slug such as wages or residential-property');
const fen = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
export const localDateSchema = z.string().refine((s) => isValidLocalDate(s), 'must be a date YYYY-MM-DD');

/**
 * One fact a source reports about a member. Incomes carry a monthly amount; assets may carry a
 * value (a business registration, for instance, may have none).
 */
export const sourceFactSchema = z
  .object({
    memberId: z.string().min(1),
    category: z.enum(FACT_CATEGORIES),
    kind: factKindSchema,
    monthlyAmountFen: fen.optional(),
    valueFen: fen.optional(),
    description: z.string().max(2000),
    asOf: localDateSchema,
  })
  .superRefine((fact, ctx) => {
    if (fact.category === 'income' && fact.monthlyAmountFen === undefined) {
      ctx.addIssue({ code: 'custom', path: ['monthlyAmountFen'], message: 'an income needs its monthly amount' });
    }
  });
export type SourceFact = z.output<typeof sourceFactSchema>;

/** Source ids are slugs; they appear in reports, configuration and imported rows. */
export const sourceIdSchema = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'must be a lower-case slug such as tax or public-security');

export interface VerificationSource {
  /** e.g. 'tax', 'public-security'. */
  readonly id: string;
  /** e.g. '税务', '公安'. */
  readonly name: string;
  /** Facts about the given members. Must stop work when `signal` aborts (the report's deadline). */
  lookup(members: readonly MemberQuery[], signal: AbortSignal): Promise<SourceFact[]>;
}

/** Injection token: the configured sources (an array of VerificationSource). */
export const VERIFICATION_SOURCES = Symbol('VERIFICATION_SOURCES');

/** A source that did not answer within its own time limit (all attempts timed out). */
export class SourceTimeoutError extends Error {
  override readonly name = 'SourceTimeoutError';
}

/** A source that answered something this system cannot accept. */
export class SourceAnswerError extends Error {
  override readonly name = 'SourceAnswerError';
}

/** "members[0].residentId: expected string" — the first few problems of a zod error, for a report. */
export function describeIssues(error: z.ZodError, limit = 3): string {
  const shown = error.issues.slice(0, limit).map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  const more = error.issues.length > limit ? ` (+${error.issues.length - limit} more)` : '';
  return `${shown.join('; ')}${more}`;
}

/**
 * Checks what an adapter returned: the shape of every fact, and that each one is about a member
 * the source was asked about. Throws SourceAnswerError naming the problem.
 */
export function validateFacts(answer: unknown, members: readonly MemberQuery[]): SourceFact[] {
  const parsed = z.array(sourceFactSchema).safeParse(answer);
  if (!parsed.success) throw new SourceAnswerError(`invalid answer: ${describeIssues(parsed.error)}`);
  const asked = new Set(members.map((m) => m.memberId));
  const stranger = parsed.data.findIndex((fact) => !asked.has(fact.memberId));
  if (stranger >= 0) throw new SourceAnswerError(`invalid answer: [${stranger}].memberId is not a member that was asked about`);
  return parsed.data;
}
