/**
 * Writes the OpenAPI document (without the development token route) to services/gateway/openapi.json,
 * the copy that is committed and reviewed with every API change. Run after a build:
 *
 *   npm run build && npm run openapi -w services/gateway
 *
 * `openapi-drift.spec.ts` fails while the committed file differs from what the route table builds.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { openApiFileText } from './openapi';

export const OPENAPI_FILE = path.resolve(__dirname, '..', '..', 'openapi.json');

if (require.main === module) {
  writeFileSync(OPENAPI_FILE, openApiFileText());
  process.stdout.write(`wrote ${path.relative(process.cwd(), OPENAPI_FILE) || OPENAPI_FILE}\n`);
}
