import { z } from 'zod';
import { serviceConfigSchema } from '@civil/platform';

export const SERVICE_NAME = 'reporting';
export const reportingConfigSchema = serviceConfigSchema.extend({
  /** Deliveries before an event that keeps failing is dead-lettered. */
  CONSUMER_MAX_DELIVERIES: z.coerce.number().int().min(1).max(100).default(5),
  CONSUMER_ACK_WAIT_MS: z.coerce.number().int().min(1000).default(30_000),
});
export type ReportingConfig = z.output<typeof reportingConfigSchema>;
