import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBatcher } from '../../src/store/batcher.ts';
import { planBatch, replayOutcome } from '../../src/store/resolveBatch.ts';

describe('group-commit batcher', () => {
  it('writes what arrives together as one batch, and what arrives during a flush as the next', async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const b = createBatcher<number, string>(async (items) => {
      batches.push(items);
      if (batches.length === 1) await gate;
      return items.map((i) => `ok ${i}`);
    });
    const first = [b.submit(1), b.submit(2), b.submit(3)];
    await new Promise((r) => setImmediate(r));
    const second = [b.submit(4), b.submit(5)]; // the first flush is still running
    release();
    assert.deepEqual(await Promise.all([...first, ...second]), ['ok 1', 'ok 2', 'ok 3', 'ok 4', 'ok 5']);
    assert.deepEqual(batches, [[1, 2, 3], [4, 5]]);
    await b.idle();
  });

  it('rejects every item of a failed batch, and keeps serving afterwards', async () => {
    let fail = true;
    const b = createBatcher<number, number>(async (items) => {
      if (fail) throw new Error('commit failed');
      return items;
    });
    const failed = await Promise.allSettled([b.submit(1), b.submit(2)]);
    assert.deepEqual(failed.map((r) => r.status), ['rejected', 'rejected']);
    fail = false;
    assert.equal(await b.submit(3), 3);
  });

  it('with room in flight, hands the next batch over while the previous flush is still running', async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const b = createBatcher<number, number>(
      async (items) => {
        batches.push(items);
        if (batches.length === 1) await gate;
        return items;
      },
      { maxInFlight: 4 },
    );
    const first = b.submit(1);
    await new Promise((r) => setImmediate(r));
    const second = b.submit(2);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(batches, [[1], [2]]); // the second did not wait for the first
    assert.equal(await second, 2);
    let idle = false;
    const idleNow = b.idle().then(() => (idle = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(idle, false, 'idle() waits for the flush still running');
    release();
    assert.equal(await first, 1);
    await idleNow;
  });

  it('flushAt hands a batch over as soon as it is full, without waiting for the turn to end', async () => {
    const batches: number[][] = [];
    const b = createBatcher<number, number>(async (items) => (batches.push(items), items), { maxInFlight: 8, flushAt: 2 });
    const all = [1, 2, 3].map((i) => b.submit(i));
    assert.deepEqual(batches, [[1, 2]]);
    assert.deepEqual(await Promise.all(all), [1, 2, 3]);
    assert.deepEqual(batches, [[1, 2], [3]]);
  });

  it('splits at maxBatch', async () => {
    const sizes: number[] = [];
    const b = createBatcher<number, number>(async (items) => (sizes.push(items.length), items), { maxBatch: 2 });
    await Promise.all([1, 2, 3, 4, 5].map((i) => b.submit(i)));
    assert.deepEqual(sizes, [2, 2, 1]);
  });
});

describe('batch planning', () => {
  const rec = (id: string, option: string, key: string | null) => ({ id, poll: 'p', option, idempotencyKey: key, createdAt: 't' });
  it('inserts the first request per key and answers later ones from it', () => {
    const planned = [
      { req: { poll: 'p', option: 'a', idempotencyKey: 'k' }, record: rec('1', 'a', 'k') },
      { req: { poll: 'p', option: 'a' }, record: rec('2', 'a', null) },
      { req: { poll: 'p', option: 'b', idempotencyKey: 'k' }, record: rec('3', 'b', 'k') },
    ];
    const { inserts, followers } = planBatch(planned);
    assert.deepEqual(inserts.map((p) => p.record.id), ['1', '2']);
    assert.deepEqual([...followers], [[2, 'k']]);
  });
  it('a replay must match poll and option, else it is a conflict', () => {
    const stored = rec('1', 'a', 'k');
    assert.equal(replayOutcome({ poll: 'p', option: 'a', idempotencyKey: 'k' }, stored).kind, 'replayed');
    assert.equal(replayOutcome({ poll: 'p', option: 'b', idempotencyKey: 'k' }, stored).kind, 'key-conflict');
    assert.equal(replayOutcome({ poll: 'q', option: 'a', idempotencyKey: 'k' }, stored).kind, 'key-conflict');
  });
});
