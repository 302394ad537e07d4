// Public API of the runner's metrics core: everything that happens to a sample after a VU emits it.
// The engine imports only from this file.

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
export { NdjsonWriter, formatGoTime, type NdjsonWriterOptions } from './ndjson.ts';
export { percentile } from './percentile.ts';
export { parseThresholdExpression, type ThresholdExpression } from './threshold-parser.ts';
export { parseSelector, parseMetricKey } from './selector.ts';
export { humanizeValue } from './humanize.ts';
export { formatGoDuration, parseGoDurationNs } from './duration.ts';
