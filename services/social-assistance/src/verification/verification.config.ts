import { loadConfig } from '@civil/platform';
import { z } from 'zod';
import { describeIssues, sourceIdSchema } from './verification-source';

/**
 * Verification's environment:
 *
 * - `VERIFICATION_HTTP_SOURCES`: JSON list of bureau APIs,
 *   `[{"id":"tax","name":"税务","baseUrl":"https://…","timeoutMs":1500,"attempts":3}]` (default `[]`).
 * - `VERIFICATION_TABLE_SOURCES`: JSON list of sources answered from imported extracts,
 *   `[{"id":"housing","name":"住建"}]` (default `[]`); `id` is the CSV's `source_id`.
 * - `VERIFICATION_DEADLINE_MS`: how long a verification waits for all sources (default 3000); keep
 *   it below `NATS_REQUEST_TIMEOUT_MS`, or the gateway gives up before the report is ready.
 *
 * Extend the service's config schema with `verificationConfigSchema.shape` so a bad value stops the
 * service at boot (exit 78) with a message naming the variable.
 */
const httpSourceConfigSchema = z.strictObject({
  id: sourceIdSchema,
  name: z.string().min(1),
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  timeoutMs: z.number().int().min(50).max(60_000).default(2000),
  attempts: z.number().int().min(1).max(10).default(3),
  backoffMs: z.number().int().min(0).max(10_000).default(200),
});
const tableSourceConfigSchema = z.strictObject({ id: sourceIdSchema, name: z.string().min(1) });

export type HttpSourceConfig = z.output<typeof httpSourceConfigSchema>;
export type TableSourceConfig = z.output<typeof tableSourceConfigSchema>;

/** A variable holding a JSON list; unset or empty means no such sources. */
function jsonList<T extends z.ZodType>(entry: T, example: string) {
  const list = z.array(entry);
  return z
    .string()
    .optional()
    .transform((text, ctx): z.output<typeof list> => {
      if (text === undefined || text.trim() === '') return [];
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be a JSON list such as ${example}` });
        return z.NEVER;
      }
      const parsed = list.safeParse(json);
      if (!parsed.success) {
        ctx.addIssue({ code: 'custom', message: describeIssues(parsed.error, 5) });
        return z.NEVER;
      }
      return parsed.data;
    });
}

export const verificationConfigSchema = z
  .object({
    VERIFICATION_HTTP_SOURCES: jsonList(httpSourceConfigSchema, '[{"id":"tax","name":"税务","baseUrl":"https://…","timeoutMs":1500,"attempts":3}]'),
    VERIFICATION_TABLE_SOURCES: jsonList(tableSourceConfigSchema, '[{"id":"housing","name":"住建"}]'),
    VERIFICATION_DEADLINE_MS: z.coerce.number().int().min(100).max(120_000).default(3000),
  })
  .superRefine((config, ctx) => {
    const ids = [...config.VERIFICATION_TABLE_SOURCES.map((s) => s.id), ...config.VERIFICATION_HTTP_SOURCES.map((s) => s.id)];
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['VERIFICATION_HTTP_SOURCES'], message: `source id ${twice} is configured twice (ids must be unique across VERIFICATION_TABLE_SOURCES and VERIFICATION_HTTP_SOURCES)` });
    }
  });
export type VerificationConfig = z.output<typeof verificationConfigSchema>;

/** Reads and validates the variables; throws the platform's ConfigError naming the bad one. */
export function loadVerificationConfig(env: NodeJS.ProcessEnv = process.env): VerificationConfig {
  return loadConfig(verificationConfigSchema, env);
}
