// make bench-backend: durable vote endpoint (embedded SQLite, group commit) vs raw node:http answering a fixed
// 201, same load tool (wrk), same connections and duration, one after the other on this machine.
// Env: BENCH_CONNECTIONS (default 64), BENCH_SECONDS per round (default 3), BENCH_ROUNDS (default 7).
// Short alternating rounds and the median of each adjacent pair's ratio keep a shared machine's changing
// background load from deciding the result.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { runWrk, type WrkResult } from './wrk.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '../..');
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const TARGET_RATIO = 0.4;

interface Running {
  child: ChildProcess;
  port: number;
}

/** Starts a server process and waits for the JSON line that announces its API port. */
function start(args: string[], env: NodeJS.ProcessEnv): Promise<Running> {
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolveStart, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const port = /"apiPort":(\d+)/.exec(line);
      if (port) resolveStart({ child, port: Number(port[1]) });
    });
    child.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
  });
}

const stop = (r: Running) =>
  new Promise<void>((done) => {
    if (r.child.exitCode !== null) return done();
    r.child.once('exit', () => done());
    r.child.kill('SIGTERM');
  });

const row = (name: string, r: WrkResult) =>
  `${name.padEnd(34)} ${r.requestsPerSec.toFixed(0).padStart(8)} req/s   p99 ${r.p99Ms.toFixed(2).padStart(7)} ms   ` +
  `${r.requests} requests, ${r.non2xx} non-2xx, ${r.socketErrors} socket errors`;

const dir = mkdtempSync(join(tmpdir(), 'chaoslab-bench-'));
const running: Running[] = [];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
try {
  const script = join(here, 'vote.lua');
  const tsx = ['--import', 'tsx'];
  const raw = await start([...tsx, join(here, 'rawServer.ts')], process.env);
  running.push(raw);
  const dist = join(root, 'dist/backend/server.js');
  const entry = existsSync(dist) ? [dist] : [...tsx, join(root, 'backend/src/bin/server.ts')];
  const api = await start(entry, {
    ...process.env,
    PORT: '0',
    MGMT_PORT: '0',
    HOST: '127.0.0.1',
    SQLITE_PATH: join(dir, 'polls.db'),
    LOG_LEVEL: 'info',
    DATABASE_URL: '',
    ARTIFICIAL_DELAY_MS: '',
    ERROR_RATE: '',
  });
  running.push(api);
  const rawUrl = `http://127.0.0.1:${raw.port}/api/polls/default/vote`;
  const voteUrl = `http://127.0.0.1:${api.port}/api/polls/default/vote`;
  // Warm-up (JIT, SQLite page cache), then alternate the two so background noise on a shared machine hits both.
  await runWrk(rawUrl, script, connections, 2);
  await runWrk(voteUrl, script, connections, 2);
  const before = await totalVotes(api.port);
  const raws: WrkResult[] = [];
  const votes: WrkResult[] = [];
  for (let round = 0; round < rounds; round++) {
    raws.push(await runWrk(rawUrl, script, connections, seconds));
    votes.push(await runWrk(voteUrl, script, connections, seconds));
  }
  const stored = (await totalVotes(api.port)) - before;

  console.log(`\nbench-backend: wrk -t1 -c${connections} -d${seconds}s x ${rounds} alternating rounds, POST /api/polls/default/vote, fresh Idempotency-Key per request`);
  raws.forEach((r, i) => {
    console.log(row(`round ${i + 1} raw node:http (fixed 201)`, r));
    console.log(row(`round ${i + 1} vote endpoint (SQLite)`, votes[i] as WrkResult));
  });
  const rawRps = median(raws.map((r) => r.requestsPerSec));
  const voteRps = median(votes.map((r) => r.requestsPerSec));
  const pairRatio = median(votes.map((v, i) => v.requestsPerSec / (raws[i] as WrkResult).requestsPerSec));
  const answered = votes.reduce((n, r) => n + r.requests - r.non2xx, 0);
  console.log(`median raw node:http: ${rawRps.toFixed(0)} req/s, p99 ${median(raws.map((r) => r.p99Ms)).toFixed(2)} ms`);
  console.log(`median vote endpoint: ${voteRps.toFixed(0)} votes/s, p99 ${median(votes.map((r) => r.p99Ms)).toFixed(2)} ms`);
  console.log(`votes stored during the measured rounds: ${stored} (2xx counted by wrk: ${answered}; wrk does not count the answers still in flight when a round ends)`);
  console.log(`ratio of the medians: ${((voteRps / rawRps) * 100).toFixed(1)} %`);
  console.log(
    `ratio vote/raw (median of the ${rounds} paired rounds): ${(pairRatio * 100).toFixed(1)} %  ` +
      `(target >= ${TARGET_RATIO * 100} %: ${pairRatio >= TARGET_RATIO ? 'met' : 'NOT met'})`,
  );
  if (votes.some((r) => r.non2xx > 0 || r.socketErrors > 0)) {
    console.error('vote endpoint answered errors during the benchmark');
    process.exitCode = 1;
  }
} finally {
  await Promise.all(running.map(stop));
  rmSync(dir, { recursive: true, force: true });
}

async function totalVotes(port: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/api/polls/default`);
  const body = (await res.json()) as { total: number };
  return body.total;
}
