import { serviceDataSourceOptions } from '@civil/platform';
import type { DataSourceOptions } from 'typeorm';
import { AgeAllowanceRates1764000004000 } from './migrations/1764000004000-age-allowance-rates';
import { Institutions1764000030000 } from './migrations/1764000030000-institutions';
import { AgeAllowances1764000031000 } from './migrations/1764000031000-age-allowances';
import { HomeAdaptation1764000032000 } from './migrations/1764000032000-home-adaptation';
import { CityFeed1764000033000 } from './migrations/1764000033000-city-feed';
import { ResidentIdsAtRest1764000062000 } from './migrations/1764000062000-resident-ids-at-rest';

export const SERVICE_NAME = 'elderly-care';

export function serviceDataSource(url: string, poolSize?: number): DataSourceOptions {
  return serviceDataSourceOptions({ url, ...(poolSize ? { poolSize } : {}), entities: [], migrations: [AgeAllowanceRates1764000004000, AgeAllowances1764000031000, HomeAdaptation1764000032000, Institutions1764000030000, CityFeed1764000033000, ResidentIdsAtRest1764000062000], applicationName: SERVICE_NAME });
}
