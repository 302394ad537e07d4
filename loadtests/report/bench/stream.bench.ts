// Benchmark (not a test): memory of the streaming report reader vs reading the whole file, on generated
// k6 NDJSON of two sizes, side by side. Streaming should stay flat as the file grows 8×; whole-file grows with it.
// Run: make bench-report   (or node --import tsx loadtests/report/bench/stream.bench.ts)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRun } from '../src/ingest/read-run.ts';
import { parseLine } from '../src/ingest/ndjson.ts';
import { writeSynthetic } from '../test/synthetic.ts';

const self = fileURLToPath(import.meta.url);

async function child(mode: string, path: string): Promise<void> {
  const t = performance.now();
  let seconds = 0;
  if (mode === 'stream') seconds = (await readRun(path)).seconds.length;
  else {
    // The naive way: the whole text, then every parsed line, in memory at once.
    const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l, i) => parseLine(l, i + 1));
    seconds = new Set(lines.map((l) => (l.type === 'Point' ? Math.floor(l.time / 1000) : 0))).size;
  }
  const ms = performance.now() - t;
  console.log(JSON.stringify({ maxRssMb: process.resourceUsage().maxRSS / 1024, ms, seconds }));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'report-bench-'));
  try {
    const sizes = [
      { name: 'small', seconds: 100 },
      { name: 'large (8×)', seconds: 800 },
    ];
    const rows: { size: string; mb: number; lines: number; stream: { maxRssMb: number; ms: number }; whole: { maxRssMb: number; ms: number } }[] = [];
    for (const s of sizes) {
      const path = join(dir, `${s.seconds}.ndjson`);
      await writeSynthetic(path, { seconds: s.seconds, rate: 200, phaseAt: (t) => (t < 20 ? 'warmup' : 'steady'), effect: () => ({ errorP: 0.01, extraMs: 0 }) });
      const run = (mode: string) => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', self, mode, path], { encoding: 'utf8' })) as { maxRssMb: number; ms: number };
      rows.push({ size: s.name, mb: statSync(path).size / 1e6, lines: s.seconds * 200 * 3, stream: run('stream'), whole: run('whole') });
    }
    console.log('report reader: peak RSS, streaming vs whole file (200 req/s synthetic k6 NDJSON)');
    console.log('size         file MB   lines     stream MB  stream s   whole MB  whole s   whole/stream RSS');
    for (const r of rows) {
      console.log(
        `${r.size.padEnd(12)} ${r.mb.toFixed(1).padStart(7)} ${String(r.lines).padStart(8)} ${r.stream.maxRssMb.toFixed(0).padStart(10)} ${(r.stream.ms / 1000).toFixed(2).padStart(9)} ${r.whole.maxRssMb.toFixed(0).padStart(10)} ${(r.whole.ms / 1000).toFixed(2).padStart(8)} ${(r.whole.maxRssMb / r.stream.maxRssMb).toFixed(2).padStart(10)}`,
      );
    }
    const [a, b] = rows as [(typeof rows)[number], (typeof rows)[number]];
    console.log(`growth for an 8× larger file: streaming RSS ×${(b.stream.maxRssMb / a.stream.maxRssMb).toFixed(2)}, whole-file RSS ×${(b.whole.maxRssMb / a.whole.maxRssMb).toFixed(2)}`);
    console.log(`streaming throughput: ${((b.lines / b.stream.ms) * 1000).toFixed(0)} lines/s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const [mode, path] = process.argv.slice(2);
if (mode && path) await child(mode, path);
else await main();
