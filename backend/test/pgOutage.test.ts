// PostgreSQL taken away while the service runs: readiness 503, votes fail fast with 503 (bounded, no hang),
// and everything comes back by itself once PostgreSQL is back. Real server, really stopped and restarted.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startPostgres, type PostgresServer } from './fixtures/postgres.ts';
import { call, eventually, json, metricValue, startTestReplica, totalVotes, type TestReplica } from './helpers/replica.ts';

let pg: PostgresServer;
let r: TestReplica;
before(async () => {
  pg = await startPostgres();
  r = await startTestReplica({ DATABASE_URL: pg.url, STORE_TIMEOUT_MS: '1000' });
});
after(async () => {
  await r?.close().catch(() => undefined);
  await pg?.close();
});

const vote = (key: string) => call(`${r.api}/api/polls/default/vote`, json({ option: 'Python' }, { 'idempotency-key': key }));
const storeUp = async () => metricValue(await (await fetch(`${r.mgmt}/metrics`)).text(), 'store_up');

it('turns unready and fails votes fast with 503 while PostgreSQL is down, then recovers by itself', async () => {
  assert.equal((await vote('before')).status, 201);
  assert.equal((await fetch(`${r.mgmt}/readyz`)).status, 200);
  assert.equal(await storeUp(), 1);

  await pg.stop();

  await eventually(async () => (await fetch(`${r.mgmt}/readyz`)).status === 503, 10_000);
  const down = await call(`${r.mgmt}/readyz`);
  assert.match((down.body as { reason: string }).reason, /store unavailable/);
  assert.equal(await storeUp(), 0);

  // Each attempt is answered (503 + Retry-After), not left hanging; the timeout below only guards a hang.
  for (let i = 0; i < 5; i++) {
    const res = await fetch(`${r.api}/api/polls/default/vote`, {
      ...json({ option: 'Python' }, { 'idempotency-key': `during-${i}` }),
      signal: AbortSignal.timeout(8000),
    });
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '1');
    assert.equal(((await res.json()) as { error: string }).error, 'store_unavailable');
  }
  assert.equal((await fetch(`${r.api}/api/polls`, { signal: AbortSignal.timeout(8000) })).status, 503);

  await pg.start();

  await eventually(async () => (await fetch(`${r.mgmt}/readyz`)).status === 200, 20_000);
  assert.equal(await storeUp(), 1);
  assert.equal((await vote('after')).status, 201);
  // A vote refused during the outage was not stored; retrying its key now records it once.
  assert.equal((await vote('during-0')).status, 201);
  assert.equal((await vote('during-0')).status, 200);
  assert.equal(await totalVotes(r.api, 'default'), 3);
});
