// The cluster primary: forks the replicas, keeps them running, and serves the group's management port.
// It never handles API requests itself; in cluster mode it only owns the shared listening socket and deals
// connections round-robin to the workers whose servers are listening.
import cluster from 'node:cluster';
import { createServer, type AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Logger } from 'pino';
import { createManagementApp } from '../management/app.ts';
import { MAX_REPLICAS, type SupervisorConfig } from './config.ts';
import { createGroupTarget } from './group-target.ts';
import { ReplicaGroup } from './group.ts';
import { createSupervisorMetrics } from './supervisor-metrics.ts';

/** Tells a forked worker which slot it fills; internal, set only by the primary. */
export const SLOT_ENV = 'CHAOSLAB_REPLICA_SLOT';

// Margin on top of the replica's own drain bound before a stopping worker is SIGKILLed.
const STOP_GRACE_MS = 5_000;
const START_TIMEOUT_MS = 30_000;

export interface RunningSupervisor {
  mgmtPort: number;
  /** Stops every replica gracefully and closes the management port. */
  stop(): Promise<void>;
}

export async function runPrimary(config: SupervisorConfig, logger: Logger): Promise<RunningSupervisor> {
  // Structured clone instead of JSON on the IPC pipe: metric values such as NaN survive it.
  cluster.setupPrimary({ serialization: 'advanced' });
  const own = createSupervisorMetrics();
  const group = new ReplicaGroup({
    desired: config.replicas,
    maxReplicas: MAX_REPLICAS,
    backoff: config.backoff,
    ipcTimeoutMs: config.ipcTimeoutMs,
    stopTimeoutMs: config.service.shutdownDelayMs + config.service.shutdownTimeoutMs + STOP_GRACE_MS,
    startTimeoutMs: START_TIMEOUT_MS,
    logger,
    spawn: (slot) => cluster.fork({ [SLOT_ENV]: String(slot) }),
    observer: own.observer,
  });
  const app = createManagementApp(createGroupTarget(group, own, logger), { chaosToken: config.service.chaosToken });
  const server = createAdaptorServer({ fetch: app.fetch });

  // The management port is bound before any replica starts, so a taken port fails fast and forks nothing.
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) =>
      reject(new Error(`management port ${config.service.mgmtPort} is not available (${err.code ?? err.message})`));
    server.once('error', onError);
    server.listen(config.service.mgmtPort, config.service.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const mgmtPort = (server.address() as AddressInfo).port;
  try {
    await assertPortFree(config.service.port, config.service.host);
  } catch (err) {
    server.close();
    throw err;
  }
  group.start();
  logger.info(
    {
      apiPort: config.service.port,
      mgmtPort,
      replicas: config.replicas,
      admin: config.service.chaosToken !== undefined,
    },
    'supervisor started',
  );

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await group.stop();
      // Scrapes and probes keep answering while replicas drain; only then does the port close.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      logger.info('supervisor stopped');
    })());
  return { mgmtPort, stop };
}

/**
 * The API port is bound by the first worker that listens; if it is taken, every replica would crash-loop with
 * EADDRINUSE while the supervisor looks alive. Trying it once up front turns that into one clear start-up error.
 */
async function assertPortFree(port: number, host: string | undefined): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(`API port ${port} is not available (${err.code ?? err.message})`)),
    );
    probe.listen(port, host, () => resolve());
  });
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}
