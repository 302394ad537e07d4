// The k6 summary JSON a scenario writes from handleSummary (spec §1.2–1.3), validated once at the edge.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { RUN_INFO_KEY, type RunInfo } from '../../../lib/contract.ts';

const MetricSchema = z.object({
  type: z.enum(['counter', 'gauge', 'rate', 'trend']),
  contains: z.enum(['default', 'time', 'data']),
  values: z.record(z.string(), z.number()),
  thresholds: z.record(z.string(), z.object({ ok: z.boolean() })).optional(),
});

const RunInfoSchema = z
  .object({
    scenario: z.string(),
    engine: z.string(),
    rate: z.number(),
    phases: z.record(z.string(), z.number()),
    fault: z.string(),
    gitCommit: z.string(),
    startedAt: z.string(),
    target: z.string(),
  })
  .partial();

export const SummarySchema = z.object({
  metrics: z.record(z.string(), MetricSchema),
  state: z.object({ testRunDurationMs: z.number() }).partial().optional(),
  setup_data: z.unknown().optional(),
});

export type SummaryMetric = z.infer<typeof MetricSchema>;
export interface Summary {
  metrics: Record<string, SummaryMetric>;
  durationMs: number | undefined;
  run: RunInfo;
}

export function parseSummary(json: unknown, source = 'summary'): Summary {
  const r = SummarySchema.safeParse(json);
  if (!r.success) {
    const first = r.error.issues[0];
    throw new Error(`${source}: not a k6 handleSummary JSON (${first?.path.join('.') || '(root)'}: ${first?.message})`);
  }
  const setup = r.data.setup_data;
  const rawRun = setup && typeof setup === 'object' ? (setup as Record<string, unknown>)[RUN_INFO_KEY] : undefined;
  let run: RunInfo = {};
  if (rawRun !== undefined) {
    const parsed = RunInfoSchema.safeParse(rawRun);
    if (!parsed.success) throw new Error(`${source}: setup_data.${RUN_INFO_KEY} does not match RunInfo in loadtests/lib/contract.ts`);
    run = parsed.data as RunInfo;
  }
  return { metrics: r.data.metrics, durationMs: r.data.state?.testRunDurationMs, run };
}

export async function readSummary(path: string): Promise<Summary> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${path}: not JSON`);
  }
  return parseSummary(json, path);
}
