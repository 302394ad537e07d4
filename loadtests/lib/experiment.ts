// Turns an experiment spec (timeline, predictions, optional fault) into the functions a k6 script exports:
// options, setup, the load iteration, the one-shot fault iteration, teardown and handleSummary.
import exec from 'k6/execution';
import http from 'k6/http';
import { sleep } from 'k6';
import { Gauge, Rate } from 'k6/metrics';
import {
  BREAKPOINT_RATE_METRIC,
  CLIENT_TAG,
  PHASE_TAG,
  RATE_BUCKET_TAG,
  RECOVERED_METRIC,
  RECOVERY_METRIC,
  RUN_INFO_KEY,
  VOTE_SUCCESS_METRIC,
  type ClientKind,
  type FaultKind,
  type Phase,
  type RunInfo,
} from './contract.ts';
import type { Profile } from './config.ts';
import { PollApi, ROUTES, acknowledged } from './api.ts';
import { ledgerPredictions, recordAcked, recordSent, recordStored } from './ledger.ts';
import { markFault, recordRecovery } from './markers.ts';
import { ReplicaRecovery, RequestRecovery } from './recovery.ts';
import { buildScenarios, buildThresholds, phaseAt, phaseStartS, rateAt, totalS, type PhaseSpec, type Prediction, type Timeline } from './timeline.ts';
import { judge, ledgerOf, ledgerLine, verdictText, type SummaryData } from './verdict.ts';
import { junitXml } from './junit.ts';
import type { FaultInjector } from './faults/types.ts';

// k6 provides console; @types/k6 does not declare it under the ES2020-only lib these scripts compile with.
declare const console: { error(...args: unknown[]): void };

const POLL_OPTIONS = ['TypeScript', 'Python', 'Rust', 'Go'];

const voteSuccess = new Rate(VOTE_SUCCESS_METRIC);
const recovered = new Rate(RECOVERED_METRIC);
const breakpointRate = new Gauge(BREAKPOINT_RATE_METRIC);

export interface FaultContext {
  injector: FaultInjector | undefined;
  profile: Profile;
  /** Unix ms when the fault phase ends by the timeline. */
  faultEndsAt: number;
  /** Unix ms by which a held fault should be removed: the phase end minus a guard band, so the removal call's
   * own latency never leaks the fault into recovery-phase samples. */
  removeAt: number;
}

export interface FaultSpec {
  kind: FaultKind;
  detail: string;
  /** Absent for faults that are load shapes, not injections (spike). */
  injector?: FaultInjector;
  /** Injects, holds and removes the fault (a kill returns right after the kill); returns a detail for the end marker. */
  run(ctx: FaultContext): string;
  /** Measure until requests are back within the band for several seconds (recovery_time{kind:requests}). */
  measureRequests: boolean;
  /** Measure until `want` replicas are ready (recovery_time{kind:replicas}); `requireChange` for kills. */
  measureReplicas?: { want?: number; requireChange: boolean };
  /** Teardown: undo whatever the fault may have left (always runs, even after an aborted run). */
  restore?(injector: FaultInjector, profile: Profile): void;
}

export interface ExperimentSpec {
  name: string;
  profile: Profile;
  timeline: Timeline;
  predictions: Prediction[];
  fault?: FaultSpec;
  /** Tag requests with the scheduled rate bucket and track the ramp (breakpoint). */
  trackRate?: boolean;
  /** Thresholds that only export sub-metric values into the summary (not predictions, not in the verdict). */
  exports?: Prediction[];
  /** Extra verdict lines computed from the summary (e.g. the breakpoint's highest sustained rate). */
  notes?(data: SummaryData): string[];
}

export interface SetupData {
  pollId: string;
  runId: string;
  [RUN_INFO_KEY]: RunInfo;
}

const clientOf = (scenario: string): ClientKind => (scenario === 'load_retrying' ? 'retrying' : 'naive');

export function recoveryPredictions(spec: { requests: boolean; replicas: boolean }, maxS: number): Prediction[] {
  const out: Prediction[] = [];
  for (const kind of ['requests', 'replicas'] as const) {
    if (!spec[kind]) continue;
    out.push({
      metric: RECOVERED_METRIC,
      tags: { kind },
      expr: 'rate>=1',
      text: kind === 'requests' ? 'requests recover within the run' : 'every replica is ready again within the run',
    });
    out.push({
      metric: RECOVERY_METRIC,
      tags: { kind },
      expr: `max<${maxS * 1000}`,
      text: `${kind} recover in under ${maxS} s`,
    });
  }
  return out;
}

export function defineExperiment(spec: ExperimentSpec) {
  const { profile, timeline } = spec;
  const predictions = [...spec.predictions, ...ledgerPredictions()];
  if (spec.fault) {
    predictions.push(
      ...recoveryPredictions(
        { requests: spec.fault.measureRequests, replicas: spec.fault.measureReplicas !== undefined },
        profile.recovery.maxS,
      ),
    );
  }
  const api = new PollApi(profile.baseUrl);

  const options = {
    scenarios: buildScenarios(timeline),
    thresholds: buildThresholds([...predictions, ...(spec.exports ?? [])]),
    // Setup may wait for a restarting deployment; teardown reads the ledger back with retries.
    setupTimeout: '60s',
    teardownTimeout: '60s',
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'],
  };

  function setup(): SetupData {
    spec.fault?.injector?.preflight();
    const pollId = api.createPoll(`chaos-lab ${spec.name} ${new Date().toISOString()}`, POLL_OPTIONS);
    const phases: Partial<Record<Phase, number>> = {};
    for (const p of timeline.phases) phases[p.phase] = p.durationS;
    return {
      pollId,
      runId: `${spec.name}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e9).toString(36)}`,
      [RUN_INFO_KEY]: {
        scenario: spec.name,
        engine: profile.engine,
        rate: profile.rate,
        phases,
        ...(spec.fault ? { fault: spec.fault.detail } : {}),
        ...(profile.gitCommit ? { gitCommit: profile.gitCommit } : {}),
        startedAt: new Date().toISOString(),
        target: profile.target === 'cluster' ? `cluster ${profile.baseUrl}` : `local ${profile.baseUrl}`,
      },
    };
  }

  function load(data: SetupData): void {
    const elapsedS = (Date.now() - exec.scenario.startTime) / 1000;
    const tags = exec.vu.metrics.tags;
    tags[PHASE_TAG] = phaseAt(timeline, elapsedS);
    if (spec.trackRate) {
      const rate = rateAt(timeline, elapsedS);
      tags[RATE_BUCKET_TAG] = String(Math.floor(rate / profile.breakpoint.bucket) * profile.breakpoint.bucket);
      breakpointRate.add(rate);
    }
    const client = clientOf(exec.scenario.name);
    const key = `${data.runId}-${exec.scenario.name}-${exec.scenario.iterationInTest}`;
    const option = POLL_OPTIONS[exec.scenario.iterationInTest % POLL_OPTIONS.length] as string;
    const attempts = client === 'retrying' ? 1 + profile.retries : 1;
    recordSent();
    let ok = false;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const res = api.vote(data.pollId, option, key, { attempt: String(attempt) });
      if (acknowledged(res.status)) {
        ok = true;
        break;
      }
      // A 4xx is our own mistake and repeating it cannot help; 5xx and transport errors are worth a retry,
      // and the idempotency key makes a retry safe even if the first attempt was in fact stored.
      if (res.status >= 400 && res.status < 500) break;
      if (attempt + 1 < attempts) sleep((profile.retryBackoffMs * 2 ** attempt) / 1000);
    }
    if (ok) recordAcked();
    voteSuccess.add(ok, { [CLIENT_TAG]: client });
  }

  function fault(data: SetupData): void {
    const f = spec.fault;
    if (!f) return;
    const tags = exec.vu.metrics.tags;
    tags[PHASE_TAG] = 'fault';
    const faultStart = phaseStartS(timeline, 'fault') as number;
    const faultS = timeline.phases.find((p) => p.phase === 'fault')?.durationS ?? 0;
    const loadStartedAt = exec.scenario.startTime - faultStart * 1000;
    const faultEndsAt = loadStartedAt + (faultStart + faultS) * 1000;
    const timelineEndsAt = loadStartedAt + totalS(timeline) * 1000;
    const before = f.measureReplicas ? f.injector?.replicas() : undefined;
    const want = f.measureReplicas?.want ?? before?.total;

    markFault('start', f.kind, f.detail);
    let endDetail = f.detail;
    try {
      endDetail = f.run({ injector: f.injector, profile, faultEndsAt, removeAt: faultEndsAt - profile.fault.guardMs });
    } finally {
      markFault('end', f.kind, endDetail);
    }
    const endedAt = Date.now();

    // Probe until both recoveries are measured or the timeline runs out (leave a second for the last samples).
    const req = f.measureRequests ? new RequestRecovery(endedAt, profile.recovery.windowS * 1000, profile.recovery.bandMs) : undefined;
    const rep =
      f.measureReplicas && want !== undefined ? new ReplicaRecovery(endedAt, want, f.measureReplicas.requireChange) : undefined;
    while (Date.now() < timelineEndsAt - 1000 && !((req?.recovered ?? true) && (rep?.recovered ?? true))) {
      if (Date.now() >= faultEndsAt) tags[PHASE_TAG] = 'recovery';
      if (req && !req.recovered) {
        const res = http.get(`${profile.baseUrl}${ROUTES.poll.replace(':id', encodeURIComponent(data.pollId))}`, {
          tags: { name: ROUTES.poll, probe: 'recovery' },
          timeout: '5s',
        });
        req.observe(Date.now(), res.status === 200, res.timings.duration);
      }
      if (rep && !rep.recovered) {
        try {
          const state = f.injector?.replicas();
          if (state) {
            if (before && state.signature !== before.signature) rep.sawChange();
            rep.observe(Date.now(), state.ready);
          }
        } catch {
          // The management port can blink while a replica restarts; the next probe tries again.
        }
      }
      sleep(0.2);
    }
    if (req) {
      const ms = req.observe(Date.now(), false, Infinity);
      recovered.add(req.recovered, { kind: 'requests' });
      if (ms !== undefined) recordRecovery('requests', ms);
    }
    if (rep) {
      const ms = rep.observe(Date.now(), -1);
      recovered.add(rep.recovered, { kind: 'replicas' });
      if (ms !== undefined) recordRecovery('replicas', ms);
    }
  }

  function teardown(data: SetupData | undefined): void {
    // Faults always end: clear them even when the run was aborted mid-fault (the TTL is the last safety net).
    const injector = spec.fault?.injector;
    if (injector) {
      try {
        injector.clearAll();
        spec.fault?.restore?.(injector, profile);
      } catch (e) {
        console.error(`teardown could not clear faults: ${(e as Error).message} (run make chaos-stop)`);
      }
    }
    if (!data) return;
    // The deployment may still be restarting a replica: read the ledger back with a few retries.
    let last = '';
    for (let i = 0; i < 20; i++) {
      const r = api.results(data.pollId);
      if (r.poll) {
        recordStored(r.poll.total);
        return;
      }
      last = r.error;
      sleep(0.5);
    }
    console.error(`ledger: could not read poll ${data.pollId} back: ${last}`);
  }

  function handleSummary(data: SummaryData): Record<string, string> {
    const { text, passed } = verdictText({
      scenario: spec.name,
      engine: profile.engine,
      data,
      predictions,
      notes: [...(spec.notes?.(data) ?? []), ...generatorNotes(data)],
    });
    const ledger = ledgerOf(data);
    const extra = ledger && ledger.stored === undefined ? [{ name: 'ledger read back', message: ledgerLine(ledger) }] : [];
    const dir = profile.resultsDir;
    return {
      stdout: `\n${text}${passed ? '' : '  (exit code 99 when run with thresholds)\n'}\n`,
      [`${dir}/${spec.name}.json`]: JSON.stringify(data, null, 2),
      [`${dir}/${spec.name}.junit.xml`]: junitXml({
        scenario: spec.name,
        results: judge(data, predictions),
        durationMs: data.state?.testRunDurationMs ?? 0,
        extraFailures: extra,
      }),
    };
  }

  return { options, setup, load, fault, teardown, handleSummary, predictions };
}

/**
 * Predictions that the SLO holds in a phase for a load scenario (default: the naive population `load`).
 * `errorsOnly` for warm-up phases: their latency includes a cold start and is not what the experiment predicts.
 */
export function sloPredictions(profile: Profile, phase: Phase | undefined, label: string, scenario = 'load', errorsOnly = false): Prediction[] {
  const tags: Record<string, string> = phase ? { scenario, [PHASE_TAG]: phase } : { scenario };
  const errors: Prediction = {
    metric: 'http_req_failed',
    tags,
    expr: `rate<${profile.slo.errorRate === 0 ? '=0' : profile.slo.errorRate}`,
    text: `${label} error rate stays ${profile.slo.errorRate === 0 ? 'at 0' : `under ${profile.slo.errorRate * 100} %`}`,
  };
  if (errorsOnly) return [errors];
  return [errors, { metric: 'http_req_duration', tags, expr: `p(95)<${profile.slo.p95Ms}`, text: `${label} p95 stays under the ${profile.slo.p95Ms} ms SLO` }];
}

/** The chaos timeline's phases: warm-up and recovery at the profile's rate around a fault window (at `faultRate`). */
export const chaosPhases = (profile: Profile, faultRate = profile.rate): PhaseSpec[] => [
  { phase: 'warmup', durationS: profile.warmupS, rate: profile.rate },
  { phase: 'fault', durationS: profile.faultS, rate: faultRate },
  { phase: 'recovery', durationS: profile.recoveryS, rate: profile.rate },
];

/** Zero failed requests in the given phases (graceful kill, scale-down). */
export const noFailures = (phases: Phase[], scenario = 'load'): Prediction[] =>
  phases.map((phase) => ({
    metric: 'http_req_failed',
    tags: { scenario, [PHASE_TAG]: phase },
    expr: 'rate<=0',
    text: `no request fails in the ${phase} phase`,
  }));

/** Says so when the load generator itself fell short, so a miss is not blamed on the service. */
function generatorNotes(data: SummaryData): string[] {
  const dropped = data.metrics['dropped_iterations']?.values.count ?? 0;
  return dropped > 0
    ? [`! ${dropped} iteration(s) dropped: the load generator ran out of VUs (raise VUS/MAX_VUS); fewer requests than planned were sent`]
    : [];
}
