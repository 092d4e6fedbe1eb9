import { serviceDataSourceOptions } from '@civil/platform';
import type { DataSourceOptions } from 'typeorm';
import { PlaceNamesSchema1764000001000 } from './migrations/1764000001000-place-names';
import { PlaceName } from './place-names/place-name.entity';

export function placeNamesDataSource(url: string, poolSize?: number): DataSourceOptions {
  return serviceDataSourceOptions({
    url,
    ...(poolSize ? { poolSize } : {}),
    entities: [PlaceName],
    migrations: [PlaceNamesSchema1764000001000],
    applicationName: 'place-names',
  });
}
