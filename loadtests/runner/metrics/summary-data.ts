// Builds the handleSummary data object (spec §1; K:internal/js/summary.go summarizeMetricsToObject) and
// the report the v1 text summary renders (K:internal/output/summary/data.go).
import type { MetricEntry } from './entry.ts';
import type { SummaryGroup } from './groups.ts';
import type { Sink } from './sinks.ts';
import type { MetricType, ValueType } from './types.ts';

export type { SummaryCheck, SummaryGroup } from './groups.ts';

export interface SummaryMetric {
  type: MetricType;
  contains: ValueType;
  values: Record<string, number>;
  /** Present only when the metric has thresholds: `{ source: { ok } }`. */
  thresholds?: Record<string, { ok: boolean }>;
}

export interface SummaryOptions {
  summaryTrendStats: string[];
  /** "" when unset. */
  summaryTimeUnit: string;
  noColor: boolean;
}

export interface SummaryData {
  root_group: SummaryGroup;
  options: SummaryOptions;
  state: { isStdOutTTY: boolean; isStdErrTTY: boolean; testRunDurationMs: number };
  metrics: Record<string, SummaryMetric>;
  /** setup()'s return value after a JSON round trip; the key is absent when it is undefined. */
  setup_data?: unknown;
}

export interface SummaryInput {
  /** From the run start (before setup) to its end (after teardown). */
  testRunDurationMs: number;
  isStdOutTTY: boolean;
  isStdErrTTY: boolean;
  /** setup()'s return value (or its JSON text via `setupDataJson`); undefined when there was none. */
  setupData?: unknown;
  /** The JSON text setup() produced, if the engine holds it serialized; wins over setupData. */
  setupDataJson?: string;
  options?: { summaryTimeUnit?: string; noColor?: boolean };
}

/** `values` of one metric for the summary, per k6's metricValueGetter. */
export function metricValues(sink: Sink, trendStats: readonly string[], durationMs: number): Record<string, number> {
  switch (sink.type) {
    case 'counter':
      return { count: sink.value, rate: sink.rate(durationMs) };
    case 'gauge':
      return { value: sink.value, min: sink.min, max: sink.max };
    case 'rate':
      return { rate: sink.rate(), passes: sink.trues, fails: sink.total - sink.trues };
    case 'trend': {
      const out: Record<string, number> = {};
      for (const stat of trendStats) out[stat] = trendStat(sink, stat);
      return out;
    }
  }
}

function trendStat(sink: Extract<Sink, { type: 'trend' }>, stat: string): number {
  switch (stat) {
    case 'avg':
      return sink.avg();
    case 'min':
      return sink.min;
    case 'max':
      return sink.max;
    case 'med':
      return sink.p(0.5);
    case 'count':
      return sink.count;
    default:
      return sink.p(Number(stat.slice(2, -1)) / 100);
  }
}

export function buildSummaryData(
  core: {
    entries: readonly MetricEntry[];
    rootGroup: SummaryGroup;
    trendStats: readonly string[];
    showThresholds: boolean;
  },
  input: SummaryInput,
): SummaryData {
  const metrics: Record<string, SummaryMetric> = {};
  for (const m of core.entries) {
    const metric: SummaryMetric = {
      type: m.type,
      contains: m.contains,
      values: metricValues(m.sink, core.trendStats, input.testRunDurationMs),
    };
    if (core.showThresholds && m.thresholds.length > 0) {
      const thresholds: Record<string, { ok: boolean }> = {};
      for (const t of m.thresholds) thresholds[t.config.source] = { ok: !t.lastFailed };
      metric.thresholds = thresholds;
    }
    metrics[m.name] = metric;
  }
  const data: SummaryData = {
    root_group: core.rootGroup,
    options: {
      summaryTrendStats: [...core.trendStats],
      summaryTimeUnit: input.options?.summaryTimeUnit ?? '',
      noColor: input.options?.noColor ?? false,
    },
    state: {
      isStdOutTTY: input.isStdOutTTY,
      isStdErrTTY: input.isStdErrTTY,
      testRunDurationMs: input.testRunDurationMs,
    },
    metrics,
  };
  const setupData = readSetupData(input);
  if (setupData !== undefined) data.setup_data = setupData;
  return data;
}

function readSetupData(input: SummaryInput): unknown {
  if (input.setupDataJson !== undefined) return JSON.parse(input.setupDataJson) as unknown;
  if (input.setupData === undefined) return undefined;
  const text = JSON.stringify(input.setupData);
  return text === undefined ? undefined : (JSON.parse(text) as unknown);
}

// ---- the v1 text summary's report ----

export interface ReportMetric {
  name: string;
  type: MetricType;
  contains: ValueType;
  values: Record<string, number>;
}

export interface ReportCheck {
  name: string;
  passes: number;
  fails: number;
}

export interface ReportChecks {
  metrics: { checks_total: ReportMetric; checks_succeeded: ReportMetric; checks_failed: ReportMetric };
  ordered_checks: ReportCheck[];
}

/** Section order as k6's summary.Metrics struct lists them (custom is moved first when rendered). */
export const REPORT_SECTIONS = ['http', 'execution', 'network', 'browser', 'web_vitals', 'grpc', 'websocket', 'custom'] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];

export interface TextReport {
  thresholds: Record<string, { metric: ReportMetric; thresholds: { source: string; ok: boolean }[] }>;
  checks: ReportChecks | null;
  metrics: Record<ReportSection, Record<string, ReportMetric>>;
}

const HTTP_METRICS = [
  'http_reqs',
  'http_req_failed',
  'http_req_duration',
  'http_req_blocked',
  'http_req_connecting',
  'http_req_tls_handshaking',
  'http_req_sending',
  'http_req_waiting',
  'http_req_receiving',
];
const EXECUTION_METRICS = ['vus', 'vus_max', 'iterations', 'iteration_duration', 'dropped_iterations'];
const NETWORK_METRICS = ['data_sent', 'data_received'];
// Compact mode hides these; k6 matches by prefix, so their sub-metrics are hidden too.
const COMPACT_SKIPPED = [
  'checks',
  'group_duration',
  'http_req_blocked',
  'http_req_connecting',
  'http_req_receiving',
  'http_req_sending',
  'http_req_tls_handshaking',
  'http_req_waiting',
];

const oneOf = (name: string, prefixes: readonly string[]): boolean => prefixes.some((p) => name.startsWith(p));

export function sectionOf(name: string): ReportSection | undefined {
  if (oneOf(name, COMPACT_SKIPPED)) return undefined;
  if (oneOf(name, HTTP_METRICS)) return 'http';
  if (oneOf(name, EXECUTION_METRICS)) return 'execution';
  if (oneOf(name, NETWORK_METRICS)) return 'network';
  if (name.startsWith('browser_web_vital_')) return 'web_vitals';
  if (name.startsWith('browser_')) return 'browser';
  if (name.startsWith('grpc_')) return 'grpc';
  if (name.startsWith('ws_')) return 'websocket';
  return 'custom';
}

const PERCENTILE_SOURCE = /^p\((\d+(?:\.\d+)?)\)\s*[<>=]/;

export function emptySections(): Record<ReportSection, Record<string, ReportMetric>> {
  return { http: {}, execution: {}, network: {}, browser: {}, web_vitals: {}, grpc: {}, websocket: {}, custom: {} };
}

export function buildTextReport(core: {
  entries: readonly MetricEntry[];
  thresholdEntries: readonly MetricEntry[];
  checks: readonly ReportCheck[];
  trendStats: readonly string[];
  testRunDurationMs: number;
}): TextReport {
  const duration = core.testRunDurationMs;
  const reportMetric = (m: MetricEntry): ReportMetric => ({
    name: m.name,
    type: m.type,
    contains: m.contains,
    values: metricValues(m.sink, core.trendStats, duration),
  });

  const thresholds: TextReport['thresholds'] = {};
  for (const m of core.thresholdEntries) {
    const metric = reportMetric(m);
    const list: { source: string; ok: boolean }[] = [];
    for (const t of m.thresholds) {
      list.push({ source: t.config.source, ok: !t.lastFailed });
      // A percentile not among summaryTrendStats still gets its value for the threshold line.
      const pm = m.sink.type === 'trend' ? PERCENTILE_SOURCE.exec(t.config.source.trim()) : null;
      if (pm && m.sink.type === 'trend') metric.values[`p(${pm[1]})`] = m.sink.p(Number(pm[1]) / 100);
    }
    thresholds[m.name] = { metric, thresholds: list };
  }

  const metrics = emptySections();
  let checks: ReportChecks | null = null;
  for (const m of core.entries) {
    if (m.name === 'checks' && m.sink.type === 'rate') {
      const total = m.sink.total;
      const success = m.sink.trues;
      checks = {
        metrics: {
          checks_total: {
            name: 'checks_total',
            type: 'counter',
            contains: 'default',
            values: { count: total, rate: duration === 0 ? 0 : total / (duration / 1000) },
          },
          checks_succeeded: { name: 'checks_succeeded', type: 'rate', contains: 'default', values: metricValues(m.sink, [], duration) },
          checks_failed: {
            name: 'checks_failed',
            type: 'rate',
            contains: 'default',
            values: { passes: total - success, fails: success, rate: (total - success) / total },
          },
        },
        ordered_checks: core.checks.map((c) => ({ ...c })),
      };
    }
    const section = sectionOf(m.name);
    if (section) metrics[section][m.name] = reportMetric(m);
  }
  return { thresholds, checks, metrics };
}
