import type { MiddlewareHandler } from 'hono';

/** While draining, every response asks the client to close its connection, so keep-alive cannot pin us. */
export const closeConnectionsWhen =
  (draining: () => boolean): MiddlewareHandler =>
  async (c, next) => {
    if (draining()) c.header('Connection', 'close');
    await next();
    // Requests that were already running when the drain began: the slow path is fine for these few.
    if (draining() && c.res.headers.get('Connection') !== 'close') c.res.headers.set('Connection', 'close');
  };
