// Other work on the machine, on demand: BENCH_BUSY=NxP keeps N processes busy-looping P % of every 10 ms
// while a measured run goes on. The runner's drops came in the busy spells of a shared machine, which
// cannot be summoned; this makes a busy machine reproducible, so two builds or two VU counts can be
// compared under the same load. The processes run at the benchmark's own priority (a user's editor or browser would),
// and each lives at most as long as the run it was started for, even if the benchmark is killed.
import { spawn } from 'node:child_process';

export interface BusySpec {
  processes: number;
  percent: number;
}

/** Parses BENCH_BUSY ("2x50": two processes busy-looping 5 ms of every 10); undefined or empty means none. */
export function parseBusy(raw: string | undefined): BusySpec | undefined {
  if (raw === undefined || raw === '') return undefined;
  const m = /^(\d+)x(\d+)$/.exec(raw);
  const processes = Number(m?.[1]);
  const percent = Number(m?.[2]);
  if (!m || processes < 1 || processes > 16 || percent < 1 || percent > 100) {
    throw new Error(`BENCH_BUSY=${raw}: expected NxP, N processes (1-16) each busy-looping P % (1-100) of every 10 ms, e.g. 2x50`);
  }
  return { processes, percent };
}

export function describeBusy(spec: BusySpec | undefined): string {
  return spec ? `${spec.processes} other process${spec.processes > 1 ? 'es' : ''} busy-looping ${spec.percent} % of every 10 ms` : 'nothing else running';
}

// Busy `on` ms of every 10 (wall clock), until `until` (epoch ms), a SIGTERM or the parent going away (its
// stdin closes). On the way out it says how much CPU it got: preempted by the run, it gets less than `on`.
const HOG = `
const [on, until] = process.argv.slice(1).map(Number);
const t0 = performance.now();
const done = () => {
  const c = process.cpuUsage();
  process.stdout.write(JSON.stringify({ cpuMs: (c.user + c.system) / 1000, wallMs: performance.now() - t0 }));
  process.exit(0);
};
process.on('SIGTERM', done);
process.stdin.on('end', () => process.exit(0)).resume();
(function tick() {
  const t = performance.now();
  while (performance.now() - t < on) {}
  if (Date.now() < until) setTimeout(tick, 10 - on); else done();
})();`;

/** CPU the busy processes got, together, and for how long they ran. */
export interface BusyReport {
  cpuS: number;
  wallS: number;
}

/** Starts the busy processes for at most `maxMs`; the returned function stops them and reports. */
export function startBusy(spec: BusySpec | undefined, maxMs: number): () => Promise<BusyReport | undefined> {
  if (!spec) return async () => undefined;
  const on = spec.percent / 10;
  const until = Date.now() + maxMs;
  const reports = Array.from({ length: spec.processes }, () => {
    const child = spawn(process.execPath, ['-e', HOG, String(on), String(until)], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const report = new Promise<{ cpuMs: number; wallMs: number } | undefined>((resolve) => {
      child.on('close', () => {
        try {
          resolve(JSON.parse(out) as { cpuMs: number; wallMs: number });
        } catch {
          resolve(undefined);
        }
      });
    });
    return { child, report };
  });
  return async () => {
    for (const r of reports) r.child.kill('SIGTERM');
    const got = await Promise.all(reports.map((r) => r.report));
    const ok = got.filter((g) => g !== undefined);
    if (ok.length === 0) return undefined;
    return { cpuS: ok.reduce((a, g) => a + g.cpuMs, 0) / 1000, wallS: Math.max(...ok.map((g) => g.wallMs)) / 1000 };
  };
}
