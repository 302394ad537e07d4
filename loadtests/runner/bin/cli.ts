#!/usr/bin/env node
// chaoslab-k6run: a k6-compatible runner (not k6). `chaoslab-k6run run script.js`.
import { HELP, parseArgs, UsageError } from '../cli/args.ts';
import { run } from '../engine/run.ts';

const USAGE_EXIT = 255;

// A closed pipe (`chaoslab-k6run run x.js | head`) must not crash the run: the rest is simply not read.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });

async function main(): Promise<number> {
  let cmd;
  try {
    cmd = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`chaoslab-k6run: ${err.message}\n`);
    return USAGE_EXIT;
  }
  if (cmd.kind === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (cmd.kind === 'version') {
    process.stdout.write('chaoslab-k6run 0.1.0 (k6 v1.x compatible subset; not k6)\n');
    return 0;
  }
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  Object.assign(env, cmd.env);
  return run({
    scriptPath: cmd.script,
    env,
    overrides: {
      ...(cmd.vus !== undefined ? { vus: cmd.vus } : {}),
      ...(cmd.durationMs !== undefined ? { durationMs: cmd.durationMs } : {}),
      ...(cmd.iterations !== undefined ? { iterations: cmd.iterations } : {}),
    },
    outJson: cmd.out,
    ...(cmd.summaryExport !== undefined ? { summaryExport: cmd.summaryExport } : {}),
    noThresholds: cmd.noThresholds,
    quiet: cmd.quiet,
    stdout: process.stdout,
    stderr: process.stderr,
    signals: process,
  });
}

main().then(
  (code) => {
    // Let stdout/stderr drain before leaving (a piped summary must not be cut short).
    process.exitCode = code;
    process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  },
  (err: unknown) => {
    process.stderr.write(`chaoslab-k6run: internal error: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(255);
  },
);
