// Turns k6's end-of-test summary data into the experiment's verdict: one line per prediction, the ledger line
// naming the numbers, and the recovery times. Pure: no k6 imports, unit-tested in Node.

import { LEDGER, RECOVERY_METRIC } from './contract.ts';
import { metricKey, type Prediction } from './timeline.ts';

/** The part of k6's handleSummary data the suite reads (spec section 1). */
export interface SummaryMetric {
  type: 'counter' | 'gauge' | 'rate' | 'trend';
  contains: 'default' | 'time' | 'data';
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}
export interface SummaryData {
  metrics: Record<string, SummaryMetric>;
  state?: { testRunDurationMs?: number };
  setup_data?: unknown;
  [key: string]: unknown;
}

export type Outcome = 'pass' | 'fail' | 'unknown';

export interface PredictionResult {
  prediction: Prediction;
  key: string;
  outcome: Outcome;
  /** e.g. `p(95)=512.31ms`; undefined when the metric has no such value. */
  observed?: string;
}

/** The aggregation a threshold expression judges (`p(95)`, `rate`, `count`, ...). */
export function aggregationOf(expr: string): string {
  const m = /^\s*([a-z]+(?:\(\s*[\d.]+\s*\))?)\s*(<=|<|>=|>|===|==|!=)/.exec(expr);
  if (!m) throw new Error(`not a threshold expression: "${expr}"`);
  return (m[1] as string).replace(/\s+/g, '');
}

export function formatValue(metric: SummaryMetric, agg: string, v: number): string {
  if (metric.type === 'rate' && agg === 'rate') return `${(Math.trunc(v * 10000) / 100).toFixed(2)}%`;
  if (metric.contains === 'time' && agg !== 'count' && agg !== 'rate') {
    return v >= 1000 ? `${(v / 1000).toFixed(2)}s` : `${v.toFixed(2)}ms`;
  }
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

export function judge(data: SummaryData, predictions: Prediction[]): PredictionResult[] {
  return predictions.map((prediction) => {
    const key = metricKey(prediction.metric, prediction.tags);
    const metric = data.metrics[key];
    const ok = metric?.thresholds?.[prediction.expr]?.ok;
    const agg = aggregationOf(prediction.expr);
    const raw = metric?.values[agg];
    return {
      prediction,
      key,
      outcome: ok === undefined ? 'unknown' : ok ? 'pass' : 'fail',
      ...(metric && raw !== undefined ? { observed: `${agg}=${formatValue(metric, agg, raw)}` } : {}),
    };
  });
}

const count = (data: SummaryData, name: string) => data.metrics[name]?.values.count;

export interface Ledger {
  sent: number;
  acked: number;
  stored: number | undefined;
  lost: number | undefined;
  excess: number | undefined;
}

export function ledgerOf(data: SummaryData): Ledger | undefined {
  const sent = count(data, LEDGER.sent);
  const acked = count(data, LEDGER.acked);
  if (sent === undefined && acked === undefined) return undefined;
  const stored = count(data, LEDGER.stored);
  return {
    sent: sent ?? 0,
    acked: acked ?? 0,
    stored,
    lost: stored === undefined ? undefined : count(data, LEDGER.lost),
    excess: stored === undefined ? undefined : count(data, LEDGER.excess),
  };
}

export function ledgerLine(l: Ledger): string {
  if (l.stored === undefined) {
    return `✗ ledger: sent ${l.sent}, acknowledged ${l.acked}, stored UNKNOWN (teardown could not read the poll back)`;
  }
  const lost = Math.max(0, l.lost ?? l.acked - l.stored);
  const excess = Math.max(0, l.excess ?? l.stored - l.sent);
  const head = `ledger: sent ${l.sent}, acknowledged ${l.acked}, stored ${l.stored}`;
  if (lost === 0 && excess === 0) return `✓ ${head}: no acknowledged vote lost, none counted twice`;
  const why = [
    lost > 0 ? `${lost} acknowledged vote(s) LOST (acknowledged ${l.acked} > stored ${l.stored})` : '',
    excess > 0 ? `${excess} vote(s) counted TWICE (stored ${l.stored} > sent ${l.sent})` : '',
  ].filter(Boolean);
  return `✗ ${head}: ${why.join('; ')}`;
}

const seconds = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`);

export function recoveryLine(data: SummaryData): string | undefined {
  const parts: string[] = [];
  for (const kind of ['requests', 'replicas'] as const) {
    const m = data.metrics[`${RECOVERY_METRIC}{kind:${kind}}`];
    const max = m?.values.max;
    if (m && (m.values.count ?? 1) > 0 && max !== undefined) parts.push(`${kind} ${seconds(max)}`);
  }
  return parts.length ? `recovery: ${parts.join(', ')} (from fault end / kill until healthy)` : undefined;
}

const MARK: Record<Outcome, string> = { pass: '✓', fail: '✗', unknown: '?' };

/** The concise stdout verdict. */
export function verdictText(opts: {
  scenario: string;
  engine: string;
  data: SummaryData;
  predictions: Prediction[];
  notes?: string[];
}): { text: string; passed: boolean } {
  const results = judge(opts.data, opts.predictions);
  const lines = [`chaos-lab ${opts.scenario} (engine: ${opts.engine})`];
  for (const r of results) {
    const obs = r.observed ? `: ${r.observed}` : r.outcome === 'unknown' ? ': no data' : '';
    lines.push(`  ${MARK[r.outcome]} ${r.prediction.text}  [${r.key} ${r.prediction.expr}${obs}]`);
  }
  const ledger = ledgerOf(opts.data);
  if (ledger) lines.push(`  ${ledgerLine(ledger)}`);
  const rec = recoveryLine(opts.data);
  if (rec) lines.push(`  ${rec}`);
  for (const n of opts.notes ?? []) lines.push(`  ${n}`);
  const failed = results.filter((r) => r.outcome !== 'pass').length;
  const passed = failed === 0;
  lines.push(
    passed
      ? `  VERDICT: PASS (${results.length}/${results.length} predictions held)`
      : `  VERDICT: FAIL (${failed} of ${results.length} predictions did not hold)`,
  );
  return { text: `${lines.join('\n')}\n`, passed };
}
