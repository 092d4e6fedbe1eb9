import { Client } from 'pg';
import type { Stack, BackendService } from '@civil/launcher';

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A small HTTP client for the gateway, as any outside caller would use it. */
export class GatewayClient {
  constructor(readonly baseUrl: string) {}

  async request<T = Record<string, unknown>>(method: string, path: string, options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    // JSON and problem+json are parsed; anything else (a CSV download) is returned as text.
    const isJson = (response.headers.get('content-type') ?? 'application/json').includes('json');
    return { status: response.status, body: (isJson ? (text ? JSON.parse(text) : null) : text) as T, headers: response.headers };
  }

  async token(claims: { userId: string; kind: 'staff' | 'citizen'; roles: string[]; divisions?: string[]; residentId?: string; permissions?: string[] }): Promise<string> {
    const response = await this.request<{ accessToken: string }>('POST', '/api/v1/dev/tokens', { body: { divisions: [], ...claims } });
    if (response.status !== 201) throw new Error(`token request failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.accessToken;
  }
}

/** Reads a service's own database directly, to check what was (not) written. */
export async function queryService<T = Record<string, unknown>>(stack: Stack, service: BackendService, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: stack.databaseUrl(service) });
  await client.connect();
  try {
    const result = await client.query(sql, params);
    return result.rows as T[];
  } finally {
    await client.end();
  }
}

/** Polls until `check` returns a value that is not undefined, or fails with the last reason. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const reason = last instanceof Error ? last.message : JSON.stringify(last);
  throw new Error(`timed out waiting for ${what}${last === undefined ? '' : `: ${reason}`}`);
}

export async function counterTotal(client: GatewayClient, token: string, eventType: string): Promise<number> {
  const response = await client.request<{ totalEvents: number }>('GET', `/api/v1/reports/counters?eventType=${encodeURIComponent(eventType)}`, { token });
  if (response.status !== 200) throw new Error(`counters: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.totalEvents;
}
