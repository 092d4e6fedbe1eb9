import { runMigrationCommand } from '@civil/platform';
import { reportingDataSource } from './data-source';

void runMigrationCommand('reporting', (url) => reportingDataSource(url));
