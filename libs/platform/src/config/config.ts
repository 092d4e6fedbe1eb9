import { z } from 'zod';
import { personalDataConfigSchema } from '../personal-data/personal-data-cipher';

/**
 * Environment configuration, validated once at boot. A bad or missing variable stops the service
 * with a message naming it (style: fail fast, never half-configured).
 */
const port = z.coerce.number().int().min(1).max(65535);
const positiveMs = z.coerce.number().int().min(1);
const booleanFlag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const baseConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NATS_URL: z.string().regex(/^(nats|tls|wss?):\/\/\S+$/, 'must be a nats:// URL (comma-separate several)').or(z.string().regex(/^(nats|tls):\/\/\S+(,(nats|tls):\/\/\S+)*$/)),
  NATS_REQUEST_TIMEOUT_MS: positiveMs.default(5000),
  SHUTDOWN_GRACE_MS: positiveMs.default(10000),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
});

export const databaseConfigSchema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
});

export const eventConfigSchema = z.object({
  EVENT_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  EVENT_DUPLICATE_WINDOW_MS: positiveMs.default(120_000),
  OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(200),
  OUTBOX_POLL_INTERVAL_MS: positiveMs.default(500),
  OUTBOX_MAX_BACKOFF_MS: positiveMs.default(10_000),
  OUTBOX_RELAY_ENABLED: booleanFlag.default(true),
});

export type BaseConfig = z.output<typeof baseConfigSchema>;
export type DatabaseConfig = z.output<typeof databaseConfigSchema>;
export type EventConfig = z.output<typeof eventConfigSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`invalid configuration: ${problems.map((p) => `${p.variable} ${p.message}`).join('; ')}`);
  }
}

/** Validates `env` against `schema`, naming every bad variable (never printing secret values). */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  // An empty variable counts as unset, so optional ones take their default (Helm renders "" for unset values).
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? '(environment)');
    const missing = env[variable] === undefined || env[variable] === '';
    return { variable, message: missing ? 'is required but not set' : `is invalid: ${issue.message}` };
  });
  throw new ConfigError(problems);
}

/** A service with a database and events: every department service and reporting. */
export const serviceConfigSchema = baseConfigSchema.extend(databaseConfigSchema.shape).extend(eventConfigSchema.shape).extend(personalDataConfigSchema.shape);
export type ServiceConfig = z.output<typeof serviceConfigSchema>;

/** A one-off command (migrate, import): database only, no NATS, no HTTP. */
export const commandConfigSchema = databaseConfigSchema.extend({
  LOG_LEVEL: baseConfigSchema.shape.LOG_LEVEL,
  NODE_ENV: baseConfigSchema.shape.NODE_ENV,
}).extend(personalDataConfigSchema.shape);
