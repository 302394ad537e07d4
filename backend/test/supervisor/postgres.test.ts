// The group on a real PostgreSQL that goes away and comes back: the group's readiness follows its replicas
// (503 while none can reach the store), nobody crash-loops, votes fail fast, and all of it recovers by itself.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startPostgres, type PostgresServer } from '../fixtures/postgres.ts';
import { httpRequest, startSupervisor, type Supervisor } from './harness.ts';

describe('supervisor: two replicas on PostgreSQL through an outage', () => {
  let pg: PostgresServer;
  let sup: Supervisor;
  before(async () => {
    pg = await startPostgres();
    sup = await startSupervisor({ replicas: 2, env: { DATABASE_URL: pg.url, STORE_TIMEOUT_MS: '1000' } });
  });
  after(async () => {
    await sup?.stop();
    await pg?.close();
  });

  const vote = (key: string) =>
    httpRequest(`${sup.apiUrl}/api/polls/default/vote`, {
      method: 'POST',
      body: { option: 'Rust' },
      headers: { 'idempotency-key': key },
      timeoutMs: 15_000,
    });

  it('is unready while PostgreSQL is down and recovers without restarts when it is back', async () => {
    assert.equal((await vote('pg-before')).status, 201);
    await pg.stop();

    await sup.waitFor('group readiness to turn 503', async () => (await httpRequest(`${sup.mgmtUrl}/readyz`)).status === 503);
    const readyz = await httpRequest(`${sup.mgmtUrl}/readyz`);
    assert.match(readyz.body, /0 of 2 replicas ready/);
    assert.ok((await sup.metrics()).includes('supervisor_replicas_ready 0'));
    const started = Date.now();
    const during = await vote('pg-during');
    assert.equal(during.status, 503, during.body);
    assert.ok(Date.now() - started < 10_000, 'a vote fails fast instead of hanging');

    await pg.start();
    await sup.waitAllReady(2);
    assert.equal((await httpRequest(`${sup.mgmtUrl}/readyz`)).status, 200);
    assert.equal((await vote('pg-during')).status, 201, 'the vote that failed during the outage was not stored');
    assert.equal((await vote('pg-before')).status, 200, 'the vote from before the outage is still there');
    const replicas = await sup.replicas();
    assert.deepEqual(
      replicas.map((r) => r.restarts),
      [0, 0],
      'a store outage makes replicas unready, not crash',
    );
  });
});
