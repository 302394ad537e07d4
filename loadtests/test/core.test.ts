// Unit tests of the experiments' pure core: config parsing, the phase timeline (scenarios, phases, thresholds),
// verdict text, JUnit XML, recovery rules and the breakpoint analysis.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadProfile, parseDurationMs } from '../lib/config.ts';
import { buildScenarios, buildThresholds, loadStages, phaseAt, rateAt, type Prediction, type Timeline } from '../lib/timeline.ts';
import { aggregationOf, judge, ledgerLine, verdictText, type SummaryData } from '../lib/verdict.ts';
import { junitXml, xmlEscape } from '../lib/junit.ts';
import { ReplicaRecovery, RequestRecovery } from '../lib/recovery.ts';
import { breakpointNotes, bucketStats, buckets, highestSustained } from '../lib/breakpoint.ts';
import { LEDGER } from '../lib/contract.ts';

test('durations: Go strings and bare seconds', () => {
  assert.equal(parseDurationMs('500ms'), 500);
  assert.equal(parseDurationMs('30s'), 30_000);
  assert.equal(parseDurationMs('1m30s'), 90_000);
  assert.equal(parseDurationMs('2'), 2000);
  assert.equal(parseDurationMs('1.5h'), 5_400_000);
  for (const bad of ['', 's', '10x', '5s5', '-1s', '1 m']) assert.throws(() => parseDurationMs(bad), /not a duration/, bad);
});

test('config: defaults, overrides, SMOKE, and clear errors naming the variable', () => {
  const d = loadProfile({}, { rate: 20 });
  assert.equal(d.baseUrl, 'http://localhost:30080');
  assert.equal(d.mgmtUrl, 'http://localhost:9464');
  assert.equal(d.rate, 20);
  assert.deepEqual([d.warmupS, d.faultS, d.recoveryS], [10, 30, 30]);
  assert.equal(d.fault.delayMs, 500);
  assert.equal(d.fault.errorRate, 0.2);
  assert.equal(d.slo.p95Ms, 300);

  const s = loadProfile({ SMOKE: '1', RATE: '7', BASE_URL: 'http://127.0.0.1:1234/', FAULT_DURATION: '3s' }, { rate: 20 });
  assert.deepEqual([s.warmupS, s.faultS, s.recoveryS, s.durationS], [5, 3, 8, 10]);
  assert.equal(s.rate, 7);
  assert.equal(s.baseUrl, 'http://127.0.0.1:1234');

  const cases: [Record<string, string>, RegExp][] = [
    [{ RATE: 'fast' }, /^RATE="fast": must be a number/],
    [{ RATE: '0' }, /^RATE="0": must be between/],
    [{ BASE_URL: 'localhost:30080' }, /^BASE_URL=.*http\(s\) URL/],
    [{ DURATION: '10 minutes' }, /^DURATION=.*not a duration/],
    [{ SMOKE: 'maybe' }, /^SMOKE=.*must be 1\/0/],
    [{ FAULT_ERROR_RATE: '1.5' }, /^FAULT_ERROR_RATE=.*between 0 and 1/],
    [{ TARGET: 'prod' }, /^TARGET=.*one of local, cluster/],
    [{ SCALE_TO: '2', REPLICAS: '2' }, /SCALE_TO=2 must be below REPLICAS=2/],
    [{ TARGET_REPLICAS: '1.5' }, /whole number/],
    [{ VUS: '10', MAX_VUS: '5' }, /MAX_VUS=5 must be at least VUS=10/],
  ];
  for (const [env, re] of cases) {
    assert.throws(() => loadProfile(env, { rate: 20 }), (e: unknown) => e instanceof ConfigError && re.test(e.message), JSON.stringify(env));
  }
});

const chaosTimeline: Timeline = {
  phases: [
    { phase: 'warmup', durationS: 5, rate: 20 },
    { phase: 'fault', durationS: 8, rate: 20 },
    { phase: 'recovery', durationS: 8, rate: 20 },
  ],
  vus: { pre: 4, max: 10 },
  withFault: true,
};

test('timeline: constant rate gives one constant-arrival-rate load plus a fault scenario at the fault phase', () => {
  const sc = buildScenarios(chaosTimeline);
  assert.deepEqual(Object.keys(sc), ['load', 'fault']);
  assert.deepEqual(sc.load, {
    executor: 'constant-arrival-rate',
    rate: 20,
    duration: '21s',
    timeUnit: '1s',
    preAllocatedVUs: 4,
    maxVUs: 10,
    exec: 'default',
    tags: { client: 'naive' },
    gracefulStop: '10s',
  });
  assert.equal(sc.fault?.executor, 'per-vu-iterations');
  assert.equal(sc.fault && 'startTime' in sc.fault ? sc.fault.startTime : '', '5s');
  assert.equal(sc.fault?.exec, 'fault');
});

test('timeline: several client populations each get a scenario', () => {
  const sc = buildScenarios({ ...chaosTimeline, clients: ['naive', 'retrying'] });
  assert.deepEqual(Object.keys(sc), ['load', 'load_retrying', 'fault']);
  assert.deepEqual(sc.load_retrying && 'tags' in sc.load_retrying ? sc.load_retrying.tags : {}, { client: 'retrying' });
});

test('timeline: phase of any instant, including past the end', () => {
  assert.equal(phaseAt(chaosTimeline, 0), 'warmup');
  assert.equal(phaseAt(chaosTimeline, 4.999), 'warmup');
  assert.equal(phaseAt(chaosTimeline, 5), 'fault');
  assert.equal(phaseAt(chaosTimeline, 12.9), 'fault');
  assert.equal(phaseAt(chaosTimeline, 13), 'recovery');
  assert.equal(phaseAt(chaosTimeline, 99), 'recovery');
});

test('timeline: rate changes become ramping stages and rateAt follows them', () => {
  const spike: Timeline = {
    phases: [
      { phase: 'warmup', durationS: 5, rate: 5 },
      { phase: 'fault', durationS: 8, rate: 100 },
      { phase: 'recovery', durationS: 8, rate: 5 },
    ],
    vus: { pre: 2, max: 30 },
    withFault: true,
    stepRampS: 1,
  };
  assert.deepEqual(loadStages(spike), {
    startRate: 5,
    stages: [
      { durationS: 5, target: 5 },
      { durationS: 1, target: 100 },
      { durationS: 7, target: 100 },
      { durationS: 1, target: 5 },
      { durationS: 7, target: 5 },
    ],
  });
  const sc = buildScenarios(spike);
  assert.equal(sc.load?.executor, 'ramping-arrival-rate');
  assert.equal(rateAt(spike, 2), 5);
  assert.equal(rateAt(spike, 5.5), 52.5);
  assert.equal(rateAt(spike, 10), 100);
  assert.equal(rateAt(spike, 100), 5);
  const ramp: Timeline = { phases: [{ phase: 'steady', durationS: 10, rate: 10, rateTo: 110 }], vus: { pre: 1, max: 2 }, withFault: false };
  assert.equal(rateAt(ramp, 5), 60);
  assert.deepEqual(Object.keys(buildScenarios(ramp)), ['load']);
});

test('timeline: invalid timelines are refused', () => {
  assert.throws(() => buildScenarios({ ...chaosTimeline, phases: [] }), /at least one phase/);
  assert.throws(() => buildScenarios({ ...chaosTimeline, phases: [{ phase: 'steady', durationS: 5, rate: 1 }] }), /needs a "fault" phase/);
  assert.throws(() => buildScenarios({ ...chaosTimeline, phases: [{ phase: 'warmup', durationS: 0, rate: 1 }], withFault: false }), /positive duration/);
});

const preds: Prediction[] = [
  { metric: 'http_req_duration', tags: { scenario: 'load', phase: 'fault' }, expr: 'p(95)>=450', text: 'fault p95 reaches 500 ms' },
  { metric: 'http_req_duration', tags: { scenario: 'load', phase: 'fault' }, expr: 'p(95)<750', text: 'fault p95 stays near it' },
  { metric: 'http_req_failed', tags: { scenario: 'load', phase: 'recovery' }, expr: 'rate<0.01', text: 'recovery errors < 1 %' },
  { metric: 'http_req_failed', expr: 'rate<0.05', text: 'abort', abortOnFail: true, delayAbortEvalS: 5 },
];

test('thresholds: predictions group by sub-metric key, abortOnFail as k6 objects', () => {
  assert.deepEqual(buildThresholds(preds), {
    'http_req_duration{scenario:load,phase:fault}': ['p(95)>=450', 'p(95)<750'],
    'http_req_failed{scenario:load,phase:recovery}': ['rate<0.01'],
    http_req_failed: [{ threshold: 'rate<0.05', abortOnFail: true, delayAbortEval: '5s' }],
  });
});

const summary = (over: Partial<Record<string, SummaryData['metrics'][string]>> = {}): SummaryData => ({
  metrics: {
    'http_req_duration{scenario:load,phase:fault}': {
      type: 'trend',
      contains: 'time',
      values: { 'p(95)': 512.345, med: 505 },
      thresholds: { 'p(95)>=450': { ok: true }, 'p(95)<750': { ok: true } },
    },
    'http_req_failed{scenario:load,phase:recovery}': {
      type: 'rate',
      contains: 'default',
      values: { rate: 0.02345, passes: 3, fails: 125 },
      thresholds: { 'rate<0.01': { ok: false } },
    },
    [LEDGER.sent]: { type: 'counter', contains: 'default', values: { count: 412, rate: 20 } },
    [LEDGER.acked]: { type: 'counter', contains: 'default', values: { count: 410, rate: 20 } },
    [LEDGER.stored]: { type: 'counter', contains: 'default', values: { count: 407, rate: 20 } },
    [LEDGER.lost]: { type: 'counter', contains: 'default', values: { count: 3, rate: 0 } },
    [LEDGER.excess]: { type: 'counter', contains: 'default', values: { count: -5, rate: 0 } },
    'recovery_time{kind:requests}': { type: 'trend', contains: 'time', values: { max: 1234, count: 1 } },
    ...over,
  } as SummaryData['metrics'],
});

test('verdict: one line per prediction with the observed value, the ledger line and recovery', () => {
  assert.equal(aggregationOf('p(95) < 300'), 'p(95)');
  assert.equal(aggregationOf('count<=0'), 'count');
  const { text, passed } = verdictText({ scenario: 'latency', engine: 'chaoslab-k6run', data: summary(), predictions: preds.slice(0, 3) });
  assert.equal(passed, false);
  const lines = text.trimEnd().split('\n');
  assert.equal(lines[0], 'chaos-lab latency (engine: chaoslab-k6run)');
  assert.equal(lines[1], '  ✓ fault p95 reaches 500 ms  [http_req_duration{scenario:load,phase:fault} p(95)>=450: p(95)=512.35ms]');
  assert.equal(lines[3], '  ✗ recovery errors < 1 %  [http_req_failed{scenario:load,phase:recovery} rate<0.01: rate=2.34%]');
  assert.match(text, /✗ ledger: sent 412, acknowledged 410, stored 407: 3 acknowledged vote\(s\) LOST \(acknowledged 410 > stored 407\)/);
  assert.match(text, /recovery: requests 1\.23 s/);
  assert.match(lines[lines.length - 1] as string, /VERDICT: FAIL \(1 of 3 predictions did not hold\)/);
});

test('verdict: a prediction without data is not a pass', () => {
  const r = judge({ metrics: {} }, preds.slice(2, 3));
  assert.equal(r[0]?.outcome, 'unknown');
  const { passed, text } = verdictText({ scenario: 'x', engine: 'k6', data: { metrics: {} }, predictions: preds.slice(2, 3) });
  assert.equal(passed, false);
  assert.match(text, /\? recovery errors < 1 %.*no data/);
});

test('ledger line: balanced, double-counted, unreadable', () => {
  assert.equal(
    ledgerLine({ sent: 10, acked: 9, stored: 9, lost: 0, excess: -1 }),
    '✓ ledger: sent 10, acknowledged 9, stored 9: no acknowledged vote lost, none counted twice',
  );
  assert.match(ledgerLine({ sent: 10, acked: 10, stored: 12, lost: -2, excess: 2 }), /2 vote\(s\) counted TWICE \(stored 12 > sent 10\)/);
  assert.match(ledgerLine({ sent: 10, acked: 10, stored: undefined, lost: undefined, excess: undefined }), /stored UNKNOWN/);
});

test('JUnit XML: a testcase per prediction, failures with the observed value, escaped', () => {
  const xml = junitXml({ scenario: 'lat<ency>', results: judge(summary(), preds.slice(0, 3)), durationMs: 21_500 });
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="chaos-lab" tests="3" failures="1" time="21.500">/);
  assert.match(xml, /<testsuite name="lat&lt;ency&gt;" tests="3" failures="1" errors="0" time="21.500">/);
  assert.equal((xml.match(/<testcase /g) ?? []).length, 3);
  assert.match(xml, /<failure message="http_req_failed\{scenario:load,phase:recovery\} rate&lt;0.01 failed \(rate=2.34%\)" type="threshold">/);
  assert.equal(xmlEscape('a&b"c\u0001'), 'a&amp;b&quot;c');
});

test('request recovery: needs an unbroken good window within the band; time counts from its first probe', () => {
  const r = new RequestRecovery(1000, 2000, 300);
  assert.equal(r.observe(1200, false, 5), undefined);
  assert.equal(r.observe(1400, true, 800), undefined); // too slow: outside the band
  assert.equal(r.observe(1600, true, 10), undefined); // streak starts
  assert.equal(r.observe(2600, false, 10), undefined); // broken
  assert.equal(r.observe(2800, true, 10), undefined); // new streak
  assert.equal(r.observe(4700, true, 10), undefined);
  assert.equal(r.observe(4800, true, 10), 1800); // 2800 - 1000
  assert.equal(r.recovered, true);
  assert.equal(r.observe(9000, false, 10), 1800);
});

test('replica recovery: a kill must be seen (dip or replacement) before "all ready" counts', () => {
  const r = new ReplicaRecovery(0, 2, true);
  assert.equal(r.observe(100, 2), undefined); // the supervisor has not noticed yet
  assert.equal(r.observe(200, 1), undefined);
  assert.equal(r.observe(900, 2), 900);
  const fast = new ReplicaRecovery(0, 2, true);
  fast.sawChange();
  assert.equal(fast.observe(50, 2), 50);
  const up = new ReplicaRecovery(0, 2, false);
  assert.equal(up.observe(10, 1), undefined);
  assert.equal(up.observe(700, 2), 700);
});

test('breakpoint: highest bucket that met the SLO with every bucket below it', () => {
  assert.deepEqual(buckets(10, 50, 10), [10, 20, 30, 40, 50]);
  const m = (b: number, count: number, rate: number, p95: number): SummaryData['metrics'] => ({
    [`http_reqs{scenario:load,rate_bucket:${b}}`]: { type: 'counter' as const, contains: 'default' as const, values: { count } },
    [`http_req_failed{scenario:load,rate_bucket:${b}}`]: { type: 'rate' as const, contains: 'default' as const, values: { rate } },
    [`http_req_duration{scenario:load,rate_bucket:${b}}`]: { type: 'trend' as const, contains: 'time' as const, values: { 'p(95)': p95 } },
  });
  const data = { metrics: { ...m(10, 50, 0, 5), ...m(20, 100, 0, 8), ...m(30, 150, 0.2, 900), ...m(40, 10, 0, 5), ...m(50, 0, 0, 0) } };
  const stats = bucketStats(data, [10, 20, 30, 40, 50]);
  assert.deepEqual(stats.map((s) => s.bucket), [10, 20, 30, 40]);
  assert.equal(highestSustained(stats, { p95Ms: 300, errorRate: 0.01 })?.bucket, 20);
  assert.equal(highestSustained(stats.slice(2), { p95Ms: 300, errorRate: 0.01 }), undefined);
  const notes = breakpointNotes(
    { metrics: { ...data.metrics, breakpoint_rate: { type: 'gauge', contains: 'default', values: { max: 35 } } } },
    [10, 20, 30, 40, 50],
    10,
    { p95Ms: 300, errorRate: 0.01 },
    35,
  );
  assert.deepEqual(notes, [
    'ramp reached 35.0 req/s (of 35)',
    'highest sustained rate: 20-30 req/s (p95 8.0 ms, 0.00 % failed)',
    'first struggling bucket: 30-35 req/s (p95 900.0 ms, 20.00 % failed)', // capped at MAX_RATE
  ]);
});
