import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { constantArrivals, rampingArrivals, rampingVUsAt } from '../engine/executors/schedule.ts';

const take = (g: Iterable<number>) => [...g];
const close = (a: number[], b: number[]) => {
  assert.equal(a.length, b.length, `${a.length} starts, expected ${b.length}`);
  a.forEach((x, i) => assert.ok(Math.abs(x - (b[i] as number)) < 1e-6, `start ${i}: ${x} vs ${b[i]}`));
};

test('constant-arrival-rate: iteration k at k·timeUnit/rate, the first at t=0, none at t=duration', () => {
  close(take(constantArrivals(4, 1000, 1000)), [0, 250, 500, 750]);
  close(take(constantArrivals(1, 60_000, 180_000)), [0, 60_000, 120_000]);
  assert.equal(take(constantArrivals(50, 1000, 10_000)).length, 500);
  assert.equal(take(constantArrivals(2000, 1000, 10_000)).length, 20_000);
});

test('constant-arrival-rate: exactly rate·duration/timeUnit starts, evenly spaced (property)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 20 }), (rate, seconds) => {
      const t = take(constantArrivals(rate, 1000, seconds * 1000));
      assert.equal(t.length, rate * seconds);
      for (let i = 1; i < t.length; i++) assert.ok(Math.abs((t[i] as number) - (t[i - 1] as number) - 1000 / rate) < 1e-6);
    }),
  );
});

test('ramping-arrival-rate: at a constant 10/s the first start is at 0.1 s (integral reaches 1)', () => {
  close(take(rampingArrivals(10, 1000, [{ durationMs: 1000, target: 10 }])), [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
});

test('ramping-arrival-rate: a linear ramp 0 -> 10/s over 2 s starts iteration i at sqrt(0.4·i) s', () => {
  // rate(t) = 5t per s; integral = 2.5 t^2 = i  =>  t = sqrt(i / 2.5)
  const expected = Array.from({ length: 10 }, (_, k) => Math.sqrt((k + 1) / 2.5) * 1000);
  close(take(rampingArrivals(0, 1000, [{ durationMs: 2000, target: 10 }])), expected);
});

test('ramping-arrival-rate: stages chain; total starts equal the integral of the rate', () => {
  const stages = [
    { durationMs: 10_000, target: 20 },
    { durationMs: 20_000, target: 20 },
    { durationMs: 10_000, target: 0 },
  ];
  const t = take(rampingArrivals(0, 1000, stages));
  assert.equal(t.length, 100 + 400 + 100);
  for (let i = 1; i < t.length; i++) assert.ok((t[i] as number) >= (t[i - 1] as number));
  assert.ok((t.at(-1) as number) <= 40_000);
});

test('ramping-arrival-rate: timeUnit scales the rate', () => {
  assert.equal(take(rampingArrivals(60, 60_000, [{ durationMs: 60_000, target: 60 }])).length, 60);
});

test('ramping-vus: whole steps from + trunc(elapsed·Δ/D)', () => {
  const stages = [
    { durationMs: 10_000, target: 10 },
    { durationMs: 10_000, target: 0 },
  ];
  assert.equal(rampingVUsAt(0, stages, 0), 0);
  assert.equal(rampingVUsAt(0, stages, 999), 0);
  assert.equal(rampingVUsAt(0, stages, 1000), 1);
  assert.equal(rampingVUsAt(0, stages, 5500), 5);
  assert.equal(rampingVUsAt(0, stages, 10_000), 10);
  assert.equal(rampingVUsAt(0, stages, 10_999), 10);
  assert.equal(rampingVUsAt(0, stages, 11_000), 9);
  assert.equal(rampingVUsAt(0, stages, 25_000), 0);
  assert.equal(rampingVUsAt(3, [{ durationMs: 0, target: 7 }], 0), 7);
});
