// The engine's thread can fall behind its VUs (a busy start, a GC pause): a VU's "iteration done" is
// then still queued on that thread when the next iterations fall due. The VU is idle all the same, and
// k6 counts a drop only when no VU is, so the engine must not count that queue as busy VUs. The engine
// runs in this process here, so the target's handler can stall exactly the engine's thread while the
// VU, on its own thread, finishes. (Bundled, as in use: the VU and HTTP threads load bundled workers.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildRunner, fixture, readNdjsonPoints, type NdjsonPoint } from './harness.ts';

// 10 arrivals/s: the stall ends between two arrivals (~450 ms after the first), ~45 ms before the next.
const STALL_MS = 450;
/** The engine counts a drop just before the VU's clock starts the iteration it took instead. */
const DISPATCH_SLACK_MS = 25;

test('an iteration that falls due while the engine is stalled goes to the VU that finished meanwhile, not to dropped_iterations', async () => {
  let stalledMs = 0;
  const server = http.createServer((_req, res) => {
    // After the first response is on the wire: the VU gets it through its HTTP thread and finishes while
    // this thread (the engine's) is busy.
    res.end('ok', () => {
      if (stalledMs > 0) return;
      const from = performance.now();
      while (performance.now() - from < STALL_MS);
      stalledMs = performance.now() - from;
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const tmp = mkdtempSync(join(tmpdir(), 'k6run-stall-'));
  const bundle = await buildRunner(['loadtests/runner/engine/run.ts']);
  try {
    const { run } = (await import(pathToFileURL(join(bundle.dir, 'run.js')).href)) as typeof import('../engine/run.ts');
    const out = join(tmp, 'out.ndjson');
    const summaryPath = join(tmp, 'summary.json');
    const code = await run({
      scriptPath: fixture('engine-stall.js'),
      env: { BASE: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, SUMMARY: summaryPath },
      overrides: {},
      outJson: [out],
      noThresholds: false,
      quiet: true,
      stdout: process.stdout,
      stderr: process.stderr,
    });
    assert.equal(code, 0);
    assert.ok(stalledMs >= STALL_MS, `the engine was stalled ${stalledMs} ms`);

    const points = readNdjsonPoints(out);
    const at = (p: NdjsonPoint) => Date.parse(p.data.time);
    // Each iteration's span on the VU: it ends at its iteration_duration sample's time.
    const spans = points.filter((p) => p.metric === 'iteration_duration').map((p) => ({ from: at(p) - p.data.value, to: at(p) }));
    const drops = points.filter((p) => p.metric === 'dropped_iterations');
    assert.equal(spans.length + drops.reduce((n, p) => n + p.data.value, 0), 10);
    // Arrivals fell due during the stall. The single VU takes the first of them the moment the engine
    // resumes; the others are dropped, because it is running that one.
    assert.ok(drops.length > 0, 'the stall made no arrival late');
    const iso = (ms: number) => new Date(ms).toISOString();
    for (const d of drops) {
      const busy = spans.some((s) => s.from - DISPATCH_SLACK_MS <= at(d) && at(d) <= s.to);
      assert.ok(busy, `dropped at ${iso(at(d))} while the only VU was idle; its iterations: ${spans.map((s) => `${iso(s.from)} +${(s.to - s.from).toFixed(1)} ms`).join(', ')}`);
    }
  } finally {
    server.closeAllConnections();
    server.close();
    rmSync(tmp, { recursive: true, force: true });
    bundle.cleanup();
  }
});
