// Latency: +FAULT_DELAY_MS on every replica (TARGET_REPLICAS=n: only on n replicas) for the fault window.
// The fault-phase p95 landing near the injected delay proves the fault happened; the recovery phase must be
// back under the SLO.
import { loadProfile } from '../lib/config.ts';
import { chaosPhases, defineExperiment, sloPredictions, type FaultSpec } from '../lib/experiment.ts';
import { createInjector } from '../lib/faults/index.ts';
import type { Prediction } from '../lib/timeline.ts';

const profile = loadProfile(__ENV, { rate: 20 });
const injector = createInjector(profile);
const { delayMs, jitterMs, targetReplicas, ttlMarginS } = profile.fault;
const where = targetReplicas > 0 ? `${targetReplicas} replica(s)` : 'all replicas';
const latencyFault = { delayMs, jitterMs, errorRate: 0, errorCode: 500, targetReplicas };
const inFault = { scenario: 'load', phase: 'fault' };

const faultPredictions: Prediction[] =
  targetReplicas > 0
    ? [
        // One slow replica of several: most requests stay fast, the slow ones show in the tail.
        { metric: 'http_req_duration', tags: inFault, expr: `med<${profile.slo.p95Ms}`, text: 'fault-phase p50 stays flat (under the SLO)' },
        { metric: 'http_req_duration', tags: inFault, expr: `max>=${delayMs * 0.9}`, text: `some fault-phase requests take the injected ${delayMs} ms` },
      ]
    : [
        { metric: 'http_req_duration', tags: inFault, expr: `p(95)>=${delayMs * 0.9}`, text: `fault-phase p95 reaches the injected ${delayMs} ms (the fault happened)` },
        {
          metric: 'http_req_duration',
          tags: inFault,
          expr: `p(95)<${delayMs + jitterMs + profile.latencyToleranceMs}`,
          text: `fault-phase p95 stays near it (under ${delayMs + jitterMs + profile.latencyToleranceMs} ms)`,
        },
      ];

const faultSpec: FaultSpec = {
  kind: 'latency',
  detail: `+${delayMs} ms${jitterMs ? ` (±${jitterMs} ms)` : ''} on ${where} for ${profile.faultS} s`,
  injector,
  measureRequests: true,
  run: ({ removeAt }) => `latency removed (${injector.holdHttpFault(latencyFault, removeAt, profile.faultS + ttlMarginS)})`,
};

const x = defineExperiment({
  name: 'latency',
  profile,
  timeline: {
    phases: chaosPhases(profile),
    vus: profile.vus,
    withFault: true,
  },
  predictions: [...sloPredictions(profile, 'warmup', 'warm-up', 'load', true), ...faultPredictions, ...sloPredictions(profile, 'recovery', 'recovery-phase')],
  fault: faultSpec,
});

export const options = x.options;
export const setup = x.setup;
export default x.load;
export const fault = x.fault;
export const teardown = x.teardown;
export const handleSummary = x.handleSummary;
