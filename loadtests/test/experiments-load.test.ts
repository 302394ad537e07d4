// End to end, load shapes without injected faults: baseline, a deliberately wrong prediction, stress, spike and
// breakpoint, each in SMOKE mode through the runner against a real supervisor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildOnce, explain, ledger, runExperiment, startDeployment, value, type Deployment } from './harness.ts';

let dep: Deployment;
before(async () => {
  buildOnce();
  dep = await startDeployment(2);
});
after(async () => {
  await dep?.stop();
});

test('baseline passes: no failures, p95 under the SLO, ledger balanced, verdict and JUnit written', async () => {
  const r = await runExperiment(dep, 'baseline', 'baseline');
  assert.equal(r.code, 0, explain(r));
  assert.equal(value(r, 'http_req_failed{scenario:load,phase:steady}', 'rate'), 0, explain(r));
  assert.ok(value(r, 'http_req_duration{scenario:load,phase:steady}', 'p(95)') < 300, explain(r));
  const l = ledger(r);
  assert.ok((l.sent ?? 0) >= 80, `10 s at 10 req/s sent ${l.sent}`);
  assert.equal(l.acked, l.sent);
  assert.equal(l.stored, l.acked);
  assert.match(r.stdout, /chaos-lab baseline \(engine: chaoslab-k6run\)/);
  assert.match(r.stdout, /✓ ledger: sent \d+, acknowledged \d+, stored \d+: no acknowledged vote lost/);
  assert.match(r.stdout, /VERDICT: PASS/);
  assert.match(r.junit, /<testsuite name="baseline" tests="5" failures="0"/);
  assert.equal((r.summary.setup_data as { run: { scenario: string } }).run.scenario, 'baseline');
});

test('a deliberately wrong prediction fails the run (exit 99) and says which one', async () => {
  const r = await runExperiment(dep, 'baseline', 'baseline', { DURATION: '3s', SLO_P95_MS: '0.001' });
  assert.equal(r.code, 99, explain(r));
  assert.match(r.stdout, /✗ steady-state p95 stays under the 0.001 ms SLO/);
  assert.match(r.stdout, /VERDICT: FAIL \(1 of 5 predictions did not hold\)/);
  assert.match(r.junit, /tests="5" failures="1"/);
});

test('stress (short): 50 req/s holds the SLO', async () => {
  const r = await runExperiment(dep, 'stress', 'stress');
  assert.equal(r.code, 0, explain(r));
  assert.ok(value(r, 'http_req_failed{scenario:load,phase:steady}', 'rate') < 0.01);
  assert.ok((ledger(r).sent ?? 0) >= 400, `10 s at 50 req/s sent ${ledger(r).sent}`);
});

test('spike (short): 5 -> 100 req/s, bounded errors during, SLO after, markers and recovery recorded', async () => {
  const r = await runExperiment(dep, 'spike', 'spike');
  assert.equal(r.code, 0, explain(r));
  assert.ok(value(r, 'http_req_failed{scenario:load,phase:fault}', 'rate') < 0.05);
  assert.ok(value(r, 'http_req_duration{scenario:load,phase:recovery}', 'p(95)') < 300);
  assert.equal(value(r, 'chaos_fault_events', 'count'), 2, 'a start and an end marker');
  assert.equal(value(r, 'recovery_ok{kind:requests}', 'rate'), 1);
  // The spike phase really carried the higher rate: about 8 s x 100 req/s against 13 s x 5 req/s around it.
  assert.ok((ledger(r).sent ?? 0) > 500, `sent ${ledger(r).sent}`);
});

test('breakpoint (short): ramps, reports the rate reached and the highest sustained bucket', async () => {
  const r = await runExperiment(dep, 'breakpoint', 'breakpoint', { START_RATE: '10', MAX_RATE: '120', RATE_BUCKET: '20' });
  assert.ok(r.code === 0 || r.code === 99, explain(r));
  assert.ok(value(r, 'breakpoint_rate', 'max') >= 100, explain(r));
  assert.match(r.stdout, /ramp reached \d+\.\d req\/s \(of 120\)/);
  assert.match(r.stdout, /highest sustained rate: (\d+(-\d+)? req\/s|none)/);
  assert.ok(value(r, 'http_reqs{scenario:load,rate_bucket:100}', 'count') > 0, 'requests landed in the 100-120 bucket');
});
