// The metrics core: registry, sinks, sub-metrics, thresholds and the data behind every summary.
// Mirrors k6's registry + MetricsEngine (K:internal/metrics/engine/engine.go, ingester.go).
import { BUILTIN_METRICS, EXPECTED_RESPONSE_SUBMETRIC } from './builtins.ts';
import { MetricEntry, ROLE_CHECKS, ROLE_GROUP_DURATION, Threshold, type Submetric } from './entry.ts';
import { CheckTotals, GroupTree } from './groups.ts';
import { parseMetricKey, SelectorError } from './selector.ts';
import { readThresholdsOption, ThresholdShapeError, type ThresholdConfig } from './threshold-config.ts';
import {
  AGGREGATIONS_BY_TYPE,
  compare,
  parseThresholdExpression,
  percentileKey,
  ThresholdSyntaxError,
  type ThresholdExpression,
} from './threshold-parser.ts';
import type { MetricDef, MetricType, Sample, Tags, ThresholdResult, ValueType } from './types.ts';
import { buildSummaryData, type SummaryData, type SummaryInput, type TextReport, buildTextReport } from './summary-data.ts';

export const DEFAULT_SUMMARY_TREND_STATS: readonly string[] = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];

/** Invalid thresholds: the engine exits with 104 before the run starts. */
export class ThresholdConfigError extends Error {
  override name = 'ThresholdConfigError';
  readonly exitCode = 104;
}

/** A metric re-declared with another type or value type (k6/metrics constructors throw this). */
export class MetricTypeConflictError extends Error {
  override name = 'MetricTypeConflictError';
}

export class UnknownMetricError extends Error {
  override name = 'UnknownMetricError';
}

export interface MetricsCoreOptions {
  /** Raw `options.thresholds`, as the script exported it. */
  thresholds?: unknown;
  /** Default `["avg","min","med","max","p(90)","p(95)"]`. */
  summaryTrendStats?: readonly string[];
  /** `--no-thresholds`: sub-metrics are still created, but nothing is evaluated or shown. */
  noThresholds?: boolean;
  /** Whether the `expected_response` system tag is enabled (k6's default): adds its sub-metric. */
  expectedResponseTag?: boolean;
}

export interface EvaluateResult {
  results: ThresholdResult[];
  /** A failing threshold with abortOnFail is past its delayAbortEval: stop the run (exit 99). */
  abort: boolean;
  /** Names of metrics/sub-metrics with a failing threshold, sorted (k6's "crossed" list). */
  crossed: string[];
}

export interface SubmetricInfo {
  name: string;
  suffix: string;
  tags: Tags;
}

export interface NdjsonThreshold {
  source: string;
  abortOnFail: boolean;
  delayAbortEvalNs: number | null;
}

export interface MetricInfo {
  def: MetricDef;
  /** Thresholds declared on exactly this metric name (not on its sub-metrics). */
  thresholds: NdjsonThreshold[];
  submetrics: SubmetricInfo[] | null;
}

/** What the NDJSON writer needs to know about a metric to write its `Metric` line. */
export interface MetricCatalog {
  metricInfo(name: string): MetricInfo | undefined;
}

const METRIC_TYPES: readonly MetricType[] = ['counter', 'gauge', 'rate', 'trend'];
const VALUE_TYPES: readonly ValueType[] = ['default', 'time', 'data'];
const TREND_STAT = /^(avg|min|med|max|count|p\((\d+(?:\.\d+)?)\))$/;

function matches(sm: Submetric, tags: Tags): boolean {
  const { keys, values } = sm;
  for (let i = 0; i < keys.length; i++) {
    if (tags[keys[i] as string] !== values[i]) return false;
  }
  return true;
}

function sameTags(a: Tags, b: Tags): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => b[k] === a[k]);
}

export class MetricsCore implements MetricCatalog {
  private readonly metrics = new Map<string, MetricEntry>();
  /** Declaration order of the entries that carry thresholds (evaluation order). */
  private readonly withThresholds: MetricEntry[] = [];
  private readonly thresholdConfigs: Map<string, ThresholdConfig[]>;
  private readonly thresholdShapeError: string | undefined;
  private readonly groups = new GroupTree();
  private readonly checkTotals = new CheckTotals();
  readonly summaryTrendStats: readonly string[];
  readonly noThresholds: boolean;
  private readonly expectedResponseTag: boolean;
  private validated = false;

  constructor(options: MetricsCoreOptions = {}) {
    this.noThresholds = options.noThresholds ?? false;
    this.expectedResponseTag = options.expectedResponseTag ?? true;
    const stats = options.summaryTrendStats ?? DEFAULT_SUMMARY_TREND_STATS;
    for (const s of stats) {
      const m = TREND_STAT.exec(s);
      const pct = m?.[2] === undefined ? undefined : Number(m[2]);
      if (!m || (pct !== undefined && pct > 100)) {
        throw new ThresholdConfigError(`invalid summaryTrendStats entry ${JSON.stringify(s)}`);
      }
    }
    this.summaryTrendStats = [...stats];
    let configs = new Map<string, ThresholdConfig[]>();
    let shapeError: string | undefined;
    try {
      configs = readThresholdsOption(options.thresholds);
    } catch (err) {
      if (!(err instanceof ThresholdShapeError)) throw err;
      shapeError = err.message;
    }
    this.thresholdConfigs = configs;
    this.thresholdShapeError = shapeError;
    for (const def of BUILTIN_METRICS) this.define(def);
  }

  /** Registers a metric; the same name and type returns silently, another type or value type throws. */
  define(def: MetricDef): void {
    if (!METRIC_TYPES.includes(def.type)) throw new TypeError(`unknown metric type ${JSON.stringify(def.type)}`);
    if (!VALUE_TYPES.includes(def.contains)) {
      throw new TypeError(`unknown value type ${JSON.stringify(def.contains)}`);
    }
    const existing = this.metrics.get(def.name);
    if (existing) {
      if (existing.type !== def.type) {
        throw new MetricTypeConflictError(
          `metric '${def.name}' already exists but with type ${existing.type}, instead of ${def.type}`,
        );
      }
      if (existing.contains !== def.contains) {
        throw new MetricTypeConflictError(
          `metric '${def.name}' already exists but with a value type ${existing.contains}, instead of ${def.contains}`,
        );
      }
      return;
    }
    this.metrics.set(def.name, new MetricEntry(def.name, def.type, def.contains));
  }

  has(name: string): boolean {
    return this.metrics.has(name);
  }

  /**
   * Parses and attaches every threshold and creates the sub-metrics they name, then the automatic
   * `http_req_duration{expected_response:true}`. Call once, after init (custom metrics exist by then).
   * Throws ThresholdConfigError (exit 104) on an unknown metric, bad syntax or a disallowed
   * aggregation. With noThresholds, errors become returned warnings and nothing is attached.
   */
  validateThresholds(): string[] {
    if (this.validated) throw new Error('validateThresholds() was already called');
    const warnings: string[] = [];
    const fail = (message: string): void => {
      if (this.noThresholds) warnings.push(message);
      else throw new ThresholdConfigError(message);
    };
    if (this.thresholdShapeError !== undefined) fail(this.thresholdShapeError);

    const staged: [MetricEntry, Threshold[]][] = [];
    for (const [key, configs] of this.thresholdConfigs) {
      let entry: MetricEntry;
      try {
        entry = this.resolveKey(key);
      } catch (err) {
        if (!(err instanceof SelectorError || err instanceof UnknownMetricError)) throw err;
        fail(`invalid metric '${key}' in threshold definitions: ${err.message}`);
        continue;
      }
      if (this.noThresholds) continue;
      const thresholds: Threshold[] = [];
      for (const config of configs) {
        let expr: ThresholdExpression;
        try {
          expr = parseThresholdExpression(config.source);
        } catch (err) {
          if (!(err instanceof ThresholdSyntaxError)) throw err;
          throw new ThresholdConfigError(`invalid threshold on metric '${key}': ${err.message}`);
        }
        if (!AGGREGATIONS_BY_TYPE[entry.type].includes(expr.method)) {
          throw new ThresholdConfigError(
            `invalid threshold ${JSON.stringify(config.source)} applied on metric ${key}; reason: unsupported aggregation method ${expr.method} on metric of type ${entry.type}. supported aggregation methods for this metric are: ${AGGREGATIONS_BY_TYPE[entry.type].join(', ')}`,
          );
        }
        thresholds.push(new Threshold(config, expr));
      }
      staged.push([entry, thresholds]);
    }

    // Nothing is attached until every declaration is valid: bad input changes nothing.
    for (const [entry, thresholds] of staged) {
      entry.thresholds = thresholds;
      entry.hasThresholds = true;
      if (!this.withThresholds.includes(entry)) this.withThresholds.push(entry);
      // Shown in the summary even without samples, and so is the parent of a sub-metric.
      entry.observed = true;
      if (entry.parent) entry.parent.observed = true;
    }
    if (this.expectedResponseTag) this.resolveKey(EXPECTED_RESPONSE_SUBMETRIC);
    this.validated = true;
    return warnings;
  }

  /** `metric` or `metric{k:v}` → the entry, creating the sub-metric when first named. */
  private resolveKey(key: string): MetricEntry {
    const parsed = parseMetricKey(key);
    const parent = this.metrics.get(parsed.metric);
    if (!parent) throw new UnknownMetricError(`metric '${parsed.metric}' does not exist in the script`);
    if (!parsed.selector) return parent;
    const { suffix, tags } = parsed.selector;
    const found = parent.submetrics.find((sm) => sameTags(sm.tags, tags));
    if (found) return found.metric;
    const name = `${parent.name}{${suffix}}`;
    const metric = new MetricEntry(name, parent.type, parent.contains, parent);
    const keys = Object.keys(tags);
    parent.submetrics.push({ name, suffix, tags, keys, values: keys.map((k) => tags[k] as string), metric });
    return metric;
  }

  /** Hot path: feeds each sample to its metric's sink and to every matching sub-metric's sink. */
  add(samples: readonly Sample[]): void {
    const entries = new Array<MetricEntry>(samples.length);
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i] as Sample;
      const m = this.metrics.get(s.metric);
      if (m === undefined) throw new UnknownMetricError(`sample for unknown metric '${s.metric}'`);
      entries[i] = m;
    }
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i] as Sample;
      const m = entries[i] as MetricEntry;
      m.observed = true;
      m.sink.add(s.value);
      const subs = m.submetrics;
      for (let j = 0; j < subs.length; j++) {
        const sm = subs[j] as Submetric;
        if (matches(sm, s.tags)) {
          sm.metric.observed = true;
          sm.metric.sink.add(s.value);
        }
      }
      if (m.role === ROLE_CHECKS) {
        this.groups.addCheck(s.tags, s.value);
        this.checkTotals.add(s.tags, s.value);
      } else if (m.role === ROLE_GROUP_DURATION) {
        this.groups.addGroupDuration(s.tags);
      }
    }
  }

  /**
   * Runs every threshold. During the run (final=false) metrics with empty sinks are skipped; the
   * final pass includes them with k6's empty values (an empty rate has none: logged, not crossed).
   */
  evaluate({ final, elapsedMs }: { final: boolean; elapsedMs: number }): EvaluateResult {
    const crossed: string[] = [];
    let abort = false;
    if (this.noThresholds) return { results: [], abort, crossed };
    for (const m of this.withThresholds) {
      if (m.thresholds.length === 0 || (!final && m.sink.isEmpty())) continue;
      const sinked = this.sinked(m, elapsedMs);
      let succeeded = true;
      let errored = false;
      for (const t of m.thresholds) {
        const key = t.expr.method === 'p' ? percentileKey(t.expr.percentile as number) : t.expr.method;
        const lhs = sinked.get(key);
        t.observed = lhs;
        if (lhs === undefined) {
          // k6 marks it failed for the summary but reports an error instead of a crossed threshold,
          // and skips the rest of this metric's thresholds.
          t.lastFailed = true;
          t.error = `unable to apply threshold ${t.config.source} over metrics; reason: no metric supporting the ${t.expr.method} aggregation method found`;
          errored = true;
          break;
        }
        t.error = undefined;
        const passes = compare(lhs, t.expr.operator, t.expr.value);
        t.lastFailed = !passes;
        if (!passes) {
          succeeded = false;
          if (m.abort || !t.config.abortOnFail) continue;
          const delay = t.config.delayAbortEvalNs;
          m.abort = delay === null || delay < elapsedMs * 1e6;
        }
      }
      if (errored || succeeded) continue;
      crossed.push(m.name);
      if (m.abort) abort = true;
    }
    crossed.sort();
    return { results: this.thresholdResults(), abort, crossed };
  }

  private sinked(m: MetricEntry, elapsedMs: number): Map<string, number> {
    const out = new Map<string, number>();
    const sink = m.sink;
    switch (sink.type) {
      case 'counter':
        out.set('count', sink.value);
        out.set('rate', sink.value / (elapsedMs / 1000));
        break;
      case 'gauge':
        out.set('value', sink.value);
        break;
      case 'rate':
        if (sink.total > 0) out.set('rate', sink.trues / sink.total);
        break;
      case 'trend':
        out.set('min', sink.min);
        out.set('max', sink.max);
        out.set('avg', sink.avg());
        out.set('med', sink.p(0.5));
        for (const t of m.thresholds) {
          if (t.expr.method === 'p') {
            const pct = t.expr.percentile as number;
            out.set(percentileKey(pct), sink.p(pct / 100));
          }
        }
        break;
    }
    return out;
  }

  /** Every declared threshold with its last outcome, in declaration order. */
  thresholdResults(): ThresholdResult[] {
    const results: ThresholdResult[] = [];
    for (const m of this.withThresholds) {
      for (const t of m.thresholds) {
        const r: ThresholdResult = {
          metricKey: m.name,
          source: t.config.source,
          ok: !t.lastFailed,
          abortOnFail: t.config.abortOnFail,
          observed: t.observed,
          aggregation: t.expr.aggregation,
        };
        if (t.error !== undefined) r.error = t.error;
        results.push(r);
      }
    }
    return results;
  }

  metricInfo(name: string): MetricInfo | undefined {
    const m = this.metrics.get(name);
    if (!m) return undefined;
    const declared = this.thresholdConfigs.get(name) ?? [];
    return {
      def: { name: m.name, type: m.type, contains: m.contains },
      thresholds: declared.map((c) => ({
        source: c.source,
        abortOnFail: c.abortOnFail,
        delayAbortEvalNs: c.delayAbortEvalNs,
      })),
      submetrics:
        m.submetrics.length === 0
          ? null
          : m.submetrics.map((sm) => ({ name: sm.name, suffix: sm.suffix, tags: { ...sm.tags } })),
    };
  }

  /** Metrics and sub-metrics that received a sample or carry thresholds, by name. */
  observedEntries(): MetricEntry[] {
    const out: MetricEntry[] = [];
    for (const m of this.metrics.values()) {
      if (m.observed) out.push(m);
      for (const sm of m.submetrics) if (sm.metric.observed) out.push(sm.metric);
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The exact object handleSummary(data) receives (spec §1). */
  summaryData(input: SummaryInput): SummaryData {
    return buildSummaryData(
      {
        entries: this.observedEntries(),
        rootGroup: this.groups.export(),
        trendStats: this.summaryTrendStats,
        showThresholds: !this.noThresholds,
      },
      input,
    );
  }

  /** The report the v1 text summary is rendered from (thresholds with values, checks by name, sections). */
  textReport(testRunDurationMs: number): TextReport {
    return buildTextReport({
      entries: this.observedEntries(),
      thresholdEntries: this.noThresholds ? [] : this.withThresholds,
      checks: this.checkTotals.ordered,
      trendStats: this.summaryTrendStats,
      testRunDurationMs,
    });
  }
}

