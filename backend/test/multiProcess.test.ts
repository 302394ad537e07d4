// Two replica processes sharing one SQLite file (as the supervisor's workers do): both seed at once without
// conflict, concurrent duplicates of one Idempotency-Key sent to both are counted once, and every vote either
// process acknowledged is stored.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { call, json } from './helpers/replica.ts';
import { runServer, type ServerProcess } from './helpers/process.ts';

const dir = mkdtempSync(join(tmpdir(), 'chaoslab-multi-'));
const procs: ServerProcess[] = [];
after(async () => {
  for (const p of procs) p.kill();
  await Promise.all(procs.map((p) => p.exited));
  rmSync(dir, { recursive: true, force: true });
});

it('shares one SQLite file safely across processes', { timeout: 90_000 }, async () => {
  const env = { SQLITE_PATH: join(dir, 'shared', 'polls.db'), LOG_LEVEL: 'info' };
  const [a, b] = [runServer(env), runServer(env)];
  procs.push(a, b);
  await Promise.all([a.started, b.started]);
  const apis = [a, b].map((p) => `http://127.0.0.1:${p.apiPort}`);

  const created = await call(`${apis[0]}/api/polls`, json({ question: 'shared?', options: ['x', 'y'] }));
  const poll = (created.body as { id: string }).id;

  const dup = await Promise.all(
    Array.from({ length: 40 }, (_, i) => call(`${apis[i % 2]}/api/polls/${poll}/vote`, json({ option: 'x' }, { 'idempotency-key': 'one-key' }))),
  );
  assert.equal(dup.filter((r) => r.status === 201).length, 1);
  assert.equal(dup.filter((r) => r.status === 200).length, 39);

  const burst = await Promise.all(
    Array.from({ length: 200 }, (_, i) => call(`${apis[i % 2]}/api/polls/${poll}/vote`, json({ option: 'y' }, { 'idempotency-key': `k-${i}` }))),
  );
  const acked = burst.filter((r) => r.status === 201).length;
  assert.equal(acked, 200);

  for (const api of apis) {
    const res = await call(`${api}/api/polls/${poll}`);
    assert.deepEqual((res.body as { options: unknown }).options, [
      { name: 'x', votes: 1 },
      { name: 'y', votes: 200 },
    ]);
  }
  const defaults = ((await call(`${apis[1]}/api/polls`)).body as { polls: { id: string }[] }).polls.filter((p) => p.id === 'default');
  assert.equal(defaults.length, 1);
});
