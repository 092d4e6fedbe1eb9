import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { buildOpenApiDocument, openApiFileText } from './openapi';

const OPENAPI_FILE = path.resolve(__dirname, '..', '..', 'openapi.json');
const REGENERATE = 'Regenerate it: `npm run build && npm run openapi -w services/gateway` (from the repository root), then commit services/gateway/openapi.json.';

interface ValidationResult {
  valid: boolean;
  version?: string;
  errors?: unknown;
}

/**
 * Validates a document against the OpenAPI JSON schemas with @seriousme/openapi-schema-validator.
 * The package is ESM only and Jest runs CommonJS (it refuses `require` of an ES module on Node < 24.9),
 * so it runs in a child Node process, which reads the document on its standard input.
 */
function validateOpenApi(document: Record<string, unknown>): ValidationResult {
  const script = `
    import { Validator } from '@seriousme/openapi-schema-validator';
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(text));
    process.stdout.write(JSON.stringify({ ...result, version: validator.version }));
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: path.resolve(__dirname, '..', '..'), input: JSON.stringify(document), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`the OpenAPI validator did not run (exit ${String(run.status)}): ${run.stderr}`);
  return JSON.parse(run.stdout) as ValidationResult;
}

describe('the committed OpenAPI document (services/gateway/openapi.json)', () => {
  it('exists', () => {
    if (!existsSync(OPENAPI_FILE)) throw new Error(`${OPENAPI_FILE} is missing. ${REGENERATE}`);
  });

  it('is exactly what the route table builds', () => {
    const committed = existsSync(OPENAPI_FILE) ? readFileSync(OPENAPI_FILE, 'utf8') : '';
    const built = openApiFileText();
    if (committed !== built) {
      const a = committed.split('\n');
      const b = built.split('\n');
      const line = a.findIndex((text, i) => text !== b[i]);
      const at = line === -1 ? Math.min(a.length, b.length) : line;
      throw new Error(
        `services/gateway/openapi.json is out of date with the route table and schemas (first difference at line ${at + 1}:\n` +
          `  committed: ${a[at] ?? '(end of file)'}\n  built:     ${b[at] ?? '(end of file)'}).\n${REGENERATE}`,
      );
    }
  });

  it.each([
    ['the committed document', false],
    ['the served document with the development token route', true],
  ])('%s is valid OpenAPI 3.1', (_name, devTokens) => {
    const result = validateOpenApi(buildOpenApiDocument({ devTokens }));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.version).toBe('3.1');
  });

  it('the validator does catch an invalid document', () => {
    const broken = buildOpenApiDocument({ devTokens: false });
    const paths = broken.paths as Record<string, Record<string, Record<string, unknown>>>;
    const first = Object.values(paths)[0] ?? {};
    const op = Object.values(first)[0] ?? {};
    op.responses = 'none';
    expect(validateOpenApi(broken).valid).toBe(false);
  });
});
