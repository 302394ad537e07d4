// The PrometheusRule's groups, as typed data: recording rules the dashboard reads, RED alerts, and multiwindow
// multi-burn-rate SLO alerts (Google SRE workbook, "Alerting on SLOs", table 5-8). Rendered to YAML by the
// generator; promtool checks and unit-tests the result.
import {
  API_ROUTES,
  BACKEND_CONTAINER,
  BACKEND_METRICS as M,
  KUBE_STATE_METRICS,
  LATENCY_SLO_SECONDS,
  SCRAPE_JOB,
  SUPERVISOR_METRICS,
} from './metrics.ts';
import { rate, ratioOrZero, sumBy } from './promql.ts';

export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: Severity } & Record<string, string>;
  annotations: { summary: string; description: string } & Record<string, string>;
}

export type Severity = 'critical' | 'warning' | 'info';
export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  name: string;
  interval?: string;
  rules: Rule[];
}

export const NAMESPACE = 'poll-app';

/** An SLO over the API: the share of requests that may be bad over the 30-day budget period. */
export interface Slo {
  name: 'availability' | 'latency';
  objective: number;
  /** Recording rule name for the bad-request ratio over `window`. */
  ratioRecord: (window: string) => string;
  ratioExpr: (window: string) => string;
  what: string;
}

const NS = ['namespace'] as const;

export const SLOS: readonly Slo[] = [
  {
    name: 'availability',
    objective: 0.999,
    ratioRecord: (w) => `namespace:poll_api_errors:ratio_rate${w}`,
    ratioExpr: (w) =>
      ratioOrZero(NS, rate(M.requests, [API_ROUTES, 'status_code=~"5.."'], w), rate(M.requests, [API_ROUTES], w)),
    what: 'API requests answered with a 5xx',
  },
  {
    name: 'latency',
    objective: 0.99,
    ratioRecord: (w) => `namespace:poll_api_slow:ratio_rate${w}`,
    ratioExpr: (w) =>
      `1 - (${sumBy(NS, rate(`${M.duration}_bucket`, [API_ROUTES, `le="${LATENCY_SLO_SECONDS}"`], w))} / ${sumBy(
        NS,
        rate(`${M.duration}_count`, [API_ROUTES], w),
      )})`,
    what: `API requests slower than ${LATENCY_SLO_SECONDS * 1000} ms`,
  },
];

/** Burn-rate tiers: both windows must burn faster than `factor` x the budget rate. */
export interface BurnTier {
  long: string;
  short: string;
  factor: number;
}
export const PAGE_TIERS: readonly BurnTier[] = [
  { long: '1h', short: '5m', factor: 14.4 },
  { long: '6h', short: '30m', factor: 6 },
];
export const TICKET_TIERS: readonly BurnTier[] = [
  { long: '1d', short: '2h', factor: 3 },
  { long: '3d', short: '6h', factor: 1 },
];
export const SLO_WINDOWS = [...new Set([...PAGE_TIERS, ...TICKET_TIERS].flatMap((t) => [t.short, t.long]))];

const budget = (slo: Slo): string => (1 - slo.objective).toFixed(6).replace(/0+$/, '');

const burnExpr = (slo: Slo, tiers: readonly BurnTier[]): string =>
  tiers
    .map(
      (t) =>
        `(${slo.ratioRecord(t.long)} > (${t.factor} * ${budget(slo)}) and ${slo.ratioRecord(t.short)} > (${t.factor} * ${budget(slo)}))`,
    )
    .join('\nor\n');

const capitalised = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

const sloAlerts = (slo: Slo): AlertingRule[] => [
  {
    alert: `Poll${capitalised(slo.name)}BudgetBurnFast`,
    expr: burnExpr(slo, PAGE_TIERS),
    for: '2m',
    labels: { severity: 'critical', slo: slo.name },
    annotations: {
      summary: `Poll service is burning its ${slo.name} error budget fast`,
      description: `${slo.what}: the ratio exceeds ${PAGE_TIERS.map((t) => `${t.factor}x the budget over ${t.long} and ${t.short}`).join(', or ')} (SLO ${slo.objective * 100}% over 30 days). At this pace the budget is gone in days.`,
    },
  },
  {
    alert: `Poll${capitalised(slo.name)}BudgetBurnSlow`,
    expr: burnExpr(slo, TICKET_TIERS),
    for: '15m',
    labels: { severity: 'warning', slo: slo.name },
    annotations: {
      summary: `Poll service is slowly burning its ${slo.name} error budget`,
      description: `${slo.what}: the ratio exceeds ${TICKET_TIERS.map((t) => `${t.factor}x the budget over ${t.long} and ${t.short}`).join(', or ')} (SLO ${slo.objective * 100}% over 30 days). Open a ticket.`,
    },
  },
];

export const QUANTILES = [0.5, 0.95, 0.99] as const;
export const quantileRecord = (q: number): string =>
  `namespace_route:poll_http_request_duration_seconds:p${Math.round(q * 100)}_rate1m`;

export const RECORDS = {
  requestsByRoute: 'namespace_route:poll_http_requests:rate1m',
  requestsByStatus: 'namespace_status_code:poll_http_requests:rate1m',
  errorRatioByRoute: 'namespace_route:poll_http_errors:ratio_rate1m',
  bucketsByRoute: 'namespace_route_le:poll_http_request_duration_seconds_bucket:rate1m',
  p95: 'namespace:poll_http_request_duration_seconds:p95_rate5m',
  restarts: 'namespace_pod:poll_restarts:increase10m',
} as const;

const dashboardRecords: RecordingRule[] = [
  { record: RECORDS.requestsByRoute, expr: sumBy(['namespace', 'route'], rate(M.requests, [API_ROUTES], '1m')) },
  {
    record: RECORDS.requestsByStatus,
    expr: sumBy(['namespace', 'status_code'], rate(M.requests, [API_ROUTES], '1m')),
  },
  {
    record: RECORDS.errorRatioByRoute,
    expr: ratioOrZero(
      ['namespace', 'route'],
      rate(M.requests, [API_ROUTES, 'status_code=~"5.."'], '1m'),
      rate(M.requests, [API_ROUTES], '1m'),
    ),
  },
  {
    record: RECORDS.bucketsByRoute,
    expr: sumBy(['namespace', 'route', 'le'], rate(`${M.duration}_bucket`, [API_ROUTES], '1m')),
  },
  ...QUANTILES.map((q) => ({ record: quantileRecord(q), expr: `histogram_quantile(${q}, ${RECORDS.bucketsByRoute})` })),
  {
    record: RECORDS.p95,
    expr: `histogram_quantile(0.95, ${sumBy(['namespace', 'le'], rate(`${M.duration}_bucket`, [API_ROUTES], '5m'))})`,
  },
  {
    // kube-state-metrics counts container restarts in a cluster; the local supervisor counts its own. Whichever
    // exists feeds the same series, so the alert and the panel work in both places.
    record: RECORDS.restarts,
    expr: `${sumBy(['namespace', 'pod'], `increase(${KUBE_STATE_METRICS.restarts}{namespace="${NAMESPACE}", container="${BACKEND_CONTAINER}"}[10m])`)}\nor\n${sumBy(['namespace', 'pod'], `increase(${SUPERVISOR_METRICS.restarts}[10m])`)}`,
  },
];

const sloRecords: RecordingRule[] = SLOS.flatMap((slo) =>
  SLO_WINDOWS.map((w) => ({ record: slo.ratioRecord(w), expr: slo.ratioExpr(w), labels: { slo: slo.name } })),
);

const redAlerts: AlertingRule[] = [
  {
    alert: 'PollHighErrorRatio',
    expr: `${SLOS[0]!.ratioRecord('5m')} > 0.05`,
    for: '5m',
    labels: { severity: 'warning' },
    annotations: {
      summary: 'More than 5% of poll API requests fail',
      description: '{{ $value | humanizePercentage }} of API requests in {{ $labels.namespace }} answered 5xx over the last 5 minutes.',
    },
  },
  {
    alert: 'PollHighLatencyP95',
    expr: `${RECORDS.p95} > ${LATENCY_SLO_SECONDS}`,
    for: '5m',
    labels: { severity: 'warning' },
    annotations: {
      summary: `Poll API p95 latency above ${LATENCY_SLO_SECONDS * 1000} ms`,
      description: 'p95 of API requests in {{ $labels.namespace }} is {{ $value | humanizeDuration }} over the last 5 minutes.',
    },
  },
  {
    alert: 'PollPodRestartLoop',
    expr: `${RECORDS.restarts} > 2`,
    for: '1m',
    labels: { severity: 'warning' },
    annotations: {
      summary: 'A poll service pod keeps restarting',
      description: '{{ $labels.pod }} restarted {{ $value | humanize }} times in the last 10 minutes.',
    },
  },
  {
    alert: 'PollTargetDown',
    expr: `up{job="${SCRAPE_JOB}"} == 0`,
    for: '2m',
    labels: { severity: 'critical' },
    annotations: {
      summary: 'Prometheus cannot scrape a poll service pod',
      description: '{{ $labels.instance }} ({{ $labels.pod }}) has been unreachable on its management port for 2 minutes.',
    },
  },
  {
    alert: 'PollStoreDown',
    expr: `${M.storeUp} == 0`,
    for: '1m',
    labels: { severity: 'critical' },
    annotations: {
      summary: 'A poll service replica cannot reach its store',
      description: '{{ $labels.pod }} reports its store (PostgreSQL or SQLite) unreachable; votes fail.',
    },
  },
  {
    alert: 'PollChaosFaultActive',
    expr: `max by (namespace, pod) (${M.chaosDelay}) > 0\nor\nmax by (namespace, pod) (${M.chaosErrorRate}) > 0`,
    labels: { severity: 'info' },
    annotations: {
      summary: 'A chaos fault is injected into the poll service',
      description: '{{ $labels.pod }} has an active injected delay or error rate; expect the other alerts to follow.',
    },
  },
];

// One group on purpose: Prometheus evaluates the rules of a group in order but groups concurrently, so an alert
// in another group than the records it reads may see them one evaluation late (and promtool's unit tests then
// see either value). Records first, then the alerts built on them.
export const RULE_GROUPS: readonly RuleGroup[] = [
  { name: 'poll-service', rules: [...dashboardRecords, ...sloRecords, ...redAlerts, ...SLOS.flatMap(sloAlerts)] },
];

export const isAlert = (r: Rule): r is AlertingRule => 'alert' in r;
