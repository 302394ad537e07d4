// One fault-injector interface, two implementations chosen at bundle time by build.mjs: `local.ts` drives the
// supervisor's admin API, `cluster.ts` drives xk6-disruptor. Scenarios import `../lib/faults/index.ts`, which
// the bundler swaps for one of them; nothing else may import either implementation directly.

export interface HttpFault {
  delayMs: number;
  jitterMs: number;
  errorRate: number;
  errorCode: number;
  /** 0 = every replica; n = only the first n replicas (local only: the disruptor targets a whole Service). */
  targetReplicas: number;
}

export interface ReplicaState {
  ready: number;
  total: number;
  /** Changes whenever a replica is replaced (ids and pids / pod names), so a fast restart is still seen. */
  signature: string;
}

export interface FaultInjector {
  readonly kind: 'local' | 'cluster';
  /** Fails fast with a clear message when the injector cannot work (no token, admin API unreachable, ...). */
  preflight(): void;
  /**
   * Applies the fault, holds it until `untilMs` (Unix ms) and removes it before returning; `ttlS` is the fault's
   * own lifetime as a safety net in case this VU dies before the removal.
   */
  holdHttpFault(fault: HttpFault, untilMs: number, ttlS: number): string;
  /** Kills one replica (graceful unless `force`); returns what was killed. */
  killReplica(force: boolean): string;
  /** Sets the replica count; returns a description (cluster: kubectl does it, see mk/loadtests.mk). */
  scale(count: number): string;
  /** Current replicas, or undefined when this injector cannot see them. */
  replicas(): ReplicaState | undefined;
  /** Removes every fault this suite may have left behind (teardown, `make chaos-stop`). */
  clearAll(): void;
}
