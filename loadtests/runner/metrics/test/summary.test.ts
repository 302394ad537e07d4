import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { MetricsCore } from '../core.ts';
import { summaryExport } from '../summary-export.ts';
import type { Sample, Tags } from '../types.ts';

const T0 = Date.UTC(2026, 0, 1);
const s = (metric: string, value: number, tags: Tags = {}): Sample => ({ metric, time: T0, value, tags });
const md5 = (x: string) => createHash('md5').update(x).digest('hex');
const input = { testRunDurationMs: 2000, isStdOutTTY: false, isStdErrTTY: true };

function scenario(): MetricsCore {
  const c = new MetricsCore({
    thresholds: {
      http_req_duration: ['p(95)<200'],
      'http_req_duration{phase:fault}': ['avg<50'],
      checks: ['rate>0.99'],
      temp: ['value<0'],
    },
  });
  c.define({ name: 'temp', type: 'gauge', contains: 'default' });
  c.define({ name: 'votes', type: 'counter', contains: 'default' });
  c.validateThresholds();
  c.add([
    s('checks', 1, { check: 'root ok', group: '' }),
    s('group_duration', 5, { group: '::g' }),
    s('checks', 0, { check: 'in g', group: '::g' }),
    s('checks', 1, { check: 'in g', group: '::g' }),
    s('checks', 1, { check: 'deep', group: '::g::h' }),
    s('group_duration', 3, { group: '::g::h' }),
    s('group_duration', 9, { group: '::a' }),
    s('checks', 1, { check: 'setup ok', group: '::setup' }),
    s('http_req_duration', 100, { phase: 'fault', expected_response: 'true' }),
    s('http_req_duration', 300, { phase: 'steady', expected_response: 'false' }),
    s('votes', 3),
    s('votes', 5),
    s('temp', -2),
    s('temp', -8),
  ]);
  c.evaluate({ final: true, elapsedMs: 2000 });
  return c;
}

describe('summaryData (handleSummary argument)', () => {
  it('has exactly the top-level keys, options and state of k6', () => {
    const data = scenario().summaryData({ ...input, setupData: { id: 7, when: new Date(0) } });
    assert.deepEqual(Object.keys(data), ['root_group', 'options', 'state', 'metrics', 'setup_data']);
    assert.deepEqual(data.options, {
      summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'],
      summaryTimeUnit: '',
      noColor: false,
    });
    assert.deepEqual(data.state, { isStdOutTTY: false, isStdErrTTY: true, testRunDurationMs: 2000 });
    assert.deepEqual(data.setup_data, { id: 7, when: '1970-01-01T00:00:00.000Z' }, 'JSON round trip');
  });
  it('omits setup_data when setup returned nothing', () => {
    const data = scenario().summaryData(input);
    assert.equal('setup_data' in data, false);
    assert.equal(JSON.stringify(data).includes('setup_data'), false);
  });
  it('rebuilds root_group from checks and group_duration in first-seen order, with :: paths and md5 ids', () => {
    const root = scenario().summaryData(input).root_group;
    assert.equal(root.id, 'd41d8cd98f00b204e9800998ecf8427e');
    assert.deepEqual([root.name, root.path], ['', '']);
    assert.deepEqual(
      root.checks.map((c) => [c.name, c.path, c.id, c.passes, c.fails]),
      [['root ok', '::root ok', md5('::root ok'), 1, 0]],
    );
    assert.deepEqual(
      root.groups.map((g) => g.name),
      ['g', 'a', 'setup'],
    );
    const g = root.groups[0];
    assert.deepEqual([g?.path, g?.id], ['::g', md5('::g')]);
    assert.deepEqual(
      g?.checks.map((c) => [c.path, c.passes, c.fails]),
      [['::g::in g', 1, 1]],
    );
    const h = g?.groups[0];
    assert.deepEqual([h?.name, h?.path, h?.id], ['h', '::g::h', md5('::g::h')]);
    assert.deepEqual(h?.checks.map((c) => c.path), ['::g::h::deep']);
    assert.deepEqual(root.groups[2]?.checks.map((c) => c.path), ['::setup::setup ok']);
  });
  it('gives each type its values, and thresholds only where declared', () => {
    const m = scenario().summaryData(input).metrics;
    assert.deepEqual(m.votes, { type: 'counter', contains: 'default', values: { count: 8, rate: 4 } });
    assert.deepEqual(m.temp, {
      type: 'gauge',
      contains: 'default',
      values: { value: -8, min: -8, max: 0 },
      thresholds: { 'value<0': { ok: true } },
    });
    assert.deepEqual(m.checks, {
      type: 'rate',
      contains: 'default',
      values: { rate: 0.8, passes: 4, fails: 1 },
      thresholds: { 'rate>0.99': { ok: false } },
    });
    assert.deepEqual(Object.keys(m.http_req_duration?.values ?? {}), ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)']);
    assert.equal(m.http_req_duration?.values['p(95)'], 290);
    assert.deepEqual(m['http_req_duration{phase:fault}'], {
      type: 'trend',
      contains: 'time',
      values: { avg: 100, min: 100, med: 100, max: 100, 'p(90)': 100, 'p(95)': 100 },
      thresholds: { 'avg<50': { ok: false } },
    });
    assert.equal(m['http_req_duration{expected_response:true}']?.values.max, 100);
    assert.equal(m.http_reqs, undefined, 'metrics without samples or thresholds are absent');
  });
  it('shows metrics with thresholds but no samples with zero values', () => {
    const c = new MetricsCore({ thresholds: { 'http_reqs{scenario:x}': ['count>=0'], iteration_duration: ['p(99)<1'] } });
    c.validateThresholds();
    c.evaluate({ final: true, elapsedMs: 0 });
    const m = c.summaryData({ ...input, testRunDurationMs: 0 }).metrics;
    assert.deepEqual(m.http_reqs?.values, { count: 0, rate: 0 }, 'the parent of a sub-metric with thresholds');
    assert.deepEqual(m['http_reqs{scenario:x}']?.values, { count: 0, rate: 0 });
    assert.deepEqual(m.iteration_duration?.values, { avg: 0, min: 0, med: 0, max: 0, 'p(90)': 0, 'p(95)': 0 });
    assert.deepEqual(m.iteration_duration?.thresholds, { 'p(99)<1': { ok: true } });
  });
  it('honours summaryTrendStats, count and p(99.9) included', () => {
    const c = new MetricsCore({ summaryTrendStats: ['count', 'p(99.9)', 'med'] });
    c.validateThresholds();
    c.add([1, 2, 3, 4].map((v) => s('iteration_duration', v)));
    const v = c.summaryData(input).metrics.iteration_duration?.values;
    assert.deepEqual(Object.keys(v ?? {}), ['count', 'p(99.9)', 'med']);
    assert.equal(v?.count, 4);
    assert.ok(Math.abs((v?.['p(99.9)'] ?? 0) - 3.997) < 1e-9);
  });
});

describe('summaryExport (--summary-export)', () => {
  it('flattens metrics, renames rate to value, marks failed thresholds true, keys groups and checks by name', () => {
    const data = scenario().summaryData({ ...input, setupData: { a: 1 } });
    const text = summaryExport(data);
    assert.ok(text.startsWith('{\n    "root_group": {\n        "name": "",'), '4-space indentation');
    const out = JSON.parse(text);
    assert.deepEqual(Object.keys(out), ['root_group', 'metrics', 'setup_data']);
    assert.deepEqual(out.metrics.checks, { passes: 4, fails: 1, thresholds: { 'rate>0.99': true }, value: 0.8 });
    assert.deepEqual(out.metrics.votes, { count: 8, rate: 4 }, 'counter rate stays rate');
    assert.deepEqual(out.metrics.temp, { value: -8, min: -8, max: 0, thresholds: { 'value<0': false } });
    assert.deepEqual(out.metrics['http_req_duration{phase:fault}'].thresholds, { 'avg<50': true });
    assert.deepEqual(Object.keys(out.root_group.groups), ['g', 'a', 'setup']);
    assert.deepEqual(out.root_group.groups.g.checks['in g'], {
      name: 'in g',
      path: '::g::in g',
      id: md5('::g::in g'),
      passes: 1,
      fails: 1,
    });
    assert.deepEqual(Object.keys(out.root_group.groups.g.groups), ['h']);
    assert.deepEqual(out.root_group.checks['root ok'].passes, 1);
    assert.equal('checks_total' in out.metrics, false);
  });
  it('does not modify the data it exports', () => {
    const data = scenario().summaryData(input);
    const before = JSON.stringify(data);
    summaryExport(data);
    assert.equal(JSON.stringify(data), before);
  });
});
