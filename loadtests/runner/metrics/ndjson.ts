// `--out json=FILE`: k6's NDJSON (K:internal/output/json). A `Metric` line right before a metric's
// first `Point`, Go's key order and number/time spelling, buffered and flushed every 200 ms.
import { createWriteStream, type WriteStream } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { Writable } from 'node:stream';
import { createGzip, type Gzip } from 'node:zlib';
import type { MetricCatalog, MetricInfo } from './core.ts';
import { formatGoDuration } from './duration.ts';
import { goFloat, goString, goStringMap, StringMapEncoder } from './go-json.ts';
import { formatGoTime } from './go-time.ts';
import type { Sample } from './types.ts';

export { formatGoTime } from './go-time.ts';

export const NDJSON_FLUSH_INTERVAL_MS = 200;
const FLUSH_EARLY_BYTES = 1 << 20;

export function metricLine(info: MetricInfo): string {
  const { def } = info;
  const thresholds = info.thresholds
    .map((t) =>
      t.abortOnFail
        ? `{"threshold":${goString(t.source)},"abortOnFail":true,"delayAbortEval":${
            t.delayAbortEvalNs === null ? 'null' : goString(formatGoDuration(t.delayAbortEvalNs))
          }}`
        : goString(t.source),
    )
    .join(',');
  const submetrics =
    info.submetrics === null
      ? 'null'
      : `[${info.submetrics
          .map((sm) => `{"name":${goString(sm.name)},"suffix":${goString(sm.suffix)},"tags":${goStringMap(sm.tags)}}`)
          .join(',')}]`;
  const name = goString(def.name);
  return (
    `{"type":"Metric","data":{"name":${name},"type":"${def.type}","contains":"${def.contains}",` +
    `"thresholds":[${thresholds}],"submetrics":${submetrics}},"metric":${name}}\n`
  );
}

/** Undefined when the value cannot be encoded (NaN/Inf): k6 drops such a sample and logs an error. */
export function pointLine(
  s: Sample,
  tags: StringMapEncoder = new StringMapEncoder(),
  name: string = goString(s.metric),
): string | undefined {
  const value = goFloat(s.value);
  if (value === undefined) return undefined;
  const meta = s.metadata && Object.keys(s.metadata).length > 0 ? `,"metadata":${goStringMap(s.metadata)}` : '';
  return (
    `{"metric":${name},"type":"Point","data":{"time":"${formatGoTime(s.time)}",` +
    `"value":${value},"tags":${tags.encode(s.tags)}${meta}}}\n`
  );
}

export interface NdjsonWriterOptions {
  /** Where `-` or an empty target writes; default process.stdout. */
  stdout?: Writable;
  /** Base for relative paths; default process.cwd(). */
  cwd?: string;
  flushIntervalMs?: number;
}

export class NdjsonWriter {
  private readonly seen = new Set<string>();
  private readonly names = new Map<string, string>();
  private buffer: string[] = [];
  private bufferedBytes = 0;
  private out: Writable | undefined;
  private file: WriteStream | undefined;
  private gzip: Gzip | undefined;
  private timer: NodeJS.Timeout | undefined;
  private pendingError: Error | undefined;
  /** Samples dropped because their value was NaN or infinite. */
  skipped = 0;

  constructor(private readonly options: NdjsonWriterOptions = {}) {}

  /** `path`, `path.gz` (gzipped) or `-`/`` (stdout). Fails now if the file cannot be created. */
  async open(target: string): Promise<void> {
    if (this.out) throw new Error('NdjsonWriter is already open');
    if (target === '' || target === '-') {
      this.out = this.options.stdout ?? process.stdout;
    } else {
      const path = isAbsolute(target) ? target : join(this.options.cwd ?? process.cwd(), target);
      const handle = await openFile(path, 'w', 0o666);
      this.file = createWriteStream('', { fd: handle, autoClose: true });
      this.file.on('error', (err) => (this.pendingError ??= err));
      if (target.endsWith('.gz')) {
        this.gzip = createGzip();
        this.gzip.on('error', (err) => (this.pendingError ??= err));
        this.gzip.pipe(this.file);
        this.out = this.gzip;
      } else {
        this.out = this.file;
      }
    }
    this.timer = setInterval(() => this.flush(), this.options.flushIntervalMs ?? NDJSON_FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  /** Formats the samples into the buffer; the Metric line goes right before a metric's first Point. */
  write(samples: readonly Sample[], catalog: MetricCatalog): void {
    if (!this.out) throw new Error('NdjsonWriter.write() before open()');
    const tags = new StringMapEncoder();
    for (const s of samples) {
      let name = this.names.get(s.metric);
      if (name === undefined) {
        name = goString(s.metric);
        this.names.set(s.metric, name);
      }
      const point = pointLine(s, tags, name);
      if (point === undefined) {
        this.skipped += 1;
        continue;
      }
      if (!this.seen.has(s.metric)) {
        const info = catalog.metricInfo(s.metric);
        if (!info) throw new Error(`NDJSON: unknown metric '${s.metric}'`);
        this.seen.add(s.metric);
        this.push(metricLine(info));
      }
      this.push(point);
    }
    if (this.bufferedBytes >= FLUSH_EARLY_BYTES) this.flush();
  }

  private push(line: string): void {
    this.buffer.push(line);
    this.bufferedBytes += line.length;
  }

  /** Hands the buffered lines to the stream. */
  flush(): void {
    if (!this.out || this.buffer.length === 0) return;
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.bufferedBytes = 0;
    this.out.write(chunk);
  }

  /** Flushes, ends the file (and gzip trailer) and resolves once everything is on disk. */
  async close(): Promise<void> {
    if (!this.out) return;
    if (this.timer) clearInterval(this.timer);
    this.flush();
    const out = this.out;
    this.out = undefined;
    if (this.file) {
      const file = this.file;
      await new Promise<void>((resolve, reject) => {
        file.once('close', resolve);
        file.once('error', reject);
        out.end();
      });
    } else {
      await new Promise<void>((resolve) => out.write('', () => resolve()));
    }
    if (this.pendingError) throw this.pendingError;
  }
}
