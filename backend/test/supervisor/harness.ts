// Test harness for the supervisor: a real supervisor process (run from source with tsx, its workers inherit
// that) on free ports with a throwaway SQLite file, plus a bounded keep-alive load loop over loopback.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { GroupReplicaInfo } from '../../src/supervisor/group.ts';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const ENTRY = 'backend/src/bin/supervisor.ts';
export const TOKEN = 'test-token-0123456789';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface HttpResult {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** One HTTP request over the given agent; rejects only on transport errors (resets, refused, timeouts). */
export function httpRequest(
  url: string,
  opts: { method?: string; body?: unknown; headers?: Record<string, string>; agent?: Agent; timeoutMs?: number } = {},
): Promise<HttpResult> {
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: opts.method ?? 'GET',
        agent: opts.agent ?? false,
        headers: {
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          ...opts.headers,
        },
        timeout: opts.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}

export interface Supervisor {
  apiUrl: string;
  mgmtUrl: string;
  child: ChildProcess;
  /** Everything the supervisor and its replicas printed, for failure messages. */
  output(): string;
  admin<T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }>;
  replicas(): Promise<GroupReplicaInfo[]>;
  metrics(): Promise<string>;
  /** Polls until `check` returns true (or throws after timeoutMs, with the log tail). */
  waitFor(what: string, check: () => Promise<boolean>, timeoutMs?: number): Promise<void>;
  /** Until `count` replicas are listed, every one ready. */
  waitAllReady(count: number, timeoutMs?: number): Promise<GroupReplicaInfo[]>;
  /** SIGTERM, then SIGKILL to the whole process group if it lingers; removes the temp dir. Idempotent. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startSupervisor(
  opts: { replicas?: number; env?: Record<string, string>; waitReady?: boolean } = {},
): Promise<Supervisor> {
  const dir = await mkdtemp(join(tmpdir(), 'chaoslab-supervisor-'));
  const [apiPort, mgmtPort] = [await freePort(), await freePort()];
  let log = '';
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    cwd: repoRoot,
    // Its own process group, so cleanup can reach every worker even if the primary is gone.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(apiPort),
      MGMT_PORT: String(mgmtPort),
      HOST: '127.0.0.1',
      REPLICAS: String(opts.replicas ?? 2),
      CHAOS_TOKEN: TOKEN,
      SQLITE_PATH: join(dir, 'polls.db'),
      LOG_LEVEL: 'warn',
      RESTART_BACKOFF_INITIAL_MS: '100',
      SHUTDOWN_TIMEOUT_MS: '5000',
      DATABASE_URL: '',
      ...opts.env,
    },
  });
  child.stdout?.on('data', (c: Buffer) => (log += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const mgmtUrl = `http://127.0.0.1:${mgmtPort}`;
  const tail = () => log.split('\n').slice(-30).join('\n');

  const admin = async <T>(method: string, path: string, body?: unknown) => {
    const res = await httpRequest(`${mgmtUrl}${path}`, { method, body, headers: { authorization: `Bearer ${TOKEN}` } });
    return { status: res.status, json: JSON.parse(res.body) as T };
  };
  const replicas = async () => (await admin<{ replicas: GroupReplicaInfo[] }>('GET', '/admin/replicas')).json.replicas;

  const waitFor = async (what: string, check: () => Promise<boolean>, timeoutMs = 45_000) => {
    const until = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < until) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`supervisor exited while waiting for ${what}:\n${tail()}`);
      try {
        if (await check()) return;
      } catch (err) {
        last = err;
      }
      await sleep(100);
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last error: ${String(last)})\n${tail()}`);
  };

  let stopped: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      // Unref'd, so a supervisor that already exited does not keep the test process waiting for this timer.
      const result = await Promise.race([exited, sleep(25_000, undefined, { ref: false })]);
      // Whatever is left of the group (a hung primary, a worker that outlived it) goes now.
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        // ESRCH: the group is already gone, which is the normal case.
      }
      await rm(dir, { recursive: true, force: true });
      return result ?? (await exited);
    })());

  const supervisor: Supervisor = {
    apiUrl,
    mgmtUrl,
    child,
    output: () => log,
    admin,
    replicas,
    metrics: async () => (await httpRequest(`${mgmtUrl}/metrics`)).body,
    waitFor,
    async waitAllReady(count, timeoutMs = 60_000) {
      let list: GroupReplicaInfo[] = [];
      await waitFor(
        `${count} ready replicas`,
        async () => {
          list = await replicas();
          return list.length === count && list.every((r) => r.ready);
        },
        timeoutMs,
      );
      return list;
    },
    stop,
  };
  try {
    if (opts.waitReady === false) await waitFor('the management port', async () => (await httpRequest(`${mgmtUrl}/healthz`)).status === 200);
    else await supervisor.waitAllReady(opts.replicas ?? 2);
  } catch (err) {
    await stop();
    throw err;
  }
  return supervisor;
}

export interface LoadResult {
  sent: number;
  ok: number;
  /** Non-2xx answers and transport errors, as short descriptions (status code or error code). */
  failures: string[];
}

/**
 * Steady closed-loop load: `concurrency` loops, each sending one request after the other over a shared
 * keep-alive agent, until stopped or `maxRequests` were sent. `onResult` sees every outcome.
 */
export function startLoad(opts: {
  concurrency: number;
  maxRequests: number;
  send: (agent: Agent, n: number) => Promise<HttpResult>;
  onResult?: (n: number, result: HttpResult | Error) => void;
}): { stop(): Promise<LoadResult>; sent(): number } {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const result: LoadResult = { sent: 0, ok: 0, failures: [] };
  let stopping = false;
  const loop = async () => {
    while (!stopping && result.sent < opts.maxRequests) {
      const n = result.sent++;
      try {
        const res = await opts.send(agent, n);
        if (res.status >= 200 && res.status < 300) result.ok++;
        else result.failures.push(`HTTP ${res.status}: ${res.body.slice(0, 120)}`);
        opts.onResult?.(n, res);
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        result.failures.push(`${e.code ?? 'error'}: ${e.message}`);
        opts.onResult?.(n, e);
      }
    }
  };
  const loops = Array.from({ length: opts.concurrency }, loop);
  return {
    sent: () => result.sent,
    async stop() {
      stopping = true;
      await Promise.all(loops);
      agent.destroy();
      return result;
    },
  };
}

/** Resolves once the load has sent `n` more requests than now (bounded, so a stalled load fails the test). */
export async function afterRequests(load: { sent(): number }, n: number, timeoutMs = 20_000): Promise<void> {
  const target = load.sent() + n;
  const until = Date.now() + timeoutMs;
  while (load.sent() < target) {
    if (Date.now() > until) throw new Error(`load stalled: ${load.sent()} of ${target} requests sent`);
    await sleep(20);
  }
}
