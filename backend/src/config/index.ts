// The service's whole configuration, parsed and validated once at the process edge. Everything below
// receives a typed `Config`; nothing else reads process.env.
import { hostname } from 'node:os';
import { z } from 'zod';

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`invalid ${variable}: ${detail}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

// One entry per environment variable; the key is the variable's name so errors can name it.
const envSchema = z.object({
  PORT: int(0, 65535).default(3000),
  MGMT_PORT: int(0, 65535).default(9464),
  HOST: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .pipe(z.url())
    .optional(),
  SQLITE_PATH: z.string().min(1).default('run/polls.db'),
  CHAOS_TOKEN: z.string().min(8, 'must be at least 8 characters').optional(),
  ARTIFICIAL_DELAY_MS: int(0, 600_000).default(0),
  ERROR_RATE: z.coerce.number().min(0).max(1).default(0),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  SHUTDOWN_TIMEOUT_MS: int(0, 600_000).default(10_000),
  // Pods: keep listening (with readiness 503) this long after SIGTERM so endpoints stop routing here first.
  SHUTDOWN_DELAY_MS: int(0, 600_000).default(0),
  BODY_LIMIT_BYTES: int(64, 1_048_576).default(4096),
  STORE_TIMEOUT_MS: int(50, 120_000).default(2000),
  DB_POOL_SIZE: int(1, 200).default(10),
  POD_NAME: z.string().min(1).max(253).optional(),
});

export interface Config {
  port: number;
  mgmtPort: number;
  /** Interface to bind; undefined = Node's default (all interfaces). */
  host: string | undefined;
  store: { kind: 'postgres'; url: string } | { kind: 'sqlite'; path: string };
  /** Admin endpoints are off unless set. */
  chaosToken: string | undefined;
  /** Faults from the environment, applied to /api/* for the whole life of the process. */
  envFault: { delayMs: number; errorRate: number };
  logLevel: (typeof LOG_LEVELS)[number];
  shutdownTimeoutMs: number;
  shutdownDelayMs: number;
  bodyLimitBytes: number;
  /** Bound on every store connect/query, so an unreachable database fails requests fast instead of hanging. */
  storeTimeoutMs: number;
  dbPoolSize: number;
  /** Default replica id: POD_NAME, else the host name. */
  podName: string;
}

/** Reads the configuration from an environment; throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  // An empty variable means "unset" (common in compose files and Makefiles).
  const present = Object.fromEntries(
    Object.keys(envSchema.shape).flatMap((k) => (env[k] === undefined || env[k] === '' ? [] : [[k, env[k]]])),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    const got = present[variable];
    const shown = variable === 'CHAOS_TOKEN' || variable === 'DATABASE_URL' ? '' : ` (got ${JSON.stringify(got)})`;
    throw new ConfigError(variable, `${issue?.message ?? 'invalid value'}${shown}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    mgmtPort: e.MGMT_PORT,
    host: e.HOST,
    store: e.DATABASE_URL ? { kind: 'postgres', url: e.DATABASE_URL } : { kind: 'sqlite', path: e.SQLITE_PATH },
    chaosToken: e.CHAOS_TOKEN,
    envFault: { delayMs: e.ARTIFICIAL_DELAY_MS, errorRate: e.ERROR_RATE },
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    shutdownDelayMs: e.SHUTDOWN_DELAY_MS,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    storeTimeoutMs: e.STORE_TIMEOUT_MS,
    dbPoolSize: e.DB_POOL_SIZE,
    podName: e.POD_NAME ?? hostname(),
  };
}
