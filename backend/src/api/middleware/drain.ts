import type { MiddlewareHandler } from 'hono';
import { setResponseHeader } from '../nodeHeaders.ts';

/** While draining, every response asks the client to close its connection, so keep-alive cannot pin us. */
export const closeConnectionsWhen =
  (draining: () => boolean): MiddlewareHandler =>
  async (c, next) => {
    await next();
    // Checked after the handler, so requests already running when the drain began get it too.
    if (draining()) setResponseHeader(c, 'Connection', 'close');
  };
