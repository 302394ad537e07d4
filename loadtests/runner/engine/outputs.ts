// Where samples and the summary go: --out json NDJSON writers, and the end-of-test summary with k6's
// handleSummary semantics (K:internal/js/summary-wrapper.js). Formats belong to the metrics core.
import type { Writable } from 'node:stream';
import {
  NdjsonWriter,
  summaryExport,
  textSummary,
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
  /** handleSummary's result; undefined when there is none (or it failed), null when it returned nothing. */
  custom: SummaryOutput | null | undefined;
  summaryExport?: string;
  stdout: Writable;
  stderr: Writable;
}

export async function writeSummary(req: SummaryRequest): Promise<void> {
  const result: Record<string, string | Uint8Array> = {};
  if (req.custom === undefined) {
    // No handleSummary (or it threw): k6's text summary on stdout.
    result['stdout'] = `\n${textSummary(req.data, { report: req.core.textReport(req.testRunDurationMs) })}\n\n`;
  } else if (req.custom) Object.assign(result, req.custom);
  if (req.summaryExport) result[req.summaryExport] = summaryExport(req.data);
  await writeSummaryResult(result, { stdout: req.stdout, stderr: req.stderr, cwd: process.cwd() });
}
