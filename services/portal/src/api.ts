import { parseProblem, type Problem } from './problem';

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.status} ${problem.code ?? ''} ${problem.detail ?? ''}`.trim());
  }
}

/** Calls the gateway with the signed-in user's bearer token; failures become ApiError with the problem. */
export class Api {
  constructor(
    private readonly baseUrl: string,
    private readonly token: () => string | null,
  ) {}

  async get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, body);
    const text = await response.text();
    return (text ? JSON.parse(text) : null) as T;
  }

  /** A binary download (the annual report) as a blob with the file name the server suggests. */
  async download(path: string): Promise<{ blob: Blob; fileName: string | null }> {
    const response = await this.send('GET', path);
    const disposition = response.headers.get('content-disposition') ?? '';
    const match = /filename\*=UTF-8''([^;]+)|filename="?([^";]+)"?/i.exec(disposition);
    const encoded = match?.[1] ?? match?.[2] ?? null;
    return { blob: await response.blob(), fileName: encoded ? decodeURIComponent(encoded) : null };
  }

  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json, */*' };
    const token = this.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch {
      throw new ApiError(parseProblem(0, null));
    }
    if (!response.ok) {
      let parsed: unknown = null;
      try {
        parsed = await response.json();
      } catch {
        parsed = null;
      }
      throw new ApiError(parseProblem(response.status, parsed, response.headers.get('retry-after')));
    }
    return response;
  }
}
