/** Bounded text buffer for child-process output: keeps the most recent `maxChars` characters. */
export class OutputBuffer {
  private text = '';

  constructor(private readonly maxChars = 512 * 1024) {}

  append(chunk: string): void {
    this.text += chunk;
    if (this.text.length > this.maxChars) this.text = this.text.slice(this.text.length - this.maxChars);
  }

  toString(): string {
    return this.text;
  }

  tail(lines = 40): string {
    return tailLines(this.text, lines);
  }
}

/** Last `lines` non-empty lines of `text` (for error messages). */
export function tailLines(text: string, lines = 40): string {
  const all = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  return all.slice(-lines).join('\n');
}

/**
 * Turns arbitrary chunks into whole lines for a `log(line)` callback; `flush()` emits the
 * unterminated remainder (call it when the stream ends).
 */
export class LineSplitter {
  private partial = '';

  constructor(private readonly emit: (line: string) => void) {}

  push(chunk: string): void {
    const parts = (this.partial + chunk).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.emit(line);
  }

  flush(): void {
    if (this.partial !== '') this.emit(this.partial);
    this.partial = '';
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function errorMessage(error: unknown): string {
  // Duck-typed rather than `instanceof Error`: errors may come from another realm (Jest sandbox).
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') {
    // fetch() says only "fetch failed"; the useful part (ECONNREFUSED, ...) is in `cause`.
    const cause = 'cause' in error && error.cause !== undefined ? `: ${errorMessage(error.cause)}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

/** Rejects with `message` when `promise` has not settled after `ms`; the timer never outlives it. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** True when `promise` settles within `ms` (its rejection counts as settling), false otherwise. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
