import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs, UsageError } from '../cli/args.ts';

test('run with every supported flag, both --flag value and --flag=value forms', () => {
  const cmd = parseArgs([
    'run', '-e', 'A=1', '--env=B=x=y', '-o', 'json=out.ndjson', '--out', 'json=-', '--summary-export=s.json',
    '--no-thresholds', '-q', '--vus', '3', '-d', '1m30s', '--iterations=7', 'script.js',
  ]);
  assert.deepEqual(cmd, {
    kind: 'run',
    script: 'script.js',
    env: { A: '1', B: 'x=y' },
    out: ['out.ndjson', '-'],
    summaryExport: 's.json',
    noThresholds: true,
    quiet: true,
    vus: 3,
    durationMs: 90_000,
    iterations: 7,
  });
});

test('help and version', () => {
  assert.deepEqual(parseArgs([]), { kind: 'help' });
  assert.deepEqual(parseArgs(['--help']), { kind: 'help' });
  assert.deepEqual(parseArgs(['run', '-h']), { kind: 'help' });
  assert.deepEqual(parseArgs(['version']), { kind: 'version' });
});

test('bad input is a UsageError naming the problem', () => {
  const bad: [string[], RegExp][] = [
    [['start', 'x.js'], /unknown command "start"/],
    [['run'], /needs a script/],
    [['run', 'a.js', 'b.js'], /one script/],
    [['run', '--linger', 'a.js'], /unknown flag --linger/],
    [['run', '-e', 'NOEQUALS', 'a.js'], /KEY=VALUE/],
    [['run', '--out', 'csv=x', 'a.js'], /unsupported output "csv"/],
    [['run', '--vus', 'many', 'a.js'], /whole number/],
    [['run', '--duration', '10 parsecs', 'a.js'], /duration/],
    [['run', 'a.js', '--vus'], /needs a value/],
    [['run', '--quiet=yes', 'a.js'], /takes no value/],
  ];
  for (const [argv, msg] of bad) assert.throws(() => parseArgs(argv), (e: Error) => e instanceof UsageError && msg.test(e.message), argv.join(' '));
});
