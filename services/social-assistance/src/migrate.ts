import { runMigrationCommand } from '@civil/platform';
import { SERVICE_NAME, serviceDataSource } from './data-source';

void runMigrationCommand(SERVICE_NAME, (url) => serviceDataSource(url));
