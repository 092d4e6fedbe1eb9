import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { createLogger, PinoNestLogger } from './logger';

const ID = '34052419800101001X';
const ID_MASKED = '340524********001X';
const MOBILE = '13812345678';
const MOBILE_MASKED = '138****5678';

type Line = Record<string, unknown>;

function capture(level = 'trace') {
  const raw: string[] = [];
  const logger = createLogger('place-names', level, { write: (s: string) => void raw.push(s) });
  const lines = (): Line[] => raw.map((s) => JSON.parse(s) as Line);
  return { logger, raw, lines };
}

describe('createLogger', () => {
  it('writes one JSON line with message, level label, service and an ISO time', () => {
    const { logger, raw, lines } = capture();
    logger.info('service started');
    expect(raw).toHaveLength(1);
    expect(raw[0]?.endsWith('\n')).toBe(true);
    const [line] = lines();
    expect(line).toEqual({ level: 'info', time: expect.any(String), service: 'place-names', message: 'service started' });
    expect(new Date(line?.time as string).toISOString()).toBe(line?.time);
  });

  it.each(['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const)('labels the %s level by name', (level) => {
    const { logger, lines } = capture();
    logger[level]('x');
    expect(lines()[0]?.level).toBe(level);
  });

  it('drops lines below the configured level', () => {
    const { logger, lines } = capture('warn');
    logger.info('quiet');
    logger.debug('quieter');
    logger.warn('loud');
    expect(lines().map((l) => l.message)).toEqual(['loud']);
  });

  it('merges object fields into the line', () => {
    const { logger, lines } = capture();
    logger.info({ householdId: 'h-1', persons: 3 }, 'registered');
    expect(lines()[0]).toMatchObject({ householdId: 'h-1', persons: 3, message: 'registered' });
  });

  it('logs a value object passed on its own as a redacted value field', () => {
    const { logger, raw, lines } = capture();
    logger.info({ toJSON: () => ID });
    logger.info(new Date('2025-06-30T00:00:00.000Z'));
    expect(lines().map((l) => l.value)).toEqual([ID_MASKED, '2025-06-30T00:00:00.000Z']);
    expect(raw.join('')).not.toContain(ID);
  });

  it('logs dates inside objects as ISO strings', () => {
    const { logger, lines } = capture();
    logger.info({ at: new Date('2025-06-30T00:00:00.000Z') }, 'x');
    expect(lines()[0]?.at).toBe('2025-06-30T00:00:00.000Z');
  });

  describe('redaction', () => {
    it('masks a resident ID and a mobile number in the message', () => {
      const { logger, raw, lines } = capture();
      logger.info(`registered ${ID}, mobile ${MOBILE}`);
      expect(lines()[0]?.message).toBe(`registered ${ID_MASKED}, mobile ${MOBILE_MASKED}`);
      expect(raw.join('')).not.toContain(ID);
    });

    it('masks a resident ID in an object field, nested too', () => {
      const { logger, raw, lines } = capture();
      logger.info({ residentId: ID, household: { members: [{ residentId: ID }] }, divisionCode: '430503101000' }, 'ok');
      const line = lines()[0];
      expect(line?.residentId).toBe(ID_MASKED);
      expect(line?.household).toEqual({ members: [{ residentId: ID_MASKED }] });
      expect(line?.divisionCode).toBe('430503101000');
      expect(raw.join('')).not.toContain(ID);
    });

    it('masks a resident ID passed as a format argument', () => {
      const { logger, raw, lines } = capture();
      logger.info('lookup of %s failed', ID);
      expect(lines()[0]?.message).toBe(`lookup of ${ID_MASKED} failed`);
      expect(raw.join('')).not.toContain(ID);
    });

    it('masks a resident ID inside an object interpolated with %j', () => {
      const { logger, raw } = capture();
      logger.info('request %j', { residentId: ID });
      expect(raw.join('')).toContain(ID_MASKED);
      expect(raw.join('')).not.toContain(ID);
    });

    it('masks a resident ID in a logged error, including the message pino takes from it', () => {
      const { logger, raw, lines } = capture();
      logger.error(new Error(`no household for ${ID}`));
      const line = lines()[0];
      expect(line?.message).toBe(`no household for ${ID_MASKED}`);
      expect(line?.err).toMatchObject({ type: 'Error', message: `no household for ${ID_MASKED}` });
      expect(raw.join('')).not.toContain(ID);
    });

    it('masks a resident ID in an { err } object logged without a message', () => {
      const { logger, raw } = capture();
      logger.warn({ err: new RangeError(`bad ${ID}`) });
      expect(raw.join('')).not.toContain(ID);
    });

    it('keeps the error class name in err.type', () => {
      class HouseholdError extends Error {
        override readonly name = 'HouseholdError';
      }
      const { logger, lines } = capture();
      logger.error({ err: new HouseholdError('x') }, 'failed');
      expect(lines()[0]?.err).toEqual({ type: 'HouseholdError', message: 'x', stack: expect.stringContaining('HouseholdError: x') });
    });
  });

  describe('trace correlation', () => {
    const provider = new BasicTracerProvider();
    const contextManager = new AsyncLocalStorageContextManager();

    beforeAll(() => {
      context.setGlobalContextManager(contextManager.enable());
      trace.setGlobalTracerProvider(provider);
    });

    afterAll(async () => {
      trace.disable();
      context.disable();
      await provider.shutdown();
    });

    it('carries no trace ids outside a span', () => {
      const { logger, lines } = capture();
      logger.info('no span');
      expect(lines()[0]).not.toHaveProperty('trace_id');
      expect(lines()[0]).not.toHaveProperty('span_id');
    });

    it('carries the active span’s trace_id and span_id', () => {
      const { logger, lines } = capture();
      const tracer = trace.getTracer('logger-spec');
      const ids = tracer.startActiveSpan('handle request', (span) => {
        logger.info('inside');
        span.end();
        return span.spanContext();
      });
      expect(ids.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(ids.traceId).not.toBe('00000000000000000000000000000000');
      expect(lines()[0]).toMatchObject({ message: 'inside', trace_id: ids.traceId, span_id: ids.spanId });
    });

    it('never alters trace and span ids, even when they contain a run of digits shaped like a mobile number', () => {
      // Random ids contain such a run in about 1 of 500 spans; the redaction must not mask them.
      const traceId = 'ab13812345678cd4bf92f3577b34da6a';
      const spanId = 'f13912345678abcd';
      const fixed = new BasicTracerProvider({ idGenerator: { generateTraceId: () => traceId, generateSpanId: () => spanId } });
      const { logger, lines } = capture();
      fixed.getTracer('logger-spec').startActiveSpan('op', (span) => {
        logger.info('inside');
        span.end();
      });
      expect(lines()[0]).toMatchObject({ trace_id: traceId, span_id: spanId });
    });

    it('lets a logged field named trace_id win over the active span', () => {
      const { logger, lines } = capture();
      trace.getTracer('logger-spec').startActiveSpan('op', (span) => {
        logger.info({ trace_id: 'from-caller' }, 'x');
        span.end();
      });
      expect(lines()[0]?.trace_id).toBe('from-caller');
    });

    it('follows the span across an await and uses the inner span when nested', async () => {
      const { logger, lines } = capture();
      const tracer = trace.getTracer('logger-spec');
      const [outer, inner] = await tracer.startActiveSpan('outer', async (outerSpan) => {
        await Promise.resolve();
        logger.info('outer');
        const innerCtx = tracer.startActiveSpan('inner', (innerSpan) => {
          logger.info('inner');
          innerSpan.end();
          return innerSpan.spanContext();
        });
        outerSpan.end();
        return [outerSpan.spanContext(), innerCtx] as const;
      });
      logger.info('after');
      const [l1, l2, l3] = lines();
      expect(l1).toMatchObject({ trace_id: outer.traceId, span_id: outer.spanId });
      expect(l2).toMatchObject({ trace_id: outer.traceId, span_id: inner.spanId });
      expect(inner.spanId).not.toBe(outer.spanId);
      expect(l3).not.toHaveProperty('trace_id');
    });
  });
});

describe('PinoNestLogger', () => {
  it.each([
    ['log', 'info'],
    ['error', 'error'],
    ['warn', 'warn'],
    ['debug', 'debug'],
    ['verbose', 'trace'],
    ['fatal', 'fatal'],
  ] as const)('%s writes at level %s with the Nest context', (method, level) => {
    const { logger, lines } = capture();
    new PinoNestLogger(logger)[method]('Nest application started', 'NestApplication');
    expect(lines()[0]).toMatchObject({ level, message: 'Nest application started', context: 'NestApplication' });
  });

  it('keeps the stack Nest passes before the context', () => {
    const { logger, lines } = capture();
    new PinoNestLogger(logger).error('boom', 'Error: boom\n    at x', 'ExceptionHandler');
    expect(lines()[0]).toMatchObject({ level: 'error', message: 'boom', stack: 'Error: boom\n    at x', context: 'ExceptionHandler' });
  });

  it('logs an Error as err with its message, redacted', () => {
    const { logger, raw, lines } = capture();
    new PinoNestLogger(logger).error(new Error(`failed for ${ID}`), 'Households');
    expect(lines()[0]).toMatchObject({ message: `failed for ${ID_MASKED}`, context: 'Households', err: { message: `failed for ${ID_MASKED}` } });
    expect(raw.join('')).not.toContain(ID);
  });

  it('spreads an object message into the line', () => {
    const { logger, lines } = capture();
    new PinoNestLogger(logger).log({ route: '/api/v1/place-names', residentId: ID }, 'RouterExplorer');
    expect(lines()[0]).toMatchObject({ route: '/api/v1/place-names', residentId: ID_MASKED, context: 'RouterExplorer' });
  });
});
