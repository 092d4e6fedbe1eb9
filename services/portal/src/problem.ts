import { isMessageKey, t } from './i18n/i18n';

/** One bad field of a 400 problem document (RFC 9457 + the platform's `errors` list). */
export interface FieldProblem {
  field: string;
  rule: string;
  message: string;
}

export interface Problem {
  status: number;
  code: string | null;
  title: string | null;
  detail: string | null;
  errors: FieldProblem[];
  traceId: string | null;
  /** Seconds from Retry-After, for a 429. */
  retryAfter: number | null;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** Reads whatever a failed response carried into a problem; anything unexpected is tolerated. */
export function parseProblem(status: number, body: unknown, retryAfter: string | null = null): Problem {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const errors: FieldProblem[] = Array.isArray(record.errors)
    ? record.errors.flatMap((entry: unknown): FieldProblem[] => {
        if (typeof entry !== 'object' || entry === null) return [];
        const e = entry as Record<string, unknown>;
        const field = text(e.field);
        return field ? [{ field, rule: text(e.rule) ?? 'invalid', message: text(e.message) ?? '' }] : [];
      })
    : [];
  const seconds = retryAfter === null ? NaN : Number(retryAfter);
  return {
    status: typeof record.status === 'number' ? record.status : status,
    code: text(record.code),
    title: text(record.title),
    detail: text(record.detail),
    errors,
    traceId: text(record.traceId),
    retryAfter: Number.isFinite(seconds) ? seconds : null,
  };
}

/** The message shown for one bad field: the rule in the reader's language, else the API's words. */
export function fieldMessage(problem: FieldProblem): string {
  const key = `rule.${problem.rule}`;
  return isMessageKey(key) ? t(key) : problem.message || t('rule.invalid_value');
}

export interface FormErrors {
  /** Messages per form field name. */
  fields: Record<string, string[]>;
  /** Messages that belong to no field of the form (shown above it). */
  general: string[];
}

/**
 * Puts each field error of a problem next to the form field it names. A form field matches an
 * error when its name is the error's path (`members[0].residentId`) or the path's first segment
 * (`payload.investigators` → `payload`); `aliases` maps API paths to other field names.
 */
export function mapFieldErrors(problem: Problem, formFields: readonly string[], aliases: Record<string, string> = {}): FormErrors {
  const fields: Record<string, string[]> = {};
  const general: string[] = [];
  for (const error of problem.errors) {
    const head = error.field.split(/[.[]/)[0] ?? error.field;
    const target = [aliases[error.field], error.field, aliases[head], head].find((name): name is string => name !== undefined && formFields.includes(name));
    const message = fieldMessage(error);
    if (target) (fields[target] ??= []).push(message);
    else general.push(`${error.field}: ${message}`);
  }
  // A refusal without field errors (403, 409, 422 …) is one sentence above the form.
  if (problem.errors.length === 0) general.push(problemSummary(problem));
  return { fields, general };
}

/** One sentence for a failed request, by status and code. */
export function problemSummary(problem: Problem): string {
  const detail = problem.detail ?? problem.title ?? problem.code ?? '';
  if (problem.status === 0) return t('error.network');
  if (problem.status === 400) return problem.errors.length > 0 ? t('form.fixErrors') : t('error.generic', { status: 400, detail });
  if (problem.status === 401) return t('error.unauthenticated');
  if (problem.status === 403) return t('error.forbiddenDetail');
  if (problem.status === 404) return t('error.notFound');
  if (problem.status === 409) return t('error.conflict', { detail });
  if (problem.status === 422) return t('error.notEligible', { detail });
  if (problem.status === 429) return t('error.rateLimited', { seconds: problem.retryAfter ?? 60 });
  if (problem.status === 503 || problem.status === 504) return t('error.unavailable');
  return t('error.generic', { status: problem.status, detail });
}
