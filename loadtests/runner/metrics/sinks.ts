// Aggregation state per metric, one class per k6 sink type (K:metrics/sink.go), with k6's quirks kept:
// a gauge's max starts at 0, an empty rate has no rate for thresholds, trends keep every value.
import { percentile } from './percentile.ts';
import type { MetricType } from './types.ts';

export class CounterSink {
  readonly type = 'counter';
  value = 0;
  private seen = false;
  add(v: number): void {
    this.value += v;
    this.seen = true;
  }
  isEmpty(): boolean {
    return !this.seen;
  }
  /** Counter rate over the run, as the summary reports it (0 for a zero duration). */
  rate(durationMs: number): number {
    return durationMs === 0 ? 0 : this.value / (durationMs / 1000);
  }
}

export class GaugeSink {
  readonly type = 'gauge';
  value = 0;
  max = 0;
  min = 0;
  private minSet = false;
  add(v: number): void {
    this.value = v;
    if (v > this.max) this.max = v;
    if (v < this.min || !this.minSet) {
      this.min = v;
      this.minSet = true;
    }
  }
  isEmpty(): boolean {
    return !this.minSet;
  }
}

export class RateSink {
  readonly type = 'rate';
  trues = 0;
  total = 0;
  add(v: number): void {
    this.total += 1;
    if (v !== 0) this.trues += 1;
  }
  isEmpty(): boolean {
    return this.total === 0;
  }
  /** The summary's rate: 0 when there are no samples. */
  rate(): number {
    return this.total > 0 ? this.trues / this.total : 0;
  }
}

const INITIAL_TREND_CAPACITY = 256;

/**
 * Holds every value (k6 does, percentiles are exact) in a Float64Array that doubles when full. Sorting
 * is lazy: a percentile read sorts only the values added since the last read and merges them into the
 * sorted prefix, so the threshold pass every 2 s costs O(n) rather than O(n log n).
 */
export class TrendSink {
  readonly type = 'trend';
  count = 0;
  min = 0;
  max = 0;
  sum = 0;
  private values = new Float64Array(INITIAL_TREND_CAPACITY);
  /** values[0, sortedCount) is ascending. */
  private sortedCount = 0;

  add(v: number): void {
    if (this.count === 0) {
      this.min = v;
      this.max = v;
    } else {
      if (v > this.max) this.max = v;
      if (v < this.min) this.min = v;
    }
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count] = v;
    this.count += 1;
    this.sum += v;
  }
  isEmpty(): boolean {
    return this.count === 0;
  }
  avg(): number {
    return this.count > 0 ? this.sum / this.count : 0;
  }
  /** `p` is a fraction: 0.5 is the median. Sorts lazily, once per batch of new values. */
  p(p: number): number {
    return percentile(this.sortedValues(), p);
  }
  sortedValues(): Float64Array {
    const done = this.sortedCount;
    const n = this.count;
    const values = this.values;
    if (done < n) {
      const tail = values.slice(done, n).sort();
      // Merge from the back so the sorted prefix can be merged in place.
      let i = done - 1;
      let j = tail.length - 1;
      let w = n - 1;
      while (j >= 0) {
        if (i >= 0 && (values[i] as number) > (tail[j] as number)) values[w--] = values[i--] as number;
        else values[w--] = tail[j--] as number;
      }
      this.sortedCount = n;
    }
    return values.subarray(0, n);
  }
  /** Bytes held by the value store (for memory checks in tests and benchmarks). */
  capacityBytes(): number {
    return this.values.byteLength;
  }
}

export type Sink = CounterSink | GaugeSink | RateSink | TrendSink;

export function newSink(type: MetricType): Sink {
  switch (type) {
    case 'counter':
      return new CounterSink();
    case 'gauge':
      return new GaugeSink();
    case 'rate':
      return new RateSink();
    case 'trend':
      return new TrendSink();
  }
}
