/* global __ENV */
// The benchmark's k6 script: one GET per iteration at a constant arrival rate.
import http from 'k6/http';

const rate = Number(__ENV.RATE);
export const options = {
  scenarios: {
    bench: {
      executor: 'constant-arrival-rate',
      rate,
      timeUnit: '1s',
      duration: __ENV.DURATION || '10s',
      preAllocatedVUs: Number(__ENV.VUS || 20),
      maxVUs: Number(__ENV.MAX_VUS || 200),
    },
  },
};

export default function () {
  http.get(__ENV.BASE);
}

export function handleSummary(data) {
  return { [__ENV.SUMMARY]: JSON.stringify(data) };
}
