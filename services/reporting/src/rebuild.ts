import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, runCommand } from '@civil/platform';
import { SERVICE_NAME } from './config';
import { reportingDataSource } from './data-source';
import { ProjectionsModule } from './projections/projections.module';
import { RebuildService } from './projections/rebuild.service';

/**
 * Operator command: `node dist/rebuild.js` rebuilds every projection from the event archive (after
 * a mapper was fixed or added). Safe while the service runs: live ingestion waits for it.
 */
@Module({})
class RebuildModule {
  static forRoot(config: { DATABASE_URL: string }, logger: Parameters<typeof PlatformModule.forCommand>[0]['logger']): DynamicModule {
    return {
      module: RebuildModule,
      imports: [PlatformModule.forCommand({ serviceName: SERVICE_NAME, config, logger, dataSource: reportingDataSource(config.DATABASE_URL, 2) }), ProjectionsModule],
    };
  }
}

void runCommand(SERVICE_NAME, (config, logger) => RebuildModule.forRoot(config, logger), async (app) => {
  const result = await app.get(RebuildService).rebuild();
  process.stdout.write(
    `rebuilt from ${result.events} archived events (${result.mapped} mapped): ${result.facts} facts, ${result.states} state versions in ${result.seconds.toFixed(1)} s\n`,
  );
  return 0;
});
