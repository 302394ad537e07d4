// Public API of the runner's metrics core: everything that happens to a sample after a VU emits it.
// The engine imports only from this file. Inside:
//   core.ts            MetricsCore: registry, sub-metrics, add(), threshold evaluation, summary entry points
//   entry.ts sinks.ts  a metric's aggregation state (k6 sinks; trends keep every value in a Float64Array)
//   threshold-*.ts     options.thresholds shape, expression grammar; selector.ts: `metric{k:v}` keys
//   groups.ts          root_group rebuilt from checks/group_duration samples
//   summary-data.ts    handleSummary data and the v1 text report; text-summary.ts, humanize.ts: the text
//   summary-export.ts  --summary-export; summary-result.ts: handleSummary's return value on disk/streams
//   ndjson.ts          --out json, with go-json.ts / go-time.ts / duration.ts for Go's spelling

export type {
  MetricType,
  ValueType,
  Tags,
  MetricDef,
  Sample,
  ThresholdDecl,
  ThresholdResult,
} from './types.ts';

export {
  MetricsCore,
  ThresholdConfigError,
  MetricTypeConflictError,
  UnknownMetricError,
  DEFAULT_SUMMARY_TREND_STATS,
  type MetricsCoreOptions,
  type EvaluateResult,
  type MetricCatalog,
  type MetricInfo,
  type SubmetricInfo,
} from './core.ts';
export { BUILTIN_METRICS } from './builtins.ts';
export type {
  SummaryData,
  SummaryInput,
  SummaryOptions,
  SummaryGroup,
  SummaryCheck,
  SummaryMetric,
  TextReport,
} from './summary-data.ts';
export { textSummary, type TextSummaryOptions } from './text-summary.ts';
export { summaryExport } from './summary-export.ts';
export {
  finalizeSummaryResult,
  writeSummaryResult,
  SummaryResultError,
  type SummaryStreams,
} from './summary-result.ts';
export { summaryEntries, type SummaryEntries } from './summary-entries.ts';
export { NdjsonWriter, formatGoTime, type NdjsonWriterOptions } from './ndjson.ts';
export { percentile } from './percentile.ts';
export { parseThresholdExpression, type ThresholdExpression } from './threshold-parser.ts';
export { parseSelector, parseMetricKey } from './selector.ts';
export { humanizeValue } from './humanize.ts';
export { formatGoDuration, parseGoDurationNs } from './duration.ts';
