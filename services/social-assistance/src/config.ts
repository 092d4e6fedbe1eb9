import type { z } from 'zod';
import { serviceConfigSchema } from '@civil/platform';
import { verificationConfigSchema } from './verification/verification.config';

/** The platform's service variables plus the data sources of household economic verification. */
export const socialAssistanceConfigSchema = serviceConfigSchema.extend(verificationConfigSchema.shape);
export type SocialAssistanceConfig = z.output<typeof socialAssistanceConfigSchema>;
