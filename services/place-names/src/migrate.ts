import { runMigrationCommand } from '@civil/platform';
import { placeNamesDataSource } from './data-source';

void runMigrationCommand('place-names', (url) => placeNamesDataSource(url));
