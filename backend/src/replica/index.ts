// WORK IN PROGRESS: the seam the local supervisor codes against. Types are final; startReplica is being filled in.
import type { Registry } from 'prom-client';
import type { Config } from '../config/index.ts';
import type { ChaosController } from '../chaos/controller.ts';

export { loadConfig, ConfigError, type Config } from '../config/index.ts';
export type { ChaosController, EffectiveFault } from '../chaos/controller.ts';

export interface ReplicaOptions {
  config: Config;
  /** Replica id: the `replica` field of faults and the `pod` label the supervisor adds. */
  replicaId: string;
  /** Serve /metrics, /healthz, /readyz, /admin on config.mgmtPort (pods); false inside a supervisor worker. */
  serveManagement: boolean;
}

export interface Replica {
  readonly id: string;
  /** prom-client Registry holding all of this replica's metrics (default metrics included). */
  readonly registry: Registry;
  readonly chaos: ChaosController;
  /** Bound API port (config.port; 0 = ephemeral, resolved here). */
  readonly apiPort: number;
  /** Bound management port, only when serveManagement. */
  readonly managementPort?: number;
  /** Store reachable and not draining. */
  ready(): Promise<{ ready: boolean; reason?: string }>;
  /** Graceful: readiness false, stop accepting, drain in flight (bounded by config.shutdownTimeoutMs), close store. */
  shutdown(reason: string): Promise<void>;
}

/** Resolves once the API (and management, if asked) server listens and the store is migrated and seeded. */
export async function startReplica(_opts: ReplicaOptions): Promise<Replica> {
  throw new Error('startReplica: work in progress');
}
