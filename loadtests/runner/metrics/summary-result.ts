// What happens to handleSummary's return value (K:internal/js/summary-wrapper.js and
// K:internal/cmd/run.go handleSummaryResult): `stdout`/`stderr` go to the streams, any other key is a
// file path relative to the working directory (created or truncated, parent directories never made).
import { open } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { Writable } from 'node:stream';
import type { SummaryData } from './summary-data.ts';
import { summaryExport } from './summary-export.ts';
import { textSummary, type TextSummaryOptions } from './text-summary.ts';
import { SummaryResultError, summaryEntries } from './summary-entries.ts';

export { SummaryResultError };

export interface SummaryStreams {
  stdout: Writable;
  stderr: Writable;
  cwd: string;
}

/**
 * k6's wrapper around handleSummary: a falsy callback result (no handleSummary, or it returned
 * undefined/null) becomes the default text summary on stdout; `--summary-export` adds its file on top.
 */
export function finalizeSummaryResult(
  callbackResult: unknown,
  opts: { data: SummaryData; summaryExportPath?: string; text?: TextSummaryOptions },
): unknown {
  let result = callbackResult;
  if (!result) result = { stdout: `\n${textSummary(opts.data, opts.text)}\n\n` };
  if (opts.summaryExportPath && typeof result === 'object' && result !== null) {
    (result as Record<string, unknown>)[opts.summaryExportPath] = summaryExport(opts.data);
  }
  return result;
}

function writeStream(stream: Writable, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(bytes, (err) => (err ? reject(err) : resolve()));
  });
}

/**
 * Writes each entry. A result that is not an object, or holds a value that is not a string or
 * ArrayBuffer, is rejected before anything is written. Write failures on some paths do not stop
 * the others; they are reported together in one error (k6 logs it and keeps the exit code).
 */
export async function writeSummaryResult(result: unknown, streams: SummaryStreams): Promise<void> {
  const validated = summaryEntries(result);
  if (validated === null) return;
  const entries = Object.entries(validated).map(([key, value]) => [key, Buffer.from(value)] as const);
  const errors: string[] = [];
  for (const [key, bytes] of entries) {
    try {
      if (key === 'stdout') await writeStream(streams.stdout, bytes);
      else if (key === 'stderr') await writeStream(streams.stderr, bytes);
      else {
        const file = await open(isAbsolute(key) ? key : join(streams.cwd, key), 'w', 0o666).catch((err: Error) => {
          throw new Error(`could not open '${key}': ${err.message}`);
        });
        try {
          await file.writeFile(bytes);
        } catch (err) {
          throw new Error(`error saving summary to '${key}': ${(err as Error).message}`);
        } finally {
          await file.close();
        }
      }
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  if (errors.length === 1) throw new SummaryResultError(errors[0] as string);
  if (errors.length > 1) {
    throw new SummaryResultError(`Could not save some summary information:\n${errors.map((e) => `\t* ${e}`).join('\n')}`);
  }
}
