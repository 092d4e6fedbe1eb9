import { serviceDataSourceOptions } from '@civil/platform';
import type { DataSourceOptions } from 'typeorm';
import { ReportingSchema1764000002000 } from './migrations/1764000002000-reporting';
import { Projections1764000050000 } from './migrations/1764000050000-projections';
import { Evaluation1764000051000 } from './migrations/1764000051000-evaluation';
import { ReportTemplates1764000052000 } from './migrations/1764000052000-report-templates';
import { AuditLog1764000053000 } from './migrations/1764000053000-audit-log';
import { SealedEventArchive1764000064000 } from './migrations/1764000064000-sealed-event-archive';

/** Migrations in timestamp order. */
export const REPORTING_MIGRATIONS = [ReportingSchema1764000002000, Projections1764000050000, Evaluation1764000051000, ReportTemplates1764000052000, AuditLog1764000053000, SealedEventArchive1764000064000];

export function reportingDataSource(url: string, poolSize?: number): DataSourceOptions {
  return serviceDataSourceOptions({
    url,
    ...(poolSize ? { poolSize } : {}),
    entities: [],
    migrations: REPORTING_MIGRATIONS,
    applicationName: 'reporting',
  });
}
