// The phase timeline: one typed schedule that yields the k6 `scenarios`, the phase of any instant (for the
// `phase` tag), and the per-phase thresholds, which are the experiment's predictions written down before it runs.
// Pure: no k6 imports, so it is unit-tested in Node.

import {
  CLIENT_TAG,
  FAULT_SCENARIO,
  PHASE_TAG,
  loadScenarioName,
  type ClientKind,
  type Phase,
} from './contract.ts';

export interface PhaseSpec {
  phase: Phase;
  durationS: number;
  /** Arrival rate (req/s) held through the phase; with `rateTo` the phase ramps linearly from `rate` to it. */
  rate: number;
  rateTo?: number;
}

export interface Timeline {
  phases: PhaseSpec[];
  /** Client populations, each its own arrival-rate scenario at the phase rates. Default: one naive population. */
  clients?: ClientKind[];
  vus: { pre: number; max: number };
  /** Seconds a step change of rate takes (ramping-arrival-rate cannot jump in zero time). */
  stepRampS?: number;
  /** Whether a one-iteration `fault` scenario starts at the first `fault` phase. */
  withFault: boolean;
}

export interface Stage {
  duration: string;
  target: number;
}

/** The subset of k6's scenario config the suite writes (k6's own types accept it as is). */
export type ScenarioConfig =
  | {
      executor: 'constant-arrival-rate';
      rate: number;
      timeUnit: string;
      duration: string;
      preAllocatedVUs: number;
      maxVUs: number;
      exec: string;
      tags: Record<string, string>;
      gracefulStop: string;
    }
  | {
      executor: 'ramping-arrival-rate';
      startRate: number;
      timeUnit: string;
      stages: Stage[];
      preAllocatedVUs: number;
      maxVUs: number;
      exec: string;
      tags: Record<string, string>;
      gracefulStop: string;
    }
  | {
      executor: 'per-vu-iterations';
      vus: number;
      iterations: number;
      startTime: string;
      maxDuration: string;
      exec: string;
      gracefulStop: string;
    };

/** k6 reads fractional durations; keep three decimals so "7.5s" stays exact and floats never print 7.499999. */
export const secs = (s: number) => `${Math.round(s * 1000) / 1000}s`;

export function validateTimeline(tl: Timeline): void {
  if (tl.phases.length === 0) throw new Error('timeline: at least one phase is required');
  const seen = new Set<Phase>();
  for (const p of tl.phases) {
    if (seen.has(p.phase)) throw new Error(`timeline: phase "${p.phase}" appears twice`);
    seen.add(p.phase);
    if (!(p.durationS > 0)) throw new Error(`timeline: phase "${p.phase}" needs a positive duration`);
    if (!(p.rate > 0) || (p.rateTo !== undefined && !(p.rateTo > 0))) {
      throw new Error(`timeline: phase "${p.phase}" needs positive rates`);
    }
  }
  if (tl.withFault && !seen.has('fault')) throw new Error('timeline: a fault needs a "fault" phase');
}

export const totalS = (tl: Timeline) => tl.phases.reduce((s, p) => s + p.durationS, 0);

/** Seconds from the load start to the start of `phase` (undefined when the timeline has no such phase). */
export function phaseStartS(tl: Timeline, phase: Phase): number | undefined {
  let t = 0;
  for (const p of tl.phases) {
    if (p.phase === phase) return t;
    t += p.durationS;
  }
  return undefined;
}

/** The phase at `elapsedS` after the load started; past the end, the last phase (graceful-stop stragglers). */
export function phaseAt(tl: Timeline, elapsedS: number): Phase {
  let t = 0;
  for (const p of tl.phases) {
    t += p.durationS;
    if (elapsedS < t) return p.phase;
  }
  return (tl.phases[tl.phases.length - 1] as PhaseSpec).phase;
}

const constantRate = (tl: Timeline) => {
  const r = (tl.phases[0] as PhaseSpec).rate;
  return tl.phases.every((p) => p.rate === r && (p.rateTo === undefined || p.rateTo === r)) ? r : undefined;
};

/** Ramping-arrival-rate stages (start rate = the first phase's rate); step changes take `stepRampS`. */
export function loadStages(tl: Timeline): { startRate: number; stages: { durationS: number; target: number }[] } {
  const ramp = tl.stepRampS ?? 1;
  const startRate = (tl.phases[0] as PhaseSpec).rate;
  const stages: { durationS: number; target: number }[] = [];
  let current = startRate;
  for (const p of tl.phases) {
    let left = p.durationS;
    if (p.rate !== current) {
      const r = Math.min(ramp, left);
      stages.push({ durationS: r, target: p.rate });
      left -= r;
      current = p.rate;
    }
    const end = p.rateTo ?? p.rate;
    if (left > 0) stages.push({ durationS: left, target: end });
    current = end;
  }
  return { startRate, stages };
}

/** Scheduled arrival rate at `elapsedS`, by the same stages k6 runs (linear within a stage). */
export function rateAt(tl: Timeline, elapsedS: number): number {
  const { startRate, stages } = loadStages(tl);
  let t = 0;
  let from = startRate;
  for (const s of stages) {
    if (elapsedS < t + s.durationS) return from + ((s.target - from) * (elapsedS - t)) / s.durationS;
    t += s.durationS;
    from = s.target;
  }
  return from;
}

/** The k6 `scenarios`: one arrival-rate scenario per client population, plus the one-shot fault scenario. */
export function buildScenarios(tl: Timeline): Record<string, ScenarioConfig> {
  validateTimeline(tl);
  const clients = tl.clients ?? ['naive'];
  const total = totalS(tl);
  const out: Record<string, ScenarioConfig> = {};
  const constant = constantRate(tl);
  clients.forEach((client, i) => {
    const common = {
      timeUnit: '1s',
      preAllocatedVUs: tl.vus.pre,
      maxVUs: tl.vus.max,
      exec: 'default',
      tags: { [CLIENT_TAG]: client },
      gracefulStop: '10s',
    };
    out[loadScenarioName(client, i)] =
      constant !== undefined
        ? { executor: 'constant-arrival-rate', rate: constant, duration: secs(total), ...common }
        : (() => {
            const { startRate, stages } = loadStages(tl);
            return {
              executor: 'ramping-arrival-rate' as const,
              startRate,
              stages: stages.map((s) => ({ duration: secs(s.durationS), target: s.target })),
              ...common,
            };
          })();
  });
  if (tl.withFault) {
    const start = phaseStartS(tl, 'fault') as number;
    out[FAULT_SCENARIO] = {
      executor: 'per-vu-iterations',
      vus: 1,
      iterations: 1,
      startTime: secs(start),
      // The fault VU ends on its own at the end of the timeline; this is only a backstop.
      maxDuration: secs(total - start + 60),
      exec: FAULT_SCENARIO,
      gracefulStop: '30s',
    };
  }
  return out;
}

/** One written prediction: a k6 threshold plus the sentence the verdict prints for it. */
export interface Prediction {
  metric: string;
  /** Sub-metric selector, e.g. { phase: 'fault', scenario: 'load' }. */
  tags?: Record<string, string>;
  /** k6 threshold expression, e.g. `p(95)<300`. */
  expr: string;
  /** What the prediction claims, in plain words, e.g. "fault-phase p95 is near the injected 500 ms". */
  text: string;
  abortOnFail?: boolean;
  delayAbortEvalS?: number;
}

export type ThresholdItem = string | { threshold: string; abortOnFail: boolean; delayAbortEval?: string };

export const metricKey = (metric: string, tags?: Record<string, string>) => {
  const pairs = Object.entries(tags ?? {});
  return pairs.length === 0 ? metric : `${metric}{${pairs.map(([k, v]) => `${k}:${v}`).join(',')}}`;
};

/** k6 `thresholds` from the predictions; several predictions on one (sub-)metric share its array. */
export function buildThresholds(predictions: Prediction[]): Record<string, ThresholdItem[]> {
  const out: Record<string, ThresholdItem[]> = {};
  for (const p of predictions) {
    const key = metricKey(p.metric, p.tags);
    const item: ThresholdItem = p.abortOnFail
      ? {
          threshold: p.expr,
          abortOnFail: true,
          ...(p.delayAbortEvalS ? { delayAbortEval: secs(p.delayAbortEvalS) } : {}),
        }
      : p.expr;
    (out[key] ??= []).push(item);
  }
  return out;
}

/** The tags a load sample gets for a phase (the phase tag is the timeline's only output into samples). */
export const phaseTags = (phase: Phase) => ({ [PHASE_TAG]: phase });
