// Spike: RATE (5 req/s) jumps to SPIKE_RATE (100 req/s) for the fault window and drops back. Predicts a
// bounded error rate during the spike and the SLO back in the recovery phase; recovery time is measured.
import { sleep } from 'k6';
import { loadProfile } from '../lib/config.ts';
import { chaosPhases, defineExperiment, sloPredictions, type FaultSpec } from '../lib/experiment.ts';

const profile = loadProfile(__ENV, { rate: 5 });
const spike = profile.spike;

const faultSpec: FaultSpec = {
  kind: 'spike',
  detail: `${profile.rate} -> ${spike.rate} req/s for ${profile.faultS} s`,
  measureRequests: true,
  // The spike is the load shape itself; this only waits it out so the markers bracket it.
  run: ({ faultEndsAt }) => {
    sleep(Math.max(0, (faultEndsAt - Date.now()) / 1000));
    return `back to ${profile.rate} req/s`;
  },
};

const x = defineExperiment({
  name: 'spike',
  profile,
  timeline: {
    phases: chaosPhases(profile, spike.rate),
    stepRampS: spike.rampS,
    vus: profile.vus,
    withFault: true,
  },
  predictions: [
    ...sloPredictions(profile, 'warmup', 'warm-up', 'load', true),
    {
      metric: 'http_req_failed',
      tags: { scenario: 'load', phase: 'fault' },
      expr: `rate<${spike.errorRate}`,
      text: `during the spike fewer than ${spike.errorRate * 100} % of requests fail`,
    },
    ...sloPredictions(profile, 'recovery', 'after the spike the'),
  ],
  fault: faultSpec,
});

export const options = x.options;
export const setup = x.setup;
export default x.load;
export const fault = x.fault;
export const teardown = x.teardown;
export const handleSummary = x.handleSummary;
