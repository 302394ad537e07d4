// Runner benchmark: constant-arrival-rate at 50, 500 and 2000 iterations/s for 10 s each against a local
// node:http server (in this process; the runner is a child process, as in real use). Prints delivered vs
// target, dropped iterations, and the runner's CPU time (every thread of its process) per request, both
// in total and marginal (minus the same run shape at 1 it/s for 1 s: process start, VU init, summary).
// The server is warmed first (warmServer): it stands in for the system under test, and its own JIT
// warm-up at t = 0 (a new connection per VU within 100 ms) is not the runner's cost to measure.
// BENCH_BUSY=NxP (busy-machine.ts) runs every measured run next to N processes busy-looping P % of every
// 10 ms; BENCH_VU_SLACK_MS sizes the pre-allocated VUs, BENCH_RATES and BENCH_DURATION_S the runs
// (all read in benchConfig).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeBusy, parseBusy, startBusy, type BusyReport, type BusySpec } from './busy-machine.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
// BENCH_RUNNER_CLI runs another build of the runner (side-by-side comparisons); default: this tree's.
const cli = resolve(process.env.BENCH_RUNNER_CLI ?? join(root, 'dist/runner/cli.js'));

interface Figures {
  target: number;
  expected: number;
  delivered: number;
  dropped: number;
  reqs: number;
  failed: number;
  p95: number;
  cpuMs: number;
  /** CPU the BENCH_BUSY processes got during the run, if any ran. */
  others: BusyReport | undefined;
}

async function runOnce(tmp: string, base: string, rate: number, durationS: number, vus: number, busy: BusySpec | undefined): Promise<Figures> {
  const summary = join(tmp, `summary-${rate}-${durationS}.json`);
  const cpuOut = join(tmp, `cpu-${rate}-${durationS}.json`);
  // Start-up takes a few seconds; a minute over the run's duration only bounds a stuck runner.
  const stopBusy = startBusy(busy, (durationS + 60) * 1000);
  let others: BusyReport | undefined;
  const code = await new Promise<number | null>((res) => {
    const child = spawn(process.execPath, ['--import', join(here, 'cpu-report.mjs'), cli, 'run', '-q', join(here, 'arrival-script.js')], {
      env: {
        ...process.env,
        BASE: base,
        RATE: String(rate),
        DURATION: `${durationS}s`,
        VUS: String(vus),
        MAX_VUS: String(Math.max(100, vus * 4)),
        SUMMARY: summary,
        BENCH_CPU_OUT: cpuOut,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('close', res);
  }).finally(async () => {
    others = await stopBusy();
  });
  if (code !== 0) throw new Error(`runner exited ${code} at ${rate}/s`);
  const data = JSON.parse(readFileSync(summary, 'utf8')) as { metrics: Record<string, { values: Record<string, number> }> };
  const cpu = JSON.parse(readFileSync(cpuOut, 'utf8')) as { user: number; system: number };
  const v = (m: string, k: string) => data.metrics[m]?.values[k] ?? 0;
  return {
    target: rate,
    expected: rate * durationS,
    delivered: v('iterations', 'count'),
    dropped: v('dropped_iterations', 'count'),
    reqs: v('http_reqs', 'count'),
    failed: v('http_req_failed', 'passes'),
    p95: v('http_req_duration', 'p(95)'),
    cpuMs: (cpu.user + cpu.system) / 1000,
    others,
  };
}

/**
 * Requests from this process to its own server before any measured run: new connections and keep-alive
 * reuse, as the runner's VUs will make them. A cold server answered the first 100 connections of the
 * 2000 it/s run in 5-50 ms and cost the runner 42-86 dropped iterations per run; warm, the same runner
 * build dropped none (three pairs, interleaved).
 */
async function warmServer(base: string): Promise<void> {
  const get = (agent: http.Agent) =>
    new Promise<void>((resolve, reject) => {
      http
        .get(base, { agent }, (res) => {
          res.resume();
          res.on('end', resolve);
        })
        .on('error', reject);
    });
  for (let round = 0; round < 10; round++) {
    const agents = Array.from({ length: 20 }, () => new http.Agent({ keepAlive: true }));
    for (let i = 0; i < 10; i++) await Promise.all(agents.map(get));
    for (const a of agents) a.destroy();
  }
}

interface BenchConfig {
  rates: number[];
  durationS: number;
  busy: BusySpec | undefined;
  /**
   * Pre-allocated VUs are enough for this many ms of arrivals. Every one of them runs its first iteration
   * in the scenario's first moments; on a busy machine those iterations took 30-90 ms for the first 300 ms
   * (loadtests/runner/README.md, "Fifth look"), more than 50 ms could cover.
   */
  slackMs: number;
}

/** A whole number from an env var within [min, max], or `fallback` when unset or empty. */
function wholeNumber(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw new Error(`${name}=${raw}: expected a whole number, ${min}-${max}`);
  return n;
}

/** Every setting of the benchmark, read and checked once, before anything runs. */
function benchConfig(env: NodeJS.ProcessEnv): BenchConfig {
  const rawRates = env.BENCH_RATES || '50,500,2000';
  const rates = rawRates.split(',').map(Number);
  if (!/^\d+(,\d+)*$/.test(rawRates) || rates.some((r) => r < 1 || r > 100_000)) {
    throw new Error(`BENCH_RATES=${rawRates}: expected iterations/s, whole numbers 1-100000 separated by commas`);
  }
  return {
    rates,
    durationS: wholeNumber('BENCH_DURATION_S', env.BENCH_DURATION_S, 10, 1, 3600),
    busy: parseBusy(env.BENCH_BUSY),
    slackMs: wholeNumber('BENCH_VU_SLACK_MS', env.BENCH_VU_SLACK_MS, 100, 1, 1000),
  };
}

async function main(): Promise<void> {
  let config: BenchConfig;
  try {
    config = benchConfig(process.env);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  const { rates, durationS, busy, slackMs } = config;
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run make build first`);
  const server = http.createServer((_req, res) => res.end('ok'));
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  await warmServer(base);
  const tmp = mkdtempSync(join(tmpdir(), 'bench-runner-'));
  const loadBefore = loadavg()[0] as number;
  const rows: (Figures & { fixedCpuMs: number; vus: number })[] = [];
  try {
    for (const rate of rates) {
      const vus = Math.max(10, Math.ceil((rate * slackMs) / 1000));
      const fixed = await runOnce(tmp, base, 1, 1, vus, busy);
      const r = await runOnce(tmp, base, rate, durationS, vus, busy);
      rows.push({ ...r, fixedCpuMs: fixed.cpuMs, vus });
    }
  } finally {
    server.close();
    rmSync(tmp, { recursive: true, force: true });
  }

  const header = ['target it/s', 'VUs', 'expected', 'delivered', 'delivered/target', 'dropped', 'failed', 'p95 ms', 'runner CPU s', 'CPU µs/req', 'marginal µs/req'];
  if (busy) header.push('others: CPU s / wall s');
  const table = rows.map((r) => [
    String(r.target),
    String(r.vus),
    String(r.expected),
    String(r.delivered),
    `${((100 * r.delivered) / r.expected).toFixed(2)} %`,
    String(r.dropped),
    String(r.failed),
    r.p95.toFixed(2),
    (r.cpuMs / 1000).toFixed(2),
    r.reqs ? ((r.cpuMs * 1000) / r.reqs).toFixed(0) : '-',
    r.reqs ? (((r.cpuMs - r.fixedCpuMs) * 1000) / r.reqs).toFixed(0) : '-',
    ...(busy ? [r.others ? `${r.others.cpuS.toFixed(1)} / ${r.others.wallS.toFixed(1)}` : '-'] : []),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i] as number)).join(' | ')} |`;
  console.log(
    `\nchaoslab-k6run, constant-arrival-rate for ${durationS} s against a local node:http server ` +
      `(${cpus().length} CPUs, Node ${process.version}, load average ${loadBefore.toFixed(1)} before, ${(loadavg()[0] as number).toFixed(1)} after; ` +
      `pre-allocated VUs for ${slackMs} ms of arrivals; ` +
      `${describeBusy(busy)})`,
  );
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of table) console.log(line(row));
  const worst = Math.max(...rows.map((r) => Math.abs(r.delivered - r.expected) / r.expected));
  console.log(
    `\nworst deviation from target: ${(worst * 100).toFixed(2)} % (limit 1 %); dropped: ${rows.reduce((a, r) => a + r.dropped, 0)}` +
      `\n(marginal = (CPU - CPU of the same VUs at 1 it/s for 1 s) / requests: the per-request cost without start-up)`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
