// Every knob of every experiment, parsed and validated once at init from `__ENV`. Pure: it takes the env as a
// plain record, so the same code runs under k6 and in Node unit tests. A bad value throws at init with a message
// that names the variable, so a typo can never silently run the wrong experiment.

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Go-style duration ("500ms", "30s", "2m", "1m30s") or a bare number of seconds, to milliseconds. */
export function parseDurationMs(text: string): number {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t)) !== null) {
    if (m.index !== consumed) break;
    total += Number(m[1]) * (unit[m[2] as string] as number);
    consumed = re.lastIndex;
  }
  if (consumed === 0 || consumed !== t.length) throw new Error(`"${text}" is not a duration (e.g. 500ms, 30s, 2m, 1m30s)`);
  return total;
}

/** Reads one variable through a parser; an absent or empty value takes the default. */
class Reader {
  constructor(private readonly env: Env) {}

  private raw(name: string): string | undefined {
    const v = this.env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  }

  private fail(name: string, value: string, why: string): never {
    throw new ConfigError(`${name}=${JSON.stringify(value)}: ${why}`);
  }

  string(name: string, def: string): string {
    return this.raw(name) ?? def;
  }

  url(name: string, def: string): string {
    const v = this.raw(name) ?? def;
    if (!/^https?:\/\/[^\s/]+(\/\S*)?$/.test(v)) this.fail(name, v, 'must be an http(s) URL such as http://localhost:30080');
    return v.replace(/\/+$/, '');
  }

  number(name: string, def: number, min: number, max: number): number {
    const v = this.raw(name);
    if (v === undefined) return def;
    const n = Number(v);
    if (!Number.isFinite(n)) this.fail(name, v, 'must be a number');
    if (n < min || n > max) this.fail(name, v, `must be between ${min} and ${max}`);
    return n;
  }

  int(name: string, def: number, min: number, max: number): number {
    const n = this.number(name, def, min, max);
    if (!Number.isInteger(n)) this.fail(name, String(this.raw(name)), 'must be a whole number');
    return n;
  }

  /** Seconds, from a duration string or bare seconds. */
  seconds(name: string, defS: number, minS: number, maxS: number): number {
    const v = this.raw(name);
    if (v === undefined) return defS;
    let ms: number;
    try {
      ms = parseDurationMs(v);
    } catch (e) {
      this.fail(name, v, (e as Error).message);
    }
    const s = ms / 1000;
    if (s < minS || s > maxS) this.fail(name, v, `must be between ${minS}s and ${maxS}s`);
    return s;
  }

  flag(name: string, def: boolean): boolean {
    const v = this.raw(name);
    if (v === undefined) return def;
    if (/^(1|true|yes|on)$/i.test(v)) return true;
    if (/^(0|false|no|off)$/i.test(v)) return false;
    return this.fail(name, v, 'must be 1/0, true/false, yes/no or on/off');
  }

  oneOf<T extends string>(name: string, def: T, allowed: readonly T[]): T {
    const v = this.raw(name);
    if (v === undefined) return def;
    if (!(allowed as readonly string[]).includes(v)) this.fail(name, v, `must be one of ${allowed.join(', ')}`);
    return v as T;
  }
}

/** Per-scenario defaults: what the DESIGN.md table says, before env overrides and before SMOKE shortens time. */
export interface ScenarioDefaults {
  rate: number;
  /** Total seconds of a fault-free scenario (baseline, stress). */
  durationS?: number;
  warmupS?: number;
  faultS?: number;
  recoveryS?: number;
}

export interface Profile {
  baseUrl: string;
  mgmtUrl: string;
  chaosToken: string;
  target: 'local' | 'cluster';
  engine: string;
  smoke: boolean;
  /** Load, requests per second (the naive population's share in the errors scenario). */
  rate: number;
  durationS: number;
  warmupS: number;
  faultS: number;
  recoveryS: number;
  /** The SLO the predictions are written against. */
  slo: { p95Ms: number; errorRate: number };
  fault: {
    delayMs: number;
    jitterMs: number;
    errorRate: number;
    errorCode: number;
    /** 0 = all replicas; n = the first n replicas only. */
    targetReplicas: number;
    /** Added to every injected fault's lifetime as the TTL that ends it if nobody else does. */
    ttlMarginS: number;
    /** Faults are removed this long before the fault phase ends, so recovery-phase samples never see them. */
    guardMs: number;
    force: boolean;
    replicas: number;
    scaleTo: number;
  };
  latencyToleranceMs: number;
  errorRateTolerance: number;
  retries: number;
  retryBackoffMs: number;
  recovery: { windowS: number; bandMs: number; maxS: number };
  spike: { rate: number; rampS: number; errorRate: number };
  breakpoint: { startRate: number; maxRate: number; bucket: number; abortDelayS: number };
  vus: { pre: number; max: number };
  k8s: { service: string; namespace: string; port: number };
  gitCommit: string;
  resultsDir: string;
}

/** SMOKE=1: every scenario in seconds, for CI. Explicit env values still win. */
const SMOKE = { warmupS: 5, faultS: 8, recoveryS: 8, durationS: 10 };

export function loadProfile(env: Env, defaults: ScenarioDefaults): Profile {
  const r = new Reader(env);
  const smoke = r.flag('SMOKE', false);
  const rate = r.number('RATE', defaults.rate, 0.1, 10_000);
  const warmupS = r.seconds('WARMUP', smoke ? SMOKE.warmupS : (defaults.warmupS ?? 10), 1, 3600);
  const faultS = r.seconds('FAULT_DURATION', smoke ? SMOKE.faultS : (defaults.faultS ?? 30), 1, 3600);
  const recoveryS = r.seconds('RECOVERY', smoke ? SMOKE.recoveryS : (defaults.recoveryS ?? 30), 1, 3600);
  const durationS = r.seconds('DURATION', smoke ? SMOKE.durationS : (defaults.durationS ?? 60), 1, 24 * 3600);
  const p95Ms = r.number('SLO_P95_MS', 300, 0.001, 600_000);
  const delayMs = r.number('FAULT_DELAY_MS', 500, 0, 600_000);
  const maxRate = r.number('MAX_RATE', 400, 0.1, 100_000);
  const startRate = r.number('START_RATE', 10, 0.1, 100_000);
  if (startRate >= maxRate) throw new ConfigError(`START_RATE=${startRate} must be below MAX_RATE=${maxRate}`);
  const spikeRate = r.number('SPIKE_RATE', 100, 0.1, 100_000);
  const replicas = r.int('REPLICAS', 2, 1, 64);
  const scaleTo = r.int('SCALE_TO', 1, 0, 64);
  if (scaleTo >= replicas) throw new ConfigError(`SCALE_TO=${scaleTo} must be below REPLICAS=${replicas} (scale-down)`);
  const peakRate = Math.max(rate, spikeRate, maxRate);
  // Enough VUs for the peak rate at the slower of the SLO and the injected delay, plus headroom; override if needed.
  const expectedMs = Math.max(100, delayMs + 100);
  const pre = r.int('VUS', Math.min(200, Math.ceil((rate * expectedMs) / 1000) + 2), 1, 5000);
  const max = r.int('MAX_VUS', Math.min(400, Math.max(pre * 2, Math.ceil((peakRate * 200) / 1000) + 5)), 1, 10_000);
  if (max < pre) throw new ConfigError(`MAX_VUS=${max} must be at least VUS=${pre}`);
  return {
    baseUrl: r.url('BASE_URL', 'http://localhost:30080'),
    mgmtUrl: r.url('MGMT_URL', 'http://localhost:9464'),
    chaosToken: r.string('CHAOS_TOKEN', ''),
    target: r.oneOf('TARGET', 'local', ['local', 'cluster'] as const),
    // k6 offers no way for a script to know which engine runs it; the make targets pass ENGINE.
    engine: r.string('ENGINE', 'unspecified (pass ENGINE=...)'),
    smoke,
    rate,
    durationS,
    warmupS,
    faultS,
    recoveryS,
    slo: { p95Ms, errorRate: r.number('SLO_ERROR_RATE', 0.01, 0, 1) },
    fault: {
      delayMs,
      jitterMs: r.number('FAULT_JITTER_MS', 0, 0, 600_000),
      errorRate: r.number('FAULT_ERROR_RATE', 0.2, 0, 1),
      errorCode: r.int('FAULT_ERROR_CODE', 500, 500, 599),
      targetReplicas: r.int('TARGET_REPLICAS', 0, 0, 64),
      ttlMarginS: r.seconds('FAULT_TTL_MARGIN', 15, 1, 3600),
      guardMs: r.number('FAULT_GUARD_MS', 100, 0, 10_000),
      force: r.flag('FORCE', false),
      replicas,
      scaleTo,
    },
    latencyToleranceMs: r.number('LATENCY_TOLERANCE_MS', 250, 0, 600_000),
    errorRateTolerance: r.number('ERROR_RATE_TOLERANCE', 0.1, 0, 1),
    retries: r.int('RETRIES', 4, 0, 20),
    retryBackoffMs: r.number('RETRY_BACKOFF_MS', 50, 0, 60_000),
    recovery: {
      windowS: r.seconds('RECOVERY_WINDOW', smoke ? 2 : 3, 0.5, 600),
      bandMs: r.number('RECOVERY_BAND_MS', p95Ms, 0.001, 600_000),
      maxS: r.seconds('RECOVERY_SLO', smoke ? 10 : 20, 0.1, 3600),
    },
    spike: { rate: spikeRate, rampS: r.seconds('SPIKE_RAMP', 1, 1, 600), errorRate: r.number('SPIKE_ERROR_RATE', 0.05, 0, 1) },
    breakpoint: {
      startRate,
      maxRate,
      bucket: r.number('RATE_BUCKET', 10, 0.1, 10_000),
      abortDelayS: r.seconds('ABORT_DELAY', smoke ? 2 : 5, 0, 600),
    },
    vus: { pre, max },
    k8s: {
      service: r.string('K8S_SERVICE', 'poll-api'),
      namespace: r.string('K8S_NAMESPACE', 'poll-app'),
      port: r.int('K8S_SERVICE_PORT', 0, 0, 65535),
    },
    gitCommit: r.string('GIT_COMMIT', ''),
    resultsDir: r.string('RESULTS_DIR', 'results').replace(/\/+$/, ''),
  };
}
