// Minimal Prometheus HTTP API client: one range query, response validated.
import { z } from 'zod';

const RangeResponse = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('matrix'),
    result: z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(z.tuple([z.number(), z.string()])) })),
  }),
});

export interface RangeSeries {
  labels: Record<string, string>;
  /** [unix seconds, value] */
  points: [number, number][];
}

export async function queryRange(baseUrl: string, query: string, startS: number, endS: number, stepS: number, timeoutMs = 15_000): Promise<RangeSeries[]> {
  const url = new URL('api/v1/query_range', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  const body = new URLSearchParams({ query, start: String(startS), end: String(endS), step: String(stepS) });
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', body, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    throw new Error(`Prometheus at ${baseUrl} unreachable: ${(e as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) throw new Error(`Prometheus query failed (${res.status}): ${query}: ${text.slice(0, 200)}`);
  const parsed = RangeResponse.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`unexpected Prometheus response for ${query}: ${text.slice(0, 200)}`);
  return parsed.data.data.result.map((r) => ({ labels: r.metric, points: r.values.map(([t, v]) => [t, Number(v)] as [number, number]) }));
}
