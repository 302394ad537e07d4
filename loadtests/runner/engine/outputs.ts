// Where samples and the summary go: --out json NDJSON writers, and the end-of-test summary with k6's
// handleSummary semantics (K:internal/js/summary-wrapper.js). Formats belong to the metrics core.
import type { Writable } from 'node:stream';
import {
  NdjsonWriter,
  finalizeSummaryResult,
  writeSummaryResult,
  type MetricsCore,
  type Sample,
  type SummaryData,
} from '../metrics/index.ts';
import type { SummaryOutput } from '../vu/protocol.ts';

export interface SampleOutput {
  write(samples: Sample[]): void;
  close(): Promise<void>;
}

export async function openSampleOutput(targets: string[], core: MetricsCore, stdout: Writable): Promise<SampleOutput> {
  const writers: NdjsonWriter[] = [];
  for (const t of targets) {
    const w = new NdjsonWriter({ stdout });
    await w.open(t);
    writers.push(w);
  }
  return {
    write(samples) {
      for (const w of writers) w.write(samples, core);
    },
    async close() {
      await Promise.all(writers.map((w) => w.close()));
    },
  };
}

export interface SummaryRequest {
  data: SummaryData;
  core: MetricsCore;
  testRunDurationMs: number;
  /** handleSummary's validated map; undefined when there is none, it threw, or it returned a falsy value. */
  custom: SummaryOutput | undefined;
  summaryExport?: string;
  stdout: Writable;
  stderr: Writable;
}

/** k6's summary wrapper (falsy result -> text summary; --summary-export on top), then the writes. */
export async function writeSummary(req: SummaryRequest): Promise<void> {
  const result = finalizeSummaryResult(req.custom, {
    data: req.data,
    ...(req.summaryExport ? { summaryExportPath: req.summaryExport } : {}),
    text: { report: req.core.textReport(req.testRunDurationMs) },
  });
  await writeSummaryResult(result, { stdout: req.stdout, stderr: req.stderr, cwd: process.cwd() });
}
