import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSummary } from '../src/summary/summary.ts';
import { parseThreshold, summaryLedger, verdicts } from '../src/summary/verdicts.ts';

test('threshold expressions split with k6 operator order', () => {
  assert.deepEqual(parseThreshold('p(95) < 500'), { aggregation: 'p(95)', op: '<', limit: 500 });
  assert.deepEqual(parseThreshold('rate<=0.01'), { aggregation: 'rate', op: '<=', limit: 0.01 });
  assert.deepEqual(parseThreshold('count===0'), { aggregation: 'count', op: '==', limit: 0 });
  assert.deepEqual(parseThreshold('rate>=0.99'), { aggregation: 'rate', op: '>=', limit: 0.99 });
  assert.equal(parseThreshold('p(95)<abc'), undefined);
});

const summary = {
  root_group: { name: '', path: '', id: 'x', groups: [], checks: [] },
  options: { summaryTrendStats: ['avg', 'p(95)'], summaryTimeUnit: '', noColor: false },
  state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: 70123.4 },
  metrics: {
    'http_req_duration{phase:fault}': { type: 'trend', contains: 'time', values: { avg: 510, 'p(95)': 523.4 }, thresholds: { 'p(95)>400': { ok: true }, 'p(99)<900': { ok: true } } },
    'http_req_failed{phase:recovery}': { type: 'rate', contains: 'default', values: { rate: 0.02, passes: 2, fails: 98 }, thresholds: { 'rate<0.01': { ok: false } } },
    ledger_votes_acked: { type: 'counter', contains: 'default', values: { count: 1200, rate: 17.1 } },
    ledger_votes_stored: { type: 'counter', contains: 'default', values: { count: 1200, rate: 17.1 } },
    ledger_votes_lost: { type: 'counter', contains: 'default', values: { count: 0, rate: 0 }, thresholds: { 'count<=0': { ok: true } } },
  },
  setup_data: { pollId: 'abc', run: { scenario: 'latency', engine: 'chaoslab-k6run', rate: 20, gitCommit: 'deadbee', phases: { warmup: 20, fault: 30 } } },
};

test('a verdict per threshold, with the observed value, unit and phase', () => {
  const v = verdicts(parseSummary(summary));
  assert.deepEqual(
    v.map((x) => [x.metricKey, x.source, x.ok, x.observed, x.unit, x.phase]),
    [
      ['http_req_duration{phase:fault}', 'p(95)>400', true, 523.4, 'ms', 'fault'],
      ['http_req_duration{phase:fault}', 'p(99)<900', true, undefined, 'ms', 'fault'], // p(99) not in summaryTrendStats
      ['http_req_failed{phase:recovery}', 'rate<0.01', false, 0.02, 'ratio', 'recovery'],
      ['ledger_votes_lost', 'count<=0', true, 0, '', undefined],
    ],
  );
});

test('run parameters and ledger come from the summary', () => {
  const s = parseSummary(summary);
  assert.equal(s.run.engine, 'chaoslab-k6run');
  assert.equal(s.run.gitCommit, 'deadbee');
  assert.equal(s.durationMs, 70123.4);
  assert.deepEqual(summaryLedger(s), { acked: 1200, sent: 0, stored: 1200, lost: 0, excess: 0, storedReported: true });
});

test('a file that is not a handleSummary JSON gets a clear error', () => {
  assert.throws(() => parseSummary({ hello: 1 }, 'x.json'), /x\.json: not a k6 handleSummary JSON \(metrics:/);
  assert.throws(() => parseSummary({ metrics: { m: { type: 'histogram', contains: 'default', values: {} } } }), /metrics\.m\.type/);
  assert.throws(() => parseSummary({ metrics: {}, setup_data: { run: { rate: 'fast' } } }), /setup_data\.run does not match RunInfo/);
});
