// Chaos control through the management port: auth, validation, effect on /api/* only, TTL, env faults.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, eventually, json, metricValue, newPoll, startTestReplica, totalVotes, type TestReplica } from './helpers/replica.ts';

const TOKEN = 'test-token-123';
const auth = { authorization: `Bearer ${TOKEN}` };
const put = (body: unknown, headers: Record<string, string> = auth) => ({ ...json(body, headers), method: 'PUT' });
const metrics = async (r: TestReplica) => (await fetch(`${r.mgmt}/metrics`)).text();

describe('admin disabled without CHAOS_TOKEN', () => {
  let r: TestReplica;
  before(async () => {
    r = await startTestReplica();
  });
  after(async () => {
    await r?.close();
  });

  it('answers 404 on every admin endpoint, token or not, and changes nothing', async () => {
    assert.equal((await fetch(`${r.mgmt}/admin/chaos`)).status, 404);
    assert.equal((await fetch(`${r.mgmt}/admin/chaos`, put({ errorRate: 1 }))).status, 404);
    assert.equal((await fetch(`${r.mgmt}/admin/replicas`, { headers: auth })).status, 404);
    assert.equal(r.replica.chaos.list().length, 0);
    assert.equal((await fetch(`${r.mgmt}/metrics`)).status, 200);
  });
});

describe('admin with CHAOS_TOKEN', () => {
  let r: TestReplica;
  before(async () => {
    r = await startTestReplica({ CHAOS_TOKEN: TOKEN });
  });
  after(async () => {
    await r?.close();
  });

  it('401 without a token, 403 with a wrong one; nothing changes', async () => {
    const missing = await fetch(`${r.mgmt}/admin/chaos`, put({ errorRate: 1 }, {}));
    assert.equal(missing.status, 401);
    assert.equal(missing.headers.get('www-authenticate'), 'Bearer');
    assert.equal((await fetch(`${r.mgmt}/admin/chaos`, put({ errorRate: 1 }, { authorization: 'Bearer nope' }))).status, 403);
    assert.equal((await fetch(`${r.mgmt}/admin/chaos`, put({ errorRate: 1 }, { authorization: `Bearer ${TOKEN}x` }))).status, 403);
    assert.equal((await fetch(`${r.mgmt}/admin/chaos`, put({ errorRate: 1 }, { authorization: TOKEN }))).status, 403);
    assert.equal((await fetch(`${r.mgmt}/admin/chaos`, { method: 'DELETE' })).status, 401);
    assert.equal(r.replica.chaos.list().length, 0);
  });

  it('400 on an invalid fault; nothing changes', async () => {
    for (const bad of ['{"errorRate":', { errorRate: 2 }, { errorCode: 404 }, { delayMs: -1 }, { ttlSeconds: 0 }, { surprise: 1 }, []]) {
      const res = await call(`${r.mgmt}/admin/chaos`, put(bad));
      assert.equal(res.status, 400, JSON.stringify(bad));
      assert.match((res.body as { error: string }).error, /./);
    }
    assert.equal(r.replica.chaos.list().length, 0);
  });

  it('injected errors hit /api/* only, are counted, and store nothing; DELETE ends them', async () => {
    const poll = await newPoll(r.api);
    const set = await call(`${r.mgmt}/admin/chaos`, put({ errorRate: 1, errorCode: 503, ttlSeconds: 60 }));
    assert.equal(set.status, 200);
    const faults = (set.body as { faults: { replica: string; errorRate: number; expiresAt: number }[] }).faults;
    assert.equal(faults.length, 1);
    assert.equal(faults[0]!.replica, 'replica-test');
    const v = await call(`${r.api}/api/polls/${poll}/vote`, json({ option: 'a' }));
    assert.equal(v.status, 503);
    assert.equal((v.body as { error: string }).error, 'injected_fault');
    assert.equal((await fetch(`${r.mgmt}/readyz`)).status, 200, 'probes are not affected');
    const text = await metrics(r);
    assert.equal(metricValue(text, 'chaos_error_rate'), 1);
    assert.ok(metricValue(text, 'chaos_injected_errors_total{status_code="503"}')! >= 1);
    const listed = await call(`${r.mgmt}/admin/chaos`, { headers: auth });
    assert.equal((listed.body as { faults: unknown[] }).faults.length, 1);
    const del = await call(`${r.mgmt}/admin/chaos`, { method: 'DELETE', headers: auth });
    assert.deepEqual(del.body, { removed: 1 });
    assert.equal((await call(`${r.api}/api/polls/${poll}/vote`, json({ option: 'a' }))).status, 201);
    assert.equal(await totalVotes(r.api, poll), 1);
    assert.equal(metricValue(await metrics(r), 'chaos_error_rate'), 0);
  });

  it('adds delay (a lower bound, so it cannot flake on a slow machine)', async () => {
    await call(`${r.mgmt}/admin/chaos`, put({ delayMs: 300, jitterMs: 50, ttlSeconds: 60 }));
    const t = performance.now();
    assert.equal((await fetch(`${r.api}/api/polls`)).status, 200);
    assert.ok(performance.now() - t >= 295);
    const text = await metrics(r);
    assert.equal(metricValue(text, 'chaos_delay_milliseconds'), 300);
    assert.equal(metricValue(text, 'chaos_jitter_milliseconds'), 50);
    await call(`${r.mgmt}/admin/chaos`, { method: 'DELETE', headers: auth });
  });

  it('targets this replica by id; an unknown replica is 404 and changes nothing', async () => {
    assert.equal((await call(`${r.mgmt}/admin/chaos`, put({ errorRate: 1, replica: 'replica-9' }))).status, 404);
    assert.equal((await call(`${r.mgmt}/admin/chaos?replica=replica-9`, { method: 'DELETE', headers: auth })).status, 404);
    assert.equal(r.replica.chaos.list().length, 0);
    assert.equal((await call(`${r.mgmt}/admin/chaos`, put({ delayMs: 1, replica: 'replica-test' }))).status, 200);
    assert.deepEqual((await call(`${r.mgmt}/admin/chaos?replica=replica-test`, { method: 'DELETE', headers: auth })).body, {
      removed: 1,
    });
  });

  it('a fault with a TTL removes itself', async () => {
    const poll = await newPoll(r.api);
    await call(`${r.mgmt}/admin/chaos`, put({ errorRate: 1, ttlSeconds: 1 }));
    assert.equal((await call(`${r.api}/api/polls/${poll}/vote`, json({ option: 'a' }))).status, 500);
    await eventually(async () => metricValue(await metrics(r), 'chaos_error_rate') === 0, 10_000);
    assert.deepEqual((await call(`${r.mgmt}/admin/chaos`, { headers: auth })).body, { faults: [] });
    assert.equal((await call(`${r.api}/api/polls/${poll}/vote`, json({ option: 'a' }))).status, 201);
  });

  it('lists itself as the only replica; kill and scale are 501 on a single replica', async () => {
    const list = await call(`${r.mgmt}/admin/replicas`, { headers: auth });
    assert.equal(list.status, 200);
    const replicas = (list.body as { replicas: { id: string; pid: number; ready: boolean }[] }).replicas;
    assert.deepEqual(replicas.map((x) => [x.id, x.pid, x.ready]), [['replica-test', process.pid, true]]);
    const kill = await fetch(`${r.mgmt}/admin/replicas/replica-test/kill`, { ...json({ signal: 'SIGTERM' }, auth) });
    assert.equal(kill.status, 501);
    assert.equal((await fetch(`${r.mgmt}/admin/replicas`, put({ count: 2 }))).status, 501);
  });
});

describe('faults from the environment', () => {
  let r: TestReplica;
  before(async () => {
    r = await startTestReplica({ ERROR_RATE: '1', ARTIFICIAL_DELAY_MS: '20' });
  });
  after(async () => {
    await r?.close();
  });

  it('applies ERROR_RATE and ARTIFICIAL_DELAY_MS to /api/* from the start', async () => {
    assert.equal((await fetch(`${r.api}/api/polls`)).status, 500);
    const text = await metrics(r);
    assert.equal(metricValue(text, 'chaos_error_rate'), 1);
    assert.equal(metricValue(text, 'chaos_delay_milliseconds'), 20);
  });
});
