import { serviceDataSourceOptions } from '@civil/platform';
import type { DataSourceOptions } from 'typeorm';
import { AgeAllowanceRates1764000004000 } from './migrations/1764000004000-age-allowance-rates';

export const SERVICE_NAME = 'elderly-care';

export function serviceDataSource(url: string, poolSize?: number): DataSourceOptions {
  return serviceDataSourceOptions({ url, ...(poolSize ? { poolSize } : {}), entities: [], migrations: [AgeAllowanceRates1764000004000], applicationName: SERVICE_NAME });
}
