import { ConfigError, loadConfig } from '@civil/platform';
import { gatewayConfigSchema } from './config';

const ENV = { PORT: '8080', NATS_URL: 'nats://127.0.0.1:4222' };
const SECRET = 'x'.repeat(32);
const OIDC = { OIDC_ISSUER: 'https://id.example.org/realms/civil', OIDC_AUDIENCE: 'civil-gateway' };

function problemsOf(env: Record<string, string>): ConfigError['problems'] {
  try {
    loadConfig(gatewayConfigSchema, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('gatewayConfigSchema', () => {
  it('defaults to dev tokens off and a 256 KiB body limit', () => {
    const config = loadConfig(gatewayConfigSchema, { ...ENV });
    expect(config).toMatchObject({ PORT: 8080, DEV_TOKENS_ENABLED: false, BODY_LIMIT_BYTES: 262_144, NODE_ENV: 'development' });
    expect(config.DEV_TOKEN_SECRET).toBeUndefined();
  });

  it.each(['development', 'test'])('allows dev tokens with a secret when NODE_ENV=%s', (nodeEnv) => {
    const config = loadConfig(gatewayConfigSchema, { ...ENV, NODE_ENV: nodeEnv, DEV_TOKENS_ENABLED: 'true', DEV_TOKEN_SECRET: SECRET });
    expect(config.DEV_TOKENS_ENABLED).toBe(true);
    expect(config.DEV_TOKEN_SECRET).toBe(SECRET);
  });

  it('refuses DEV_TOKENS_ENABLED=true with NODE_ENV=production, naming DEV_TOKENS_ENABLED', () => {
    expect(problemsOf({ ...ENV, ...OIDC, NODE_ENV: 'production', DEV_TOKENS_ENABLED: 'true', DEV_TOKEN_SECRET: SECRET })).toEqual([
      { variable: 'DEV_TOKENS_ENABLED', message: 'is invalid: development tokens are refused when NODE_ENV=production' },
    ]);
  });

  it('allows production with dev tokens off', () => {
    expect(loadConfig(gatewayConfigSchema, { ...ENV, ...OIDC, NODE_ENV: 'production', DEV_TOKENS_ENABLED: 'false' }).DEV_TOKENS_ENABLED).toBe(false);
  });

  it('requires DEV_TOKEN_SECRET when dev tokens are enabled', () => {
    expect(problemsOf({ ...ENV, DEV_TOKENS_ENABLED: 'true' })).toEqual([{ variable: 'DEV_TOKEN_SECRET', message: 'is required but not set' }]);
  });

  it('names both problems in production without a secret', () => {
    expect(problemsOf({ ...ENV, ...OIDC, NODE_ENV: 'production', DEV_TOKENS_ENABLED: 'true' }).map((p) => p.variable).sort()).toEqual([
      'DEV_TOKENS_ENABLED',
      'DEV_TOKEN_SECRET',
    ]);
  });

  it('refuses a secret shorter than 32 characters without echoing it', () => {
    let caught: unknown;
    try {
      loadConfig(gatewayConfigSchema, { ...ENV, DEV_TOKENS_ENABLED: 'true', DEV_TOKEN_SECRET: 'short-secret-value' });
    } catch (error) {
      caught = error;
    }
    expect((caught as ConfigError).problems).toEqual([{ variable: 'DEV_TOKEN_SECRET', message: 'is invalid: must be at least 32 characters' }]);
    expect((caught as ConfigError).message).not.toContain('short-secret-value');
  });

  it.each<[string, string]>([
    ['DEV_TOKENS_ENABLED', 'yes'],
    ['BODY_LIMIT_BYTES', '100'],
    ['BODY_LIMIT_BYTES', '10485761'],
  ])('says %s=%p is invalid', (variable, value) => {
    expect(problemsOf({ ...ENV, [variable]: value })).toEqual([{ variable, message: expect.stringMatching(/^is invalid: /) }]);
  });

  it('still validates the base variables', () => {
    expect(problemsOf({ PORT: '8080' })).toEqual([{ variable: 'NATS_URL', message: 'is required but not set' }]);
  });

  it('needs an OIDC issuer in production, and an audience with any issuer', () => {
    expect(problemsOf({ ...ENV, NODE_ENV: 'production' })).toEqual([{ variable: 'OIDC_ISSUER', message: 'is required but not set' }]);
    expect(problemsOf({ ...ENV, OIDC_ISSUER: OIDC.OIDC_ISSUER }).map((p) => p.variable)).toEqual(['OIDC_AUDIENCE']);
  });

  it('reads the claim mapping, CORS origins and limits, refusing bad ones by name', () => {
    const config = loadConfig(gatewayConfigSchema, { ...ENV, ...OIDC, OIDC_ROLES_CLAIM: 'roles', CORS_ORIGINS: 'https://portal.example.org, http://127.0.0.1:5173', RATE_LIMIT_CITIZEN_PER_MINUTE: '30' });
    expect(config).toMatchObject({ OIDC_ROLES_CLAIM: 'roles', CORS_ORIGINS: ['https://portal.example.org', 'http://127.0.0.1:5173'], RATE_LIMIT_CITIZEN_PER_MINUTE: 30, RATE_LIMIT_STAFF_PER_MINUTE: 3000 });
    expect(problemsOf({ ...ENV, CORS_ORIGINS: 'https://portal.example.org/', RATE_LIMIT_CITIZEN_PER_MINUTE: '0' }).map((p) => p.variable).sort()).toEqual(['CORS_ORIGINS', 'RATE_LIMIT_CITIZEN_PER_MINUTE']);
  });
});
