import { hostProcess } from './host';

/**
 * One place that makes sure nothing the harness started outlives the Node process:
 *  - on 'exit' every registered cleanup runs synchronously (children get SIGKILL, temp dirs go);
 *  - on SIGINT/SIGTERM/SIGHUP, *if nobody else handles the signal*, children get SIGTERM and the
 *    signal is re-raised so the process still dies the default way. When another listener exists
 *    (a launcher's graceful shutdown, Jest) that listener owns the shutdown, and the 'exit' pass
 *    still reaps whatever is left.
 * A single set of listeners is installed (on the real process, see host.ts) however many servers
 * are started.
 */
export interface ExitCleanup {
  /** Runs synchronously from process.on('exit'). Must not throw. */
  onExit(): void;
  /** Runs when a terminating signal arrives that nobody else handles. Must not throw. */
  onSignal?(signal: NodeJS.Signals): void;
}

const cleanups = new Set<ExitCleanup>();
let installed = false;

const TERMINATING_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function install(): void {
  if (installed) return;
  installed = true;
  hostProcess.on('exit', () => {
    for (const cleanup of [...cleanups]) {
      try {
        cleanup.onExit();
      } catch {
        // best effort: the process is going away
      }
    }
  });
  for (const signal of TERMINATING_SIGNALS) {
    const handler = (): void => {
      if (hostProcess.listenerCount(signal) > 1) return; // someone else owns this shutdown
      for (const cleanup of [...cleanups]) {
        try {
          cleanup.onSignal?.(signal);
        } catch {
          // best effort
        }
      }
      hostProcess.removeListener(signal, handler);
      hostProcess.kill(hostProcess.pid, signal);
    };
    hostProcess.on(signal, handler);
  }
}

/** Registers a cleanup; returns a function that unregisters it (call it after a clean stop). */
export function registerExitCleanup(cleanup: ExitCleanup): () => void {
  install();
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}
