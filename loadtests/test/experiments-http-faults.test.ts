// End to end, injected HTTP faults through the supervisor's admin API: latency and errors, and that a fault
// always ends (explicit removal, TTL, teardown after an interrupted run).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildOnce, explain, ledger, points, runExperiment, sleep, startDeployment, value, type Deployment } from './harness.ts';

let dep: Deployment;
before(async () => {
  buildOnce();
  dep = await startDeployment(2);
});
after(async () => {
  await dep?.stop();
});

const activeFaults = async () => ((await dep.admin('GET', '/admin/chaos')) as { faults: { setAt: number; expiresAt: number }[] }).faults;

test('latency: fault-phase p95 near the injected 500 ms, recovery-phase p95 back under the SLO', async () => {
  const r = await runExperiment(dep, 'latency', 'latency');
  assert.equal(r.code, 0, explain(r));
  const p95 = value(r, 'http_req_duration{scenario:load,phase:fault}', 'p(95)');
  assert.ok(p95 >= 450 && p95 < 750, `fault p95 ${p95}`);
  assert.ok(value(r, 'http_req_duration{scenario:load,phase:recovery}', 'p(95)') < 300);
  assert.equal(value(r, 'http_req_failed{scenario:load,phase:warmup}', 'rate'), 0);
  assert.equal(value(r, 'chaos_fault_events', 'count'), 2);
  assert.equal(value(r, 'recovery_ok{kind:requests}', 'rate'), 1);
  assert.deepEqual(await activeFaults(), [], 'no fault left behind');

  // The NDJSON carries what contract.ts promises the report: a phase on every load sample, and fault markers.
  const pts = points(r);
  const load = pts.filter((p) => p.metric === 'http_req_duration' && p.data.tags.scenario === 'load');
  assert.ok(load.length > 300, `load samples: ${load.length}`);
  assert.deepEqual([...new Set(load.map((p) => p.data.tags.phase))].sort(), ['fault', 'recovery', 'warmup']);
  const markers = pts.filter((p) => p.metric === 'chaos_fault_events');
  assert.deepEqual(markers.map((p) => [p.data.tags.event, p.data.tags.fault]), [['start', 'latency'], ['end', 'latency']]);
  const [start, end] = markers.map((p) => Date.parse(p.data.time)) as [number, number];
  assert.ok(end - start > 7000 && end - start < 8500, `fault held ${end - start} ms of the 8 s window`);
  // Every request that began inside the marked window and finished in the fault phase was slowed.
  const slowInWindow = load.filter((p) => p.data.tags.phase === 'fault' && p.data.value >= 450).length;
  const faultSamples = load.filter((p) => p.data.tags.phase === 'fault').length;
  assert.ok(slowInWindow / faultSamples > 0.9, `${slowInWindow} of ${faultSamples} fault-phase requests slowed`);
});

test('errors: naive fault-phase error rate near 20 %, retrying client at least 99 %, no vote lost or doubled', async () => {
  const r = await runExperiment(dep, 'errors', 'errors');
  assert.equal(r.code, 0, explain(r));
  const naive = value(r, 'http_req_failed{scenario:load,phase:fault}', 'rate');
  assert.ok(naive > 0.1 && naive < 0.3, `naive fault-phase error rate ${naive}`);
  assert.ok(value(r, 'client_vote_success{client:retrying,phase:fault}', 'rate') >= 0.99);
  assert.equal(value(r, 'http_req_failed{scenario:load,phase:recovery}', 'rate'), 0);
  const l = ledger(r);
  assert.ok(l.lost !== undefined && l.lost <= 0 && l.excess !== undefined && l.excess <= 0, JSON.stringify(l));
  assert.equal(l.stored, l.acked, 'every acknowledged vote stored once; unacknowledged ones were rejected before storing');
  assert.match(r.stdout, /votes acknowledged during the fault: naive [\d.]+ %, retrying [\d.]+ %/);
  assert.deepEqual(await activeFaults(), []);
});

test('an interrupted run still ends its fault: TTL set on injection, teardown clears it (exit 105)', async () => {
  let ttlMs = 0;
  const r = await runExperiment(dep, 'latency', 'latency', { FAULT_DURATION: '20s' }, async (child) => {
    for (let i = 0; i < 100; i++) {
      const faults = await activeFaults();
      if (faults.length > 0) {
        ttlMs = (faults[0]?.expiresAt ?? 0) - (faults[0]?.setAt ?? 0);
        break;
      }
      await sleep(200);
    }
    child.kill('SIGTERM');
  });
  assert.equal(r.code, 105, explain(r));
  // 20 s fault + the default 15 s margin: a forgotten fault would still remove itself.
  assert.equal(ttlMs, 35_000);
  assert.deepEqual(await activeFaults(), [], 'teardown cleared the fault');
});
