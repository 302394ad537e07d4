import { RunAggregator } from './aggregate.ts';
import { readK6Ndjson } from './ndjson.ts';
import type { RunSeries } from '../model.ts';

/** Streams one NDJSON file (plain or gzip) into its per-second series. */
export async function readRun(path: string): Promise<RunSeries> {
  const agg = new RunAggregator();
  try {
    for await (const line of readK6Ndjson(path)) agg.add(line);
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
  return agg.finish();
}
