// `chaoslab-k6run run [flags] <script.js>`: k6's CLI shape for the flags the suite uses. Pure: argv in,
// a validated command out, or a UsageError with a clear message.
import { parseDuration } from '../config/duration.ts';

export class UsageError extends Error {
  override name = 'UsageError';
}

export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | {
      kind: 'run';
      script: string;
      env: Record<string, string>;
      out: string[];
      summaryExport?: string;
      noThresholds: boolean;
      quiet: boolean;
      vus?: number;
      durationMs?: number;
      iterations?: number;
    };

export const HELP = `chaoslab-k6run: runs k6 scripts where k6 is not installed (a k6-compatible runner for the
chaos-lab suite; not k6 itself). See k6-compat-spec.md for the supported subset.

Usage:
  chaoslab-k6run run [flags] <script.js>

Flags:
  -e, --env KEY=VALUE         add an environment variable for __ENV (repeatable; wins over the system env)
  -o, --out json=FILE         write every sample as k6's NDJSON (FILE '-' = stdout, '.gz' = gzipped; repeatable)
      --summary-export FILE   also write the end-of-test summary in k6's older flat JSON format
      --no-thresholds         do not evaluate thresholds
  -q, --quiet                 no progress output
  -u, --vus N                 number of VUs (execution shortcut; replaces options.scenarios)
  -d, --duration D            test duration, e.g. 30s, 1m30s (execution shortcut)
  -i, --iterations N          total iterations, shared between VUs (execution shortcut)
  -h, --help                  this help

Exit codes (as k6): 0 ok, 99 thresholds failed, 100/101 setup/teardown timeout, 104 invalid options,
105 stopped by a signal, 107 script exception, 108 test.abort(), 110 test.fail(), 255 usage error.
`;

const VALUE_FLAGS: Record<string, string> = {
  '-e': 'env',
  '--env': 'env',
  '-o': 'out',
  '--out': 'out',
  '--summary-export': 'summary-export',
  '-u': 'vus',
  '--vus': 'vus',
  '-d': 'duration',
  '--duration': 'duration',
  '-i': 'iterations',
  '--iterations': 'iterations',
};
const BOOL_FLAGS: Record<string, string> = {
  '--no-thresholds': 'no-thresholds',
  '-q': 'quiet',
  '--quiet': 'quiet',
  '-h': 'help',
  '--help': 'help',
};

function count(flag: string, raw: string): number {
  if (!/^\d+$/.test(raw)) throw new UsageError(`${flag} needs a whole number, got "${raw}"`);
  return Number(raw);
}

export function parseArgs(argv: string[]): Command {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') return { kind: 'help' };
  if (argv[0] === 'version' || argv[0] === '--version') return { kind: 'version' };
  if (argv[0] !== 'run') throw new UsageError(`unknown command "${argv[0]}": use "run <script.js>"`);
  const cmd: Extract<Command, { kind: 'run' }> = { kind: 'run', script: '', env: {}, out: [], noThresholds: false, quiet: false };
  const positional: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const bool = BOOL_FLAGS[flag];
    if (bool) {
      if (eq > 0) throw new UsageError(`${flag} takes no value`);
      if (bool === 'help') return { kind: 'help' };
      if (bool === 'quiet') cmd.quiet = true;
      if (bool === 'no-thresholds') cmd.noThresholds = true;
      continue;
    }
    const name = VALUE_FLAGS[flag];
    if (!name) throw new UsageError(`unknown flag ${flag} (see --help; chaoslab-k6run supports a subset of k6's flags)`);
    let value: string;
    if (eq > 0) value = arg.slice(eq + 1);
    else {
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      value = next;
    }
    switch (name) {
      case 'env': {
        const k = value.indexOf('=');
        if (k <= 0) throw new UsageError(`${flag} needs KEY=VALUE, got "${value}"`);
        cmd.env[value.slice(0, k)] = value.slice(k + 1);
        break;
      }
      case 'out': {
        const k = value.indexOf('=');
        const type = k < 0 ? value : value.slice(0, k);
        if (type !== 'json')
          throw new UsageError(`unsupported output "${type}": chaoslab-k6run writes only json=FILE (k6's NDJSON)`);
        cmd.out.push(k < 0 ? '' : value.slice(k + 1));
        break;
      }
      case 'summary-export':
        if (value === '') throw new UsageError('--summary-export needs a file name');
        cmd.summaryExport = value;
        break;
      case 'vus':
        cmd.vus = count(flag, value);
        break;
      case 'iterations':
        cmd.iterations = count(flag, value);
        break;
      case 'duration':
        try {
          cmd.durationMs = parseDuration(value);
        } catch {
          throw new UsageError(`${flag} needs a duration such as 30s or 1m30s, got "${value}"`);
        }
        break;
    }
  }
  if (positional.length !== 1)
    throw new UsageError(positional.length === 0 ? 'run needs a script: chaoslab-k6run run <script.js>' : `run takes one script, got ${positional.join(' ')}`);
  cmd.script = positional[0] as string;
  return cmd;
}
