// The real local deployment and a real Prometheus for the live tests: the backend's supervisor on random
// ports with a temp SQLite file, and the Debian prometheus binary scraping it every second with our rules.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { SCRAPE_JOB } from '../src/observability/metrics.ts';
import { ruleFileYaml } from '../src/observability/generated.ts';
import { REPO_DIR, freePort, tempDir } from './helpers.ts';

export interface Running {
  url: string;
  stop: () => Promise<void>;
  log: () => string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const stopChild = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });

/** Polls `url` until it answers 200 or `timeoutMs` passes; throws with the child's log on timeout. */
const waitFor = async (url: string, timeoutMs: number, child: ChildProcess, log: () => string): Promise<void> => {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited with ${child.exitCode}\n${log().slice(-3000)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (e) {
      last = String(e);
    }
    await sleep(200);
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms (last: ${last})\n${log().slice(-3000)}`);
};

const spawnLogged = (cmd: string, args: string[], env: NodeJS.ProcessEnv, logFile: string) => {
  const fd = openSync(logFile, 'a');
  const child = spawn(cmd, args, { env, stdio: ['ignore', fd, fd], cwd: REPO_DIR });
  return { child, log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '') };
};

export const CHAOS_TOKEN = 'k8s-live-test-token';

export interface Supervisor extends Running {
  apiUrl: string;
  mgmtUrl: string;
}

export const startSupervisor = async (replicas = 2): Promise<Supervisor> => {
  const entry = join(REPO_DIR, 'dist', 'backend', 'supervisor.js');
  if (!existsSync(entry)) throw new Error(`${entry} missing: run make build first`);
  const tmp = tempDir('supervisor');
  const [port, mgmtPort] = [await freePort(), await freePort()];
  const env = {
    ...process.env,
    PORT: String(port),
    MGMT_PORT: String(mgmtPort),
    HOST: '127.0.0.1',
    REPLICAS: String(replicas),
    CHAOS_TOKEN,
    SQLITE_PATH: join(tmp.path, 'polls.db'),
    LOG_LEVEL: 'warn',
  };
  const { child, log } = spawnLogged(process.execPath, [entry], env, join(tmp.path, 'supervisor.log'));
  const stop = async () => {
    await stopChild(child);
    tmp.remove();
  };
  const mgmtUrl = `http://127.0.0.1:${mgmtPort}`;
  try {
    await waitFor(`${mgmtUrl}/readyz`, 30_000, child, log);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url: mgmtUrl, apiUrl: `http://127.0.0.1:${port}`, mgmtUrl, stop, log };
};

/** Prometheus scraping `target` (host:port) every second as job SCRAPE_JOB, evaluating our rules every second. */
export const startPrometheus = async (target: string): Promise<Running> => {
  const tmp = tempDir('prometheus');
  const port = await freePort();
  writeFileSync(join(tmp.path, 'rules.yaml'), ruleFileYaml());
  writeFileSync(
    join(tmp.path, 'prometheus.yml'),
    stringify({
      global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
      rule_files: ['rules.yaml'],
      scrape_configs: [{ job_name: SCRAPE_JOB, metrics_path: '/metrics', static_configs: [{ targets: [target] }] }],
    }),
  );
  const { child, log } = spawnLogged(
    'prometheus',
    [
      `--config.file=${join(tmp.path, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(tmp.path, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    process.env,
    join(tmp.path, 'prometheus.log'),
  );
  const stop = async () => {
    await stopChild(child);
    tmp.remove();
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${url}/-/ready`, 30_000, child, log);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, stop, log };
};

export interface PromResult {
  status: string;
  error?: string;
  data?: { resultType: string; result: { metric: Record<string, string>; values?: [number, string][] }[] };
}

export const queryRange = async (prom: string, expr: string, startS: number, endS: number): Promise<PromResult> => {
  const params = new URLSearchParams({ query: expr, start: String(startS), end: String(endS), step: '1' });
  const res = await fetch(`${prom}/api/v1/query_range`, { method: 'POST', body: params });
  return (await res.json()) as PromResult;
};
