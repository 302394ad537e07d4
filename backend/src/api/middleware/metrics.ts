import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Logger } from '../../log/index.ts';
import { UNMATCHED_ROUTE, type ReplicaMetrics } from '../../metrics/index.ts';

/** The route template that handled the request; middleware-only matches (`app.use`) mean no route matched. */
export const routeLabel = (c: Context) => {
  const last = matchedRoutes(c).at(-1);
  return last && last.method !== 'ALL' ? last.path : UNMATCHED_ROUTE;
};

/** RED metrics per route template, plus the in-flight gauge. Also writes one debug log line per request. */
export const requestMetrics =
  (m: ReplicaMetrics, debug: boolean): MiddlewareHandler =>
  async (c, next) => {
    const started = performance.now();
    m.inFlight.inc();
    try {
      await next();
    } finally {
      m.inFlight.dec();
      const seconds = (performance.now() - started) / 1000;
      const labels = { method: c.req.method, route: routeLabel(c), status_code: String(c.res.status) };
      m.requests.inc(labels);
      m.duration.observe(labels, seconds);
      const log = c.get('log') as (() => Logger) | undefined;
      if (c.res.status >= 500) log?.().warn({ ...labels, ms: seconds * 1000 }, 'request failed');
      else if (debug) log?.().debug({ ...labels, ms: seconds * 1000 }, 'request');
    }
  };
