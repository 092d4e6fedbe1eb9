import { serviceDataSourceOptions } from '@civil/platform';
import type { DataSourceOptions } from 'typeorm';
import { ReportingSchema1764000002000 } from './migrations/1764000002000-reporting';

export function reportingDataSource(url: string, poolSize?: number): DataSourceOptions {
  return serviceDataSourceOptions({
    url,
    ...(poolSize ? { poolSize } : {}),
    entities: [],
    migrations: [ReportingSchema1764000002000],
    applicationName: 'reporting',
  });
}
