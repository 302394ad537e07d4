import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshBackoff, nextRestart, type BackoffPolicy } from '../../src/supervisor/backoff.ts';

const policy: BackoffPolicy = { initialMs: 100, maxMs: 1_000, stableMs: 5_000 };

describe('restart backoff', () => {
  it('doubles with each crash in a row and stops at the cap', () => {
    let state = freshBackoff();
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      const next = nextRestart(policy, state, 50);
      delays.push(next.delayMs);
      state = next.state;
    }
    assert.deepEqual(delays, [100, 200, 400, 800, 1_000, 1_000, 1_000]);
  });

  it('starts over at the initial delay after a stable run', () => {
    let state = freshBackoff();
    for (let i = 0; i < 3; i++) state = nextRestart(policy, state, 10).state;
    assert.equal(nextRestart(policy, state, 10).delayMs, 800);
    const afterStable = nextRestart(policy, state, policy.stableMs);
    assert.equal(afterStable.delayMs, 100);
    assert.equal(nextRestart(policy, afterStable.state, 10).delayMs, 200);
  });

  it('never overflows however long the streak', () => {
    const next = nextRestart(policy, { streak: 10_000 }, 0);
    assert.equal(next.delayMs, policy.maxMs);
  });
});
