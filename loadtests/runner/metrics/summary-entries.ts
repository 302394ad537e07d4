// Which handleSummary results k6 accepts (K:internal/js/summary.go getSummaryResult and
// K:js/common GetReader): a map whose every value is a string or binary data. One bad value rejects
// the whole result, so nothing is written. Kept apart from summary-result.ts (and free of the text
// summary) because the VU worker validates the script's value where it was made.
import { types } from 'node:util';

export class SummaryResultError extends Error {
  override name = 'SummaryResultError';
}

/** A validated result: each key with its content as text or bytes, in the script's key order. */
export type SummaryEntries = Record<string, string | Uint8Array>;

function entryValue(key: string, value: unknown): string | Uint8Array {
  if (typeof value === 'string') return value;
  // types.isArrayBuffer, not instanceof: the script's ArrayBuffers come from the VU's own vm realm.
  if (types.isArrayBuffer(value)) return new Uint8Array(value.slice(0));
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
  const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  throw new SummaryResultError(
    `error handling summary object ${key}: invalid type ${kind}, expected string, []byte or ArrayBuffer`,
  );
}

/**
 * Validates a (wrapped) handleSummary result: null/undefined mean "write nothing" (k6 returns a nil
 * map); anything else must be a plain map of strings/ArrayBuffers or the whole result is rejected.
 */
export function summaryEntries(result: unknown): SummaryEntries | null {
  if (result === null || result === undefined) return null;
  if (typeof result !== 'object' || Array.isArray(result)) {
    throw new SummaryResultError('handleSummary() should return a map with string keys');
  }
  const out: SummaryEntries = {};
  for (const [key, value] of Object.entries(result as Record<string, unknown>)) out[key] = entryValue(key, value);
  return out;
}
