/** Resident memory of the platform's processes, from /proc (Linux). */
import { readFileSync } from 'node:fs';
import type { Stack } from '@civil/launcher';

export const MiB = 1024 * 1024;

/** VmRSS of a process in bytes; undefined when the process is gone or this is not Linux. */
export function rssBytes(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    const kib = Number(line?.replace(/\D+/g, ''));
    return Number.isFinite(kib) && kib > 0 ? kib * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export interface MemorySample {
  /** Seconds since the mix started. */
  at: number;
  rss: Map<string, number | undefined>;
}

export function sampleServices(stack: Stack, at: number): MemorySample {
  return { at, rss: new Map([...stack.services.entries()].map(([name, s]) => [name, rssBytes(s.process.pid)])) };
}

/** The soak's bound on growth after the warm-up. */
export function rssBound(startBytes: number): number {
  return startBytes * 1.5 + 50 * MiB;
}
