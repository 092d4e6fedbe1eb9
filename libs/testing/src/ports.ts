import { createServer } from 'node:net';

/** The only interface the harness binds to or advertises. */
export const LOOPBACK = '127.0.0.1';

/**
 * Asks the kernel for a free TCP port on 127.0.0.1 (bind port 0, read the port, close).
 * Every default port in this package comes from here, so parallel test runs do not collide.
 */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host: LOOPBACK, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('findFreePort: could not read the bound port'));
        return;
      }
      const { port } = address;
      server.close((error) => (error ? reject(error) : resolve(port)));
    });
  });
}

/** Resolves true when `port` can be bound on 127.0.0.1 right now (false on EADDRINUSE/EACCES). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(false);
      else reject(error);
    });
    server.listen({ port, host: LOOPBACK, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

/** Throws a readable error when `port` is taken, naming what we were about to start. */
export async function assertPortFree(port: number, what: string): Promise<void> {
  if (!(await isPortFree(port))) {
    throw new Error(
      `Cannot start ${what}: port ${LOOPBACK}:${port} is already in use. ` +
        'Stop the process listening there, choose another port, or omit the port to get a free one.',
    );
  }
}
