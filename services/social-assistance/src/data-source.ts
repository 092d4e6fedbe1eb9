import { serviceDataSourceOptions } from '@civil/platform';
import type { DataSourceOptions } from 'typeorm';
import { Households1764000005000 } from './migrations/1764000005000-households';
import { AssistanceBase1764000006000 } from './migrations/1764000006000-assistance-base';

export const SERVICE_NAME = 'social-assistance';

export function serviceDataSource(url: string, poolSize?: number): DataSourceOptions {
  return serviceDataSourceOptions({ url, ...(poolSize ? { poolSize } : {}), entities: [], migrations: [Households1764000005000, AssistanceBase1764000006000], applicationName: SERVICE_NAME });
}
