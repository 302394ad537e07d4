// k6's percentile (TrendSink.P): linear interpolation between the closest ranks of the sorted values,
// with the rank i = p·(n−1). `p` is a fraction (0.95 for p(95)); `sorted` must be ascending.
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  if (n === 1) return sorted[0] as number;
  const i = p * (n - 1);
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  const j = sorted[lo] as number;
  const k = sorted[hi] as number;
  return j + (k - j) * (i - lo);
}
