// End-to-end harness: bundles the runner exactly as build.mjs does (into a temp dir inside the repo, so
// node_modules resolve), serves a local node:http target on a random port, runs the CLI as a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { after, before } from 'node:test';
import { tmpdir } from 'node:os';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../../..');
export const fixture = (name: string) => join(here, 'fixtures', name);

/**
 * Bundles loadtests/runner/bin/*.ts to <tmp>/cli.js and <tmp>/vu-worker.js with build.mjs's Node settings,
 * and any `extra` entry (repo-relative) next to them, e.g. the engine for a test that runs it in-process.
 */
export async function buildRunner(extra: string[] = []): Promise<{ cli: string; dir: string; cleanup: () => void }> {
  const base = join(repoRoot, '.tmp');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, 'runner-e2e-'));
  const binDir = join(repoRoot, 'loadtests/runner/bin');
  await build({
    entryPoints: readdirSync(binDir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => join(binDir, f))
      .concat(extra.map((f) => join(repoRoot, f))),
    outdir: dir,
    // Flat, as dist/runner: the engine finds its workers next to itself.
    entryNames: '[name]',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
    banner: { js: "import { createRequire as __cl_createRequire } from 'node:module'; const require = __cl_createRequire(import.meta.url);" },
  });
  return { cli: join(dir, 'cli.js'), dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Target {
  url: string;
  /** TCP connections accepted so far. */
  connections(): number;
  /** Requests seen, by path. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

/** A small HTTP target: /json, /status/N, /slow?ms=N, /reset, /redirect/N, /echo. */
export async function startTarget(): Promise<Target> {
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    hits.set(u.pathname, (hits.get(u.pathname) ?? 0) + 1);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const parts = u.pathname.split('/').filter(Boolean);
      switch (parts[0]) {
        case 'json':
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ a: { b: 2, list: [{ id: 1 }, { id: 2 }] }, name: 'chaos' }));
          return;
        case 'status':
          res.statusCode = Number(parts[1] ?? 200);
          res.end(`status ${res.statusCode}`);
          return;
        case 'slow':
          setTimeout(() => res.end('slow'), Number(u.searchParams.get('ms') ?? 1000));
          return;
        case 'reset':
          req.socket.destroy();
          return;
        case 'redirect': {
          const n = Number(parts[1] ?? 0);
          res.statusCode = 302;
          res.setHeader('location', n > 1 ? `/redirect/${n - 1}` : '/json');
          res.end();
          return;
        }
        case 'echo':
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString() }));
          return;
        default:
          res.end('ok');
      }
    });
  });
  server.keepAliveTimeout = 30_000;
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    hits,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const children = new Set<ChildProcess>();

/** Kills any CLI still running (call from after()). */
export function killAll(): void {
  for (const c of children) c.kill('SIGKILL');
  children.clear();
}

export function runCli(
  cli: string,
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number; onSpawn?: (c: ChildProcess) => void } = {},
): Promise<RunResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: opts.cwd ?? process.cwd(),
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolvePromise({ code, stdout, stderr });
    });
    opts.onSpawn?.(child);
  });
}

/** A Point line of `--out json` (k6's NDJSON). */
export interface NdjsonPoint {
  type: 'Point';
  metric: string;
  data: { time: string; value: number; tags: Record<string, string> };
}

/** The Point lines of an `--out json` file, in order (Metric lines left out). */
export function readNdjsonPoints(path: string): NdjsonPoint[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as NdjsonPoint | { type: 'Metric' })
    .filter((l): l is NdjsonPoint => l.type === 'Point');
}

export interface E2eSuite {
  /** The bundled CLI. */
  cli: string;
  target: Target;
  /** A temp folder for the file's outputs, removed after. */
  tmp: string;
}

/**
 * The before/after hooks every CLI test file needs: bundle the runner, start the target, make a temp
 * folder; afterwards kill stray CLIs and remove it all. The fields are set once before() has run.
 */
export function e2eSuite(tmpPrefix: string): E2eSuite {
  const suite = { cli: '', tmp: '' } as E2eSuite;
  let cleanup = () => {};
  before(async () => {
    const built = await buildRunner();
    suite.cli = built.cli;
    cleanup = built.cleanup;
    suite.target = await startTarget();
    suite.tmp = mkdtempSync(join(tmpdir(), tmpPrefix));
  });
  after(async () => {
    killAll();
    await suite.target?.close();
    cleanup();
    if (suite.tmp) rmSync(suite.tmp, { recursive: true, force: true });
  });
  return suite;
}

/**
 * Runs fixtures/long.js against the suite's target and, once the run is really under way (5 requests
 * have arrived, however slow the machine is), calls `underWay` with the child and sends it SIGINT.
 */
export function interruptLongRun(suite: E2eSuite, underWay: (child: ChildProcess) => void): Promise<RunResult> {
  return runCli(suite.cli, ['run', '-e', `BASE=${suite.target.url}`, fixture('long.js')], {
    cwd: suite.tmp,
    onSpawn: (child) => {
      const before = suite.target.hits.get('/json') ?? 0;
      const poll = setInterval(() => {
        if ((suite.target.hits.get('/json') ?? 0) - before < 5) return;
        clearInterval(poll);
        underWay(child);
        child.kill('SIGINT');
      }, 50);
      child.on('close', () => clearInterval(poll));
    },
  });
}
