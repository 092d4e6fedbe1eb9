/** Small pieces every benchmark script needs: its settings from the environment, timing, output. */
import { startPostgres, type PostgresHandle } from './postgres';
import { recordScaleResult, scaleTable, type ScaleResult } from './province';

/** A positive whole number from the environment, or the fallback; anything else is an error naming the variable. */
export function benchInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** Runs the work and measures its wall time in seconds. */
export async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const started = process.hrtime.bigint();
  const result = await work();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, result };
}

/** One line of the benchmark's report on stdout. */
export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** The PostgreSQL version a benchmark ran against, for its report. */
export async function postgresVersion(db: { query<T>(sql: string): Promise<T> }): Promise<string> {
  const [row] = await db.query<{ server_version: string }[]>(`SHOW server_version`);
  return row?.server_version ?? '?';
}

/**
 * The frame of a bulk-job benchmark measured at several sizes: one throwaway PostgreSQL, `run`
 * at each size (in its own database), each result recorded for the scale driver, and the scaling
 * table printed when more than one size ran. `run` learns whether its size is the largest, where
 * a job's target applies. A failure is printed and sets exit code 1.
 */
export function benchAtSizes(
  sizes: readonly number[],
  scalingHeading: string,
  run: (postgres: PostgresHandle, size: number, largest: boolean) => Promise<ScaleResult>,
): void {
  const measure = async (): Promise<void> => {
    const postgres = await startPostgres();
    try {
      const results: ScaleResult[] = [];
      for (const size of sizes) {
        const result = await run(postgres, size, size === Math.max(...sizes));
        results.push(result);
        recordScaleResult(result);
      }
      if (sizes.length > 1) {
        say('');
        say(scalingHeading);
        say('');
        for (const line of scaleTable(results)) say(line);
      }
    } finally {
      await postgres.stop();
    }
  };
  measure().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
