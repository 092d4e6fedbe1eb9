import { ConfigError, baseConfigSchema, commandConfigSchema, loadConfig, serviceConfigSchema } from './config';

const BASE_ENV = { PORT: '3000', NATS_URL: 'nats://127.0.0.1:4222' };
const SERVICE_ENV = { ...BASE_ENV, DATABASE_URL: 'postgres://civil:civil@127.0.0.1:5432/place_names' };

function problemsOf(fn: () => unknown): ConfigError['problems'] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig with baseConfigSchema', () => {
  it('applies the defaults and coerces numbers', () => {
    expect(loadConfig(baseConfigSchema, { ...BASE_ENV })).toEqual({
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: 3000,
      LOG_LEVEL: 'info',
      NATS_URL: 'nats://127.0.0.1:4222',
      NATS_REQUEST_TIMEOUT_MS: 5000,
      SHUTDOWN_GRACE_MS: 10000,
    });
  });

  it('treats an empty variable as unset: optional ones take their default, required ones are missing', () => {
    const config = loadConfig(baseConfigSchema, { ...BASE_ENV, OTEL_EXPORTER_OTLP_ENDPOINT: '', LOG_LEVEL: '' });
    expect(config.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(config.LOG_LEVEL).toBe('info');
    expect(() => loadConfig(baseConfigSchema, { ...BASE_ENV, NATS_URL: '' })).toThrow('NATS_URL is required but not set');
  });

  it('takes given values over the defaults and ignores unrelated variables', () => {
    const config = loadConfig(baseConfigSchema, {
      ...BASE_ENV,
      NODE_ENV: 'production',
      HOST: '0.0.0.0',
      LOG_LEVEL: 'debug',
      NATS_REQUEST_TIMEOUT_MS: '250',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318',
      PATH: '/usr/bin',
    });
    expect(config).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0', LOG_LEVEL: 'debug', NATS_REQUEST_TIMEOUT_MS: 250, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318' });
    expect(config).not.toHaveProperty('PATH');
  });

  it.each([['nats://a:4222'], ['tls://nats.internal:4222'], ['ws://nats:8080'], ['wss://nats:443'], ['nats://a:4222,nats://b:4222']])(
    'accepts the NATS_URL %s',
    (url) => {
      expect(loadConfig(baseConfigSchema, { ...BASE_ENV, NATS_URL: url }).NATS_URL).toBe(url);
    },
  );

  it('says a missing NATS_URL is required but not set', () => {
    const { NATS_URL: _omit, ...env } = BASE_ENV;
    expect(problemsOf(() => loadConfig(baseConfigSchema, env))).toEqual([{ variable: 'NATS_URL', message: 'is required but not set' }]);
  });

  it.each<[string, Record<string, string>]>([
    ['an empty PORT', { PORT: '' }],
    ['a missing PORT', { PORT: undefined as unknown as string }],
  ])('treats %s as not set', (_label, override) => {
    expect(problemsOf(() => loadConfig(baseConfigSchema, { ...BASE_ENV, ...override }))).toEqual([
      { variable: 'PORT', message: 'is required but not set' },
    ]);
  });

  it.each<[string, string]>([
    ['PORT', 'abc'],
    ['PORT', '0'],
    ['PORT', '65536'],
    ['PORT', '80.5'],
    ['NATS_URL', 'http://nats:4222'],
    ['NATS_URL', 'nats://'],
    ['NODE_ENV', 'staging'],
    ['LOG_LEVEL', 'verbose'],
    ['NATS_REQUEST_TIMEOUT_MS', '0'],
    ['SHUTDOWN_GRACE_MS', 'soon'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'not a url'],
  ])('says %s=%p is invalid', (variable, value) => {
    const problems = problemsOf(() => loadConfig(baseConfigSchema, { ...BASE_ENV, [variable]: value }));
    expect(problems).toEqual([{ variable, message: expect.stringMatching(/^is invalid: .+/) }]);
  });

  it('names every bad or missing variable at once, in the ConfigError message too', () => {
    let caught: unknown;
    try {
      loadConfig(baseConfigSchema, { PORT: 'abc', LOG_LEVEL: 'loud' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.name).toBe('ConfigError');
    expect(error.problems.map((p) => p.variable).sort()).toEqual(['LOG_LEVEL', 'NATS_URL', 'PORT']);
    expect(error.problems.find((p) => p.variable === 'NATS_URL')?.message).toBe('is required but not set');
    expect(error.problems.find((p) => p.variable === 'PORT')?.message).toMatch(/^is invalid/);
    expect(error.message).toMatch(/^invalid configuration: /);
    expect(error.message).toContain('NATS_URL is required but not set');
    expect(error.message).toMatch(/PORT is invalid: /);
    expect(error.message).toMatch(/LOG_LEVEL is invalid: /);
    expect(error.message.split('; ')).toHaveLength(3);
  });

  it('reads process.env when no environment is given', () => {
    const saved = { PORT: process.env.PORT, NATS_URL: process.env.NATS_URL };
    try {
      process.env.PORT = '4321';
      process.env.NATS_URL = 'nats://from-process:4222';
      expect(loadConfig(baseConfigSchema)).toMatchObject({ PORT: 4321, NATS_URL: 'nats://from-process:4222' });
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});

describe('loadConfig with serviceConfigSchema', () => {
  it('requires DATABASE_URL', () => {
    expect(problemsOf(() => loadConfig(serviceConfigSchema, { ...BASE_ENV }))).toEqual([
      { variable: 'DATABASE_URL', message: 'is required but not set' },
    ]);
  });

  it('refuses a non-postgres DATABASE_URL without echoing its secret', () => {
    let caught: unknown;
    try {
      loadConfig(serviceConfigSchema, { ...BASE_ENV, DATABASE_URL: 'mysql://civil:s3cr3t-pw@db/x' });
    } catch (error) {
      caught = error;
    }
    const error = caught as ConfigError;
    expect(error.problems).toEqual([{ variable: 'DATABASE_URL', message: 'is invalid: must be a postgres:// URL' }]);
    expect(error.message).not.toContain('s3cr3t-pw');
  });

  it.each([['postgres://u:p@h:5432/d'], ['postgresql://u:p@h/d']])('accepts %s', (url) => {
    expect(loadConfig(serviceConfigSchema, { ...SERVICE_ENV, DATABASE_URL: url }).DATABASE_URL).toBe(url);
  });

  it('applies the database and event defaults', () => {
    expect(loadConfig(serviceConfigSchema, { ...SERVICE_ENV })).toMatchObject({
      PORT: 3000,
      DATABASE_POOL_SIZE: 10,
      EVENT_STREAM_REPLICAS: 1,
      EVENT_DUPLICATE_WINDOW_MS: 120_000,
      OUTBOX_BATCH_SIZE: 200,
      OUTBOX_POLL_INTERVAL_MS: 500,
      OUTBOX_MAX_BACKOFF_MS: 10_000,
      OUTBOX_RELAY_ENABLED: true,
    });
  });

  it.each([
    ['true', true],
    ['false', false],
  ])('reads OUTBOX_RELAY_ENABLED=%s as %s', (value, expected) => {
    expect(loadConfig(serviceConfigSchema, { ...SERVICE_ENV, OUTBOX_RELAY_ENABLED: value }).OUTBOX_RELAY_ENABLED).toBe(expected);
  });

  it.each<[string, string]>([
    ['OUTBOX_RELAY_ENABLED', 'yes'],
    ['OUTBOX_RELAY_ENABLED', 'TRUE'],
    ['DATABASE_POOL_SIZE', '0'],
    ['DATABASE_POOL_SIZE', '201'],
    ['EVENT_STREAM_REPLICAS', '6'],
    ['OUTBOX_BATCH_SIZE', '5001'],
  ])('says %s=%p is invalid', (variable, value) => {
    expect(problemsOf(() => loadConfig(serviceConfigSchema, { ...SERVICE_ENV, [variable]: value }))).toEqual([
      { variable, message: expect.stringMatching(/^is invalid: /) },
    ]);
  });
});

describe('loadConfig with commandConfigSchema', () => {
  it('needs only DATABASE_URL (no PORT or NATS_URL) and keeps LOG_LEVEL', () => {
    expect(loadConfig(commandConfigSchema, { DATABASE_URL: 'postgres://u:p@h/d', LOG_LEVEL: 'warn' })).toEqual({
      DATABASE_URL: 'postgres://u:p@h/d',
      DATABASE_POOL_SIZE: 10,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
    });
  });

  it('still requires DATABASE_URL', () => {
    expect(problemsOf(() => loadConfig(commandConfigSchema, {}))).toEqual([{ variable: 'DATABASE_URL', message: 'is required but not set' }]);
  });
});

describe('ConfigError', () => {
  it('keeps the problems and lists them in its message', () => {
    const error = new ConfigError([
      { variable: 'A', message: 'is required but not set' },
      { variable: 'B', message: 'is invalid: nope' },
    ]);
    expect(error).toBeInstanceOf(Error);
    expect(error.problems).toHaveLength(2);
    expect(error.message).toBe('invalid configuration: A is required but not set; B is invalid: nope');
  });
});
