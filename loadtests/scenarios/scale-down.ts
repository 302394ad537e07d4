// Scale-down: REPLICAS -> SCALE_TO for the fault window, then back. Predicts no failed request at any time.
// Locally the supervisor scales; on a cluster kubectl does it around the run (mk/loadtests.mk) on the same timeline.
import { sleep } from 'k6';
import { loadProfile } from '../lib/config.ts';
import { chaosPhases, defineExperiment, noFailures, type FaultSpec } from '../lib/experiment.ts';
import { createInjector } from '../lib/faults/index.ts';

const profile = loadProfile(__ENV, { rate: 20 });
const injector = createInjector(profile);
const { replicas, scaleTo } = profile.fault;

const faultSpec: FaultSpec = {
  kind: 'scale',
  detail: `replicas ${replicas} -> ${scaleTo} for ${profile.faultS} s -> ${replicas}`,
  injector,
  measureRequests: true,
  measureReplicas: { want: replicas, requireChange: false },
  run: ({ removeAt }) => {
    let restored = false;
    try {
      injector.scale(scaleTo);
      sleep(Math.max(0, (removeAt - Date.now()) / 1000));
      restored = true;
      return `scaled back: ${injector.scale(replicas)}`;
    } finally {
      if (!restored) injector.scale(replicas);
    }
  },
  restore: (inj) => {
    const state = inj.replicas();
    if (state && state.total < replicas) inj.scale(replicas);
  },
};

const x = defineExperiment({
  name: 'scale-down',
  profile,
  timeline: {
    phases: chaosPhases(profile),
    vus: profile.vus,
    withFault: true,
  },
  predictions: [
    ...noFailures(['warmup', 'fault', 'recovery']),
    {
      metric: 'http_req_duration',
      tags: { scenario: 'load', phase: 'fault' },
      expr: `p(95)<${profile.slo.p95Ms}`,
      text: `with ${scaleTo} replica(s) p95 stays under the ${profile.slo.p95Ms} ms SLO`,
    },
  ],
  fault: faultSpec,
});

export const options = x.options;
export const setup = x.setup;
export default x.load;
export const fault = x.fault;
export const teardown = x.teardown;
export const handleSummary = x.handleSummary;
