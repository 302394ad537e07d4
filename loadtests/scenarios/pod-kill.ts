// Pod kill: one replica is killed at the start of the fault window, gracefully (SIGTERM, drain) or with
// FORCE=1 (SIGKILL). Graceful: not one request fails. Forced: failures only inside the kill window, and no
// acknowledged vote is lost. Either way the replica comes back; both recoveries are measured.
import { loadProfile } from '../lib/config.ts';
import { chaosPhases, defineExperiment, noFailures, type FaultSpec } from '../lib/experiment.ts';
import { createInjector } from '../lib/faults/index.ts';

const profile = loadProfile(__ENV, { rate: 20 });
const injector = createInjector(profile);
const force = profile.fault.force;

const faultSpec: FaultSpec = {
  kind: 'kill',
  detail: `${force ? 'SIGKILL' : 'graceful SIGTERM'} of 1 replica`,
  injector,
  measureRequests: true,
  measureReplicas: { requireChange: true },
  run: () => `killed: ${injector.killReplica(force)}`,
};

const p95 = (phase: string) => ({
  metric: 'http_req_duration',
  tags: { scenario: 'load', phase },
  expr: `p(95)<${profile.slo.p95Ms}`,
  text: `${phase}-phase p95 stays under the ${profile.slo.p95Ms} ms SLO`,
});

const x = defineExperiment({
  name: force ? 'pod-kill-force' : 'pod-kill',
  profile,
  timeline: {
    phases: chaosPhases(profile),
    vus: profile.vus,
    withFault: true,
  },
  predictions: [...noFailures(force ? ['warmup', 'recovery'] : ['warmup', 'fault', 'recovery']), p95('recovery')],
  fault: faultSpec,
});

export const options = x.options;
export const setup = x.setup;
export default x.load;
export const fault = x.fault;
export const teardown = x.teardown;
export const handleSummary = x.handleSummary;
