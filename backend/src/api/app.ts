// The public API app (port 3000 in a pod, the shared port under the supervisor). No probes or metrics here:
// those are on the management port, out of reach of injected faults.
import { Hono } from 'hono';
import type { ChaosController } from '../chaos/controller.ts';
import type { Logger } from '../log/index.ts';
import type { ReplicaMetrics } from '../metrics/index.ts';
import { StoreUnavailableError, type Store } from '../store/index.ts';
import type { ApiEnv } from './env.ts';
import { apiError } from './errors.ts';
import { chaos } from './middleware/chaos.ts';
import { closeConnectionsWhen } from './middleware/drain.ts';
import { requestMetrics } from './middleware/metrics.ts';
import { requestContext } from './middleware/requestContext.ts';
import { pollRoutes } from './routes/polls.ts';

export interface ApiDeps {
  store: Store;
  metrics: ReplicaMetrics;
  chaos: ChaosController;
  log: Logger;
  bodyLimitBytes: number;
  draining: () => boolean;
  /** Told about every store outage a request ran into, so store_up drops without waiting for the next probe. */
  onStoreError: (err: StoreUnavailableError) => void;
}

export function createApiApp(deps: ApiDeps) {
  const app = new Hono<ApiEnv>();
  app.use('*', requestContext(deps.log), requestMetrics(deps.metrics, deps.log.isLevelEnabled('debug')), closeConnectionsWhen(deps.draining));
  app.use('/api/*', chaos(deps.chaos, deps.metrics));
  app.route('/api', pollRoutes(deps));

  app.notFound((c) => apiError(c, 404, 'not_found', `no route for ${c.req.method} ${c.req.path}`));
  app.onError((err, c) => {
    if (err instanceof StoreUnavailableError) {
      deps.onStoreError(err);
      c.header('Retry-After', '1');
      return apiError(c, 503, 'store_unavailable', 'the store is unavailable, try again shortly');
    }
    c.var.log().error({ err }, 'unhandled error');
    return apiError(c, 500, 'internal', 'internal error');
  });
  return app;
}
