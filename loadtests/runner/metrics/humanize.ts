// Value formatting of k6's v1 text summary (K:internal/js/summary.js humanizeValue and helpers).
import type { MetricType, ValueType } from './types.ts';

export interface HumanizeMetric {
  type: MetricType;
  contains: ValueType;
}

function toFixedNoTrailingZeros(val: number, prec: number): string {
  return parseFloat(val.toFixed(prec)).toString();
}

function toFixedNoTrailingZerosTrunc(val: number, prec: number): string {
  const mult = Math.pow(10, prec);
  return toFixedNoTrailingZeros(Math.trunc(mult * val) / mult, prec);
}

/** Bytes in base-1000 units: `9 B`, `1.2 kB`, `35 MB`. */
export function humanizeBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  const base = 1000;
  if (bytes < 10) return `${bytes} B`;
  const e = Math.floor(Math.log(bytes) / Math.log(base));
  const suffix = units[e | 0];
  const val = Math.floor((bytes / Math.pow(base, e)) * 10 + 0.5) / 10;
  return `${val.toFixed(val < 10 ? 1 : 0)} ${suffix}`;
}

/** Milliseconds to `0s`, `850ns`, `12.34µs`, `148.21ms`, `1.5s`, `1m30s`, `2h0m5s` (truncated, not rounded). */
export function humanizeGenericDuration(duration: number): string {
  if (duration === 0) return '0s';
  if (duration < 0.001) return `${Math.trunc(duration * 1000000)}ns`;
  if (duration < 1) return `${toFixedNoTrailingZerosTrunc(duration * 1000, 2)}µs`;
  if (duration < 1000) return `${toFixedNoTrailingZerosTrunc(duration, 2)}ms`;
  let fixed = `${toFixedNoTrailingZerosTrunc((duration % 60000) / 1000, duration > 60000 ? 0 : 2)}s`;
  let rem = Math.trunc(duration / 60000);
  if (rem < 1) return fixed;
  fixed = `${rem % 60}m${fixed}`;
  rem = Math.trunc(rem / 60);
  if (rem < 1) return fixed;
  return `${rem}h${fixed}`;
}

const UNIT_MAP: Readonly<Record<string, { unit: string; coef: number }>> = {
  s: { unit: 's', coef: 0.001 },
  ms: { unit: 'ms', coef: 1 },
  us: { unit: 'µs', coef: 1000 },
};

export function humanizeDuration(dur: number, timeUnit: string | null | undefined): string {
  const fixed = timeUnit ? UNIT_MAP[timeUnit] : undefined;
  if (fixed) return `${(dur * fixed.coef).toFixed(2)}${fixed.unit}`;
  return humanizeGenericDuration(dur);
}

/** A rate is a percentage truncated to 2 decimals; times and bytes are humanized; others keep ≤6 decimals. */
export function humanizeValue(val: number, metric: HumanizeMetric, timeUnit?: string | null): string {
  if (metric.type === 'rate') return `${(Math.trunc(val * 100 * 100) / 100).toFixed(2)}%`;
  switch (metric.contains) {
    case 'data':
      return humanizeBytes(val);
    case 'time':
      return humanizeDuration(val, timeUnit);
    default:
      return toFixedNoTrailingZeros(val, 6);
  }
}
