// Starts a real replica (real HTTP servers on ephemeral ports, a temp SQLite file unless DATABASE_URL is
// given) inside the test process, and tears it down afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, startReplica, type Replica } from '../../src/replica/index.ts';

export interface TestReplica {
  replica: Replica;
  api: string;
  mgmt: string;
  dir: string;
  close(): Promise<void>;
}

export async function startTestReplica(env: Record<string, string> = {}): Promise<TestReplica> {
  const dir = mkdtempSync(join(tmpdir(), 'chaoslab-replica-'));
  const config = loadConfig({
    PORT: '0',
    MGMT_PORT: '0',
    HOST: '127.0.0.1',
    SQLITE_PATH: join(dir, 'polls.db'),
    LOG_LEVEL: 'silent',
    SHUTDOWN_TIMEOUT_MS: '2000',
    ...env,
  });
  const replica = await startReplica({ config, replicaId: 'replica-test', serveManagement: true });
  return {
    replica,
    api: `http://127.0.0.1:${replica.apiPort}`,
    mgmt: `http://127.0.0.1:${replica.managementPort}`,
    dir,
    async close() {
      await replica.shutdown('test done');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

/** Reads a JSON response body and its status together. */
export async function call(url: string, init?: RequestInit): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (e.g. /metrics text); keep the text
  }
  return { status: res.status, body, headers: res.headers };
}

export async function totalVotes(api: string, poll: string): Promise<number> {
  const { body } = await call(`${api}/api/polls/${poll}`);
  return (body as { total: number }).total;
}

export async function newPoll(api: string, options = ['a', 'b']): Promise<string> {
  const { status, body } = await call(`${api}/api/polls`, json({ question: 'test?', options }));
  if (status !== 201) throw new Error(`create poll: ${status} ${JSON.stringify(body)}`);
  return (body as { id: string }).id;
}

/** Polls `check` until it returns true or the deadline passes (for state that changes asynchronously). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000, stepMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export const metricValue = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};
