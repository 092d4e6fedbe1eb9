import { serviceDataSourceOptions } from '@civil/platform';
import type { DataSourceOptions } from 'typeorm';
import { PlaceNamesSchema1764000001000 } from './migrations/1764000001000-place-names';
import { DivisionsSchema1764000040000 } from './migrations/1764000040000-divisions';
import { Gazetteer1764000041000 } from './migrations/1764000041000-gazetteer';
import { Naming1764000042000 } from './migrations/1764000042000-naming';
import { Audits1764000043000 } from './migrations/1764000043000-audits';

/** Migrations in timestamp order; the service reads and writes with SQL through the entity manager. */
export const PLACE_NAMES_MIGRATIONS = [PlaceNamesSchema1764000001000, DivisionsSchema1764000040000, Gazetteer1764000041000, Naming1764000042000, Audits1764000043000];

export function placeNamesDataSource(url: string, poolSize?: number): DataSourceOptions {
  return serviceDataSourceOptions({
    url,
    ...(poolSize ? { poolSize } : {}),
    entities: [],
    migrations: PLACE_NAMES_MIGRATIONS,
    applicationName: 'place-names',
  });
}
