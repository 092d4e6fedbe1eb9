/**
 * How each bulk job's cost grows with the data: runs every bulk-job benchmark at each size, one
 * after the other (child processes of the built dist files, each with its own throwaway
 * PostgreSQL), and prints one combined markdown table.
 *
 *   node e2e/dist/bench/scale.js                                   # 10,000, 100,000, 1,000,000
 *   BENCH_SIZES=10000,100000 BENCH_SCALE_JOBS=payroll,allowances node e2e/dist/bench/scale.js
 *
 * Environment:
 *   BENCH_SIZES         sizes for every job (default 10000,100000,1000000)
 *   BENCH_SCALE_JOBS    a subset of: payroll, allowances, age-allowance, place-names-import, reporting-rebuild
 *   BENCH_IMPORT_SIZES  sizes of the place-names import (default: those of BENCH_SIZES up to
 *                       100,000 — at 3–6 ms a place through the service, 1,000,000 would take
 *                       an hour or more, over the half hour a job of this driver should take)
 *   BENCH_SCALE_OUT     the JSON-lines file the benches append their results to (default a temp
 *                       file); given an existing file, earlier results in it are kept and printed too
 *
 * Per row: rows written, the service's seconds, the raw baseline's seconds (same run, same
 * PostgreSQL), the ratio, rows/s and the growth: time at this size ÷ time at the previous size,
 * next to the size factor (10× the data with linear cost ≈ 10× the time).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scaleTable, type ScaleResult } from '@civil/testing';

const ROOT = path.join(__dirname, '../../..');

interface Job {
  id: string;
  script: string;
  sizes: (sizes: number[]) => number[];
}

const IMPORT_LIMIT = 100_000;
const all = (sizes: number[]): number[] => sizes;

const JOBS: Job[] = [
  { id: 'payroll', script: 'services/social-assistance/dist/payroll/bench/payroll-bench.js', sizes: all },
  { id: 'allowances', script: 'services/social-affairs/dist/allowances/bench/allowance-payroll-bench.js', sizes: all },
  { id: 'age-allowance', script: 'services/elderly-care/dist/age-allowance/bench/age-allowance-bench.js', sizes: all },
  {
    id: 'place-names-import',
    script: 'e2e/dist/bench/place-names-import-bench.js',
    sizes: (sizes) => (process.env.BENCH_IMPORT_SIZES ? parseSizes(process.env.BENCH_IMPORT_SIZES, 'BENCH_IMPORT_SIZES') : sizes.filter((s) => s <= IMPORT_LIMIT)),
  },
  { id: 'reporting-rebuild', script: 'e2e/dist/bench/reporting-rebuild-bench.js', sizes: all },
];

function parseSizes(raw: string, name: string): number[] {
  const sizes = raw.split(',').map((s) => Number(s.trim().replace(/_/g, '')));
  if (sizes.some((s) => !Number.isSafeInteger(s) || s < 1)) throw new Error(`${name} must be positive integers separated by commas, got "${raw}"`);
  return sizes;
}

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Runs one benchmark; its output goes straight through. Resolves with its exit code and seconds. */
function run(job: Job, sizes: number[], resultsFile: string): Promise<{ code: number; seconds: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, job.script)], {
      cwd: ROOT,
      env: { ...process.env, BENCH_SIZES: sizes.join(','), BENCH_SCALE_OUT: resultsFile },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', (error) => {
      out(`${job.id}: could not start: ${error.message}`);
      resolve({ code: 1, seconds: (Date.now() - started) / 1000 });
    });
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), seconds: (Date.now() - started) / 1000 }));
  });
}

async function main(): Promise<void> {
  const sizes = parseSizes(process.env.BENCH_SIZES ?? '10000,100000,1000000', 'BENCH_SIZES');
  const wanted = (process.env.BENCH_SCALE_JOBS ?? JOBS.map((j) => j.id).join(',')).split(',').map((s) => s.trim());
  const unknown = wanted.filter((id) => !JOBS.some((j) => j.id === id));
  if (unknown.length > 0) throw new Error(`unknown job(s) ${unknown.join(', ')}; the jobs are ${JOBS.map((j) => j.id).join(', ')}`);
  const resultsFile = process.env.BENCH_SCALE_OUT ?? path.join(mkdtempSync(path.join(os.tmpdir(), 'bench-scale-')), 'results.jsonl');

  out(`# bulk-job scaling — ${new Date().toISOString()}`);
  out(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')}`);
  out(`sizes: ${sizes.join(', ')}; jobs: ${wanted.join(', ')}; results: ${resultsFile}`);
  const runs: string[] = [];
  for (const job of JOBS.filter((j) => wanted.includes(j.id))) {
    const jobSizes = job.sizes(sizes);
    if (jobSizes.length === 0) continue;
    out('');
    out(`## ${job.id} at ${jobSizes.join(', ')} (load average ${os.loadavg()[0]?.toFixed(1)})`);
    out('');
    const { code, seconds } = await run(job, jobSizes, resultsFile);
    runs.push(`${job.id}: exit ${code} after ${seconds.toFixed(0)} s (load average at the end ${os.loadavg()[0]?.toFixed(1)})${code === 1 ? ' — above its 2× target at its largest size, or failed: see its output' : ''}`);
  }

  const results: ScaleResult[] = existsSync(resultsFile)
    ? readFileSync(resultsFile, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as ScaleResult)
    : [];
  // Grouped by job (in the order first seen), each by size, so growth compares like with like.
  const order = [...new Set(results.map((r) => r.job))];
  results.sort((a, b) => order.indexOf(a.job) - order.indexOf(b.job) || a.size - b.size);
  out('');
  out('## Combined');
  out('');
  out('growth = the service time at this size ÷ at the previous size (the raw baseline\'s in brackets); size factor = this size ÷ the previous; linear cost: growth ≈ size factor.');
  out('');
  for (const line of scaleTable(results, { jobColumn: true })) out(line);
  out('');
  for (const line of runs) out(line);
}

main().catch((error: unknown) => {
  process.stderr.write(`scale failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
