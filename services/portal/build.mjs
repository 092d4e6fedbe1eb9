// Bundles the portal with esbuild into dist/public: index.html, app.js (+ map), styles.css and a
// default config.json. One build serves any environment: the page reads config.json at start, and
// whoever serves dist/public (the launcher, a static container) replaces that file.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, 'dist', 'public');
rmSync(path.join(here, 'dist'), { recursive: true, force: true });
mkdirSync(out, { recursive: true });

await build({
  entryPoints: [path.join(here, 'src', 'main.ts')],
  outfile: path.join(out, 'app.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
for (const file of ['index.html', 'styles.css']) copyFileSync(path.join(here, 'static', file), path.join(out, file));
writeFileSync(path.join(out, 'config.json'), `${JSON.stringify({ gatewayUrl: 'http://127.0.0.1:3000' }, null, 2)}\n`);
