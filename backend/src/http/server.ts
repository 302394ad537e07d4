// A Node HTTP server for a fetch-style app, with a bounded graceful drain.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAdaptorServer } from '@hono/node-server';

type Fetch = (req: Request) => Response | Promise<Response>;

export interface HttpServer {
  readonly port: number;
  /**
   * Stops accepting, lets in-flight requests finish (their responses carry `Connection: close` from the app),
   * closes idle keep-alive connections as they appear, and after `timeoutMs` cuts whatever is left.
   * Resolves true when everything finished in time.
   */
  drain(timeoutMs: number): Promise<boolean>;
}

/** Inside a node:cluster worker, listen() shares the primary's port; that needs no special case here. */
export async function listen(fetch: Fetch, port: number, host: string | undefined): Promise<HttpServer> {
  const server = createAdaptorServer({ fetch, overrideGlobalObjects: false }) as Server;
  // Slightly above common load balancer idle timeouts, so the client side closes idle connections first.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;

  return {
    port: bound,
    async drain(timeoutMs) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // A connection that just finished a response (with Connection: close) goes away by itself; one that went
      // idle between requests is closed here, so keep-alive clients cannot hold the process open.
      const sweeper = setInterval(() => server.closeIdleConnections(), 50);
      const deadline = sleep(timeoutMs, 'timeout' as const, { ref: false });
      const result = await Promise.race([closed.then(() => 'closed' as const), deadline]);
      clearInterval(sweeper);
      if (result === 'timeout') {
        server.closeAllConnections();
        await closed;
        return false;
      }
      return true;
    },
  };
}
