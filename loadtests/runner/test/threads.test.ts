// The engine's threads: VU threads run below the engine's own priority; the HTTP threads warm up against
// a listener of their own, never against the script's target, and close it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { warmUpHttp, warmUpRequestsFor } from '../engine/io-warm-up.ts';
import { IoVus } from '../engine/io-vus.ts';
import { VU_NICE } from '../vu/priority.ts';
import { e2eSuite, fixture, interruptLongRun, runCli } from './harness.ts';

/** Field 19 of /proc/<task>/stat is the nice value (counted after the parenthesised command name). */
const niceOf = (statPath: string) => Number(readFileSync(statPath, 'utf8').split(') ')[1]?.split(' ')[16]);

/** `vus`, recording the key of every VU the warm-up attaches to it. */
function recordingAttaches(vus: IoVus): { thread: Pick<IoVus, 'attach' | 'detach'>; keys: number[] } {
  const keys: number[] = [];
  return { keys, thread: { attach: (id, ...rest) => (keys.push(id), vus.attach(id, ...rest)), detach: (id) => vus.detach(id) } };
}

test('the HTTP warm-up makes its requests through the thread\'s own VU path, then leaves no listener or socket behind', async () => {
  const handles = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap' || r === 'TCPSocketWrap').length;
  const open = handles();
  const logged: string[] = [];
  const { thread, keys } = recordingAttaches(new IoVus((_id, message) => logged.push(message)));
  await warmUpHttp(thread, 200);
  assert.deepEqual(logged, []);
  // 10 requests per synthetic VU, keyed below the engine's keys (which count up from 1).
  assert.equal(keys.length, 20);
  assert.ok(keys.every((k) => k < 0));
  // Destroyed sockets close on a later turn of the loop.
  for (let i = 0; i < 100 && handles() > open; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(handles(), open);
});

test('a stopped HTTP warm-up attaches nothing more', async () => {
  const { thread, keys } = recordingAttaches(new IoVus(() => {}));
  await warmUpHttp(thread, 2000, AbortSignal.abort());
  assert.equal(keys.length, 0);
});

test('the HTTP warm-up is sized by the VUs a thread will serve', () => {
  assert.equal(warmUpRequestsFor(1), 160);
  assert.equal(warmUpRequestsFor(24), 160);
  assert.equal(warmUpRequestsFor(25), 2000);
  assert.equal(warmUpRequestsFor(400), 2000);
});

const suite = e2eSuite('k6run-threads-');

test('the target sees exactly the script\'s requests: no warm-up reaches it', async () => {
  const summaryPath = join(suite.tmp, 'counted.json');
  const seen = () => [...suite.target.hits.values()].reduce((a, n) => a + n, 0);
  const start = seen();
  const r = await runCli(suite.cli, ['run', '-q', '-e', `BASE=${suite.target.url}`, '-e', `SUMMARY=${summaryPath}`, fixture('counted.js')]);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /warm-up/);
  const summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as { metrics: Record<string, { values: Record<string, number> }> };
  assert.equal(summary.metrics['http_reqs']?.values['count'], 12);
  assert.equal(seen() - start, 12);
  assert.equal(suite.target.hits.get('/counted'), 12);
});

test('VU threads run at VU_NICE while the engine\'s main thread keeps the process\'s priority', { skip: !existsSync('/proc/thread-self') }, async () => {
  let seen: { main: number; vuNice: number } | undefined;
  const r = await interruptLongRun(suite, (child) => {
    const tasks = readdirSync(`/proc/${child.pid}/task`).map(Number);
    seen = {
      main: niceOf(`/proc/${child.pid}/task/${child.pid}/stat`),
      vuNice: tasks.filter((t) => t !== child.pid && niceOf(`/proc/${child.pid}/task/${t}/stat`) === VU_NICE).length,
    };
  });
  assert.equal(r.code, 105, r.stderr);
  assert.ok(seen);
  assert.equal(seen.main, niceOf('/proc/thread-self/stat'));
  assert.ok(VU_NICE > seen.main, `VU_NICE ${VU_NICE} is not below the engine's priority ${seen.main}`);
  // long.js has 2 VUs; both are iterating by now.
  assert.ok(seen.vuNice >= 2, `threads at nice ${VU_NICE}: ${seen.vuNice}`);
});
