import { z } from 'zod';
import { baseConfigSchema } from '@civil/platform';

export const SERVICE_NAME = 'gateway';

export const gatewayConfigSchema = baseConfigSchema
  .extend({
    /** Development tokens: for local use only, refused when NODE_ENV is production. */
    DEV_TOKENS_ENABLED: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
    DEV_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(262_144),
  })
  .superRefine((config, ctx) => {
    if (config.DEV_TOKENS_ENABLED && config.NODE_ENV === 'production') {
      ctx.addIssue({ code: 'custom', path: ['DEV_TOKENS_ENABLED'], message: 'development tokens are refused when NODE_ENV=production' });
    }
    if (config.DEV_TOKENS_ENABLED && !config.DEV_TOKEN_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['DEV_TOKEN_SECRET'], message: 'is required when DEV_TOKENS_ENABLED=true' });
    }
  });
export type GatewayConfig = z.output<typeof gatewayConfigSchema>;
