// End to end, replica faults on the local supervisor: graceful kill, SIGKILL and scale 2 -> 1 -> 2.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildOnce, explain, ledger, runExperiment, startDeployment, value, waitReplicas, type Deployment } from './harness.ts';

let dep: Deployment;
before(async () => {
  buildOnce();
  dep = await startDeployment(2);
});
after(async () => {
  await dep?.stop();
});

const phases = ['warmup', 'fault', 'recovery'];

test('pod-kill (graceful): zero failed requests, replicas back, recovery measured', async () => {
  const before = (await waitReplicas(dep, 2)).map((r) => r.pid);
  const r = await runExperiment(dep, 'pod-kill', 'pod-kill');
  assert.equal(r.code, 0, explain(r));
  for (const p of phases) assert.equal(value(r, `http_req_failed{scenario:load,phase:${p}}`, 'rate'), 0, p);
  assert.equal(value(r, 'recovery_ok{kind:replicas}', 'rate'), 1);
  assert.ok(value(r, 'recovery_time{kind:replicas}', 'count') === 1);
  const after = await waitReplicas(dep, 2);
  assert.equal(after.filter((x) => x.ready).length, 2);
  assert.notDeepEqual(after.map((x) => x.pid).sort(), before.sort(), 'one replica was replaced');
});

test('pod-kill (SIGKILL): no acknowledged vote lost, none doubled, failures only in the kill window', async () => {
  const r = await runExperiment(dep, 'pod-kill', 'pod-kill-force', { FORCE: '1' });
  const l = ledger(r);
  assert.ok(l.stored !== undefined && l.acked !== undefined && l.sent !== undefined, JSON.stringify(l));
  assert.ok(l.stored >= l.acked, `acknowledged ${l.acked} > stored ${l.stored}`);
  assert.ok(l.stored <= l.sent, `stored ${l.stored} > sent ${l.sent}`);
  assert.equal(r.code, 0, explain(r));
  assert.equal(value(r, 'http_req_failed{scenario:load,phase:warmup}', 'rate'), 0);
  assert.equal(value(r, 'http_req_failed{scenario:load,phase:recovery}', 'rate'), 0);
  assert.match(r.stdout, /chaos-lab pod-kill-force/);
  assert.equal((await waitReplicas(dep, 2)).filter((x) => x.ready).length, 2);
});

test('scale-down 2 -> 1 -> 2: no failed request, replicas back to 2', async () => {
  const r = await runExperiment(dep, 'scale-down', 'scale-down');
  assert.equal(r.code, 0, explain(r));
  for (const p of phases) assert.equal(value(r, `http_req_failed{scenario:load,phase:${p}}`, 'rate'), 0, p);
  assert.equal(value(r, 'recovery_ok{kind:replicas}', 'rate'), 1);
  assert.equal((await waitReplicas(dep, 2)).filter((x) => x.ready).length, 2);
});
