import { z } from 'zod';
import { serviceConfigSchema } from '@civil/platform';

const ms = z.coerce.number().int().min(1);

/**
 * elderly-care's configuration: the platform's, plus the city elderly-service platform webhook
 * (city-feed/). Without `CITY_FEED_URL` the sender is off; the pull routes work regardless.
 */
export const elderlyCareConfigSchema = serviceConfigSchema.extend({
  /** Where batches of the city feed are POSTed (http or https); unset: the sender is disabled. */
  CITY_FEED_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Sent as `Authorization: Bearer <token>` when set. */
  CITY_FEED_TOKEN: z.string().min(1).optional(),
  /** Entries per POST. */
  CITY_FEED_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(200),
  /** How often the sender looks for new entries. */
  CITY_FEED_INTERVAL_MS: ms.default(60_000),
  /** Attempts of one batch (the first included) before it is dead-lettered. */
  CITY_FEED_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  /** Delay before the 2nd attempt; doubled for each further one, up to CITY_FEED_MAX_BACKOFF_MS. */
  CITY_FEED_BACKOFF_MS: ms.default(1_000),
  CITY_FEED_MAX_BACKOFF_MS: ms.default(60_000),
  /** Timeout of one POST. */
  CITY_FEED_TIMEOUT_MS: ms.default(10_000),
});
export type ElderlyCareConfig = z.output<typeof elderlyCareConfigSchema>;

/** The sender's settings, from the service configuration. */
export interface CityFeedSettings {
  url: string | undefined;
  token: string | undefined;
  batchSize: number;
  intervalMs: number;
  maxAttempts: number;
  backoffMs: number;
  maxBackoffMs: number;
  timeoutMs: number;
}

export function cityFeedSettings(config: Partial<ElderlyCareConfig>): CityFeedSettings {
  const defaults = elderlyCareConfigSchema.pick({
    CITY_FEED_BATCH_SIZE: true,
    CITY_FEED_INTERVAL_MS: true,
    CITY_FEED_MAX_ATTEMPTS: true,
    CITY_FEED_BACKOFF_MS: true,
    CITY_FEED_MAX_BACKOFF_MS: true,
    CITY_FEED_TIMEOUT_MS: true,
  }).parse({});
  return {
    url: config.CITY_FEED_URL,
    token: config.CITY_FEED_TOKEN,
    batchSize: config.CITY_FEED_BATCH_SIZE ?? defaults.CITY_FEED_BATCH_SIZE,
    intervalMs: config.CITY_FEED_INTERVAL_MS ?? defaults.CITY_FEED_INTERVAL_MS,
    maxAttempts: config.CITY_FEED_MAX_ATTEMPTS ?? defaults.CITY_FEED_MAX_ATTEMPTS,
    backoffMs: config.CITY_FEED_BACKOFF_MS ?? defaults.CITY_FEED_BACKOFF_MS,
    maxBackoffMs: config.CITY_FEED_MAX_BACKOFF_MS ?? defaults.CITY_FEED_MAX_BACKOFF_MS,
    timeoutMs: config.CITY_FEED_TIMEOUT_MS ?? defaults.CITY_FEED_TIMEOUT_MS,
  };
}
