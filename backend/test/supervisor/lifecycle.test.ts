// The supervisor's own life: a clean stop on SIGTERM, no orphan workers when it is SIGKILLed, a crash-looping
// replica restarted with backoff, and a bad setting refused before anything starts.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { freePort, httpRequest, startSupervisor, type Supervisor } from './harness.ts';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitGone(pids: number[], timeoutMs: number): Promise<number[]> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && pids.some(alive)) await new Promise((r) => setTimeout(r, 100));
  return pids.filter(alive);
}

describe('supervisor lifecycle', () => {
  const started: Supervisor[] = [];
  after(async () => {
    await Promise.all(started.map((s) => s.stop()));
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`on ${signal} stops every replica gracefully and exits 0`, async () => {
      const sup = await startSupervisor({ replicas: 2, env: { LOG_LEVEL: 'info' } });
      started.push(sup);
      const pids = (await sup.replicas()).map((r) => r.pid);
      // Only the primary gets the signal (as from `kill`); it decides how its workers stop.
      sup.child.kill(signal);
      const exit = await new Promise<number | null>((resolve) => sup.child.once('exit', (code) => resolve(code)));
      assert.equal(exit, 0, sup.output());
      assert.deepEqual(await waitGone(pids, 5_000), [], 'workers outlived the supervisor');
      assert.match(sup.output(), /supervisor stopped/);
      assert.equal(sup.output().match(/"msg":"shutdown complete"/g)?.length, 2, 'each replica drained and closed its store');
    });
  }

  it('leaves no orphan workers when the supervisor itself is SIGKILLed', async () => {
    const sup = await startSupervisor({ replicas: 2 });
    started.push(sup);
    const pids = (await sup.replicas()).map((r) => r.pid);
    assert.equal(pids.length, 2);
    sup.child.kill('SIGKILL');
    // Each worker notices its IPC channel closing, drains and exits (bounded by its drain timeout).
    assert.deepEqual(await waitGone(pids, 15_000), [], 'orphan workers left behind');
  });

  it('restarts a crash-looping replica with growing backoff and stays unready meanwhile', async () => {
    // A store path under a device file: the config is valid, but every replica fails at start-up (and nothing
    // gets created on disk, even when the tests run as root).
    const sup = await startSupervisor({
      replicas: 1,
      waitReady: false,
      env: { SQLITE_PATH: '/dev/null/polls.db', RESTART_BACKOFF_INITIAL_MS: '200' },
    });
    started.push(sup);
    await sup.waitFor('three restarts', async () => ((await sup.replicas())[0]?.restarts ?? 0) >= 3, 45_000);
    const ready = await httpRequest(`${sup.mgmtUrl}/readyz`);
    assert.equal(ready.status, 503);
    assert.match(ready.body, /0 of 1 replicas ready/);
    // Delays 200, 400, 800, 1600 ms...: the streak shows in the log, so restarts are not a hot loop.
    const streaks = [...sup.output().matchAll(/"restartInMs":(\d+)/g)].map((m) => Number(m[1]));
    assert.deepEqual(streaks.slice(0, 3), [200, 400, 800]);
  });

  it('refuses an invalid setting with a message naming the variable, before forking anything', () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    for (const [name, value] of [
      ['REPLICAS', '0'],
      ['REPLICAS', '17'],
      ['MGMT_PORT', 'abc'],
      ['RESTART_BACKOFF_MAX_MS', '1'],
    ] as const) {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'backend/src/bin/supervisor.ts'], {
        cwd: root,
        env: { ...process.env, [name]: value, PORT: '0' },
        encoding: 'utf8',
        timeout: 30_000,
      });
      assert.equal(run.status, 1, `${name}=${value}: ${run.stderr}`);
      assert.match(run.stderr, new RegExp(`invalid ${name}`));
    }
  });

  it('refuses to start when the API or management port is taken, naming the port', async () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const busy = (taken.address() as { port: number }).port;
    try {
      for (const [name, other] of [
        ['PORT', 'MGMT_PORT'],
        ['MGMT_PORT', 'PORT'],
      ] as const) {
        const run = spawnSync(process.execPath, ['--import', 'tsx', 'backend/src/bin/supervisor.ts'], {
          cwd: root,
          env: { ...process.env, HOST: '127.0.0.1', [name]: String(busy), [other]: String(await freePort()) },
          encoding: 'utf8',
          timeout: 30_000,
        });
        assert.equal(run.status, 1, `${name} taken: ${run.stderr}`);
        assert.match(run.stderr, new RegExp(`port ${busy} is not available \\(EADDRINUSE\\)`));
      }
    } finally {
      taken.close();
    }
  });
});
