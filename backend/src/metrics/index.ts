// Every metric a replica exports. The names are a contract: dashboards, alerts and reports are built on them.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5];
/** The route label of requests no route matched, so scanners cannot blow up label cardinality. */
export const UNMATCHED_ROUTE = 'unmatched';

export interface ReplicaMetrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status_code'>;
  duration: Histogram<'method' | 'route' | 'status_code'>;
  inFlight: Gauge;
  votes: Counter<'poll' | 'option'>;
  chaosDelay: Gauge;
  chaosJitter: Gauge;
  chaosErrorRate: Gauge;
  chaosInjected: Counter<'status_code'>;
  storeUp: Gauge;
}

export function createMetrics(): ReplicaMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    requests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests served on the API port',
      labelNames: ['method', 'route', 'status_code'],
      registers,
    }),
    duration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration on the API port, seconds',
      labelNames: ['method', 'route', 'status_code'],
      buckets: DURATION_BUCKETS,
      registers,
    }),
    inFlight: new Gauge({ name: 'http_requests_in_flight', help: 'API requests being served now', registers }),
    votes: new Counter({
      name: 'poll_votes_total',
      help: 'Votes newly recorded (replays not counted)',
      labelNames: ['poll', 'option'],
      registers,
    }),
    chaosDelay: new Gauge({ name: 'chaos_delay_milliseconds', help: 'Injected delay in effect, ms', registers }),
    chaosJitter: new Gauge({ name: 'chaos_jitter_milliseconds', help: 'Injected jitter in effect, ms', registers }),
    chaosErrorRate: new Gauge({ name: 'chaos_error_rate', help: 'Injected error probability in effect (0..1)', registers }),
    chaosInjected: new Counter({
      name: 'chaos_injected_errors_total',
      help: 'API responses replaced by an injected error',
      labelNames: ['status_code'],
      registers,
    }),
    storeUp: new Gauge({ name: 'store_up', help: '1 when the store answered its last check, else 0', registers }),
  };
}
