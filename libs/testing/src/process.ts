import { spawn, type ChildProcess } from 'node:child_process';
import { registerExitCleanup } from './exit-cleanup';
import { LineSplitter, OutputBuffer, errorMessage, settlesWithin, sleep, tailLines, withTimeout } from './output';

export interface SpawnProcessOptions {
  /** Label used in error messages. */
  name: string;
  command: string;
  args: string[];
  /** Added on top of process.env (the child inherits PATH, HOME, ...). */
  env?: Record<string, string>;
  cwd?: string;
  /** Optional live view of the output, one line at a time (stdout and stderr interleaved). */
  log?: (line: string) => void;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ManagedProcess {
  name: string;
  pid: number | undefined;
  /** Captured stdout+stderr so far (the most recent 512 KiB). */
  output(): string;
  /** Resolves when the process has exited; rejects (with the output tail) after `timeoutMs`. */
  waitForExit(timeoutMs?: number): Promise<ProcessExit>;
  /** Sends `signal` (default SIGTERM), waits up to `timeoutMs` (default 10 s), then SIGKILLs. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<void>;
  /** SIGKILL and wait for the exit. */
  kill(): Promise<void>;
  running(): boolean;
}

/**
 * Starts a child process whose output is captured and whose lifetime is bound to ours: it is
 * SIGKILLed on process 'exit' if still running. Spawn failures (e.g. ENOENT) do not throw; they
 * show up as an exit with `code: null` and the error text in `output()`.
 */
export function spawnProcess(options: SpawnProcessOptions): ManagedProcess {
  const { name, command, args } = options;
  const buffer = new OutputBuffer();
  const lines = options.log ? new LineSplitter(options.log) : undefined;
  let exit: ProcessExit | undefined;
  let resolveExit: (value: ProcessExit) => void = () => undefined;
  const exited = new Promise<ProcessExit>((resolve) => {
    resolveExit = resolve;
  });

  const record = (chunk: string): void => {
    buffer.append(chunk);
    lines?.push(chunk);
  };
  const finish = (result: ProcessExit): void => {
    if (exit) return;
    exit = result;
    lines?.flush();
    unregister();
    resolveExit(result);
  };

  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.setEncoding('utf8').on('data', record);
  child.stderr?.setEncoding('utf8').on('data', record);

  const unregister = registerExitCleanup({
    onExit: () => {
      if (!exit) child.kill('SIGKILL');
    },
    onSignal: () => {
      if (!exit) child.kill('SIGTERM');
    },
  });

  child.once('exit', (code, signal) => finish({ code, signal }));
  child.once('error', (error) => {
    record(`[${name}] failed to run ${command}: ${error.message}\n`);
    // 'exit' never comes when the spawn itself failed.
    if (child.pid === undefined) finish({ code: null, signal: null });
  });

  const running = (): boolean => exit === undefined;

  const waitForExit = async (timeoutMs?: number): Promise<ProcessExit> => {
    if (exit) return exit;
    if (timeoutMs === undefined) return exited;
    return withTimeout(exited, timeoutMs, `${name} (pid ${child.pid ?? '?'}) did not exit within ${timeoutMs} ms.`).catch(
      (error: unknown) => {
        throw new Error(`${errorMessage(error)}\n--- ${name} output (tail) ---\n${tailLines(buffer.toString())}`);
      },
    );
  };

  const kill = async (): Promise<void> => {
    if (!running()) return;
    child.kill('SIGKILL');
    await exited;
  };

  const stop = async (signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<void> => {
    if (!running()) return;
    child.kill(signal);
    if (!(await settlesWithin(exited, timeoutMs))) await kill();
  };

  return {
    name,
    pid: child.pid,
    output: () => buffer.toString(),
    waitForExit,
    stop,
    kill,
    running,
  };
}

/**
 * Polls `url` (GET) until it answers 200. When `processToWatch` exits first, fails right away with
 * that process's output tail instead of waiting for the timeout.
 */
export async function waitForHttpOk(url: string, timeoutMs = 30_000, processToWatch?: ManagedProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no response yet';
  for (;;) {
    if (processToWatch && !processToWatch.running()) {
      const result = await processToWatch.waitForExit();
      throw new Error(
        `${processToWatch.name} exited (code ${String(result.code)}, signal ${String(result.signal)}) ` +
          `before ${url} answered 200.\n--- ${processToWatch.name} output (tail) ---\n${tailLines(processToWatch.output())}`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(Math.max(250, Math.min(2_000, deadline - Date.now()))) });
      await response.arrayBuffer();
      if (response.status === 200) return;
      lastProblem = `HTTP ${response.status}`;
    } catch (error) {
      lastProblem = errorMessage(error);
    }
    if (Date.now() >= deadline) {
      const tail = processToWatch ? `\n--- ${processToWatch.name} output (tail) ---\n${tailLines(processToWatch.output())}` : '';
      throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (last: ${lastProblem}).${tail}`);
    }
    await sleep(100);
  }
}
