// The seam between the runner's engine (VUs, executors, k6 modules) and its metrics core (sinks,
// thresholds, summary, outputs). The engine produces Samples; the core owns everything after that.

export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';
export type ValueType = 'default' | 'time' | 'data';
export type Tags = Record<string, string>;

export interface MetricDef {
  name: string;
  type: MetricType;
  contains: ValueType;
}

export interface Sample {
  metric: string;
  /** Unix epoch milliseconds (fractional allowed); NDJSON renders it as RFC 3339 with the local offset. */
  time: number;
  value: number;
  tags: Tags;
  /** k6's opt-in per-sample metadata (`vu`, `iter`); omitted from output when empty. */
  metadata?: Record<string, string>;
}

/** One threshold as declared in options.thresholds (string form normalised to this). */
export interface ThresholdDecl {
  source: string;
  abortOnFail: boolean;
  /** Milliseconds; 0 when unset. */
  delayAbortEvalMs: number;
}

export interface ThresholdResult {
  /** The key in options.thresholds, e.g. `http_req_duration{phase:fault}`. */
  metricKey: string;
  source: string;
  ok: boolean;
  abortOnFail: boolean;
  /** The value the expression was judged on (for the text summary line, e.g. `p(95)=148.21ms`). */
  observed: number | undefined;
  /** The aggregation name as written, e.g. `p(95)`, `rate`, `count`. */
  aggregation: string;
  /**
   * Set when k6 could not apply the threshold (an empty rate sink has no `rate`): it is then reported
   * with ok=false in the summary, as k6 does, but its metric is not "crossed" and the exit code stays 0.
   */
  error?: string;
}
