import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MetricsCore, MetricTypeConflictError, ThresholdConfigError, UnknownMetricError } from '../core.ts';
import type { Sample, Tags } from '../types.ts';

const T0 = Date.UTC(2026, 0, 1);
const s = (metric: string, value: number, tags: Tags = {}): Sample => ({ metric, time: T0, value, tags });

function core(thresholds: unknown, extra: { noThresholds?: boolean; expectedResponseTag?: boolean } = {}): MetricsCore {
  const c = new MetricsCore({ thresholds, ...extra });
  c.define({ name: 'my_counter', type: 'counter', contains: 'default' });
  c.define({ name: 'my_gauge', type: 'gauge', contains: 'default' });
  c.define({ name: 'my_rate', type: 'rate', contains: 'default' });
  c.define({ name: 'my_trend', type: 'trend', contains: 'time' });
  return c;
}

describe('MetricsCore.define', () => {
  it('registers every k6 built-in up front', () => {
    const c = new MetricsCore();
    for (const name of ['http_reqs', 'http_req_duration', 'checks', 'group_duration', 'vus', 'data_sent']) {
      assert.ok(c.has(name), name);
    }
  });
  it('returns the same metric for the same name and type, throws for another type or value type', () => {
    const c = core(undefined);
    c.define({ name: 'my_trend', type: 'trend', contains: 'time' });
    assert.throws(() => c.define({ name: 'my_trend', type: 'counter', contains: 'default' }), MetricTypeConflictError);
    assert.throws(() => c.define({ name: 'my_trend', type: 'trend', contains: 'default' }), MetricTypeConflictError);
    assert.throws(() => c.define({ name: 'http_reqs', type: 'rate', contains: 'default' }), MetricTypeConflictError);
  });
  it('rejects samples of unknown metrics without touching the others in the batch', () => {
    const c = core(undefined);
    assert.throws(() => c.add([s('my_counter', 1), s('nope', 1)]), UnknownMetricError);
    const data = c.summaryData({ testRunDurationMs: 1000, isStdOutTTY: false, isStdErrTTY: false });
    assert.equal(data.metrics.my_counter, undefined, 'nothing from the rejected batch was counted');
  });
});

describe('MetricsCore.validateThresholds', () => {
  const invalid: [string, unknown][] = [
    ['unknown metric', { nope: ['count>0'] }],
    ['unknown metric with selector', { 'nope{a:b}': ['count>0'] }],
    ['custom metric created too late (name not registered)', { late_metric: ['count>0'] }],
    ['bad syntax', { my_counter: ['count 0'] }],
    ['bad right-hand side', { my_counter: ['count>x'] }],
    ['counter with value', { my_counter: ['value>0'] }],
    ['counter with avg', { my_counter: ['avg>0'] }],
    ['gauge with count', { my_gauge: ['count>0'] }],
    ['rate with count', { my_rate: ['count>0'] }],
    ['trend with rate', { my_trend: ['rate>0'] }],
    ['trend with count', { my_trend: ['count>0'] }],
    ['malformed selector', { 'my_trend{a}': ['avg>0'] }],
    ['unclosed selector', { 'my_trend{a:1': ['avg>0'] }],
    ['not an array', { my_trend: 'avg>0' }],
    ['number item', { my_trend: [5] }],
    ['bad abortOnFail', { my_trend: [{ threshold: 'avg>0', abortOnFail: 'yes' }] }],
    ['bad delayAbortEval', { my_trend: [{ threshold: 'avg>0', abortOnFail: true, delayAbortEval: 'soon' }] }],
    ['thresholds not an object', ['avg>0']],
  ];
  for (const [name, thresholds] of invalid) {
    it(`rejects ${name} with exit code 104`, () => {
      const c = core(thresholds);
      assert.throws(
        () => c.validateThresholds(),
        (err: unknown) => err instanceof ThresholdConfigError && err.exitCode === 104,
      );
    });
  }
  it('accepts every allowed aggregation per type', () => {
    const c = core({
      my_counter: ['count>0', 'rate>0'],
      my_gauge: ['value>0'],
      my_rate: ['rate>0'],
      my_trend: ['avg>0', 'min>0', 'max>0', 'med>0', 'p(90)>0', 'p(99.9)>0'],
    });
    assert.deepEqual(c.validateThresholds(), []);
  });
  it('changes nothing when one declaration is invalid', () => {
    const c = core({ my_counter: ['count>0'], my_trend: ['bogus'] });
    assert.throws(() => c.validateThresholds(), ThresholdConfigError);
    const data = c.summaryData({ testRunDurationMs: 1, isStdOutTTY: false, isStdErrTTY: false });
    assert.equal(data.metrics.my_counter, undefined);
  });
  it('with noThresholds returns warnings instead of throwing and evaluates nothing', () => {
    const c = core({ nope: ['count>0'], my_counter: ['count>100'] }, { noThresholds: true });
    const warnings = c.validateThresholds();
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] as string, /nope/);
    c.add([s('my_counter', 1)]);
    assert.deepEqual(c.evaluate({ final: true, elapsedMs: 1000 }), { results: [], abort: false, crossed: [] });
    const data = c.summaryData({ testRunDurationMs: 1000, isStdOutTTY: false, isStdErrTTY: false });
    assert.equal(data.metrics.my_counter?.thresholds, undefined);
  });
});

describe('sub-metrics', () => {
  it('feeds a sample to every sub-metric whose tags it carries', () => {
    const c = core({
      'my_trend{phase:fault}': ['avg<1000'],
      'my_trend{phase:fault,method:GET}': ['avg<1000'],
      'my_trend{group:::g}': ['max<1000'],
    });
    c.validateThresholds();
    c.add([
      s('my_trend', 10, { phase: 'fault', method: 'GET' }),
      s('my_trend', 20, { phase: 'fault', method: 'POST' }),
      s('my_trend', 30, { phase: 'warmup', method: 'GET', group: '::g' }),
      s('my_trend', 40, { group: '::g::h' }),
    ]);
    const m = c.summaryData({ testRunDurationMs: 1000, isStdOutTTY: false, isStdErrTTY: false }).metrics;
    assert.equal(m.my_trend?.values.avg, 25);
    assert.equal(m['my_trend{phase:fault}']?.values.avg, 15);
    assert.equal(m['my_trend{phase:fault,method:GET}']?.values.avg, 10);
    assert.equal(m['my_trend{group:::g}']?.values.max, 30);
  });
  it('keys a sub-metric by the trimmed selector text and reuses it for the same tags', () => {
    const c = core({ 'my_trend{ phase:fault }': ['avg<1'], 'my_trend{"phase":fault}': ['max<1'] });
    c.validateThresholds();
    const info = c.metricInfo('my_trend');
    assert.deepEqual(info?.submetrics, [
      { name: 'my_trend{phase:fault}', suffix: 'phase:fault', tags: { phase: 'fault' } },
    ]);
  });
  it('creates http_req_duration{expected_response:true} automatically, shown only once it has samples', () => {
    const c = core(undefined);
    c.validateThresholds();
    const summary = () => c.summaryData({ testRunDurationMs: 1000, isStdOutTTY: false, isStdErrTTY: false }).metrics;
    assert.equal(summary()['http_req_duration{expected_response:true}'], undefined);
    c.add([
      s('http_req_duration', 100, { expected_response: 'true' }),
      s('http_req_duration', 300, { expected_response: 'false' }),
    ]);
    assert.equal(summary()['http_req_duration{expected_response:true}']?.values.max, 100);
    assert.equal(summary().http_req_duration?.values.max, 300);
  });
  it('does not create it when the expected_response tag is disabled', () => {
    const c = core(undefined, { expectedResponseTag: false });
    c.validateThresholds();
    assert.equal(c.metricInfo('http_req_duration')?.submetrics, null);
  });
});

describe('MetricsCore.evaluate', () => {
  it('skips empty sinks during the run and includes them at the final pass with empty values', () => {
    const c = core({ my_trend: ['avg>5'], my_counter: ['count>0'], my_gauge: ['value<1'] });
    c.validateThresholds();
    const during = c.evaluate({ final: false, elapsedMs: 2000 });
    assert.deepEqual(during.crossed, []);
    assert.ok(during.results.every((r) => r.ok && r.observed === undefined), 'nothing judged yet');
    const final = c.evaluate({ final: true, elapsedMs: 2000 });
    assert.deepEqual(final.crossed, ['my_counter', 'my_trend'], 'empty trend avg=0 and counter=0 fail; sorted');
    const byKey = Object.fromEntries(final.results.map((r) => [r.metricKey, r]));
    assert.equal(byKey.my_trend?.observed, 0);
    assert.equal(byKey.my_gauge?.ok, true);
  });
  it('an empty rate has no rate: not crossed (exit 0), but reported ok=false with an error, as k6 does', () => {
    const c = core({ my_rate: ['rate<0.1'] });
    c.validateThresholds();
    const r = c.evaluate({ final: true, elapsedMs: 1000 });
    assert.deepEqual(r.crossed, []);
    assert.equal(r.abort, false);
    assert.equal(r.results[0]?.ok, false);
    assert.match(r.results[0]?.error ?? '', /no metric supporting the rate aggregation method/);
    const data = c.summaryData({ testRunDurationMs: 1000, isStdOutTTY: false, isStdErrTTY: false });
    assert.deepEqual(data.metrics.my_rate?.values, { rate: 0, passes: 0, fails: 0 }, 'no NaN');
  });
  it('judges every aggregation with k6 values', () => {
    const c = core({
      my_counter: ['count==10', 'rate===2.5'],
      my_gauge: ['value==-4'],
      my_rate: ['rate==0.75'],
      my_trend: ['avg==2.5', 'min==1', 'max==4', 'med==2.5', 'p(0)==1', 'p(100)==4', 'p(50)!=3'],
    });
    c.validateThresholds();
    c.add([s('my_counter', 4), s('my_counter', 6), s('my_gauge', 3), s('my_gauge', -4)]);
    c.add([1, 1, 0, 1].map((v) => s('my_rate', v)));
    c.add([4, 1, 3, 2].map((v) => s('my_trend', v)));
    const r = c.evaluate({ final: true, elapsedMs: 4000 });
    assert.deepEqual(
      r.results.filter((x) => !x.ok).map((x) => `${x.metricKey} ${x.source}`),
      [],
    );
    assert.deepEqual(r.crossed, []);
  });
  it('counter rate is per second of elapsed time', () => {
    const c = core({ my_counter: ['rate<5'] });
    c.validateThresholds();
    c.add(Array.from({ length: 20 }, () => s('my_counter', 1)));
    assert.deepEqual(c.evaluate({ final: false, elapsedMs: 2000 }).crossed, ['my_counter'], '10/s');
    assert.deepEqual(c.evaluate({ final: false, elapsedMs: 5000 }).crossed, [], '4/s');
  });
  it('abortOnFail aborts at once without delayAbortEval', () => {
    const c = core({ my_trend: [{ threshold: 'p(95)<100', abortOnFail: true }] });
    c.validateThresholds();
    c.add([s('my_trend', 500)]);
    const r = c.evaluate({ final: false, elapsedMs: 1000 });
    assert.equal(r.abort, true);
    assert.deepEqual(r.crossed, ['my_trend']);
    assert.equal(r.results[0]?.abortOnFail, true);
  });
  it('abortOnFail waits until elapsed time exceeds delayAbortEval, then stays set', () => {
    const c = core({
      'my_trend{phase:fault}': [{ threshold: 'avg<100', abortOnFail: true, delayAbortEval: '10s' }],
    });
    c.validateThresholds();
    c.add([s('my_trend', 500, { phase: 'fault' })]);
    const at = (ms: number) => c.evaluate({ final: false, elapsedMs: ms });
    assert.deepEqual([at(2000).abort, at(2000).crossed], [false, ['my_trend{phase:fault}']]);
    assert.equal(at(10000).abort, false, 'not before the delay has strictly passed');
    assert.equal(at(10001).abort, true);
    assert.equal(at(3000).abort, true, 'once set, the abort flag sticks (k6 Thresholds.Abort)');
  });
  it('a passing abortOnFail threshold never aborts; a failing one without abortOnFail neither', () => {
    const c = core({ my_trend: [{ threshold: 'avg<100', abortOnFail: true }, 'max<1'] });
    c.validateThresholds();
    c.add([s('my_trend', 50)]);
    const r = c.evaluate({ final: false, elapsedMs: 5000 });
    assert.deepEqual(r.crossed, ['my_trend']);
    assert.equal(r.abort, false);
  });
  it('reports ok per threshold and the observed value', () => {
    const c = core({ my_trend: ['p(95)<200', 'avg<10'] });
    c.validateThresholds();
    c.add([100, 200, 300].map((v) => s('my_trend', v)));
    const r = c.evaluate({ final: true, elapsedMs: 1000 });
    assert.deepEqual(
      r.results.map((x) => [x.source, x.ok, x.aggregation, Math.round((x.observed ?? NaN) * 1000) / 1000]),
      [
        ['p(95)<200', false, 'p(95)', 290],
        ['avg<10', false, 'avg', 200],
      ],
    );
  });
});
