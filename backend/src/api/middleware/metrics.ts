import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Logger } from '../../log/index.ts';
import { UNMATCHED_ROUTE, type ReplicaMetrics } from '../../metrics/index.ts';

/** The route template that handled the request; middleware-only matches (`app.use`) mean no route matched. */
export const routeLabel = (c: Context) => {
  const last = matchedRoutes(c).at(-1);
  return last && last.method !== 'ALL' ? last.path : UNMATCHED_ROUTE;
};

type Labels = { method: string; route: string; status_code: string };

/** RED metrics per route template, plus the in-flight gauge. Also writes one debug log line per request. */
export const requestMetrics = (m: ReplicaMetrics, debug: boolean): MiddlewareHandler => {
  // prom-client hashes a label object on every call; the label sets are few (route templates x methods x
  // statuses), so their bound children are cached and each request only looks up a string key.
  const series = new Map<string, { count: { inc(): void }; duration: { observe(v: number): void } }>();
  const seriesFor = (l: Labels) => {
    const key = `${l.method} ${l.route} ${l.status_code}`;
    let s = series.get(key);
    if (!s) {
      s = { count: m.requests.labels(l), duration: m.duration.labels(l) };
      series.set(key, s);
    }
    return s;
  };
  return async (c, next) => {
    const started = performance.now();
    m.inFlight.inc();
    try {
      await next();
    } finally {
      m.inFlight.dec();
      const seconds = (performance.now() - started) / 1000;
      const labels = { method: c.req.method, route: routeLabel(c), status_code: String(c.res.status) };
      const s = seriesFor(labels);
      s.count.inc();
      s.duration.observe(seconds);
      const log = c.get('log') as (() => Logger) | undefined;
      if (c.res.status >= 500) log?.().warn({ ...labels, ms: seconds * 1000 }, 'request failed');
      else if (debug) log?.().debug({ ...labels, ms: seconds * 1000 }, 'request');
    }
  };
};
