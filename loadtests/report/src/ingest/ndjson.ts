// Streams k6 `--out json` NDJSON (spec §2) one line at a time: a file of any length never sits in memory.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { parseK6Time } from './time.ts';

export interface MetricLine {
  type: 'Metric';
  metric: string;
  data: { name: string; type: string; contains: string; thresholds: unknown[]; submetrics: unknown };
}

export interface PointLine {
  type: 'Point';
  metric: string;
  /** Epoch ms, already parsed from the RFC 3339 string. */
  time: number;
  value: number;
  tags: Record<string, string>;
}

export type K6Line = MetricLine | PointLine;

async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** Opens a file as a text stream, gunzipping when it is gzip (by magic bytes, so `.gz` naming is optional). */
export async function openText(path: string): Promise<Readable> {
  const raw = createReadStream(path);
  if (!(await isGzip(path))) return raw;
  const gunzip = createGunzip();
  raw.on('error', (e) => gunzip.destroy(e));
  return raw.pipe(gunzip);
}

interface RawLine {
  type?: unknown;
  metric?: unknown;
  data?: { time?: unknown; value?: unknown; tags?: unknown } & Record<string, unknown>;
}

/** Parses one NDJSON line; throws a message naming the line on anything that is not a k6 Metric/Point line. */
export function parseLine(text: string, lineNo: number): K6Line {
  let raw: RawLine;
  try {
    raw = JSON.parse(text) as RawLine;
  } catch {
    throw new Error(`line ${lineNo}: not JSON: ${text.slice(0, 80)}`);
  }
  if (raw === null || typeof raw !== 'object' || typeof raw.metric !== 'string' || typeof raw.data !== 'object' || raw.data === null) {
    throw new Error(`line ${lineNo}: not a k6 JSON output line (needs "type", "metric", "data")`);
  }
  if (raw.type === 'Metric') return raw as unknown as MetricLine;
  if (raw.type !== 'Point') throw new Error(`line ${lineNo}: unknown line type ${JSON.stringify(raw.type)}`);
  const { time, value, tags } = raw.data;
  if (typeof time !== 'string' || typeof value !== 'number') {
    throw new Error(`line ${lineNo}: Point needs data.time (RFC 3339 string) and data.value (number)`);
  }
  let ms: number;
  try {
    ms = parseK6Time(time);
  } catch (e) {
    throw new Error(`line ${lineNo}: ${(e as Error).message}`);
  }
  return {
    type: 'Point',
    metric: raw.metric,
    time: ms,
    value,
    tags: tags && typeof tags === 'object' ? (tags as Record<string, string>) : {},
  };
}

/** Yields every line of a k6 NDJSON file (plain or gzip) in file order. */
export async function* readK6Ndjson(path: string): AsyncGenerator<K6Line> {
  const rl = createInterface({ input: await openText(path), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const text of rl) {
    lineNo++;
    if (text.trim() === '') continue;
    yield parseLine(text, lineNo);
  }
}
