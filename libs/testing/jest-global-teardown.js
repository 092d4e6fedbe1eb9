// Jest globalTeardown shim: requires the compiled dist/ file, for the reasons given in
// jest-global-setup.js (Nx builds libs/testing before integration targets run).
const path = require('node:path');
const fs = require('node:fs');

const compiled = path.join(__dirname, 'dist', 'jest-global-teardown.js');
if (!fs.existsSync(compiled)) {
  throw new Error(`${compiled} is missing: build @civil/testing first (npx nx build @civil/testing, or npx tsc -p libs/testing/tsconfig.build.json).`);
}
module.exports = require(compiled).default;
