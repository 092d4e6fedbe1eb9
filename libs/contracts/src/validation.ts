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

/**
 * The fields of an input whose text (a value, or a key) holds the NUL character U+0000. JSON may
 * carry it, but PostgreSQL text cannot store it: found by the fuzzer as a 500 on the first INSERT.
 * Refused here, with every other bad field, before any service sees it.
 */
export function nulCharacterFields(input: unknown, path: PropertyKey[] = []): FieldError[] {
  if (typeof input === 'string') return input.includes('\u0000') ? [{ field: fieldPath(path), rule: 'no-nul-character', message: 'must not contain the NUL character (U+0000)' }] : [];
  if (Array.isArray(input)) return input.flatMap((item: unknown, i) => nulCharacterFields(item, [...path, i]));
  if (typeof input === 'object' && input !== null) {
    return Object.entries(input).flatMap(([key, value]) =>
      key.includes('\u0000') ? [{ field: fieldPath(path), rule: 'no-nul-character', message: 'a key must not contain the NUL character (U+0000)' }] : nulCharacterFields(value, [...path, key]),
    );
  }
  return [];
}

/** Parses input or throws VALIDATION_FAILED naming every bad field (text with NUL characters included). */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const nul = nulCharacterFields(input);
  const result = schema.safeParse(input);
  if (!result.success || nul.length > 0) {
    const fromSchema = result.success ? [] : fieldErrorsOf(result.error);
    throw DomainError.validation([...nul, ...fromSchema.filter((error) => !nul.some((n) => n.field === error.field))]);
  }
  return result.data;
}
