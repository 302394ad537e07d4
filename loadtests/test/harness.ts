// End-to-end harness: a real supervisor (two replicas, temp SQLite, free ports, random admin token) and real
// scenario bundles run through the runner's CLI, exactly as `make chaos-*` runs them. Tests assert outcomes
// from the summary JSON each run writes, not just exit codes.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { SummaryData } from '../lib/verdict.ts';

export const root = join(import.meta.dirname, '..', '..');

export async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  await once(srv, 'close');
  return port;
}

export function buildOnce(): void {
  execFileSync(process.execPath, ['build.mjs', '--quiet'], { cwd: root, stdio: 'inherit' });
}

export interface Deployment {
  baseUrl: string;
  mgmtUrl: string;
  token: string;
  dir: string;
  admin(method: string, path: string, body?: unknown): Promise<unknown>;
  stop(): Promise<void>;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the local supervisor on free ports with a temp SQLite file; resolves once /readyz answers 200. */
export async function startDeployment(replicas = 2): Promise<Deployment> {
  const dir = mkdtempSync(join(tmpdir(), 'chaoslab-exp-'));
  mkdirSync(join(dir, 'results'));
  const [port, mgmt] = [await freePort(), await freePort()];
  const token = randomBytes(16).toString('hex');
  const child: ChildProcess = spawn(process.execPath, [join(root, 'dist/backend/supervisor.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      MGMT_PORT: String(mgmt),
      REPLICAS: String(replicas),
      SQLITE_PATH: join(dir, 'polls.db'),
      CHAOS_TOKEN: token,
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const mgmtUrl = `http://127.0.0.1:${mgmt}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const done = once(child, 'exit');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await done;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`supervisor exited during start-up: ${stderr}`);
    try {
      if ((await fetch(`${mgmtUrl}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (i > 150) {
      await stop();
      throw new Error(`supervisor not ready after 30 s: ${stderr}`);
    }
    await sleep(200);
  }
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    mgmtUrl,
    token,
    dir,
    stop,
    async admin(method, path, body) {
      const res = await fetch(`${mgmtUrl}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
      return res.json();
    },
  };
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  summary: SummaryData;
  junit: string;
  ndjsonPath: string;
}

/** Runs dist/<bundle>.js through the runner CLI in SMOKE mode against the deployment. */
export async function runExperiment(
  dep: Deployment,
  bundle: string,
  result: string,
  env: Record<string, string> = {},
  /** Called once the runner is spawned, e.g. to signal it mid-run. */
  during?: (child: ChildProcess) => Promise<void>,
): Promise<RunResult> {
  const ndjsonPath = join(dep.dir, 'results', `${result}.ndjson`);
  const child = spawn(
    process.execPath,
    [join(root, 'dist/runner/cli.js'), 'run', '--quiet', '--out', `json=${ndjsonPath}`, join(root, 'dist', `${bundle}.js`)],
    {
      cwd: dep.dir,
      env: {
        ...process.env,
        BASE_URL: dep.baseUrl,
        MGMT_URL: dep.mgmtUrl,
        CHAOS_TOKEN: dep.token,
        SMOKE: '1',
        ENGINE: 'chaoslab-k6run',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(child, 'exit') as Promise<[number | null]>;
  if (during) await during(child);
  const [code] = await exited;
  const summaryPath = join(dep.dir, 'results', `${result}.json`);
  const junitPath = join(dep.dir, 'results', `${result}.junit.xml`);
  if (!existsSync(summaryPath)) {
    throw new Error(`${bundle}: no ${summaryPath} (exit ${code})\nstdout:\n${stdout}\nstderr:\n${stderr.slice(-3000)}`);
  }
  return {
    code,
    stdout,
    stderr,
    summary: JSON.parse(readFileSync(summaryPath, 'utf8')) as SummaryData,
    junit: existsSync(junitPath) ? readFileSync(junitPath, 'utf8') : '',
    ndjsonPath,
  };
}

export interface NdjsonPoint {
  metric: string;
  type: 'Point';
  data: { time: string; value: number; tags: Record<string, string> };
}

/** The Point lines of a run's NDJSON (what the report engineer reads). */
export function points(r: RunResult): NdjsonPoint[] {
  return readFileSync(r.ndjsonPath, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"type":"Point"'))
    .map((l) => JSON.parse(l) as NdjsonPoint);
}

/** A value from the summary; throws with the available keys when the (sub-)metric is missing. */
export function value(r: RunResult, key: string, stat: string): number {
  const m = r.summary.metrics[key];
  const v = m?.values[stat];
  if (v === undefined) {
    const near = Object.keys(r.summary.metrics).filter((k) => k.startsWith(key.split('{')[0] as string));
    throw new Error(`summary has no ${key} ${stat}; present: ${near.join(', ')}\n${r.stdout}`);
  }
  return v;
}

export const explain = (r: RunResult) => `exit ${r.code}\n${r.stdout}\n${r.stderr.slice(-2000)}`;

/** The ledger's balance from the summary: acked - stored and stored - sent, plus the raw counts. */
export function ledger(r: RunResult) {
  const c = (name: string) => r.summary.metrics[name]?.values.count;
  return {
    sent: c('ledger_votes_sent'),
    acked: c('ledger_votes_acked'),
    stored: c('ledger_votes_stored'),
    lost: c('ledger_votes_lost'),
    excess: c('ledger_votes_excess'),
  };
}

export async function replicas(dep: Deployment): Promise<{ id: string; ready: boolean; pid: number }[]> {
  return ((await dep.admin('GET', '/admin/replicas')) as { replicas: { id: string; ready: boolean; pid: number }[] }).replicas;
}

/** Waits (bounded) until `want` replicas are ready; returns the last list seen. */
export async function waitReplicas(dep: Deployment, want: number, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  let last = await replicas(dep);
  while (Date.now() < end && last.filter((r) => r.ready).length !== want) {
    await sleep(250);
    last = await replicas(dep);
  }
  return last;
}
