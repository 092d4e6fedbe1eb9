// Shared Jest configuration: SWC compiles TypeScript (with decorator metadata) and the ESM-only
// packages NestJS 12 and nats.js v3 ship, so unit and integration tests run as CommonJS.
const path = require('node:path');

const esmPackages = ['@nestjs', '@nats-io', 'uuid', 'jose', 'file-type', 'strtok3', 'token-types', 'uint8array-extras', '@tokenizer', 'load-esm'];

module.exports = function jestConfig(projectDir, overrides = {}) {
  const root = path.resolve(__dirname, '..', '..');
  return {
    rootDir: projectDir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
    transform: {
      '^.+\\.(t|j|mj)s$': [
        require.resolve('@swc/jest'),
        {
          jsc: {
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true },
            target: 'es2023',
          },
          module: { type: 'commonjs' },
        },
      ],
    },
    transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
    moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
    // Workspace libraries are tested from source, so unit tests need no prior build.
    moduleNameMapper: {
      '^@civil/(contracts|domain-kernel|platform|testing)$': `${root}/libs/$1/src/index.ts`,
    },
    ...overrides,
  };
};
