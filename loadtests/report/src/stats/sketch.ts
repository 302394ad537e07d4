// A relative-error quantile sketch (the DDSketch idea): log-spaced buckets, so memory depends on the value
// range, never on the number of samples, and two sketches merge by adding counts. Used for whole-phase
// latency percentiles, where keeping every sample of a long run would grow without bound.

export class QuantileSketch {
  private readonly gamma: number;
  private readonly logGamma: number;
  private readonly buckets = new Map<number, number>();
  private zeros = 0;
  count = 0;
  min = Infinity;
  max = -Infinity;

  /** `relativeAccuracy` 0.01 = every quantile within ±1 % of a true sample value. */
  constructor(readonly relativeAccuracy = 0.01) {
    this.gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
    this.logGamma = Math.log(this.gamma);
  }

  add(value: number): void {
    this.count++;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (value <= 1e-9) {
      this.zeros++;
      return;
    }
    const k = Math.ceil(Math.log(value) / this.logGamma);
    this.buckets.set(k, (this.buckets.get(k) ?? 0) + 1);
  }

  merge(other: QuantileSketch): void {
    if (other.relativeAccuracy !== this.relativeAccuracy) throw new Error('cannot merge sketches of different accuracy');
    for (const [k, c] of other.buckets) this.buckets.set(k, (this.buckets.get(k) ?? 0) + c);
    this.zeros += other.zeros;
    this.count += other.count;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
  }

  quantile(q: number): number | undefined {
    if (this.count === 0) return undefined;
    if (q <= 0) return this.min;
    if (q >= 1) return this.max;
    const rank = q * (this.count - 1);
    let seen = this.zeros;
    if (rank < seen) return 0;
    for (const k of [...this.buckets.keys()].sort((a, b) => a - b)) {
      seen += this.buckets.get(k) as number;
      if (rank < seen) {
        const v = (2 * Math.pow(this.gamma, k)) / (this.gamma + 1);
        return Math.min(this.max, Math.max(this.min, v));
      }
    }
    return this.max;
  }
}
