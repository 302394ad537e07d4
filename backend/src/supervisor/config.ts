// The supervisor's own settings (how many replicas, how restarts back off), parsed once at the edge like the
// service's config. Everything a replica needs still comes from the service's loadConfig, so the supervisor
// validates that too before it forks anything: a bad variable stops the whole group with one clear message.
import { z } from 'zod';
import { ConfigError, loadConfig, type Config } from '../config/index.ts';

/** The local deployment answers on the same port users hit on a cluster node (the NodePort). */
export const DEFAULT_LOCAL_PORT = 30080;
export const MAX_REPLICAS = 16;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const envSchema = z.object({
  REPLICAS: int(1, MAX_REPLICAS).default(2),
  RESTART_BACKOFF_INITIAL_MS: int(0, 60_000).default(250),
  RESTART_BACKOFF_MAX_MS: int(0, 600_000).default(30_000),
  // A replica that stayed up this long is healthy again: its next crash restarts it at the initial delay.
  RESTART_STABLE_MS: int(0, 3_600_000).default(10_000),
  // How long a replica may take to answer an IPC request (metrics, readiness, faults) before it counts as down.
  REPLICA_IPC_TIMEOUT_MS: int(50, 60_000).default(2_000),
});

export interface SupervisorConfig {
  replicas: number;
  backoff: { initialMs: number; maxMs: number; stableMs: number };
  ipcTimeoutMs: number;
  /** The service config every replica runs with (API port shared by all of them). */
  service: Config;
}

/** Throws ConfigError naming the first bad variable. */
export function loadSupervisorConfig(env: NodeJS.ProcessEnv): SupervisorConfig {
  const withLocalDefaults = { ...env, PORT: env.PORT || String(DEFAULT_LOCAL_PORT) };
  const service = loadConfig(withLocalDefaults);
  const present = Object.fromEntries(
    Object.keys(envSchema.shape).flatMap((k) => (env[k] === undefined || env[k] === '' ? [] : [[k, env[k]]])),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(variable, `${issue?.message ?? 'invalid value'} (got ${JSON.stringify(present[variable])})`);
  }
  const e = parsed.data;
  if (e.RESTART_BACKOFF_MAX_MS < e.RESTART_BACKOFF_INITIAL_MS) {
    throw new ConfigError('RESTART_BACKOFF_MAX_MS', 'must not be below RESTART_BACKOFF_INITIAL_MS');
  }
  return {
    replicas: e.REPLICAS,
    backoff: {
      initialMs: e.RESTART_BACKOFF_INITIAL_MS,
      maxMs: e.RESTART_BACKOFF_MAX_MS,
      stableMs: e.RESTART_STABLE_MS,
    },
    ipcTimeoutMs: e.REPLICA_IPC_TIMEOUT_MS,
    service,
  };
}
