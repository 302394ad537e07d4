// The group's management port with real replicas: per-replica metrics (valid for promtool), faults on one
// replica or all, and TTLs that end faults by themselves.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { ActiveFault } from '../../src/management/target.ts';
import { httpRequest, startSupervisor, TOKEN, type Supervisor } from './harness.ts';

/** Fresh connection per request (no agent), so the primary's round-robin spreads them over the replicas. */
async function hit(sup: Supervisor, n: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await httpRequest(`${sup.apiUrl}/api/polls/default`)).status);
  return statuses;
}

/** The value of one series in an exposition, or undefined when the series is absent. */
function sample(metrics: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of metrics.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('supervisor: management port for the whole group', () => {
  let sup: Supervisor;
  before(async () => {
    sup = await startSupervisor({ replicas: 2, env: { REPLICA_IPC_TIMEOUT_MS: '1500' } });
  });
  after(async () => {
    await sup?.stop();
  });

  it('serves every replica\'s metrics with its own pod label, as an exposition promtool accepts', async () => {
    assert.deepEqual(await hit(sup, 20), Array(20).fill(200));
    const metrics = await sup.metrics();
    for (const pod of ['replica-1', 'replica-2']) {
      const served = sample(metrics, 'http_requests_total', { pod, route: '/api/polls/:id', status_code: '200' });
      assert.ok(served !== undefined && served > 0, `${pod} served nothing according to /metrics`);
      assert.ok(sample(metrics, 'process_resident_memory_bytes', { pod }) !== undefined, `${pod} process metrics`);
    }
    const perPod = ['replica-1', 'replica-2'].map(
      (pod) => sample(metrics, 'http_requests_total', { pod, route: '/api/polls/:id', status_code: '200' }) ?? 0,
    );
    assert.equal(perPod[0]! + perPod[1]!, 20, 'per-replica series add up to the requests sent; none summed away');
    assert.equal(sample(metrics, 'supervisor_replicas_ready', {}), 2);
    assert.equal(sample(metrics, 'supervisor_replicas_desired', {}), 2);
    assert.equal(metrics.match(/^# TYPE http_requests_total counter$/gm)?.length, 1, 'one family, many series');

    const lint = spawnSync('promtool', ['check', 'metrics'], { input: metrics, encoding: 'utf8' });
    // promtool exits 1 for naming lint too; only a parse failure ("error while linting") means a broken exposition.
    assert.doesNotMatch(`${lint.stdout}${lint.stderr}`, /error while linting|parse/i, lint.stderr);
  });

  it('liveness and readiness answer for the group', async () => {
    assert.equal((await httpRequest(`${sup.mgmtUrl}/healthz`)).status, 200);
    const ready = await httpRequest(`${sup.mgmtUrl}/readyz`);
    assert.equal(ready.status, 200, ready.body);
  });

  it('a fault aimed at one replica hits only that one', async () => {
    const set = await sup.admin<{ faults: ActiveFault[] }>('PUT', '/admin/chaos', {
      errorRate: 1,
      errorCode: 503,
      ttlSeconds: 60,
      replica: 'replica-1',
    });
    assert.equal(set.status, 200, JSON.stringify(set.json));
    assert.deepEqual(
      set.json.faults.map((f) => f.replica),
      ['replica-1'],
    );
    const listed = await sup.admin<{ faults: ActiveFault[] }>('GET', '/admin/chaos');
    assert.deepEqual(
      listed.json.faults.map((f) => [f.replica, f.errorRate, f.errorCode]),
      [['replica-1', 1, 503]],
    );

    const statuses = await hit(sup, 30);
    const failed = statuses.filter((s) => s === 503).length;
    assert.deepEqual([...new Set(statuses)].sort(), [200, 503], `both replicas served: ${statuses.join(',')}`);

    const metrics = await sup.metrics();
    const injected1 = sample(metrics, 'chaos_injected_errors_total', { pod: 'replica-1' }) ?? 0;
    const injected2 = sample(metrics, 'chaos_injected_errors_total', { pod: 'replica-2' }) ?? 0;
    assert.equal(injected1, failed, 'every 503 was injected by replica-1');
    assert.equal(injected2, 0, 'replica-2 injected nothing');
    assert.equal(sample(metrics, 'chaos_error_rate', { pod: 'replica-1' }), 1);
    assert.equal(sample(metrics, 'chaos_error_rate', { pod: 'replica-2' }), 0);

    const cleared = await sup.admin<{ removed: number }>('DELETE', '/admin/chaos?replica=replica-1');
    assert.deepEqual(cleared.json, { removed: 1 });
    assert.deepEqual(await hit(sup, 10), Array(10).fill(200));
  });

  it('a fault on all replicas with a TTL removes itself', async () => {
    const set = await sup.admin<{ faults: ActiveFault[] }>('PUT', '/admin/chaos', { errorRate: 1, ttlSeconds: 2 });
    assert.equal(set.status, 200, JSON.stringify(set.json));
    assert.deepEqual(set.json.faults.map((f) => f.replica).sort(), ['replica-1', 'replica-2']);
    assert.ok((await hit(sup, 6)).every((s) => s >= 500), 'the fault is in effect on every replica');

    // No DELETE: only the TTL can end it.
    await sup.waitFor(
      'the fault to expire',
      async () => (await sup.admin<{ faults: ActiveFault[] }>('GET', '/admin/chaos')).json.faults.length === 0,
      15_000,
    );
    assert.deepEqual(await hit(sup, 10), Array(10).fill(200));
    const metrics = await sup.metrics();
    assert.equal(sample(metrics, 'chaos_error_rate', { pod: 'replica-1' }), 0);
    assert.equal(sample(metrics, 'chaos_error_rate', { pod: 'replica-2' }), 0);
  });

  it('bad admin input changes nothing', async () => {
    const unknown = await sup.admin<{ error: string }>('PUT', '/admin/chaos', { errorRate: 1, ttlSeconds: 5, replica: 'replica-7' });
    assert.equal(unknown.status, 404);
    const invalid = await sup.admin<{ error: string }>('PUT', '/admin/chaos', { errorRate: 2, ttlSeconds: 5 });
    assert.equal(invalid.status, 400);
    const wrongToken = await httpRequest(`${sup.mgmtUrl}/admin/chaos`, {
      method: 'PUT',
      body: { errorRate: 1, ttlSeconds: 5 },
      headers: { authorization: `Bearer ${TOKEN}x` },
    });
    assert.equal(wrongToken.status, 403);
    assert.deepEqual((await sup.admin<{ faults: ActiveFault[] }>('GET', '/admin/chaos')).json.faults, []);
    assert.deepEqual(await hit(sup, 4), Array(4).fill(200));
  });

  it('a frozen replica cannot hang scrapes or probes: it is left out and counted until it answers again', async () => {
    const frozen = (await sup.replicas()).find((r) => r.id === 'replica-2');
    assert.ok(frozen);
    process.kill(frozen.pid, 'SIGSTOP');
    try {
      const metrics = await sup.metrics();
      assert.equal(sample(metrics, 'supervisor_replica_scrape_failures_total', { pod: 'replica-2' }), 1);
      assert.equal(sample(metrics, 'process_resident_memory_bytes', { pod: 'replica-2' }), undefined);
      assert.ok(sample(metrics, 'process_resident_memory_bytes', { pod: 'replica-1' }) !== undefined);
      assert.equal(sample(metrics, 'supervisor_replicas_ready', {}), 1);
      assert.equal((await httpRequest(`${sup.mgmtUrl}/readyz`)).status, 200, 'one ready replica keeps the group ready');
      const listed = await sup.replicas();
      assert.deepEqual(
        listed.map((r) => [r.id, r.ready]),
        [
          ['replica-1', true],
          ['replica-2', false],
        ],
      );
    } finally {
      process.kill(frozen.pid, 'SIGCONT');
    }
    await sup.waitAllReady(2);
    const after = await sup.metrics();
    assert.ok(sample(after, 'process_resident_memory_bytes', { pod: 'replica-2' }) !== undefined);
    assert.equal((await sup.replicas()).find((r) => r.id === 'replica-2')?.pid, frozen.pid, 'not restarted');
  });
});
