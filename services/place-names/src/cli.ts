import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { fieldErrorsOf, importPlaceNamesSchema, type Actor, type PlaceNameImportReport, type PlaceNameTransferFormat } from '@civil/contracts';
import { PlatformModule, runCommand } from '@civil/platform';
import { SERVICE_NAME } from './config';
import { placeNamesDataSource } from './data-source';
import { PlaceNameImportService } from './transfer/import.service';
import { TransferModule } from './transfer/transfer.module';

/**
 * Operator command: `node dist/cli.js import <file.csv|file.geojson> [--dry-run]` imports a file
 * into the gazetteer through the same service as `POST /api/v1/place-names/imports`, all or
 * nothing, and prints the report. It needs only the database: the events wait in the outbox until
 * a running replica's relay publishes them, so an import works while NATS is down. Files larger
 * than the gateway's body limit go this way.
 *
 * Exit codes: 0 imported (or, with --dry-run, valid), 2 the file was rejected (nothing written),
 * 64 usage error, 1 anything unexpected.
 */
@Module({})
class CliModule {
  static forRoot(config: { DATABASE_URL: string }, logger: Parameters<typeof PlatformModule.forCommand>[0]['logger']): DynamicModule {
    return {
      module: CliModule,
      imports: [
        PlatformModule.forCommand({ serviceName: SERVICE_NAME, config, logger, dataSource: placeNamesDataSource(config.DATABASE_URL, 2) }),
        TransferModule,
      ],
    };
  }
}

const USAGE = 'usage: node dist/cli.js import <file.csv|file.geojson> [--dry-run]\n';

function formatOf(file: string): PlaceNameTransferFormat | undefined {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.geojson' || extension === '.json') return 'geojson';
  return undefined;
}

/** The report as lines: a summary, then one line per error. */
function reportLines(report: PlaceNameImportReport): string[] {
  if (report.accepted) {
    return [report.dryRun ? `dry run: ${report.rows} place names are valid, nothing written` : `imported ${report.imported} place names`];
  }
  return [
    `rejected: ${report.errors.length + report.errorsOmitted} errors in ${report.rows} rows, nothing imported`,
    ...report.errors.map((e) => `row ${e.row}\t${e.field}\t${e.rule}\t${e.message}`),
    ...(report.errorsOmitted > 0 ? [`… and ${report.errorsOmitted} more errors`] : []),
  ];
}

const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const [command, file, ...rest] = args.filter((a) => a !== '--dry-run');
const format = file === undefined ? undefined : formatOf(file);
if (command !== 'import' || file === undefined || rest.length > 0 || format === undefined) {
  process.stderr.write(USAGE);
  process.exit(64);
}

void runCommand(SERVICE_NAME, (config, logger) => CliModule.forRoot(config, logger), async (app) => {
  const actor: Actor = { userId: `import:${path.basename(file)}`, kind: 'system', roles: ['admin'], divisions: [] };
  const request = importPlaceNamesSchema.safeParse({ format, content: await readFile(file, 'utf8'), dryRun });
  if (!request.success) {
    for (const e of fieldErrorsOf(request.error)) process.stdout.write(`rejected: ${e.field} ${e.rule}: ${e.message}\n`);
    return 2;
  }
  const report = await app.get(PlaceNameImportService).import(request.data, actor);
  process.stdout.write(`${reportLines(report).join('\n')}\n`);
  return report.accepted ? 0 : 2;
});
