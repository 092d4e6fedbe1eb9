import { NestFactory } from '@nestjs/core';
import type { DynamicModule, INestApplicationContext } from '@nestjs/common';
import type { Logger } from 'pino';
import type { DataSourceOptions } from 'typeorm';
import { ConfigError, commandConfigSchema, loadConfig } from '../config/config';
import { runMigrations } from '../database/data-source';
import { createLogger, PinoNestLogger } from '../logging/logger';

function commandConfig(serviceName: string): { DATABASE_URL: string; LOG_LEVEL: string } {
  try {
    return loadConfig(commandConfigSchema);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${serviceName}: ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}

/** `node dist/migrate.js`: applies the service's pending migrations, then exits. */
export async function runMigrationCommand(serviceName: string, dataSource: (url: string) => DataSourceOptions): Promise<void> {
  const config = commandConfig(serviceName);
  try {
    await runMigrations(dataSource(config.DATABASE_URL), (line) => process.stdout.write(`${serviceName}: ${line}\n`));
  } catch (error) {
    process.stderr.write(`${serviceName}: migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

/** Runs a one-off command inside a Nest application context (database only), then closes it. */
export async function runCommand(
  serviceName: string,
  rootModule: (config: { DATABASE_URL: string }, logger: Logger) => DynamicModule,
  work: (app: INestApplicationContext, logger: Logger) => Promise<number>,
): Promise<void> {
  const config = commandConfig(serviceName);
  const logger = createLogger(serviceName, config.LOG_LEVEL);
  const app = await NestFactory.createApplicationContext(rootModule(config, logger), { logger: new PinoNestLogger(logger) });
  let exitCode = 1;
  try {
    exitCode = await work(app, logger);
  } catch (error) {
    logger.error({ err: error }, 'command failed');
  } finally {
    await app.close();
  }
  process.exitCode = exitCode;
}
