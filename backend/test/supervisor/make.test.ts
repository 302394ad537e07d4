// The Makefile interface of the local deployment, run for real: make up (background start, readiness wait,
// a visible vote), idempotent re-up, make status, make down (twice).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './harness.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('make up / status / down', () => {
  let runDir = '';
  let env: NodeJS.ProcessEnv = {};
  const make = (target: string) => {
    const run = spawnSync('make', ['-s', '--no-print-directory', target], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
    return { status: run.status, out: `${run.stdout}${run.stderr}` };
  };
  after(async () => {
    if (!runDir) return;
    // Whatever happened above, nothing may keep running: stop through the pid file, then remove the run folder.
    const pidFile = join(runDir, 'supervisor.pid');
    if (existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, 'utf8'));
      try {
        process.kill(pid, 'SIGTERM');
        await new Promise((r) => setTimeout(r, 3_000));
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await rm(runDir, { recursive: true, force: true });
  });

  it('starts in the background, is idempotent, shows status, and stops cleanly', async () => {
    runDir = await mkdtemp(join(tmpdir(), 'chaoslab-make-'));
    const [port, mgmtPort] = [await freePort(), await freePort()];
    env = {
      ...process.env,
      RUN_DIR: runDir,
      PORT: String(port),
      MGMT_PORT: String(mgmtPort),
      REPLICAS: '1',
      CHAOS_TOKEN: '',
      DATABASE_URL: '',
      MAKEFLAGS: '',
    };

    const up = make('up');
    assert.equal(up.status, 0, up.out);
    assert.match(up.out, new RegExp(`up: http://localhost:${port}`));
    assert.match(up.out, /"option":"Go"/, 'the example vote is shown');
    assert.match(up.out, /"total":1\b/, 'and the results count it');
    const token = readFileSync(join(runDir, 'chaos-token'), 'utf8').trim();
    assert.match(token, /^[0-9a-f]{32}$/, 'a random admin token was written for chaos targets');
    const pid = Number(readFileSync(join(runDir, 'supervisor.pid'), 'utf8'));

    const again = make('up');
    assert.equal(again.status, 0, again.out);
    assert.match(again.out, new RegExp(`already up \\(pid ${pid}\\)`));
    assert.equal(Number(readFileSync(join(runDir, 'supervisor.pid'), 'utf8')), pid, 'no second supervisor');

    const status = make('status');
    assert.equal(status.status, 0, status.out);
    assert.match(status.out, /REPLICA\s+PID\s+STATE\s+READY\s+RESTARTS\s+AGE/);
    assert.match(status.out, /replica-1\s+\d+\s+running\s+yes\s+0\s/);

    const down = make('down');
    assert.equal(down.status, 0, down.out);
    assert.match(down.out, new RegExp(`stopped \\(pid ${pid}\\)`));
    assert.throws(() => process.kill(pid, 0), 'the supervisor is gone');
    assert.match(readFileSync(join(runDir, 'supervisor.log'), 'utf8'), /supervisor stopped/);

    const downAgain = make('down');
    assert.equal(downAgain.status, 0, downAgain.out);
    assert.match(downAgain.out, /not running/);
    assert.match(make('status').out, /not running/);
  });
});
