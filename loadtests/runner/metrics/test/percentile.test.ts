import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { percentile } from '../percentile.ts';
import { CounterSink, GaugeSink, RateSink, TrendSink } from '../sinks.ts';

const close = (actual: number, expected: number): void =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} ≉ ${expected}`);

describe('percentile (k6 TrendSink.P interpolation)', () => {
  it('is 0 with no samples and the sample itself with one', () => {
    assert.equal(percentile([], 0.95), 0);
    assert.equal(percentile([7], 0), 7);
    assert.equal(percentile([7], 0.5), 7);
    assert.equal(percentile([7], 1), 7);
  });
  it('interpolates between two samples', () => {
    close(percentile([10, 20], 0.95), 19.5);
    close(percentile([10, 20], 0.5), 15);
    assert.equal(percentile([10, 20], 0), 10);
    assert.equal(percentile([10, 20], 1), 20);
  });
  it('uses rank p·(n−1): p(0) is the min, p(100) the max, p(99.9) just below the max', () => {
    const v = [1, 2, 3, 4];
    assert.equal(percentile(v, 0), 1);
    assert.equal(percentile(v, 1), 4);
    close(percentile(v, 0.5), 2.5);
    close(percentile(v, 0.999), 3.997);
    close(percentile(v, 0.9), 3.7);
  });
  it('lands exactly on a sample when the rank is whole', () => {
    assert.equal(percentile([5, 6, 7, 8, 9], 0.25), 6);
    assert.equal(percentile([5, 6, 7, 8, 9], 0.75), 8);
  });
});

describe('sinks', () => {
  it('trend keeps every value, grows by doubling and sorts lazily', () => {
    const t = new TrendSink();
    const before = t.capacityBytes();
    for (let i = 1000; i >= 1; i--) t.add(i);
    assert.equal(t.count, 1000);
    assert.equal(t.min, 1);
    assert.equal(t.max, 1000);
    close(t.avg(), 500.5);
    close(t.p(0.5), 500.5);
    close(t.p(0.95), 950.05);
    assert.equal(t.capacityBytes(), 1024 * 8, 'capacity doubles from 256 to 1024 slots');
    assert.ok(before < t.capacityBytes());
    t.add(0);
    assert.equal(t.p(0), 0, 'a value added after sorting is taken into account');
    assert.equal(t.min, 0);
  });
  it('trend percentiles match a full sort whatever the interleaving of adds and reads', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((v) => v + 0), { maxLength: 300 }), { maxLength: 8 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (chunks, p) => {
          const t = new TrendSink();
          const all: number[] = [];
          for (const chunk of chunks) {
            for (const v of chunk) {
              t.add(v);
              all.push(v);
            }
            const sorted = [...all].sort((a, b) => a - b);
            assert.equal(t.p(p), percentile(sorted, p));
            assert.deepEqual([...t.sortedValues()], sorted);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
  it('empty trend gives 0 for every stat', () => {
    const t = new TrendSink();
    assert.equal(t.isEmpty(), true);
    assert.deepEqual([t.min, t.max, t.avg(), t.p(0.5), t.p(0.95), t.count], [0, 0, 0, 0, 0, 0]);
  });
  it('trend min/max start from the first sample, even when negative', () => {
    const t = new TrendSink();
    t.add(-5);
    t.add(-2);
    assert.equal(t.min, -5);
    assert.equal(t.max, -2);
  });
  it('gauge: value is the last sample, max starts at 0, min is the smallest seen', () => {
    const g = new GaugeSink();
    assert.equal(g.isEmpty(), true);
    g.add(-3);
    g.add(-7);
    g.add(-4);
    assert.equal(g.value, -4);
    assert.equal(g.min, -7);
    assert.equal(g.max, 0, 'an all-negative gauge reports max = 0, as k6 does');
    g.add(9);
    assert.equal(g.max, 9);
  });
  it('rate: non-zero is a pass; empty rate is 0 in the summary', () => {
    const r = new RateSink();
    assert.equal(r.rate(), 0);
    for (const v of [1, 0, 2, 0, -1]) r.add(v);
    assert.equal(r.trues, 3);
    assert.equal(r.total, 5);
    close(r.rate(), 0.6);
  });
  it('counter: sum, rate over run seconds, 0 for a zero duration', () => {
    const c = new CounterSink();
    assert.equal(c.isEmpty(), true);
    c.add(3);
    c.add(0);
    assert.equal(c.isEmpty(), false, 'a zero-valued sample still makes it non-empty');
    c.add(7);
    assert.equal(c.value, 10);
    close(c.rate(4000), 2.5);
    assert.equal(c.rate(0), 0);
  });
});
