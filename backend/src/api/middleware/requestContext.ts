import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../../log/index.ts';
import type { ApiEnv } from '../env.ts';
import { setResponseHeader } from '../nodeHeaders.ts';

const ACCEPTABLE_ID = /^[\w.:@/+=-]{1,128}$/;

/** Request id: the caller's `X-Request-Id` when sane, else a new one; echoed back and on every log line. */
export const requestContext =
  (log: Logger): MiddlewareHandler<ApiEnv> =>
  // Not async: returning next()'s promise spares a promise and a microtask hop per request (this runs on all).
  (c, next) => {
    const given = c.req.header('x-request-id');
    const requestId = given && ACCEPTABLE_ID.test(given) ? given : randomUUID();
    c.set('requestId', requestId);
    let child: Logger | undefined;
    // A child logger costs an allocation and serialisation of its bindings; only pay when something logs.
    c.set('log', () => (child ??= log.child({ reqId: requestId })));
    setResponseHeader(c, 'X-Request-Id', requestId);
    return next();
  };
