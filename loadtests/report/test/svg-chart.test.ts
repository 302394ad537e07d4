import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chart, yExtent } from '../src/render/svg-chart.ts';

const pathOf = (svg: string, label: string) => new RegExp(`data-series="${label}" d="([^"]*)"`).exec(svg)?.[1] ?? '';

test('missing seconds break the line instead of drawing through them', () => {
  const svg = chart({ id: 'x', title: 'T', yLabel: 'ms', xMax: 6, series: [{ label: 'a', color: '#000', values: [1, 2, undefined, undefined, 3, 4] }] });
  const d = pathOf(svg, 'a');
  assert.equal((d.match(/M/g) ?? []).length, 2);
  assert.equal((d.match(/L/g) ?? []).length, 2);
});

test('log axis: decades from the data, non-positive values skipped, labels escaped', () => {
  assert.deepEqual(yExtent([{ label: 'a', color: '#000', values: [3, 40, 520] }], [], 'log'), [1, 1000]);
  const svg = chart({ id: 'l', title: 'p95 <&> "x"', yLabel: 'ms', scale: 'log', xMax: 3, series: [{ label: 'a', color: '#000', values: [0, 10, 100] }] });
  assert.equal((pathOf(svg, 'a').match(/[ML]/g) ?? []).length, 2);
  assert.match(svg, /p95 &lt;&amp;&gt; &quot;x&quot;/);
  assert.match(svg, /ms \(log\)/);
});

test('fault windows, thresholds and the legend are drawn; compact multiples share the given domain', () => {
  const svg = chart({
    id: 'f', title: 'T', yLabel: 'req/s', xMax: 60,
    series: [{ label: 'rate', color: '#000', values: [10, 10, 10] }],
    windows: [{ start: 20, end: 47, label: 'fault: errors' }],
    hlines: [{ y: 5, label: '< 5' }, { y: 5.1, label: '< 5.1' }],
  });
  assert.equal((svg.match(/class="fault-window"/g) ?? []).length, 1);
  assert.equal((svg.match(/class="threshold"/g) ?? []).length, 2);
  assert.match(svg, /<g class="legend">.*rate.*fault window/);
  const small = chart({ id: 's', title: 'T', yLabel: 'x', xMax: 10, yDomain: [0, 100], compact: true, series: [{ label: 'a', color: '#000', values: [50] }] });
  assert.match(small, />100</);
  assert.doesNotMatch(small, /class="legend"/);
});

test('degenerate domains (zero span, zero x range, log from 0) still draw a bounded chart', () => {
  // Each of these once looped forever adding ticks (a zero or NaN step), crashing the report on a real run.
  const specs = [
    { id: 'z', title: 'T', yLabel: 'x', xMax: 0, series: [{ label: 'a', color: '#000', values: [1] }] },
    { id: 'c', title: 'T', yLabel: 'x', xMax: 10, yDomain: [5, 5] as [number, number], series: [{ label: 'a', color: '#000', values: [5, 5] }] },
    { id: 'g', title: 'T', yLabel: 'x', xMax: 10, scale: 'log' as const, yDomain: [0, 100] as [number, number], series: [{ label: 'a', color: '#000', values: [0, 10] }] },
  ];
  for (const spec of specs) {
    const svg = chart(spec);
    assert.match(svg, /^<svg[\s\S]*<\/svg>$/);
    assert.ok((svg.match(/<line /g) ?? []).length < 250, `${spec.id}: bounded number of tick lines`);
    assert.doesNotMatch(svg, /NaN|Infinity/, `${spec.id}: no NaN/Infinity coordinates`);
  }
});
