import { serviceDataSourceOptions } from '@civil/platform';
import type { DataSourceOptions } from 'typeorm';
import { MarriageRegistries1764000003000 } from './migrations/1764000003000-marriage-registries';

export const SERVICE_NAME = 'social-affairs';

export function serviceDataSource(url: string, poolSize?: number): DataSourceOptions {
  return serviceDataSourceOptions({ url, ...(poolSize ? { poolSize } : {}), entities: [], migrations: [MarriageRegistries1764000003000], applicationName: SERVICE_NAME });
}
