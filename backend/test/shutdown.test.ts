// Graceful shutdown of one replica process (the pod entry point): SIGTERM with requests in flight and an idle
// keep-alive connection open. Every in-flight vote must succeed and be stored, readiness turns 503 during
// the drain, and the process exits 0 without waiting for keep-alive timeouts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { createSqliteStore } from '../src/store/sqlite.ts';
import { eventually, metricValue } from './helpers/replica.ts';
import { runServer, type ServerProcess } from './helpers/process.ts';

const dir = mkdtempSync(join(tmpdir(), 'chaoslab-shutdown-'));
let server: ServerProcess | undefined;
after(() => {
  server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  connection: string | undefined;
}

function send(agent: Agent, port: number, method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  return new Promise<Answer>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

it('drains in-flight requests on SIGTERM: zero failed, all stored, readiness 503, exit 0', { timeout: 90_000 }, async () => {
  const IN_FLIGHT = 20;
  const dbPath = join(dir, 'polls.db');
  const p = runServer({ SQLITE_PATH: dbPath, ARTIFICIAL_DELAY_MS: '800', SHUTDOWN_TIMEOUT_MS: '15000', LOG_LEVEL: 'info' });
  server = p;
  await p.started;

  // An idle keep-alive connection that would keep a naive server alive for its keep-alive timeout.
  const idle = new Agent({ keepAlive: true, maxSockets: 1 });
  assert.equal((await send(idle, p.apiPort, 'GET', '/api/polls')).status, 200);

  const busy = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  const votes = Array.from({ length: IN_FLIGHT }, (_, i) =>
    send(busy, p.apiPort, 'POST', '/api/polls/default/vote', JSON.stringify({ option: 'Rust' }), {
      'content-type': 'application/json',
      'idempotency-key': `shutdown-${i}`,
    }),
  );
  const mgmt = `http://127.0.0.1:${p.managementPort}`;
  // Wait until the server itself reports all of them in flight (no guessing with sleeps).
  await eventually(async () => metricValue(await (await fetch(`${mgmt}/metrics`)).text(), 'http_requests_in_flight') === IN_FLIGHT);

  p.child.kill('SIGTERM');
  await eventually(async () => (await fetch(`${mgmt}/readyz`)).status === 503, 5000, 20);

  const answers = await Promise.all(votes);
  assert.deepEqual(answers.map((a) => a.status), Array(IN_FLIGHT).fill(201));
  assert.ok(answers.every((a) => a.connection === 'close'), 'responses during the drain ask clients to close');

  const { code, signal } = await p.exited;
  assert.equal(signal, null);
  assert.equal(code, 0);
  // Had the idle keep-alive connection held the process, the drain would have run into its 15 s bound.
  assert.ok(!p.output.some((l) => l.includes('drain timed out')), p.output.join('\n'));
  assert.ok(p.output.some((l) => l.includes('shutdown complete')));
  idle.destroy();
  busy.destroy();

  const store = createSqliteStore({ path: dbPath, busyTimeoutMs: 5000 });
  await store.init();
  const results = await store.getPoll('default');
  await store.close();
  assert.equal(results?.options.find((o) => o.name === 'Rust')?.votes, IN_FLIGHT);
});
