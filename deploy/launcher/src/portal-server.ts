import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from './services';

/** Where `npm run build -w services/portal` puts the portal's static files. */
export const PORTAL_PUBLIC_DIR = path.join(REPO_ROOT, 'services', 'portal', 'dist', 'public');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export interface PortalServerOptions {
  /** The directory served (the portal's dist/public). */
  root?: string;
  host?: string;
  /** 0 or unset: any free port. */
  port?: number;
  /** The gateway the page calls, written into the config.json it is served. */
  gatewayUrl: string;
  /** More keys for config.json (devSignIn, cemeterySites, dashboardYear). */
  config?: Record<string, unknown>;
}

export interface PortalServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * A tiny static file server for the portal: its built files, and a config.json generated for this
 * stack (so one build serves any gateway). GET and HEAD only; nothing outside the root is served.
 */
export async function startPortalServer(options: PortalServerOptions): Promise<PortalServer> {
  const root = path.resolve(options.root ?? PORTAL_PUBLIC_DIR);
  const config = `${JSON.stringify({ gatewayUrl: options.gatewayUrl, devSignIn: true, ...options.config }, null, 2)}\n`;
  // The page talks to the gateway and, for OpenID sign-in, to the provider's discovery and token endpoints.
  const oidc = options.config?.oidc as { issuer?: unknown } | undefined;
  const connect = [new URL(options.gatewayUrl).origin, ...(typeof oidc?.issuer === 'string' ? [new URL(oidc.issuer).origin] : [])];
  const headers = {
    'content-security-policy': `default-src 'self'; connect-src 'self' ${connect.join(' ')}; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', ...headers }).end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://portal').pathname);
    } catch {
      response.writeHead(400, headers).end();
      return;
    }
    if (pathname === '/') pathname = '/index.html';
    if (pathname === '/config.json') {
      response.writeHead(200, { ...headers, 'content-type': CONTENT_TYPES['.json'], 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : config);
      return;
    }
    const file = path.resolve(root, `.${pathname}`);
    if (!file.startsWith(`${root}${path.sep}`) || !existsSync(file) || !statSync(file).isFile()) {
      const built = existsSync(path.join(root, 'index.html'));
      response.writeHead(built ? 404 : 503, { ...headers, 'content-type': CONTENT_TYPES['.txt'] });
      response.end(built ? 'not found\n' : `the portal is not built: run \`npm run build -w services/portal\` (looked in ${root})\n`);
      return;
    }
    const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
    // index.html and config.json always fresh; the rest may be cached briefly.
    response.writeHead(200, { ...headers, 'content-type': type, 'cache-control': pathname === '/index.html' ? 'no-cache' : 'public, max-age=300' });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    createReadStream(file)
      .on('error', () => response.destroy())
      .pipe(response);
  };

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1'}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
