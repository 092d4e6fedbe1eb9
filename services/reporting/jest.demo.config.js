// The mappers against the other services' full 2023 demo data sets (minutes each): outside the
// default test command, run with `npm run test:demo-figures` at the root. The end-to-end
// acceptance test (e2e/src/annual-report.e2e-spec.ts) covers the same figures over JetStream.
module.exports = require('../../libs/testing/jest.integration.js')(__dirname, {
  testMatch: ['<rootDir>/src/**/*.demo-spec.ts'],
  testTimeout: 1_800_000,
});
