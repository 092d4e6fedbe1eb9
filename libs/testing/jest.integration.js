// Jest configuration for integration specs (*.integration-spec.ts) against REAL PostgreSQL and
// NATS JetStream. Usage, in a project's jest.integration.config.js:
//   module.exports = require('../../libs/testing/jest.integration.js')(__dirname);
// and a package script "integration": "jest -c jest.integration.config.js".
// The global setup starts one PostgreSQL and one nats-server for the whole run (or uses
// DATABASE_URL / NATS_URL) and exports TEST_DATABASE_ADMIN_URL / TEST_NATS_URL to the workers;
// specs read them through integrationEnv() / createTestDatabase() from @civil/testing.
const path = require('node:path');

module.exports = function integrationJestConfig(projectDir, overrides = {}) {
  return require('./jest.base.js')(projectDir, {
    testMatch: ['<rootDir>/src/**/*.integration-spec.ts', '<rootDir>/test/**/*.integration-spec.ts'],
    globalSetup: path.join(__dirname, 'jest-global-setup.js'),
    globalTeardown: path.join(__dirname, 'jest-global-teardown.js'),
    testTimeout: 60000,
    maxWorkers: 1,
    ...overrides,
  });
};
