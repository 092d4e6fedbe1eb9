import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import path from 'node:path';

/** The Schemathesis release the CLI flags below are written for (`.ci/run` installs it). */
export const SCHEMATHESIS_VERSION = '4.32.5';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export const SCHEMATHESIS_INSTALL_HINT =
  `Schemathesis ${SCHEMATHESIS_VERSION} is needed for the fuzz test and was not found. Install it with ` +
  `\`python3 -m venv .ci/.venv && .ci/.venv/bin/pip install schemathesis==${SCHEMATHESIS_VERSION}\` from the repository root ` +
  `(on Debian: \`apt-get install python3-venv\` first; \`bash .ci/run\` does all of it), or put \`st\` on PATH, or set SCHEMATHESIS_BIN to its path.`;

function versionOf(bin: string): string | null {
  const run = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 60_000 });
  if (run.error || run.status !== 0) return null;
  return /(\d+\.\d+\.\d+)/.exec(run.stdout)?.[1] ?? null;
}

/**
 * Finds the Schemathesis CLI: $SCHEMATHESIS_BIN, else `st` on PATH, else the CI venv
 * (.ci/.venv/bin/st). Throws with install instructions when there is none, or when it is not 4.x
 * (the 3.x CLI takes other options).
 */
export function findSchemathesis(): { bin: string; version: string } {
  const candidates = [process.env.SCHEMATHESIS_BIN, 'st', path.join(REPO_ROOT, '.ci', '.venv', 'bin', 'st')].filter((c): c is string => !!c);
  for (const bin of candidates) {
    if (bin.includes(path.sep) && !existsSync(bin)) continue;
    const version = versionOf(bin);
    if (version === null) continue;
    if (!version.startsWith('4.')) throw new Error(`${bin} is Schemathesis ${version}; the fuzz test needs 4.x. ${SCHEMATHESIS_INSTALL_HINT}`);
    return { bin, version };
  }
  throw new Error(SCHEMATHESIS_INSTALL_HINT);
}

export interface SchemathesisRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/**
 * Runs `st` with `args`, writing its output to `logFile` as it comes and returning it too. The
 * returned `child` is there so a test can kill a run that outlives it.
 */
export function runSchemathesis(bin: string, args: string[], options: { cwd: string; logFile: string }): { child: ChildProcess; done: Promise<SchemathesisRun> } {
  const child = spawn(bin, args, { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1', PYTHONUNBUFFERED: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(options.logFile);
  const chunks: Buffer[] = [];
  const take = (chunk: Buffer): void => {
    chunks.push(chunk);
    log.write(chunk);
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  const done = new Promise<SchemathesisRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      log.end();
      resolve({ exitCode, signal, output: Buffer.concat(chunks).toString('utf8') });
    });
  });
  return { child, done };
}

/** The part of Schemathesis's output worth putting in a failure message: failures, warnings, summary. */
export function failureReport(output: string, maxChars = 20_000): string {
  const start = output.search(/^=+ (FAILURES|ERRORS|WARNINGS|SUMMARY) =+$/m);
  const text = start === -1 ? output : output.slice(start);
  return text.length <= maxChars ? text : `${text.slice(0, maxChars / 2)}\n… (${text.length - maxChars} characters cut: see the log file) …\n${text.slice(-maxChars / 2)}`;
}
