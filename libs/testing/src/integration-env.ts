import { randomBytes } from 'node:crypto';
import { createDatabaseIfMissing, databaseUrlFor } from './postgres';

/** Set by the Jest global setup (src/jest-global-setup.ts); Jest workers inherit them. */
export const TEST_DATABASE_ADMIN_URL = 'TEST_DATABASE_ADMIN_URL';
export const TEST_NATS_URL = 'TEST_NATS_URL';

export interface IntegrationEnv {
  /** Maintenance database of the shared PostgreSQL server. */
  adminUrl: string;
  /** The shared nats-server (JetStream enabled). */
  natsUrl: string;
}

/** The servers started by the Jest global setup; throws when that setup did not run. */
export function integrationEnv(): IntegrationEnv {
  const adminUrl = process.env[TEST_DATABASE_ADMIN_URL];
  const natsUrl = process.env[TEST_NATS_URL];
  if (!adminUrl || !natsUrl) {
    throw new Error(
      `integrationEnv(): ${TEST_DATABASE_ADMIN_URL} / ${TEST_NATS_URL} are not set, so the @civil/testing Jest global setup did not run. ` +
        "Run integration specs (*.integration-spec.ts) with a jest.integration.config.js containing " +
        "`module.exports = require('../../libs/testing/jest.integration.js')(__dirname);` (npm run integration), " +
        'after building libs/testing (nx does that for the integration target).',
    );
  }
  return { adminUrl, natsUrl };
}

/** Lower-case, [a-z0-9_] only, so the name never needs quoting outside SQL either. */
export function testDatabaseName(prefix: string): string {
  const clean = prefix.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'test';
  const suffix = `${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  // PostgreSQL identifiers are at most 63 bytes.
  return `${clean.slice(0, 63 - suffix.length - 1)}_${suffix}`;
}

/** Creates a uniquely named database on the shared server and returns its URL. */
export async function createTestDatabase(prefix: string): Promise<string> {
  const { adminUrl } = integrationEnv();
  const name = testDatabaseName(prefix);
  await createDatabaseIfMissing(adminUrl, name);
  return databaseUrlFor(adminUrl, name);
}
