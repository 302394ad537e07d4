// The one test suite every Store implementation must pass. `open` returns a fresh store on the same backing
// database each call, so a test can play several processes sharing it.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { DEFAULT_POLL, type Store } from '../../src/store/index.ts';

export function storeContract(name: string, open: () => Promise<Store>) {
  describe(`Store contract: ${name}`, () => {
    const opened: Store[] = [];
    const fresh = async () => {
      const s = await open();
      opened.push(s);
      await s.init();
      return s;
    };
    after(async () => {
      await Promise.all(opened.map((s) => s.close().catch(() => undefined)));
    });

    it('migrates and seeds the default poll, idempotently, even when several start at once', async () => {
      const stores = await Promise.all([open(), open(), open()]);
      opened.push(...stores);
      await Promise.all(stores.map((s) => s.init()));
      await stores[0]!.init();
      const polls = await stores[1]!.listPolls();
      const defaults = polls.filter((p) => p.id === DEFAULT_POLL.id);
      assert.equal(defaults.length, 1);
      assert.deepEqual(defaults[0]!.options, ['TypeScript', 'Python', 'Rust', 'Go']);
    });

    it('creates, lists and reads polls with counts', async () => {
      const s = await fresh();
      const p = await s.createPoll({ question: 'Tabs or spaces?', options: ['tabs', 'spaces'] });
      assert.match(p.id, /^[\w-]{6,}$/);
      assert.ok((await s.listPolls()).some((x) => x.id === p.id && x.options.join() === 'tabs,spaces'));
      const r = await s.getPoll(p.id);
      assert.deepEqual(r?.options, [
        { name: 'tabs', votes: 0 },
        { name: 'spaces', votes: 0 },
      ]);
      assert.equal(r?.total, 0);
      assert.equal(await s.getPoll('no-such-poll'), undefined);
    });

    it('records votes, replays a key without counting twice, and refuses a reused key for another vote', async () => {
      const s = await fresh();
      const p = await s.createPoll({ question: 'q', options: ['a', 'b'] });
      const first = await s.vote({ poll: p.id, option: 'a', idempotencyKey: `k-${p.id}` });
      assert.equal(first.kind, 'created');
      const again = await s.vote({ poll: p.id, option: 'a', idempotencyKey: `k-${p.id}` });
      assert.equal(again.kind, 'replayed');
      assert.deepEqual(again.kind === 'replayed' && again.vote, first.kind === 'created' && first.vote);
      const other = await s.vote({ poll: p.id, option: 'b', idempotencyKey: `k-${p.id}` });
      assert.equal(other.kind, 'key-conflict');
      assert.equal((await s.vote({ poll: p.id, option: 'b' })).kind, 'created');
      const r = await s.getPoll(p.id);
      assert.deepEqual(r?.options.map((o) => o.votes), [1, 1]);
      assert.equal(r?.total, 2);
    });

    it('answers unknown polls and options without storing anything', async () => {
      const s = await fresh();
      const p = await s.createPoll({ question: 'q', options: ['a', 'b'] });
      assert.equal((await s.vote({ poll: 'missing', option: 'a' })).kind, 'unknown-poll');
      const bad = await s.vote({ poll: p.id, option: 'c', idempotencyKey: `x-${p.id}` });
      assert.equal(bad.kind, 'unknown-option');
      assert.equal((await s.getPoll(p.id))?.total, 0);
      // The key was not consumed by the refused vote.
      assert.equal((await s.vote({ poll: p.id, option: 'a', idempotencyKey: `x-${p.id}` })).kind, 'created');
    });

    it('counts a key once under concurrent duplicates, within one store and across stores', async () => {
      const [s1, s2] = [await fresh(), await fresh()];
      const p = await s1.createPoll({ question: 'q', options: ['a', 'b'] });
      const key = `dup-${p.id}`;
      const outcomes = await Promise.all(
        Array.from({ length: 40 }, (_, i) => (i % 2 ? s1 : s2).vote({ poll: p.id, option: 'a', idempotencyKey: key })),
      );
      assert.equal(outcomes.filter((o) => o.kind === 'created').length, 1);
      assert.equal(outcomes.filter((o) => o.kind === 'replayed').length, 39);
      const ids = new Set(outcomes.map((o) => (o.kind === 'created' || o.kind === 'replayed' ? o.vote.id : '')));
      assert.equal(ids.size, 1);
      assert.equal((await s2.getPoll(p.id))?.total, 1);
    });

    it('keeps every acknowledged vote under a concurrent burst (group commit)', async () => {
      const [s1, s2] = [await fresh(), await fresh()];
      const p = await s1.createPoll({ question: 'q', options: ['a', 'b'] });
      const outcomes = await Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          (i % 3 ? s1 : s2).vote({ poll: p.id, option: i % 2 ? 'a' : 'b', idempotencyKey: `burst-${p.id}-${i}` }),
        ),
      );
      assert.ok(outcomes.every((o) => o.kind === 'created'));
      const r = await s1.getPoll(p.id);
      assert.equal(r?.total, 300);
      assert.deepEqual(r?.options.map((o) => o.votes), [150, 150]);
    });

    it('answers ping while up', async () => {
      const s = await fresh();
      await s.ping();
    });
  });
}
