/** Small pieces every benchmark script needs: its settings from the environment, timing, output. */

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
