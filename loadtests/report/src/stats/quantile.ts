// k6's percentile: sort, i = p·(n−1), interpolate linearly between floor(i) and ceil(i) (spec §1.3).

/** `sorted` must be ascending. Returns undefined for an empty list. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number | undefined {
  const n = sorted.length;
  if (n === 0) return undefined;
  const i = q * (n - 1);
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (i - lo);
}

export function median(values: readonly number[]): number | undefined {
  return quantileSorted(Float64Array.from(values).sort(), 0.5);
}

/** Median absolute deviation (unscaled). */
export function mad(values: readonly number[]): number | undefined {
  const m = median(values);
  if (m === undefined) return undefined;
  return median(values.map((v) => Math.abs(v - m)));
}

/** MAD × 1.4826 estimates σ for normal data while ignoring outliers. */
export const MAD_TO_SIGMA = 1.4826;
