// Errors: FAULT_ERROR_RATE (20 %) of API requests answered with HTTP 500 for the fault window. A naive client
// population (one attempt per vote) runs next to a retrying one (same idempotency key on every attempt), so the
// effect of safe retries is measured side by side, not claimed.
import { loadProfile } from '../lib/config.ts';
import { chaosPhases, defineExperiment, sloPredictions, type FaultSpec } from '../lib/experiment.ts';
import { createInjector } from '../lib/faults/index.ts';
import { VOTE_SUCCESS_METRIC } from '../lib/contract.ts';

const profile = loadProfile(__ENV, { rate: 20 });
const injector = createInjector(profile);
const { errorRate, errorCode, targetReplicas, ttlMarginS } = profile.fault;
const tol = profile.errorRateTolerance;
// Rounded so the threshold reads 0.3, not 0.30000000000000004.
const round = (v: number) => Math.round(v * 1e6) / 1e6;
const lo = round(Math.max(0, errorRate - tol));
const hi = round(Math.min(1, errorRate + tol));
const pct = (v: number) => `${Math.round(v * 1000) / 10} %`;

const faultSpec: FaultSpec = {
  kind: 'errors',
  detail: `${pct(errorRate)} HTTP ${errorCode} on ${targetReplicas > 0 ? `${targetReplicas} replica(s)` : 'all replicas'} for ${profile.faultS} s`,
  injector,
  measureRequests: true,
  run: ({ removeAt }) =>
    `errors removed (${injector.holdHttpFault({ delayMs: 0, jitterMs: 0, errorRate, errorCode, targetReplicas }, removeAt, profile.faultS + ttlMarginS)})`,
};

const x = defineExperiment({
  name: 'errors',
  profile,
  timeline: {
    phases: chaosPhases(profile),
    clients: ['naive', 'retrying'],
    vus: profile.vus,
    withFault: true,
  },
  predictions: [
    ...sloPredictions(profile, 'warmup', 'warm-up', 'load', true),
    {
      metric: 'http_req_failed',
      tags: { scenario: 'load', phase: 'fault' },
      expr: `rate>${lo}`,
      text: `naive client: fault-phase error rate reaches the injected ${pct(errorRate)} (above ${pct(lo)})`,
    },
    {
      metric: 'http_req_failed',
      tags: { scenario: 'load', phase: 'fault' },
      expr: `rate<${hi}`,
      text: `naive client: fault-phase error rate stays near it (under ${pct(hi)})`,
    },
    {
      metric: VOTE_SUCCESS_METRIC,
      tags: { client: 'retrying', phase: 'fault' },
      expr: 'rate>=0.99',
      text: `retrying client (${profile.retries} retries, same idempotency key): at least 99 % of votes succeed during the fault`,
    },
    ...sloPredictions(profile, 'recovery', 'recovery-phase'),
  ],
  exports: [
    // Exported for the verdict's side-by-side line; naive success is what the fault costs without retries.
    { metric: VOTE_SUCCESS_METRIC, tags: { client: 'naive', phase: 'fault' }, expr: 'rate>=0', text: '' },
  ],
  fault: faultSpec,
  notes: (data) => {
    const naive = data.metrics[`${VOTE_SUCCESS_METRIC}{client:naive,phase:fault}`]?.values.rate;
    const retrying = data.metrics[`${VOTE_SUCCESS_METRIC}{client:retrying,phase:fault}`]?.values.rate;
    return naive === undefined || retrying === undefined
      ? []
      : [`votes acknowledged during the fault: naive ${pct(naive)}, retrying ${pct(retrying)}`];
  },
});

export const options = x.options;
export const setup = x.setup;
export default x.load;
export const fault = x.fault;
export const teardown = x.teardown;
export const handleSummary = x.handleSummary;
