// A Node HTTP server for a fetch-style app, with a bounded graceful drain.
import type { Server } from 'node:http';
import { Server as NetServer, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAdaptorServer } from '@hono/node-server';

type Fetch = (req: Request) => Response | Promise<Response>;

// While draining, a keep-alive connection is closed only after it sat idle this long. Closing one the moment it
// goes idle races the client's next request on it (the client sees a reset); a busy connection instead gets its
// next response with `Connection: close`, and a client that waited this long is not about to write.
const DRAIN_IDLE_GRACE_MS = 1000;

export interface HttpServer {
  readonly port: number;
  /**
   * Stops accepting, lets in-flight requests finish (their responses carry `Connection: close` from the app),
   * closes idle keep-alive connections as they appear, and after `timeoutMs` cuts whatever is left.
   * Resolves true when everything finished in time.
   */
  drain(timeoutMs: number): Promise<boolean>;
  /**
   * Stops accepting new connections now and leaves open ones alone (in a cluster worker: leaves the primary's
   * round-robin). drain() does this too; the supervisor calls it alone right before a SIGKILL.
   */
  stopAccepting(): void;
}

/** Inside a node:cluster worker, listen() shares the primary's port; that needs no special case here. */
export async function listen(fetch: Fetch, port: number, host: string | undefined): Promise<HttpServer> {
  const server = createAdaptorServer({ fetch }) as Server;
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

  // When each open connection last finished a response (absent = a request is in progress on it).
  const idleSince = new Map<Socket, number>();
  server.on('connection', (socket: Socket) => {
    idleSince.set(socket, Date.now());
    socket.once('close', () => idleSince.delete(socket));
  });
  server.on('request', (req, res) => {
    idleSince.delete(req.socket);
    res.once('finish', () => {
      if (!req.socket.destroyed) idleSince.set(req.socket, Date.now());
    });
  });
  const closeLongIdle = () => {
    const now = Date.now();
    for (const [socket, since] of idleSince) if (now - since >= DRAIN_IDLE_GRACE_MS) socket.destroy();
  };

  // net.Server's close, not http.Server's: stop accepting (in a cluster worker this takes us out of the
  // primary's round-robin) without http's immediate closeIdleConnections(), which resets clients that are
  // writing their next request on a connection that looks idle here. Resolves once every connection is gone.
  let closed: Promise<void> | undefined;
  const stopAccepting = () =>
    (closed ??= new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve())));

  return {
    port: bound,
    stopAccepting: () => void stopAccepting(),
    async drain(timeoutMs) {
      const closed = stopAccepting();
      // A connection that just finished a response (with Connection: close) goes away by itself; one left idle
      // is closed once it has been idle a while, so keep-alive clients cannot hold the process open.
      closeLongIdle();
      const sweeper = setInterval(closeLongIdle, 50);
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
