// Reliability of planned disruptions on the local deployment, with real processes: a graceful kill and a
// scale-down/up under steady keep-alive load must not fail a single request.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { afterRequests, httpRequest, startLoad, startSupervisor, type Supervisor } from './harness.ts';

describe('supervisor: planned disruptions cost zero failed requests', () => {
  let sup: Supervisor;
  before(async () => {
    sup = await startSupervisor({ replicas: 2 });
  });
  after(async () => {
    await sup?.stop();
  });

  const readLoad = () =>
    startLoad({
      concurrency: 6,
      maxRequests: 40_000,
      send: (agent) => httpRequest(`${sup.apiUrl}/api/polls/default`, { agent }),
    });

  it('graceful kill of a replica under load: no failures, and the replica comes back', async () => {
    const [victim] = await sup.replicas();
    assert.ok(victim);
    // A delay on the victim guarantees requests are in flight there when SIGTERM arrives: the drain must finish them.
    const slow = await sup.admin('PUT', '/admin/chaos', { delayMs: 40, ttlSeconds: 120, replica: victim.id });
    assert.equal(slow.status, 200);
    const load = readLoad();
    await afterRequests(load, 300);
    const kill = await sup.admin<{ replica: { id: string; pid: number } }>('POST', `/admin/replicas/${victim.id}/kill`, {
      signal: 'SIGTERM',
    });
    assert.equal(kill.status, 200);
    assert.equal(kill.json.replica.pid, victim.pid);
    // Keep the load running through the drain, the restart and a while after it.
    await sup.waitFor(`${victim.id} restarted with a new pid`, async () => {
      const r = (await sup.replicas()).find((x) => x.id === victim.id);
      return r !== undefined && r.pid !== victim.pid && r.ready;
    });
    await afterRequests(load, 300);
    const result = await load.stop();

    assert.deepEqual(result.failures, [], `${result.failures.length} of ${result.sent} requests failed`);
    assert.ok(result.ok >= 600, `only ${result.ok} requests went through`);
    const list = await sup.waitAllReady(2);
    assert.equal(list.find((r) => r.id === victim.id)?.restarts, 1);
    // Faults survive nothing: the restarted process starts clean.
    assert.deepEqual((await sup.admin<{ faults: unknown[] }>('GET', '/admin/chaos')).json.faults, []);
    assert.match(await sup.metrics(), new RegExp(`^supervisor_replica_restarts_total\\{pod="${victim.id}"\\} 1$`, 'm'));
    console.log(`graceful kill: ${result.ok} of ${result.sent} requests ok during kill + restart`);
  });

  it('scale 2 -> 1 -> 2 under load: no failures, and each change is made when the call answers', async () => {
    const load = readLoad();
    await afterRequests(load, 200);

    const down = await sup.admin<{ replicas: { id: string }[] }>('PUT', '/admin/replicas', { count: 1 });
    assert.equal(down.status, 200);
    assert.deepEqual(
      down.json.replicas.map((r) => r.id),
      ['replica-1'],
    );
    assert.match(await sup.metrics(), /^supervisor_replicas_desired 1$/m);
    assert.doesNotMatch(await sup.metrics(), /pod="replica-2"/);
    await afterRequests(load, 300);

    const up = await sup.admin<{ replicas: { id: string; ready: boolean }[] }>('PUT', '/admin/replicas', { count: 2 });
    assert.equal(up.status, 200);
    assert.deepEqual(
      up.json.replicas.map((r) => [r.id, r.ready]),
      [
        ['replica-1', true],
        ['replica-2', true],
      ],
    );
    await afterRequests(load, 300);
    const result = await load.stop();

    assert.deepEqual(result.failures, [], `${result.failures.length} of ${result.sent} requests failed`);
    assert.match(await sup.metrics(), /^supervisor_replicas_desired 2$/m);
    console.log(`scale 2->1->2: ${result.ok} of ${result.sent} requests ok`);
  });

  it('rejects a scale outside 1..16 and a kill of an unknown replica, changing nothing', async () => {
    for (const count of [0, 17]) {
      const res = await sup.admin<{ error: string }>('PUT', '/admin/replicas', { count });
      assert.equal(res.status, 400, `count ${count}`);
      assert.match(res.json.error, /count/);
    }
    const kill = await sup.admin<{ error: string }>('POST', '/admin/replicas/replica-9/kill', { signal: 'SIGKILL' });
    assert.equal(kill.status, 404);
    const bad = await sup.admin<{ error: string }>('POST', '/admin/replicas/replica-1/kill', { signal: 'SIGHUP' });
    assert.equal(bad.status, 400);
    assert.equal((await sup.waitAllReady(2)).length, 2);
  });
});
