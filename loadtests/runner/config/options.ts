// Script options -> a validated execution plan. Parsed once at the edge with zod; every later part of the
// engine works on the normalised shapes below (milliseconds, defaults filled in, shortcuts expanded).
import { z } from 'zod';
import { parseDuration } from './duration.ts';

export class OptionsError extends Error {
  override name = 'OptionsError';
}

const duration = z.union([z.string(), z.number()]).transform((v, ctx) => {
  try {
    const ms = parseDuration(v);
    if (ms < 0) throw new Error('negative');
    return ms;
  } catch {
    ctx.addIssue({ code: 'custom', message: `invalid duration ${JSON.stringify(v)}` });
    return z.NEVER;
  }
});
const int = (min: number) => z.number().int().min(min);
const stringMap = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));

const common = {
  startTime: duration.default(0),
  gracefulStop: duration.default(30_000),
  exec: z.string().min(1).default('default'),
  env: stringMap.default({}),
  tags: stringMap.default({}),
};
const stage = z.strictObject({ duration, target: int(0) });

// shared-iterations and per-vu-iterations take the same options (they differ in how iterations are split).
const iterationFields = { vus: int(1).default(1), iterations: int(1).default(1), maxDuration: duration.default(600_000) };

const scenarioSchema = z.discriminatedUnion('executor', [
  z.strictObject({ executor: z.literal('constant-vus'), ...common, vus: int(1).default(1), duration }),
  z.strictObject({
    executor: z.literal('ramping-vus'),
    ...common,
    startVUs: int(0).default(1),
    stages: z.array(stage).min(1),
    gracefulRampDown: duration.default(30_000),
  }),
  z.strictObject({ executor: z.literal('shared-iterations'), ...common, ...iterationFields }),
  z.strictObject({ executor: z.literal('per-vu-iterations'), ...common, ...iterationFields }),
  z.strictObject({
    executor: z.literal('constant-arrival-rate'),
    ...common,
    rate: z.number().positive(),
    timeUnit: duration.default(1000),
    duration,
    preAllocatedVUs: int(0),
    maxVUs: int(0).optional(),
  }),
  z.strictObject({
    executor: z.literal('ramping-arrival-rate'),
    ...common,
    startRate: z.number().min(0).default(0),
    timeUnit: duration.default(1000),
    stages: z.array(stage.extend({ target: z.number().min(0) })).min(1),
    preAllocatedVUs: int(0),
    maxVUs: int(0).optional(),
  }),
]);
type RawScenario = z.output<typeof scenarioSchema>;

export interface Stage {
  durationMs: number;
  target: number;
}
interface ScenarioCommon {
  name: string;
  startTimeMs: number;
  gracefulStopMs: number;
  exec: string;
  env: Record<string, string>;
  tags: Record<string, string>;
}
export type Scenario = ScenarioCommon &
  (
    | { executor: 'constant-vus'; vus: number; durationMs: number }
    | { executor: 'ramping-vus'; startVUs: number; stages: Stage[]; gracefulRampDownMs: number }
    | { executor: 'shared-iterations'; vus: number; iterations: number; maxDurationMs: number }
    | { executor: 'per-vu-iterations'; vus: number; iterations: number; maxDurationMs: number }
    | {
        executor: 'constant-arrival-rate';
        rate: number;
        timeUnitMs: number;
        durationMs: number;
        preAllocatedVUs: number;
        maxVUs: number;
      }
    | {
        executor: 'ramping-arrival-rate';
        startRate: number;
        timeUnitMs: number;
        stages: Stage[];
        preAllocatedVUs: number;
        maxVUs: number;
      }
  );
export type Executor = Scenario['executor'];

/** The options the engine acts on. Anything else in `options` is kept verbatim for `exec.test.options`. */
const optionsSchema = z.looseObject({
  vus: int(0).optional(),
  duration: duration.optional(),
  iterations: int(0).optional(),
  stages: z.array(stage).optional(),
  scenarios: z.record(z.string(), z.unknown()).optional(),
  // Thresholds are read, validated and owned by the metrics core (exit 104 there).
  thresholds: z.unknown().optional(),
  setupTimeout: duration.default(60_000),
  teardownTimeout: duration.default(60_000),
  summaryTrendStats: z.array(z.string()).optional(),
  summaryTimeUnit: z.enum(['', 's', 'ms', 'us']).default(''),
  noColor: z.boolean().default(false),
  tags: stringMap.default({}),
  discardResponseBodies: z.boolean().default(false),
  throw: z.boolean().default(false),
  maxRedirects: int(0).default(10),
  batch: int(1).default(20),
  batchPerHost: int(0).default(6),
  userAgent: z.string().optional(),
  noConnectionReuse: z.boolean().default(false),
  noVUConnectionReuse: z.boolean().default(false),
});

/** The k6/http options every VU needs (sent to it over the VU protocol). */
export interface HttpOptions {
  discardResponseBodies: boolean;
  throw: boolean;
  maxRedirects: number;
  batch: number;
  batchPerHost: number;
  userAgent: string;
  noConnectionReuse: boolean;
}

export interface Plan {
  scenarios: Scenario[];
  /** Raw options.thresholds, for the metrics core. */
  thresholds: unknown;
  setupTimeoutMs: number;
  teardownTimeoutMs: number;
  summaryTrendStats: string[] | undefined;
  summaryTimeUnit: string;
  noColor: boolean;
  runTags: Record<string, string>;
  http: HttpOptions;
  /** Options as given, minus execution shortcuts: what `exec.test.options` exposes. */
  exposed: Record<string, unknown>;
}

/** CLI flags that override script options (k6: CLI > env > script). */
export interface OptionOverrides {
  vus?: number;
  durationMs?: number;
  iterations?: number;
}

const SCENARIO_NAME = /^[0-9a-zA-Z_-]+$/;

function issues(error: z.ZodError, where: string): string {
  return error.issues.map((i) => `${where}${i.path.length ? `.${i.path.join('.')}` : ''}: ${i.message}`).join('; ');
}

/** Arrival-rate executors: maxVUs defaults to preAllocatedVUs, may not be below it, and at least one VU must exist. */
function arrivalMaxVUs(name: string, raw: { preAllocatedVUs: number; maxVUs?: number | undefined }): number {
  const maxVUs = raw.maxVUs ?? raw.preAllocatedVUs;
  if (maxVUs < raw.preAllocatedVUs) throw new OptionsError(`scenario ${name}: maxVUs can't be less than preAllocatedVUs`);
  if (maxVUs === 0) throw new OptionsError(`scenario ${name}: at least one VU is needed (preAllocatedVUs/maxVUs)`);
  return maxVUs;
}

function normaliseScenario(name: string, raw: RawScenario): Scenario {
  const base: ScenarioCommon = {
    name,
    startTimeMs: raw.startTime,
    gracefulStopMs: raw.gracefulStop,
    exec: raw.exec,
    env: raw.env,
    tags: raw.tags,
  };
  const stages = (s: { duration: number; target: number }[]): Stage[] =>
    s.map((x) => ({ durationMs: x.duration, target: x.target }));
  switch (raw.executor) {
    case 'constant-vus':
      if (raw.duration < 1000) throw new OptionsError(`scenario ${name}: the duration must be at least 1s`);
      return { ...base, executor: raw.executor, vus: raw.vus, durationMs: raw.duration };
    case 'ramping-vus':
      return {
        ...base,
        executor: raw.executor,
        startVUs: raw.startVUs,
        stages: stages(raw.stages),
        gracefulRampDownMs: raw.gracefulRampDown,
      };
    case 'shared-iterations':
      if (raw.iterations < raw.vus)
        throw new OptionsError(`scenario ${name}: the number of iterations (${raw.iterations}) can't be less than the number of VUs (${raw.vus})`);
      return { ...base, executor: raw.executor, vus: raw.vus, iterations: raw.iterations, maxDurationMs: raw.maxDuration };
    case 'per-vu-iterations':
      return { ...base, executor: raw.executor, vus: raw.vus, iterations: raw.iterations, maxDurationMs: raw.maxDuration };
    case 'constant-arrival-rate': {
      const maxVUs = arrivalMaxVUs(name, raw);
      return {
        ...base,
        executor: raw.executor,
        rate: raw.rate,
        timeUnitMs: raw.timeUnit,
        durationMs: raw.duration,
        preAllocatedVUs: raw.preAllocatedVUs,
        maxVUs,
      };
    }
    case 'ramping-arrival-rate': {
      const maxVUs = arrivalMaxVUs(name, raw);
      return {
        ...base,
        executor: raw.executor,
        startRate: raw.startRate,
        timeUnitMs: raw.timeUnit,
        stages: stages(raw.stages),
        preAllocatedVUs: raw.preAllocatedVUs,
        maxVUs,
      };
    }
  }
}

/** k6's execution shortcuts (K:lib/executor/execution_config_shortcuts.go). */
function shortcutScenario(o: { vus?: number; durationMs?: number; iterations?: number; stages?: Stage[] }): Scenario {
  const base: ScenarioCommon = { name: 'default', startTimeMs: 0, gracefulStopMs: 30_000, exec: 'default', env: {}, tags: {} };
  const vus = o.vus ?? 1;
  if (o.iterations !== undefined) {
    if (o.iterations < vus)
      throw new OptionsError(`the number of iterations (${o.iterations}) can't be less than the number of VUs (${vus})`);
    return { ...base, executor: 'shared-iterations', vus, iterations: o.iterations, maxDurationMs: o.durationMs ?? 600_000 };
  }
  if (o.durationMs !== undefined) {
    if (vus < 1) throw new OptionsError('the number of VUs must be at least 1 with a duration');
    return { ...base, executor: 'constant-vus', vus, durationMs: o.durationMs };
  }
  if (o.stages !== undefined && o.stages.length > 0)
    return { ...base, executor: 'ramping-vus', startVUs: vus, stages: o.stages, gracefulRampDownMs: 30_000 };
  return { ...base, executor: 'per-vu-iterations', vus: Math.max(vus, 1), iterations: 1, maxDurationMs: 600_000 };
}

/** Turns the script's exported `options` (plus CLI overrides) into a Plan, or throws OptionsError (exit 104). */
export function buildPlan(scriptOptions: unknown, overrides: OptionOverrides = {}): Plan {
  const parsed = optionsSchema.safeParse(scriptOptions ?? {});
  if (!parsed.success) throw new OptionsError(issues(parsed.error, 'options'));
  const o = parsed.data;

  const cliShortcut = overrides.vus !== undefined || overrides.durationMs !== undefined || overrides.iterations !== undefined;
  const scriptShortcut =
    o.vus !== undefined || o.duration !== undefined || o.iterations !== undefined || o.stages !== undefined;
  let scenarios: Scenario[];
  if (o.scenarios !== undefined && !cliShortcut) {
    if (o.duration !== undefined || o.iterations !== undefined || o.stages !== undefined)
      throw new OptionsError('using multiple execution config shortcuts simultaneously is not allowed: options.scenarios cannot be combined with duration, iterations or stages');
    scenarios = Object.entries(o.scenarios).map(([name, raw]) => {
      if (!SCENARIO_NAME.test(name)) throw new OptionsError(`scenario name "${name}" must match ${SCENARIO_NAME}`);
      const r = scenarioSchema.safeParse(raw);
      if (!r.success) throw new OptionsError(issues(r.error, `scenarios.${name}`));
      return normaliseScenario(name, r.data);
    });
    if (scenarios.length === 0) throw new OptionsError('options.scenarios is empty');
  } else {
    // CLI shortcuts replace the script's execution config entirely, as in k6.
    const merged = cliShortcut
      ? {
          vus: overrides.vus ?? o.vus,
          durationMs: overrides.durationMs ?? (overrides.iterations === undefined ? o.duration : undefined),
          iterations: overrides.iterations ?? (overrides.durationMs === undefined ? o.iterations : undefined),
          stages: undefined,
        }
      : { vus: o.vus, durationMs: o.duration, iterations: o.iterations, stages: o.stages?.map((s) => ({ durationMs: s.duration, target: s.target })) };
    void scriptShortcut;
    scenarios = [shortcutScenario(merged)];
  }

  const exposed: Record<string, unknown> = { ...(scriptOptions as Record<string, unknown> | undefined) };
  for (const k of ['vus', 'iterations', 'duration', 'stages']) delete exposed[k];

  return {
    scenarios,
    thresholds: o.thresholds,
    setupTimeoutMs: o.setupTimeout,
    teardownTimeoutMs: o.teardownTimeout,
    summaryTrendStats: o.summaryTrendStats,
    summaryTimeUnit: o.summaryTimeUnit,
    noColor: o.noColor,
    runTags: o.tags,
    http: {
      discardResponseBodies: o.discardResponseBodies,
      throw: o.throw,
      maxRedirects: o.maxRedirects,
      batch: o.batch,
      batchPerHost: o.batchPerHost,
      userAgent: o.userAgent ?? 'chaoslab-k6run/0.1 (https://k6.io/ compatible)',
      noConnectionReuse: o.noConnectionReuse,
    },
    exposed,
  };
}

/** The longest a scenario can take including its graceful stop: used for progress and VU planning. */
export function scenarioSpanMs(s: Scenario): { regularMs: number; graceMs: number } {
  switch (s.executor) {
    case 'constant-vus':
    case 'constant-arrival-rate':
      return { regularMs: s.durationMs, graceMs: s.gracefulStopMs };
    case 'ramping-vus':
      return { regularMs: s.stages.reduce((a, x) => a + x.durationMs, 0), graceMs: s.gracefulStopMs + s.gracefulRampDownMs };
    case 'ramping-arrival-rate':
      return { regularMs: s.stages.reduce((a, x) => a + x.durationMs, 0), graceMs: s.gracefulStopMs };
    case 'shared-iterations':
    case 'per-vu-iterations':
      return { regularMs: s.maxDurationMs, graceMs: s.gracefulStopMs };
  }
}

/** How many VUs a scenario needs at most (k6 pre-initialises maxVUs? no: preAllocatedVUs, growing to maxVUs). */
export function scenarioVUs(s: Scenario): { initial: number; max: number } {
  switch (s.executor) {
    case 'constant-vus':
    case 'shared-iterations':
    case 'per-vu-iterations':
      return { initial: s.vus, max: s.vus };
    case 'ramping-vus': {
      const peak = Math.max(s.startVUs, ...s.stages.map((x) => x.target));
      return { initial: peak, max: peak };
    }
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate':
      return { initial: s.preAllocatedVUs, max: s.maxVUs };
  }
}
