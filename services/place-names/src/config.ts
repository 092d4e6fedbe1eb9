import { serviceConfigSchema } from '@civil/platform';

export const SERVICE_NAME = 'place-names';
export const placeNamesConfigSchema = serviceConfigSchema;
