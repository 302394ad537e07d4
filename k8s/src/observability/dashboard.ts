// The Grafana dashboard, built from typed panels (Grafana's own dashboard types from @grafana/schema), so a
// misspelt field fails the type-check. Every query reads either a recording rule from rules.ts or a metric
// from metrics.ts; the tests run each one against a real Prometheus.
import type { AnnotationQuery, DataQuery, Dashboard, DataSourceRef, Panel, VariableModel } from '@grafana/schema';
import { BACKEND_CONTAINER, BACKEND_METRICS as M, KUBE_STATE_METRICS, SCRAPE_JOB, SUPERVISOR_METRICS } from './metrics.ts';
import { QUANTILES, RECORDS, SLOS, quantileRecord } from './rules.ts';

export const DASHBOARD_UID = 'poll-service';
export const DASHBOARD_FILE = 'poll-service-dashboard.json';

/**
 * A target of the Prometheus data source: DataQuery's fields plus the plugin's own, which the generic type
 * leaves open. A type literal (not an interface) so it also fits Panel.targets' Record<string, unknown>.
 */
type PrometheusQuery = Pick<DataQuery, 'refId'> & {
  datasource: DataSourceRef;
  expr: string;
  legendFormat: string;
  range: boolean;
};

/** Grafana's Prometheus annotation fields: each step where `expr` has a value becomes an annotation. */
interface PrometheusAnnotation extends AnnotationQuery {
  expr: string;
  step: string;
  titleFormat: string;
  tagKeys: string;
}

const DS: DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

/** The variables every query may use, with what each means; the live test substitutes these values. */
export const VARIABLES = {
  namespace: '.*',
  pod: '.*',
  route: '.*',
} as const;

const ns = 'namespace=~"$namespace"';
const pod = 'pod=~"$pod"';
const route = 'route=~"$route"';
const job = `job="${SCRAPE_JOB}"`;

interface Query {
  expr: string;
  legend: string;
}

type Unit = 'reqps' | 'percentunit' | 's' | 'short' | 'bytes' | 'ms' | 'none';

interface PanelSpec {
  title: string;
  description: string;
  queries: Query[];
  unit: Unit;
  /** Width in grid columns (24 per row). */
  w?: number;
  kind?: 'timeseries' | 'stat' | 'bargauge';
}

const row = (title: string, panels: PanelSpec[]) => ({ title, panels });

const sections = [
  row('Traffic and errors (RED)', [
    {
      title: 'Request rate by route',
      description: 'API requests per second, from the recording rule the dashboard and alerts share.',
      queries: [{ expr: `sum by (route) (${RECORDS.requestsByRoute}{${ns}, ${route}})`, legend: '{{route}}' }],
      unit: 'reqps',
    },
    {
      title: 'Request rate by status code',
      description: 'Injected errors show up here as the errorCode of the fault.',
      queries: [{ expr: `sum by (status_code) (${RECORDS.requestsByStatus}{${ns}})`, legend: '{{status_code}}' }],
      unit: 'reqps',
    },
    {
      title: 'Error ratio (5xx)',
      description: 'Share of API requests answered with a 5xx, per route and overall over 5 minutes.',
      queries: [
        { expr: `max by (route) (${RECORDS.errorRatioByRoute}{${ns}, ${route}})`, legend: '{{route}}' },
        { expr: `max(${SLOS[0]!.ratioRecord('5m')}{${ns}})`, legend: 'all API routes (5m)' },
      ],
      unit: 'percentunit',
    },
  ]),
  row('Latency', [
    ...QUANTILES.map((q) => ({
      title: `p${Math.round(q * 100)} latency by route`,
      description: `${Math.round(q * 100)}th percentile from the request duration histogram over 1 minute.`,
      queries: [{ expr: `max by (route) (${quantileRecord(q)}{${ns}, ${route}})`, legend: '{{route}}' }],
      unit: 's' as const,
      w: 8,
    })),
  ]),
  row('SLOs', [
    ...SLOS.map((slo) => ({
      title: `${slo.name} budget burn rate`,
      description: `How many times faster than sustainable the ${slo.name} budget (SLO ${slo.objective * 100}%) burns; 14.4 over 1h pages.`,
      queries: ['5m', '1h', '6h'].map((w) => ({
        expr: `max(${slo.ratioRecord(w)}{${ns}}) / ${(1 - slo.objective).toFixed(6).replace(/0+$/, '')}`,
        legend: w,
      })),
      unit: 'none' as const,
      w: 12,
    })),
  ]),
  row('Saturation and pods', [
    {
      title: 'In-flight requests per pod',
      description: 'Requests being served right now, per pod.',
      queries: [{ expr: `sum by (pod) (${M.inFlight}{${ns}, ${pod}})`, legend: '{{pod}}' }],
      unit: 'short',
      w: 6,
    },
    {
      title: 'Pod restarts',
      description:
        'Restarts over 10 minutes (recording rule), and the running total: kube-state-metrics in a cluster, the supervisor locally.',
      queries: [
        { expr: `max by (pod) (${RECORDS.restarts}{${ns}, ${pod}})`, legend: '{{pod}} (10m)' },
        {
          expr: `sum by (pod) (${KUBE_STATE_METRICS.restarts}{${ns}, ${pod}, container="${BACKEND_CONTAINER}"}) or sum by (pod) (${SUPERVISOR_METRICS.restarts}{${pod}})`,
          legend: '{{pod}} total',
        },
      ],
      unit: 'short',
      w: 6,
    },
    {
      title: 'CPU per pod',
      description: 'CPU seconds per second used by each backend process.',
      queries: [
        { expr: `sum by (pod) (rate(${M.cpu}{${job}, ${ns}, ${pod}}[$__rate_interval]))`, legend: '{{pod}}' },
      ],
      unit: 'short',
      w: 6,
    },
    {
      title: 'Memory per pod',
      description: 'Resident set size of each backend process.',
      queries: [{ expr: `sum by (pod) (${M.memory}{${job}, ${ns}, ${pod}})`, legend: '{{pod}}' }],
      unit: 'bytes',
      w: 6,
    },
  ]),
  row('Votes and chaos', [
    {
      title: 'Votes by option',
      description: 'Votes counted per second, per option, across all polls.',
      queries: [{ expr: `sum by (option) (rate(${M.votes}{${ns}}[$__rate_interval]))`, legend: '{{option}}' }],
      unit: 'reqps',
      w: 8,
    },
    {
      title: 'Chaos: injected delay',
      description: 'Active injected delay and jitter per pod (0 = no fault).',
      queries: [
        { expr: `max by (pod) (${M.chaosDelay}{${ns}, ${pod}})`, legend: '{{pod}} delay' },
        { expr: `max by (pod) (${M.chaosJitter}{${ns}, ${pod}})`, legend: '{{pod}} jitter' },
      ],
      unit: 'ms',
      w: 8,
    },
    {
      title: 'Chaos: error injection',
      description: 'Active injected error rate per pod, and injected errors per second by status code.',
      queries: [
        { expr: `max by (pod) (${M.chaosErrorRate}{${ns}, ${pod}})`, legend: '{{pod}} rate' },
        {
          expr: `sum by (status_code) (rate(${M.chaosInjectedErrors}{${ns}, ${pod}}[$__rate_interval]))`,
          legend: 'injected {{status_code}}/s',
        },
      ],
      unit: 'short',
      w: 8,
    },
  ]),
] as const;

/** The query behind the fault annotations: any step where some pod has an active fault. */
export const FAULT_ANNOTATION_EXPR = `max(${M.chaosDelay}{${ns}}) > 0 or max(${M.chaosErrorRate}{${ns}}) > 0`;

const faultAnnotation: PrometheusAnnotation = {
  datasource: DS,
  enable: true,
  iconColor: 'red',
  name: 'Chaos faults',
  expr: FAULT_ANNOTATION_EXPR,
  step: '15s',
  titleFormat: 'chaos fault active',
  tagKeys: 'pod',
};

const annotations: AnnotationQuery[] = [
  {
    builtIn: 1,
    datasource: { type: 'grafana', uid: '-- Grafana --' },
    enable: true,
    hide: true,
    iconColor: 'rgba(0, 211, 255, 1)',
    name: 'Annotations & Alerts',
    type: 'dashboard',
  },
  faultAnnotation,
];

const variable = (name: keyof typeof VARIABLES, query: string, label: string): VariableModel => ({
  name,
  label,
  type: 'query',
  datasource: DS,
  query: { query, refId: `${name}-var` },
  refresh: 2,
  includeAll: true,
  multi: true,
  // ".*" also matches series without the label, so the same dashboard works on the local deployment.
  allValue: VARIABLES[name],
  current: { text: 'All', value: '$__all' },
  sort: 1,
});

const templating: VariableModel[] = [
  {
    name: 'datasource',
    label: 'Data source',
    type: 'datasource',
    query: 'prometheus',
    current: { text: 'Prometheus', value: 'prometheus' },
  },
  variable('namespace', `label_values(${M.requests}, namespace)`, 'Namespace'),
  variable('pod', `label_values(${M.requests}{namespace=~"$namespace"}, pod)`, 'Pod'),
  variable('route', `label_values(${M.requests}{namespace=~"$namespace"}, route)`, 'Route'),
];

const toPanel = (spec: PanelSpec, id: number, x: number, y: number): Panel => ({
  id,
  type: spec.kind ?? 'timeseries',
  title: spec.title,
  description: spec.description,
  datasource: DS,
  gridPos: { x, y, w: spec.w ?? 8, h: 8 },
  fieldConfig: { defaults: { unit: spec.unit }, overrides: [] },
  options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi' } },
  targets: spec.queries.map(
    (q, i): PrometheusQuery => ({
      refId: String.fromCharCode(65 + i),
      datasource: DS,
      expr: q.expr,
      legendFormat: q.legend,
      range: true,
    }),
  ),
});

/** Lays the sections out on Grafana's 24-column grid: a row header, then panels left to right, wrapping. */
const layout = (): Panel[] => {
  const panels: Panel[] = [];
  let id = 1;
  let y = 0;
  for (const section of sections) {
    panels.push({ id: id++, type: 'row', title: section.title, collapsed: false, gridPos: { x: 0, y, w: 24, h: 1 } } as Panel);
    y += 1;
    let x = 0;
    for (const spec of section.panels as readonly PanelSpec[]) {
      const w = spec.w ?? 8;
      if (x + w > 24) {
        x = 0;
        y += 8;
      }
      panels.push(toPanel(spec, id++, x, y));
      x += w;
    }
    y += 8;
  }
  return panels;
};

export const buildDashboard = (): Dashboard => ({
  uid: DASHBOARD_UID,
  title: 'Poll service (chaos-lab)',
  description: 'RED metrics, latency percentiles, SLO burn, pods and injected chaos for the chaos-lab poll service.',
  tags: ['chaos-lab', 'poll-service'],
  timezone: 'browser',
  editable: true,
  graphTooltip: 1,
  schemaVersion: 39,
  version: 1,
  refresh: '10s',
  time: { from: 'now-30m', to: 'now' },
  timepicker: {},
  fiscalYearStartMonth: 0,
  liveNow: false,
  links: [],
  annotations: { list: annotations },
  templating: { list: templating },
  panels: layout(),
});

/** Every PromQL expression in a dashboard: panel targets and annotation queries. */
export const dashboardExpressions = (d: Dashboard): { where: string; expr: string }[] => [
  ...(d.panels ?? []).flatMap((p) =>
    ((p as Panel).targets ?? []).map((t) => ({
      where: `panel "${p.title}" ${t.refId}`,
      expr: String((t as { expr?: unknown }).expr ?? ''),
    })),
  ),
  ...(d.annotations?.list ?? [])
    .filter((a) => 'expr' in a)
    .map((a) => ({ where: `annotation "${a.name}"`, expr: String((a as { expr?: unknown }).expr) })),
];
