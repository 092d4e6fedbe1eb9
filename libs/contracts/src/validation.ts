import { z } from 'zod';
import { DivisionCode, InvalidValueError, ResidentId } from '@civil/domain-kernel';
import { DomainError, type FieldError } from './errors';

/** A resident ID checked by GB 11643 rules; the failing rule travels as the issue's `rule` param. */
export const residentIdSchema = z.string().transform((value, ctx) => {
  try {
    return ResidentId.parse(value).value;
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: messageOf(error), params: { rule: ruleOf(error) } });
    return z.NEVER;
  }
});

/** A six-, nine- or twelve-digit division code, normalised to twelve digits. */
export const divisionCodeSchema = z
  .string()
  .meta({ examples: ['430503001000'] })
  .transform((value, ctx) => {
  try {
    return DivisionCode.parse(value).value;
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: messageOf(error), params: { rule: ruleOf(error) } });
    return z.NEVER;
  }
});

export const uuidSchema = z.uuid();

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
function ruleOf(error: unknown): string {
  return error instanceof InvalidValueError ? error.rule : 'invalid';
}

/** Formats a zod path as `members[0].residentId`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out.length === 0 ? String(part) : `.${String(part)}`;
  }
  return out.length === 0 ? '(body)' : out;
}

export function fieldErrorsOf(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => {
    const params = (issue as { params?: { rule?: unknown } }).params;
    const rule = typeof params?.rule === 'string' ? params.rule : issue.code;
    return { field: fieldPath(issue.path), rule, message: issue.message };
  });
}

/** Parses input or throws VALIDATION_FAILED naming every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw DomainError.validation(fieldErrorsOf(result.error));
  return result.data;
}
