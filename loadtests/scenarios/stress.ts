// Stress: 50 req/s for 2 minutes (`k6 run dist/stress.js`). Does the service hold its SLO under sustained load?
import { loadProfile } from '../lib/config.ts';
import { defineExperiment, sloPredictions } from '../lib/experiment.ts';

const profile = loadProfile(__ENV, { rate: 50, durationS: 120 });

const x = defineExperiment({
  name: 'stress',
  profile,
  timeline: { phases: [{ phase: 'steady', durationS: profile.durationS, rate: profile.rate }], vus: profile.vus, withFault: false },
  predictions: sloPredictions(profile, 'steady', `at ${profile.rate} req/s the`),
});

export const options = x.options;
export const setup = x.setup;
export default x.load;
export const teardown = x.teardown;
export const handleSummary = x.handleSummary;
