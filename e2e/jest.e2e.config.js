// End-to-end tests: each file starts the real platform (embedded PostgreSQL, nats-server, the six
// built services) through the launcher's startStack, so they run one file at a time.
module.exports = require('../libs/testing/jest.base.js')(__dirname, {
  testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
  testTimeout: 240_000,
  maxWorkers: 1,
  moduleNameMapper: {
    '^@civil/(contracts|domain-kernel|platform|testing)$': '<rootDir>/../libs/$1/src/index.ts',
    '^@civil/launcher$': '<rootDir>/../deploy/launcher/src/index.ts',
  },
});
