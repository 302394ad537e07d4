// The baseline band: what "normal" looked like before anything was injected, from the run's own data.
// Robust centre and spread (median, MAD) so a few slow requests in warm-up do not widen it, plus floors so
// a perfectly quiet baseline (MAD = 0) does not turn every blip into a fault.
import { MAD_TO_SIGMA, mad, median } from '../stats/quantile.ts';
import type { SecondStats } from '../model.ts';

export type SignalId = 'errorRatio' | 'p50' | 'p95' | 'rate';

export interface Signal {
  id: SignalId;
  label: string;
  /** Which way is bad: up for errors and latency, down for throughput. */
  bad: 'up' | 'down';
  value(s: SecondStats): number | undefined;
}

// p99 is charted but not a detection signal: at tens of requests a second a per-second p99 is just the
// slowest request or two, and one GC pause in two consecutive seconds would be called a fault.
export const SIGNALS: readonly Signal[] = [
  { id: 'errorRatio', label: 'error ratio', bad: 'up', value: (s) => s.errorRatio },
  { id: 'p95', label: 'p95 latency', bad: 'up', value: (s) => s.p95 },
  { id: 'p50', label: 'p50 latency', bad: 'up', value: (s) => s.p50 },
  { id: 'rate', label: 'request rate', bad: 'down', value: (s) => s.reqs },
];

export interface Band {
  center: number;
  lower: number;
  upper: number;
}

export interface BandOptions {
  /** Width in robust standard deviations (MAD × 1.4826). */
  k: number;
  /** Error ratio: upper edge at least this far above the centre (absolute ratio). */
  errorFloor: number;
  /** Latency: upper edge at least centre × this factor and at least centre + latencyFloorMs. */
  latencyFactor: number;
  latencyFloorMs: number;
  /** Rate: lower edge at most centre × this factor. */
  rateFactor: number;
}

// Latency floors are generous on purpose: a per-second p95 of 20 requests on a busy 2-core machine swings 2–4×
// without anything being wrong, while the faults worth finding (+500 ms, timeouts) are far larger.
export const DEFAULT_BAND: BandOptions = { k: 5, errorFloor: 0.05, latencyFactor: 2, latencyFloorMs: 25, rateFactor: 0.75 };

export function buildBand(signal: Signal, baseline: readonly SecondStats[], o: BandOptions = DEFAULT_BAND): Band | undefined {
  const values = baseline.map(signal.value).filter((v): v is number => v !== undefined);
  if (values.length < 3) return undefined;
  const center = median(values) as number;
  const spread = o.k * MAD_TO_SIGMA * (mad(values) as number);
  switch (signal.id) {
    case 'errorRatio':
      return { center, lower: 0, upper: Math.min(1, Math.max(center + spread, center + o.errorFloor)) };
    case 'rate':
      return { center, lower: Math.max(0, Math.min(center - spread, center * o.rateFactor)), upper: Infinity };
    default:
      return { center, lower: 0, upper: Math.max(center + spread, center * o.latencyFactor, center + o.latencyFloorMs) };
  }
}

/** How far outside the band, in band widths (0 = inside). undefined values (no requests) are never outside. */
export function excess(signal: Signal, band: Band, s: SecondStats): number {
  const v = signal.value(s);
  if (v === undefined) return 0;
  if (signal.bad === 'up') return v > band.upper ? (v - band.upper) / Math.max(band.upper - band.center, 1e-9) : 0;
  return v < band.lower ? (band.lower - v) / Math.max(band.center - band.lower, 1e-9) : 0;
}

export const signalLabel = (id: SignalId): string => SIGNALS.find((s) => s.id === id)?.label ?? id;
