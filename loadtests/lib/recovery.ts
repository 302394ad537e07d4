// When has a service recovered? Pure trackers fed with observations, so the rule is unit-tested in Node and
// the k6 probe loop only does I/O.

/**
 * Requests have recovered once probes succeed within the latency band for `windowMs` without a break. The
 * recovery time is from `startMs` (fault end or kill) to the first probe of that unbroken good run.
 */
export class RequestRecovery {
  private streakStart: number | undefined;
  private recoveredAt: number | undefined;

  constructor(
    private readonly startMs: number,
    private readonly windowMs: number,
    private readonly bandMs: number,
  ) {}

  observe(atMs: number, ok: boolean, latencyMs: number): number | undefined {
    if (this.recoveredAt !== undefined) return this.recoveredAt - this.startMs;
    if (ok && latencyMs <= this.bandMs) {
      this.streakStart ??= atMs;
      if (atMs - this.streakStart >= this.windowMs) this.recoveredAt = this.streakStart;
    } else {
      this.streakStart = undefined;
    }
    return this.recoveredAt === undefined ? undefined : this.recoveredAt - this.startMs;
  }

  get recovered(): boolean {
    return this.recoveredAt !== undefined;
  }
}

/** Replicas have recovered at the first observation with `want` replicas ready (after `startMs`). */
export class ReplicaRecovery {
  private recoveredAt: number | undefined;
  /** A kill is only over once the killed replica was seen gone or replaced; see `sawDip`. */
  private dipped = false;

  constructor(
    private readonly startMs: number,
    private readonly want: number,
    private readonly requireDip: boolean,
  ) {}

  observe(atMs: number, ready: number): number | undefined {
    if (this.recoveredAt !== undefined) return this.recoveredAt - this.startMs;
    if (ready < this.want) this.dipped = true;
    if (ready >= this.want && (this.dipped || !this.requireDip)) this.recoveredAt = atMs;
    return this.recoveredAt === undefined ? undefined : this.recoveredAt - this.startMs;
  }

  /** Mark that the replica set changed (e.g. a new pid replaced the killed one) even if no dip was observed. */
  sawChange(): void {
    this.dipped = true;
  }

  get recovered(): boolean {
    return this.recoveredAt !== undefined;
  }
}
