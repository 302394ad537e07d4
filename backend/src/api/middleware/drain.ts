import type { MiddlewareHandler } from 'hono';

/** While draining, every response asks the client to close its connection, so keep-alive cannot pin us. */
export const closeConnectionsWhen =
  (draining: () => boolean): MiddlewareHandler =>
  async (c, next) => {
    await next();
    if (draining()) c.res.headers.set('Connection', 'close');
  };
