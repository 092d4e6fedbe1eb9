import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CHART_DIR } from './helm';
import { parseValuesDocs, renderReadme } from './values-doc';

/** `npm run readme -w deploy/chart-checks`: regenerates the parameter table of the chart README. */
function main(): void {
  const valuesYaml = readFileSync(path.join(CHART_DIR, 'values.yaml'), 'utf8');
  const readmePath = path.join(CHART_DIR, 'README.md');
  const { undocumented } = parseValuesDocs(valuesYaml);
  if (undocumented.length > 0) {
    process.stderr.write(`values without a "# --" description: ${undocumented.join(', ')}\n`);
    process.exitCode = 1;
    return;
  }
  const before = readFileSync(readmePath, 'utf8');
  const after = renderReadme(before, valuesYaml);
  if (after !== before) writeFileSync(readmePath, after);
  process.stdout.write(`${path.relative(process.cwd(), readmePath)} ${after === before ? 'already up to date' : 'updated'}\n`);
}

main();
