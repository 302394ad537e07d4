// What the management port (9464) controls. One replica in a pod implements it for itself; the local
// supervisor implements it for its whole group of worker processes. The management Hono app is written
// once against this interface, so probes, scrapes and chaos control behave the same in both places.

/** A runtime fault applied to `/api/*` requests. Validated at the edge before it gets here. */
export interface FaultSpec {
  /** Added latency in ms (0 = none). */
  delayMs: number;
  /** Uniform extra latency in [0, jitterMs) ms on top of delayMs. */
  jitterMs: number;
  /** Probability in [0, 1] that a request is answered with `errorCode` instead of being served. */
  errorRate: number;
  /** HTTP status used for injected errors (500..599). */
  errorCode: number;
  /** Seconds after which the fault removes itself; always set, so a forgotten fault cannot outlive its run. */
  ttlSeconds: number;
}

/** A fault as it is active now, on one replica. */
export interface ActiveFault extends FaultSpec {
  replica: string;
  /** Unix ms when it was set and when its TTL ends it. */
  setAt: number;
  expiresAt: number;
}

export interface ReplicaInfo {
  /** Stable name, also the `pod` label on metrics (e.g. `replica-1`). */
  id: string;
  pid: number;
  /** Unix ms when the current process of this replica started. */
  startedAt: number;
  restarts: number;
  ready: boolean;
}

export type KillSignal = 'SIGTERM' | 'SIGKILL';

export interface ManagementTarget {
  /** Prometheus exposition text for everything this target covers. */
  metrics(): Promise<{ contentType: string; body: string }>;
  /** Liveness: the process is able to answer at all. */
  live(): boolean;
  /** Readiness: store reachable and not draining (for a group: at least one replica ready). */
  ready(): Promise<{ ready: boolean; reason?: string }>;
  /** Apply a fault to one replica (by id) or, when replica is undefined, to all. */
  setFault(spec: FaultSpec, replica?: string): Promise<ActiveFault[]>;
  faults(): Promise<ActiveFault[]>;
  /** Remove faults from one replica or from all; returns how many were removed. */
  clearFaults(replica?: string): Promise<number>;
  replicas(): Promise<ReplicaInfo[]>;
  /** Group-only operations; a single replica in a pod leaves these undefined (the API answers 501). */
  kill?(replica: string, signal: KillSignal): Promise<ReplicaInfo>;
  scale?(count: number): Promise<ReplicaInfo[]>;
}
