// Baseline: steady load, no fault. The reference every chaos experiment is compared against.
import { loadProfile } from '../lib/config.ts';
import { defineExperiment, sloPredictions } from '../lib/experiment.ts';

const profile = loadProfile(__ENV, { rate: 10, durationS: 60 });

const x = defineExperiment({
  name: 'baseline',
  profile,
  timeline: { phases: [{ phase: 'steady', durationS: profile.durationS, rate: profile.rate }], vus: profile.vus, withFault: false },
  predictions: sloPredictions(profile, 'steady', 'steady-state'),
});

export const options = x.options;
export const setup = x.setup;
export default x.load;
export const teardown = x.teardown;
export const handleSummary = x.handleSummary;
