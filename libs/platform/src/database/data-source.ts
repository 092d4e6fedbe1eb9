import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import { platformMigrations } from './platform-migrations';

export interface ServiceDataSourceOptions {
  url: string;
  poolSize?: number;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity classes
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for migration classes
  migrations: Function[];
  applicationName: string;
}

/**
 * Each service owns one database. Schema changes only ever come from reviewed migrations:
 * `synchronize` is off and migrations are a separate step (`migrate` command, Helm hook Job).
 */
export function serviceDataSourceOptions(options: ServiceDataSourceOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    entities: options.entities,
    migrations: [...platformMigrations, ...options.migrations],
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    applicationName: options.applicationName,
    extra: { max: options.poolSize ?? 10 },
  };
}

/** The `migrate` command of every service: applies pending migrations and reports them. */
export async function runMigrations(options: DataSourceOptions, log: (line: string) => void): Promise<string[]> {
  const dataSource = new DataSource(options);
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    const names = applied.map((m) => m.name);
    log(names.length === 0 ? 'database schema is up to date' : `applied migrations: ${names.join(', ')}`);
    return names;
  } finally {
    await dataSource.destroy();
  }
}
