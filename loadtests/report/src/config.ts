// CLI and environment, parsed and validated once at the edge.
import { parseArgs } from 'node:util';
import { z } from 'zod';

const Config = z.object({
  resultsDir: z.string().min(1),
  files: z.array(z.string().regex(/\.ndjson(\.gz)?$/, 'inputs must be k6 NDJSON files ending in .ndjson or .ndjson.gz')),
  prometheusUrl: z.url({ protocol: /^https?$/ }).optional(),
  prometheusWindowS: z.coerce.number().int().min(2).max(300),
  recoverSeconds: z.coerce.number().int().min(1).max(120),
  index: z.boolean(),
});
export type Config = z.infer<typeof Config>;

export const USAGE = `usage: report [options] [results/<scenario>.ndjson[.gz] ...]

Builds results/<scenario>.html, .md and .svg for each NDJSON file (default: every *.ndjson[.gz] in the
results directory), reading results/<scenario>.json (the handleSummary output) when it exists, and then
results/index.html with all of them side by side.

  --results-dir DIR        where inputs are found and reports written (env RESULTS_DIR, default results)
  --prometheus-url URL     add server-side series from Prometheus (env PROMETHEUS_URL)
  --prometheus-window S    rate() window in seconds (default 10)
  --recover-seconds N      consecutive in-band seconds that count as recovered (default 5)
  --no-index               do not (re)write index.html
  -h, --help`;

export function parseConfig(argv: string[], env: NodeJS.ProcessEnv): Config | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'results-dir': { type: 'string' },
      'prometheus-url': { type: 'string' },
      'prometheus-window': { type: 'string' },
      'recover-seconds': { type: 'string' },
      'no-index': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const r = Config.safeParse({
    resultsDir: values['results-dir'] ?? env.RESULTS_DIR ?? 'results',
    files: positionals,
    prometheusUrl: values['prometheus-url'] ?? (env.PROMETHEUS_URL || undefined),
    prometheusWindowS: values['prometheus-window'] ?? '10',
    recoverSeconds: values['recover-seconds'] ?? '5',
    index: !values['no-index'],
  });
  if (!r.success) throw new Error(r.error.issues.map((i) => `${i.path.join('.') || 'argument'}: ${i.message}`).join('; '));
  return r.data;
}
