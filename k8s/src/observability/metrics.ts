// The metric names the poll service exports, in one place, so the rules, the dashboard and the consistency test
// that compares them with a live /metrics page all read the same list.

/** Exported by every backend replica (prom-client). */
export const BACKEND_METRICS = {
  requests: 'http_requests_total',
  duration: 'http_request_duration_seconds',
  inFlight: 'http_requests_in_flight',
  votes: 'poll_votes_total',
  chaosDelay: 'chaos_delay_milliseconds',
  chaosJitter: 'chaos_jitter_milliseconds',
  chaosErrorRate: 'chaos_error_rate',
  chaosInjectedErrors: 'chaos_injected_errors_total',
  storeUp: 'store_up',
  cpu: 'process_cpu_seconds_total',
  memory: 'process_resident_memory_bytes',
} as const;

/** Exported only by the local supervisor (the one-machine stand-in for a Deployment). */
export const SUPERVISOR_METRICS = {
  restarts: 'supervisor_replica_restarts_total',
  desired: 'supervisor_replicas_desired',
  ready: 'supervisor_replicas_ready',
} as const;

/** Exported only in a cluster, by kube-state-metrics (part of kube-prometheus-stack). */
export const KUBE_STATE_METRICS = {
  restarts: 'kube_pod_container_status_restarts_total',
} as const;

/** The histogram boundary the latency SLO is counted against: it must be one of the backend's buckets. */
export const LATENCY_SLO_SECONDS = 0.5;

/** The Prometheus job of the backend's scrape target: the metrics Service's name, as prometheus-operator sets it. */
export const SCRAPE_JOB = 'poll-backend-metrics';

/** The container name in the Deployment, as kube-state-metrics labels it. */
export const BACKEND_CONTAINER = 'backend';

/** Only the API is measured against the SLO; probes and scrapes live on the management port anyway. */
export const API_ROUTES = 'route=~"/api/.*"';
