import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MetricsCore } from '../core.ts';
import { humanizeBytes, humanizeGenericDuration, humanizeValue } from '../humanize.ts';
import { finalizeSummaryResult } from '../summary-result.ts';
import { strWidth, textSummary } from '../text-summary.ts';
import type { Sample } from '../types.ts';

const s = (metric: string, value: number, tags: Record<string, string> = {}): Sample => ({ metric, time: 0, value, tags });

/** A representative run: thresholds on a trend, a sub-metric, a counter and checks; every section. */
function run(): MetricsCore {
  const c = new MetricsCore({
    thresholds: {
      http_req_duration: ['p(95)<200', 'p(99) < 300'],
      'http_req_duration{phase:fault}': ['avg<100'],
      http_reqs: ['count>100', 'rate>1'],
      checks: ['rate>0.9'],
    },
  });
  c.define({ name: 'votes', type: 'counter', contains: 'default' });
  c.validateThresholds();
  const samples: Sample[] = [];
  [50, 100, 150, 200, 250].forEach((d, i) => {
    const tags = { expected_response: 'true', phase: i < 2 ? 'fault' : 'steady' };
    samples.push(s('http_reqs', 1, tags), s('http_req_duration', d, tags), s('http_req_failed', i === 4 ? 1 : 0, tags));
    samples.push(s('http_req_waiting', d, tags));
  });
  samples.push(
    s('checks', 1, { check: 'status is 200', group: '' }),
    s('checks', 1, { check: 'status is 200', group: '' }),
    s('checks', 0, { check: 'body has id', group: '::g' }),
    s('checks', 1, { check: 'body has id', group: '::g' }),
    s('checks', 1, { check: 'body has id', group: '::g' }),
    s('group_duration', 12, { group: '::g' }),
    s('votes', 7),
    s('iterations', 5),
    s('iteration_duration', 1500),
    s('iteration_duration', 61234.5),
    s('vus', 2),
    s('vus_max', 10),
    s('data_received', 123456),
    s('data_sent', 9),
  );
  c.add(samples);
  c.evaluate({ final: true, elapsedMs: 4000 });
  return c;
}

describe('textSummary (k6 v1 compact)', () => {
  it('renders the thresholds and total results exactly as k6 lays them out', () => {
    const c = run();
    const data = c.summaryData({ testRunDurationMs: 4000, isStdOutTTY: false, isStdErrTTY: false });
    const lines = textSummary(data, { report: c.textReport(4000) }).split('\n');
    assert.deepEqual(lines, [
      "",
      "  █ THRESHOLDS ",
      "",
      "    checks",
      "    ✗ 'rate>0.9' rate=80.00%",
      "",
      "    http_req_duration",
      "    ✗ 'p(95)<200' p(95)=240ms",
      "    ✓ 'p(99) < 300' p(99)=248ms",
      "",
      "      {phase:fault}",
      "      ✓ 'avg<100' avg=75ms",
      "",
      "    http_reqs",
      "    ✗ 'count>100' count=5",
      "    ✓ 'rate>1' rate=1.25/s",
      "",
      "",
      "  █ TOTAL RESULTS ",
      "",
      "    checks_total.......................: 5      1.25/s",
      "    checks_succeeded...................: 80.00% 4 out of 5",
      "    checks_failed......................: 20.00% 1 out of 5",
      "",
      "    ✓ status is 200",
      "    ✗ body has id",
      "      ↳  66% — ✓ 2 / ✗ 1",
      "",
      "    CUSTOM",
      "    votes...................................................................: 7      1.75/s",
      "",
      "    HTTP",
      "    http_req_duration.......................................................: avg=150ms  min=50ms med=150ms  max=250ms p(90)=230ms  p(95)=240ms ",
      "      { expected_response:true }............................................: avg=150ms  min=50ms med=150ms  max=250ms p(90)=230ms  p(95)=240ms ",
      "      { phase:fault }.......................................................: avg=75ms   min=50ms med=75ms   max=100ms p(90)=95ms   p(95)=97.5ms",
      "    http_req_failed.........................................................: 20.00% 1 out of 5",
      "    http_reqs...............................................................: 5      1.25/s",
      "",
      "    EXECUTION",
      "    iteration_duration......................................................: avg=31.36s min=1.5s med=31.36s max=1m1s  p(90)=55.26s p(95)=58.24s",
      "    iterations..............................................................: 5      1.25/s",
      "    vus.....................................................................: 2      min=2      max=2 ",
      "    vus_max.................................................................: 10     min=10     max=10",
      "",
      "    NETWORK",
      "    data_received...........................................................: 124 kB 31 kB/s",
      "    data_sent...............................................................: 9 B    2.25 B/s",
      "",
      ""
    ]);
  });
  it('uses ANSI colours only when asked, without changing the alignment', () => {
    const c = run();
    const data = c.summaryData({ testRunDurationMs: 4000, isStdOutTTY: true, isStdErrTTY: false });
    const report = c.textReport(4000);
    const coloured = textSummary(data, { report });
    const ESC = String.fromCharCode(27);
    assert.ok(coloured.includes(`${ESC}[1mTHRESHOLDS${ESC}[0m`));
    assert.ok(coloured.includes(`${ESC}[32m✓ status is 200${ESC}[0m`));
    assert.ok(coloured.includes(`${ESC}[31m✗${ESC}[0m`));
    const plain = textSummary(data, { report, enableColors: false });
    assert.equal(coloured.replace(new RegExp(`${ESC}\\[[0-9;]*m`, 'g'), ''), plain);
    assert.equal(strWidth('\x1b[36mabc\x1b[0m'), 3);
  });
  it('falls back to the handleSummary data alone (checks summed by name over the group tree)', () => {
    const c = run();
    const data = c.summaryData({ testRunDurationMs: 4000, isStdOutTTY: false, isStdErrTTY: false });
    const text = textSummary(data);
    assert.ok(text.includes('\n    ✗ body has id\n      ↳  66% — ✓ 2 / ✗ 1\n'));
    assert.ok(text.includes("\n    ✗ 'p(95)<200' p(95)=240ms\n"));
    // Without the report, a percentile outside summaryTrendStats has no value (k6's JS joins undefined as "").
    assert.ok(text.includes("\n    ✓ 'p(99) < 300' p(99)=\n"));
  });
  it('honours a fixed summaryTimeUnit', () => {
    const c = run();
    const data = c.summaryData({
      testRunDurationMs: 4000,
      isStdOutTTY: false,
      isStdErrTTY: false,
      options: { summaryTimeUnit: 's' },
    });
    assert.match(textSummary(data, { report: c.textReport(4000) }), /avg=0\.15s +min=0\.05s/);
  });
  it('is wrapped by finalizeSummaryResult like k6 when there is no handleSummary', () => {
    const c = run();
    const data = c.summaryData({ testRunDurationMs: 4000, isStdOutTTY: false, isStdErrTTY: false });
    const text = { report: c.textReport(4000) };
    const result = finalizeSummaryResult(undefined, { data, text }) as Record<string, string>;
    assert.equal(result.stdout, `\n${textSummary(data, text)}\n\n`);
    const withExport = finalizeSummaryResult(null, { data, text, summaryExportPath: 'out.json' }) as Record<string, string>;
    assert.deepEqual(Object.keys(withExport), ['stdout', 'out.json']);
    const custom = finalizeSummaryResult({ 'a.txt': 'x' }, { data, summaryExportPath: 'e.json' }) as Record<string, string>;
    assert.deepEqual(Object.keys(custom), ['a.txt', 'e.json'], 'the export is added on top of handleSummary');
  });
});

describe('humanizeValue', () => {
  const time = { type: 'trend', contains: 'time' } as const;
  it('humanizes durations from ms, truncating to 2 decimals', () => {
    assert.equal(humanizeGenericDuration(0), '0s');
    assert.equal(humanizeGenericDuration(0.0005), '500ns');
    assert.equal(humanizeGenericDuration(0.123456), '123.45µs');
    assert.equal(humanizeGenericDuration(148.219), '148.21ms');
    assert.equal(humanizeGenericDuration(1500), '1.5s');
    assert.equal(humanizeGenericDuration(59999), '59.99s');
    assert.equal(humanizeGenericDuration(90000), '1m30s');
    assert.equal(humanizeGenericDuration(3723000), '1h2m3s');
    assert.equal(humanizeValue(148.219, time, 'ms'), '148.22ms', 'a fixed unit rounds with toFixed(2)');
    assert.equal(humanizeValue(1500, time, 'us'), '1500000.00µs');
  });
  it('formats rates as truncated percentages', () => {
    const rate = { type: 'rate', contains: 'default' } as const;
    assert.equal(humanizeValue(0.99999, rate), '99.99%');
    assert.equal(humanizeValue(1, rate), '100.00%');
    assert.equal(humanizeValue(0, rate), '0.00%');
    assert.equal(humanizeValue(2 / 3, rate), '66.66%');
  });
  it('formats bytes in base 1000 and plain numbers with up to 6 decimals', () => {
    assert.equal(humanizeBytes(9), '9 B');
    assert.equal(humanizeBytes(1234), '1.2 kB');
    assert.equal(humanizeBytes(35_000_000), '35 MB');
    assert.equal(humanizeValue(1 / 3, { type: 'counter', contains: 'default' }), '0.333333');
    assert.equal(humanizeValue(12, { type: 'counter', contains: 'default' }), '12');
  });
});
