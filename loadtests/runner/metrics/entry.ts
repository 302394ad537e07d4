// Registry entries shared by the core and the summary builders: a metric or sub-metric with its sink,
// thresholds and observed flag, as k6's metrics.Metric carries them.
import { CHECKS_METRIC, GROUP_DURATION_METRIC } from './builtins.ts';
import { newSink, type Sink } from './sinks.ts';
import type { ThresholdConfig } from './threshold-config.ts';
import type { ThresholdExpression } from './threshold-parser.ts';
import type { MetricType, Tags, ValueType } from './types.ts';

export class Threshold {
  lastFailed = false;
  /** The value last judged (undefined before the first run, or when the sink had no such value). */
  observed: number | undefined;
  error: string | undefined;
  constructor(
    readonly config: ThresholdConfig,
    readonly expr: ThresholdExpression,
  ) {}
}

export interface Submetric {
  readonly name: string;
  readonly suffix: string;
  readonly tags: Tags;
  readonly keys: readonly string[];
  readonly values: readonly string[];
  readonly metric: MetricEntry;
}

export const ROLE_PLAIN = 0;
export const ROLE_CHECKS = 1;
export const ROLE_GROUP_DURATION = 2;

/** A metric or a sub-metric: both have a sink, thresholds and an observed flag, as in k6. */
export class MetricEntry {
  readonly sink: Sink;
  observed = false;
  thresholds: Threshold[] = [];
  hasThresholds = false;
  abort = false;
  readonly submetrics: Submetric[] = [];
  readonly role: number;
  constructor(
    readonly name: string,
    readonly type: MetricType,
    readonly contains: ValueType,
    readonly parent?: MetricEntry,
  ) {
    this.sink = newSink(type);
    this.role = parent
      ? ROLE_PLAIN
      : name === CHECKS_METRIC
        ? ROLE_CHECKS
        : name === GROUP_DURATION_METRIC
          ? ROLE_GROUP_DURATION
          : ROLE_PLAIN;
  }
}

