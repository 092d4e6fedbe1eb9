import { readFile } from 'node:fs/promises';
import { Module, type DynamicModule } from '@nestjs/common';
import { DomainError, createPlaceNameSchema, parseOrThrow, type Actor } from '@civil/contracts';
import { PlatformModule, runCommand } from '@civil/platform';
import { SERVICE_NAME } from './config';
import { placeNamesDataSource } from './data-source';
import { PlaceNamesModule } from './place-names/place-names.module';
import { PlaceNamesService } from './place-names/place-names.service';

/**
 * Operator command: `node dist/cli.js import <file.ndjson>` records one place name per line.
 * It needs only the database: the events wait in the outbox until a running replica's relay
 * publishes them, so an import works while NATS is down. Bad lines are reported, not written.
 */
@Module({})
class CliModule {
  static forRoot(databaseUrl: string, logger: Parameters<typeof PlatformModule.forCommand>[0]['logger']): DynamicModule {
    return {
      module: CliModule,
      imports: [
        PlatformModule.forCommand({ serviceName: SERVICE_NAME, config: {}, logger, dataSource: placeNamesDataSource(databaseUrl, 2) }),
        PlaceNamesModule,
      ],
    };
  }
}

const [command, file] = process.argv.slice(2);
if (command !== 'import' || !file) {
  process.stderr.write('usage: node dist/cli.js import <file.ndjson>\n');
  process.exit(64);
}

void runCommand(SERVICE_NAME, (config, logger) => CliModule.forRoot(config.DATABASE_URL, logger), async (app, logger) => {
  const service = app.get(PlaceNamesService);
  const actor: Actor = { userId: `import:${file}`, kind: 'system', roles: ['admin'], divisions: [] };
  const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim().length > 0);
  let created = 0;
  let rejected = 0;
  for (const [index, line] of lines.entries()) {
    try {
      await service.create(parseOrThrow(createPlaceNameSchema, JSON.parse(line)), actor);
      created += 1;
    } catch (error) {
      rejected += 1;
      const reason = error instanceof DomainError || error instanceof SyntaxError ? error.message : 'unexpected error';
      logger.warn({ line: index + 1, reason }, 'line rejected');
    }
  }
  process.stdout.write(`imported ${created} place names, rejected ${rejected}\n`);
  return rejected === 0 ? 0 : 2;
});
