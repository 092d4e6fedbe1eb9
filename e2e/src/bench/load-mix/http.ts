/** The few HTTP calls the load mix makes outside autocannon (seeding, tokens, counters), loopback only. */

export interface Reply<T> {
  status: number;
  body: T;
}

export async function call<T>(baseUrl: string, method: 'GET' | 'POST', path: string, options: { token?: string; body?: unknown } = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: body as T };
}

/** A call that must answer `expected`; anything else stops the set-up with the reply. */
export async function must<T>(baseUrl: string, method: 'GET' | 'POST', path: string, expected: number, options: { token?: string; body?: unknown } = {}): Promise<T> {
  const reply = await call<T>(baseUrl, method, path, options);
  if (reply.status !== expected) throw new Error(`${method} ${path}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 500)}`);
  return reply.body;
}

export interface TokenClaims {
  userId: string;
  kind: 'staff' | 'citizen';
  roles: string[];
  divisions?: string[];
  residentId?: string;
}

/** A development token from the gateway (`POST /api/v1/dev/tokens`, enabled by the launcher). */
export async function devToken(baseUrl: string, claims: TokenClaims): Promise<string> {
  const body = await must<{ accessToken: string }>(baseUrl, 'POST', '/api/v1/dev/tokens', 201, { body: { divisions: [], ...claims } });
  return body.accessToken;
}

/** Runs `work(i)` for i in [0, count), `parallel` at a time, in order of i; returns the results by i. */
export async function inBatches<T>(count: number, parallel: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let k = 0; k < count; k += parallel) {
    results.push(...(await Promise.all(Array.from({ length: Math.min(parallel, count - k) }, (_, j) => work(k + j)))));
  }
  return results;
}

/** reporting's count of one event type (all townships and months). */
export async function counterTotal(baseUrl: string, token: string, eventType: string): Promise<number> {
  const body = await must<{ totalEvents: number }>(baseUrl, 'GET', `/api/v1/reports/counters?eventType=${encodeURIComponent(eventType)}`, 200, { token });
  return body.totalEvents;
}
