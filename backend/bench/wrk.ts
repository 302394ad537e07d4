// Runs wrk and reads the figures we compare out of its report.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface WrkResult {
  requestsPerSec: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  socketErrors: number;
}

const toMs = (v: string, unit: string) => Number(v) * ({ us: 0.001, ms: 1, s: 1000 } as Record<string, number>)[unit]!;

export function parseWrk(out: string): WrkResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const p99 = /^\s+99%\s+([\d.]+)(us|ms|s)\s*$/m.exec(out);
  const total = /(\d+) requests in/.exec(out);
  if (!rps || !p99 || !total) throw new Error(`unexpected wrk output:\n${out}`);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(out);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    requestsPerSec: Number(rps[1]),
    p99Ms: toMs(p99[1]!, p99[2]!),
    requests: Number(total[1]),
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    socketErrors: sock ? sock.slice(1).reduce((n, x) => n + Number(x), 0) : 0,
  };
}

export async function runWrk(url: string, script: string, connections: number, seconds: number): Promise<WrkResult> {
  const { stdout } = await promisify(execFile)(
    'wrk',
    ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, url],
    { timeout: (seconds + 30) * 1000 },
  );
  return parseWrk(stdout);
}
