import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DynamicModule, Type } from '@nestjs/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { ConfigError, loadConfig, type BaseConfig } from '../config/config';
import { createLogger, PinoNestLogger } from '../logging/logger';

export interface RunServiceOptions<S extends z.ZodObject> {
  serviceName: string;
  configSchema: S;
  /** Builds the root module once configuration is known. */
  rootModule: (config: z.output<S>, logger: Logger) => DynamicModule | Type;
  /** Extra HTTP set-up (the gateway's OpenAPI, body limits, …). */
  configureApp?: (app: NestFastifyApplication, config: z.output<S>) => Promise<void> | void;
  /** Largest request body, from the validated configuration (default 1 MiB). */
  bodyLimitBytes?: (config: z.output<S>) => number;
  /**
   * Which proxies' X-Forwarded-For to believe for the client address (Fastify `trustProxy`: false,
   * or addresses/CIDRs comma-separated). Default false: a client cannot choose its own address.
   */
  trustProxy?: (config: z.output<S>) => boolean | string;
}

/** Validates the environment, then boots the service's HTTP side (health, metrics, API). */
export async function runService<S extends z.ZodObject>(options: RunServiceOptions<S>): Promise<NestFastifyApplication> {
  let config: z.output<S> & BaseConfig;
  try {
    config = loadConfig(options.configSchema) as z.output<S> & BaseConfig;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${options.serviceName}: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(options.serviceName, config.LOG_LEVEL);
  try {
    const app = await NestFactory.create<NestFastifyApplication>(
      options.rootModule(config, logger),
      new FastifyAdapter({ bodyLimit: options.bodyLimitBytes?.(config) ?? 1_048_576, trustProxy: options.trustProxy?.(config) ?? false, frameworkErrors: sendFrameworkError }),
      { logger: new PinoNestLogger(logger), abortOnError: false },
    );
    app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => exitIfShutdownOverruns(config.SHUTDOWN_GRACE_MS, logger));
    await options.configureApp?.(app, config);
    await app.listen({ port: config.PORT, host: config.HOST });
    logger.info({ port: config.PORT, host: config.HOST }, `${options.serviceName} started`);
    return app;
  } catch (error) {
    logger.fatal({ err: error }, `${options.serviceName} failed to start`);
    process.exit(1);
  }
}

/**
 * Nest closes the application on SIGTERM (consumers stop fetching, in-flight messages and
 * requests finish, connections close). Should that hang (a stuck query, a peer that never
 * answers), the process exits anyway after SHUTDOWN_GRACE_MS, with an error in the log, well
 * before Kubernetes' terminationGracePeriodSeconds would kill it without a word. The timer does
 * not keep the process alive when the close finishes in time.
 */
export function exitIfShutdownOverruns(graceMs: number, logger: Pick<Logger, 'error'>, exit: (code: number) => void = (code) => process.exit(code)): NodeJS.Timeout {
  const timer = setTimeout(() => {
    logger.error({ graceMs }, 'shutdown did not finish within SHUTDOWN_GRACE_MS: exiting');
    exit(1);
  }, graceMs);
  timer.unref();
  return timer;
}

/**
 * Requests Fastify refuses before any route or error handler runs (a path parameter longer than
 * its limit, a URL it cannot decode) still get RFC 9457 problem details, like every other error.
 */
function sendFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
  void reply
    .status(status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send({
      type: 'urn:civil:problem:validation-failed',
      title: 'The request is not valid',
      status,
      code: 'VALIDATION_FAILED',
      detail: status === 414 ? 'a path segment is too long' : 'the URL cannot be read',
      instance: request.url,
      traceId: null,
      errors: [{ field: '(path)', rule: status === 414 ? 'max-length' : 'format', message: error.message }],
    });
}
