// Breakpoint: ramp the arrival rate from START_RATE to MAX_RATE over DURATION until the SLO breaks (abortOnFail).
// Answers "at what point does the system struggle?" with the highest rate it sustained, per RATE_BUCKET.
import { loadProfile } from '../lib/config.ts';
import { defineExperiment } from '../lib/experiment.ts';
import { breakpointNotes, bucketExports, buckets } from '../lib/breakpoint.ts';

const profile = loadProfile(__ENV, { rate: 10, durationS: 300 });
const { startRate, maxRate, bucket, abortDelayS } = profile.breakpoint;
const bs = buckets(startRate, maxRate, bucket);

const x = defineExperiment({
  name: 'breakpoint',
  profile,
  timeline: {
    phases: [{ phase: 'steady', durationS: profile.durationS, rate: startRate, rateTo: maxRate }],
    vus: profile.vus,
    withFault: false,
  },
  predictions: [
    {
      metric: 'http_req_failed',
      tags: { scenario: 'load' },
      expr: `rate<${profile.slo.errorRate}`,
      text: `up to ${maxRate} req/s fewer than ${profile.slo.errorRate * 100} % of requests fail`,
      abortOnFail: true,
      delayAbortEvalS: abortDelayS,
    },
    {
      metric: 'http_req_duration',
      tags: { scenario: 'load' },
      expr: `p(95)<${profile.slo.p95Ms}`,
      text: `up to ${maxRate} req/s p95 stays under the ${profile.slo.p95Ms} ms SLO`,
      abortOnFail: true,
      delayAbortEvalS: abortDelayS,
    },
  ],
  exports: bucketExports(bs),
  trackRate: true,
  notes: (data) => breakpointNotes(data, bs, bucket, profile.slo, maxRate),
});

export const options = x.options;
export const setup = x.setup;
export default x.load;
export const teardown = x.teardown;
export const handleSummary = x.handleSummary;
