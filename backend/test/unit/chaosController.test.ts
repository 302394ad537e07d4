import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createChaosController, type EffectiveFault } from '../../src/chaos/controller.ts';

const spec = { delayMs: 100, jitterMs: 10, errorRate: 0.5, errorCode: 503, ttlSeconds: 30 };

describe('chaos controller', () => {
  it('falls back to the environment fault, and a runtime fault takes precedence until cleared', () => {
    const changes: EffectiveFault[] = [];
    const c = createChaosController({ replica: 'r1', envFault: { delayMs: 5, errorRate: 0.1 }, onChange: (f) => changes.push(f) });
    assert.deepEqual(c.effective(), { delayMs: 5, jitterMs: 0, errorRate: 0.1, errorCode: 500 });
    const active = c.set(spec);
    assert.equal(active.replica, 'r1');
    assert.equal(active.expiresAt - active.setAt, 30_000);
    assert.deepEqual(c.effective(), { delayMs: 100, jitterMs: 10, errorRate: 0.5, errorCode: 503 });
    assert.equal(c.list().length, 1);
    assert.equal(c.clear(), 1);
    assert.equal(c.clear(), 0);
    assert.deepEqual(c.effective(), { delayMs: 5, jitterMs: 0, errorRate: 0.1, errorCode: 500 });
    assert.deepEqual(changes.map((f) => f.delayMs), [100, 5]);
    c.close();
  });

  it('drops an expired fault when it is next used, even if its timer has not fired', () => {
    let now = 1_000_000;
    const c = createChaosController({ replica: 'r1', envFault: { delayMs: 0, errorRate: 0 }, now: () => now });
    c.set({ ...spec, ttlSeconds: 10 });
    now += 9_999;
    assert.equal(c.list().length, 1);
    now += 1;
    assert.equal(c.list().length, 0);
    assert.equal(c.effective().errorRate, 0);
    c.close();
  });

  it('a new fault replaces the previous one', () => {
    const c = createChaosController({ replica: 'r1', envFault: { delayMs: 0, errorRate: 0 } });
    c.set(spec);
    c.set({ ...spec, delayMs: 7 });
    assert.deepEqual(c.list().map((f) => f.delayMs), [7]);
    c.close();
  });
});
