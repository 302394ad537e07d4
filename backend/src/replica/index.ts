// One replica of the poll service: store, API server, chaos state, metrics and (in a pod) its management port.
// This is the seam the local supervisor builds on: each of its worker processes runs exactly one of these.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Registry } from 'prom-client';
import { createApiApp } from '../api/app.ts';
import { createChaosController, type ChaosController } from '../chaos/controller.ts';
import type { Config } from '../config/index.ts';
import { listen, type HttpServer } from '../http/server.ts';
import { createLogger } from '../log/index.ts';
import { createManagementApp } from '../management/app.ts';
import { createMetrics } from '../metrics/index.ts';
import { createStore } from '../store/index.ts';
import { singleReplicaTarget } from './singleTarget.ts';

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
  /** Stop taking new API connections, leaving open ones alone (the supervisor's step before a SIGKILL). */
  stopAccepting(): void;
}

const STORE_PROBE_INTERVAL_MS = 2000;

/** Resolves once the API (and management, if asked) server listens and the store is migrated and seeded. */
export async function startReplica(opts: ReplicaOptions): Promise<Replica> {
  const { config, replicaId: id } = opts;
  const startedAt = Date.now();
  const log = createLogger(config.logLevel, id);
  const metrics = createMetrics();
  const store = createStore(config, (err) => log.warn({ err: err.message }, 'store connection error'));
  try {
    await store.init();
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
  metrics.storeUp.set(1);

  const chaos = createChaosController({
    replica: id,
    envFault: config.envFault,
    onChange: (f) => {
      metrics.chaosDelay.set(f.delayMs);
      metrics.chaosJitter.set(f.jitterMs);
      metrics.chaosErrorRate.set(f.errorRate);
      log.info({ fault: f }, 'fault in effect changed');
    },
  });
  const initial = chaos.effective();
  metrics.chaosDelay.set(initial.delayMs);
  metrics.chaosJitter.set(initial.jitterMs);
  metrics.chaosErrorRate.set(initial.errorRate);

  let draining = false;
  let storeError: string | undefined;
  const markStore = (error: string | undefined) => {
    if (error !== storeError) log[error ? 'warn' : 'info']({ error }, error ? 'store unavailable' : 'store reachable');
    storeError = error;
    metrics.storeUp.set(error ? 0 : 1);
  };
  const probeStore = async () => {
    try {
      // The stores bound their own queries; the race is a second fence so a probe can never hang readiness.
      await Promise.race([
        store.ping(),
        sleep(config.storeTimeoutMs + 500, undefined, { ref: false }).then(() => {
          throw new Error('store ping timed out');
        }),
      ]);
      markStore(undefined);
    } catch (err) {
      markStore((err as Error).message);
    }
  };
  const prober = setInterval(() => void probeStore(), STORE_PROBE_INTERVAL_MS);
  prober.unref();

  const ready = async (): Promise<{ ready: boolean; reason?: string }> => {
    if (draining) return { ready: false, reason: 'draining' };
    await probeStore();
    return storeError ? { ready: false, reason: `store unavailable: ${storeError}` } : { ready: true };
  };

  const api = createApiApp({
    store,
    metrics,
    chaos,
    log,
    bodyLimitBytes: config.bodyLimitBytes,
    draining: () => draining,
    onStoreError: (err) => markStore(err.message),
  });
  let apiServer: HttpServer | undefined;
  let mgmtServer: HttpServer | undefined;
  try {
    apiServer = await listen(api.fetch, config.port, config.host);
    if (opts.serveManagement) {
      const target = singleReplicaTarget({ id, startedAt, registry: metrics.registry, chaos, ready });
      const mgmt = createManagementApp(target, { chaosToken: config.chaosToken });
      mgmtServer = await listen(mgmt.fetch, config.mgmtPort, config.host);
    }
  } catch (err) {
    // A port in use, say: release what was opened so the caller can exit or retry cleanly.
    clearInterval(prober);
    chaos.close();
    await apiServer?.drain(0);
    await store.close().catch(() => undefined);
    throw err;
  }
  const api$ = apiServer;
  log.info(
    { apiPort: api$.port, managementPort: mgmtServer?.port, store: store.kind, admin: config.chaosToken !== undefined },
    'replica ready',
  );

  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string) => {
    stopping ??= (async () => {
      draining = true;
      log.info({ reason }, 'shutting down: readiness off, draining');
      if (config.shutdownDelayMs > 0) await sleep(config.shutdownDelayMs);
      const clean = await api$.drain(config.shutdownTimeoutMs);
      if (!clean) log.warn({ timeoutMs: config.shutdownTimeoutMs }, 'drain timed out; remaining connections cut');
      clearInterval(prober);
      chaos.close();
      await store.close();
      await mgmtServer?.drain(1000);
      log.info('shutdown complete');
    })();
    return stopping;
  };

  return {
    id,
    registry: metrics.registry,
    chaos,
    apiPort: api$.port,
    ...(mgmtServer ? { managementPort: mgmtServer.port } : {}),
    ready,
    shutdown,
    stopAccepting: () => api$.stopAccepting(),
  };
}
