import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlan, OptionsError, type Scenario } from '../config/options.ts';
import { parseDuration, DurationError } from '../config/duration.ts';
import { peakVUs } from '../engine/run.ts';

const only = (plan: { scenarios: Scenario[] }) => {
  assert.equal(plan.scenarios.length, 1);
  return plan.scenarios[0] as Scenario;
};

test('durations: Go strings, a d unit, bare numbers in ms', () => {
  assert.equal(parseDuration('1m30s'), 90_000);
  assert.equal(parseDuration('1.5h'), 5_400_000);
  assert.equal(parseDuration('250ms'), 250);
  assert.equal(parseDuration('1d'), 86_400_000);
  assert.equal(parseDuration('10us'), 0.01);
  assert.equal(parseDuration(1500), 1500);
  assert.equal(parseDuration('2000'), 2000);
  assert.equal(parseDuration('0'), 0);
  for (const bad of ['', '1x', 's', '1m 30s', 'abc']) assert.throws(() => parseDuration(bad), DurationError, bad);
});

test('no execution options at all: per-vu-iterations, 1 VU x 1 iteration, named default', () => {
  const s = only(buildPlan({}));
  assert.deepEqual(s, {
    name: 'default',
    startTimeMs: 0,
    gracefulStopMs: 30_000,
    exec: 'default',
    env: {},
    tags: {},
    executor: 'per-vu-iterations',
    vus: 1,
    iterations: 1,
    maxDurationMs: 600_000,
  });
});

test('shortcuts: iterations -> shared-iterations (duration = maxDuration), duration -> constant-vus, stages -> ramping-vus', () => {
  assert.deepEqual(only(buildPlan({ iterations: 10, vus: 2, duration: '5s' })), {
    ...only(buildPlan({})),
    executor: 'shared-iterations',
    vus: 2,
    iterations: 10,
    maxDurationMs: 5000,
  });
  const cv = only(buildPlan({ vus: 3, duration: '30s' }));
  assert.equal(cv.executor, 'constant-vus');
  const rv = only(buildPlan({ stages: [{ duration: '10s', target: 5 }] }));
  assert.equal(rv.executor, 'ramping-vus');
  assert.throws(() => buildPlan({ iterations: 1, vus: 2 }), OptionsError);
});

test('CLI shortcuts replace the script scenarios', () => {
  const plan = buildPlan(
    { scenarios: { load: { executor: 'constant-arrival-rate', rate: 1, duration: '1s', preAllocatedVUs: 1 } } },
    { vus: 2, durationMs: 3000 },
  );
  const s = only(plan);
  assert.equal(s.executor, 'constant-vus');
  assert.equal(s.name, 'default');
});

test('scenario defaults per executor', () => {
  const plan = buildPlan({
    scenarios: {
      car: { executor: 'constant-arrival-rate', rate: 10, duration: '1m', preAllocatedVUs: 5 },
      rar: { executor: 'ramping-arrival-rate', stages: [{ duration: '10s', target: 5 }], preAllocatedVUs: 2, maxVUs: 4 },
      si: { executor: 'shared-iterations' },
      rv: { executor: 'ramping-vus', stages: [{ duration: '1s', target: 1 }], startTime: '5s', gracefulStop: '2s', exec: 'other', env: { A: 1 }, tags: { t: 'x' } },
    },
  });
  const [car, rar, si, rv] = plan.scenarios as [Scenario, Scenario, Scenario, Scenario];
  assert.deepEqual(
    car.executor === 'constant-arrival-rate' && [car.timeUnitMs, car.maxVUs, car.durationMs, car.gracefulStopMs],
    [1000, 5, 60_000, 30_000],
  );
  assert.deepEqual(rar.executor === 'ramping-arrival-rate' && [rar.startRate, rar.maxVUs, rar.timeUnitMs], [0, 4, 1000]);
  assert.deepEqual(si.executor === 'shared-iterations' && [si.vus, si.iterations, si.maxDurationMs], [1, 1, 600_000]);
  assert.equal(rv.startTimeMs, 5000);
  assert.equal(rv.gracefulStopMs, 2000);
  assert.equal(rv.exec, 'other');
  assert.deepEqual(rv.env, { A: '1' });
  assert.deepEqual(rv.tags, { t: 'x' });
  assert.deepEqual(rv.executor === 'ramping-vus' && [rv.startVUs, rv.gracefulRampDownMs], [1, 30_000]);
});

test('invalid options are OptionsError (exit 104) with a message naming the problem', () => {
  const bad: [unknown, RegExp][] = [
    [{ scenarios: { x: { executor: 'nope' } } }, /scenarios\.x/],
    [{ scenarios: { x: { executor: 'constant-arrival-rate', duration: '1s', preAllocatedVUs: 1 } } }, /rate/],
    [{ scenarios: { x: { executor: 'constant-vus', duration: '1s', vus: 1, bogus: 1 } } }, /bogus/],
    [{ scenarios: { 'bad name': { executor: 'shared-iterations' } } }, /bad name/],
    [{ scenarios: { x: { executor: 'constant-vus', duration: '500ms' } } }, /at least 1s/],
    [{ scenarios: { x: { executor: 'constant-arrival-rate', rate: 1, duration: '1s', preAllocatedVUs: 5, maxVUs: 2 } } }, /maxVUs/],
    [{ scenarios: { x: { executor: 'shared-iterations', vus: 5, iterations: 2 } } }, /less than the number of VUs/],
    [{ scenarios: { x: { executor: 'constant-vus', duration: 'forever' } } }, /invalid duration/],
    [{ scenarios: { x: { executor: 'shared-iterations' } }, duration: '10s' }, /cannot be combined/],
    [{ scenarios: {} }, /empty/],
    [{ vus: -1 }, /vus/],
  ];
  for (const [opts, msg] of bad) assert.throws(() => buildPlan(opts), (e: Error) => e instanceof OptionsError && msg.test(e.message), JSON.stringify(opts));
});

test('exec.test.options hides the execution shortcuts', () => {
  const plan = buildPlan({ vus: 2, duration: '10s', tags: { a: 'b' }, thresholds: { x: ['count>0'] } });
  assert.deepEqual(plan.exposed, { tags: { a: 'b' }, thresholds: { x: ['count>0'] } });
  assert.deepEqual(plan.runTags, { a: 'b' });
});

test('peak VUs: overlapping scenarios add up, sequential ones share', () => {
  const overlap = buildPlan({
    scenarios: {
      a: { executor: 'constant-vus', vus: 3, duration: '10s' },
      b: { executor: 'constant-arrival-rate', rate: 1, duration: '10s', preAllocatedVUs: 2, maxVUs: 9 },
    },
  });
  assert.equal(peakVUs(overlap), 5);
  const sequential = buildPlan({
    scenarios: {
      a: { executor: 'constant-vus', vus: 3, duration: '10s', gracefulStop: '0s' },
      b: { executor: 'constant-vus', vus: 4, duration: '10s', startTime: '10s' },
    },
  });
  assert.equal(peakVUs(sequential), 4);
});
