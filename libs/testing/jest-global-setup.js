// Jest globalSetup shim for integration tests (see jest.integration.js).
//
// Jest loads globalSetup/globalTeardown modules in its main process through its own transform
// hook, outside any test sandbox and outside moduleNameMapper, so they cannot point at the
// TypeScript sources the way tests do. This plain-JS shim requires the compiled CommonJS in
// dist/ instead. Nx builds libs/testing before any `integration` target runs (nx.json:
// targetDefaults.integration.dependsOn = ["build", "^build"]); when running Jest by hand, build
// first: `npx tsc -p libs/testing/tsconfig.build.json`.
const path = require('node:path');
const fs = require('node:fs');

const compiled = path.join(__dirname, 'dist', 'jest-global-setup.js');
if (!fs.existsSync(compiled)) {
  throw new Error(`${compiled} is missing: build @civil/testing first (npx nx build @civil/testing, or npx tsc -p libs/testing/tsconfig.build.json).`);
}
module.exports = require(compiled).default;
