// Reads the raw `options.thresholds` value into declarations, rejecting shapes k6 cannot unmarshal.
import { parseGoDurationNs } from './duration.ts';

export interface ThresholdConfig {
  source: string;
  abortOnFail: boolean;
  /** Nanoseconds; null when `delayAbortEval` is unset (k6 keeps "unset" apart from "0s"). */
  delayAbortEvalNs: number | null;
}

export class ThresholdShapeError extends Error {
  override name = 'ThresholdShapeError';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readDelay(key: string, raw: unknown): number | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'number' && Number.isFinite(raw)) return Math.round(raw * 1e6);
  if (typeof raw === 'string') {
    const ns = parseGoDurationNs(raw.replace(/ /g, ''));
    if (ns !== undefined) return ns;
  }
  throw new ThresholdShapeError(
    `threshold on ${JSON.stringify(key)}: delayAbortEval must be a duration such as "10s", got ${JSON.stringify(raw)}`,
  );
}

function readItem(key: string, item: unknown): ThresholdConfig {
  if (typeof item === 'string') return { source: item, abortOnFail: false, delayAbortEvalNs: null };
  if (!isRecord(item)) {
    throw new ThresholdShapeError(
      `threshold on ${JSON.stringify(key)} must be a string or {threshold, abortOnFail, delayAbortEval}, got ${JSON.stringify(item)}`,
    );
  }
  const { threshold, abortOnFail, delayAbortEval } = item;
  if (threshold !== undefined && threshold !== null && typeof threshold !== 'string') {
    throw new ThresholdShapeError(`threshold on ${JSON.stringify(key)}: "threshold" must be a string`);
  }
  if (abortOnFail !== undefined && abortOnFail !== null && typeof abortOnFail !== 'boolean') {
    throw new ThresholdShapeError(`threshold on ${JSON.stringify(key)}: "abortOnFail" must be a boolean`);
  }
  return {
    source: threshold ?? '',
    abortOnFail: abortOnFail ?? false,
    delayAbortEvalNs: readDelay(key, delayAbortEval),
  };
}

/** Declaration order is kept: it is the order of evaluation and of the summary. */
export function readThresholdsOption(raw: unknown): Map<string, ThresholdConfig[]> {
  const out = new Map<string, ThresholdConfig[]>();
  if (raw === undefined || raw === null) return out;
  if (!isRecord(raw)) throw new ThresholdShapeError('options.thresholds must be an object');
  for (const [key, list] of Object.entries(raw)) {
    if (list === null) {
      out.set(key, []);
      continue;
    }
    if (!Array.isArray(list)) {
      throw new ThresholdShapeError(`thresholds for ${JSON.stringify(key)} must be an array`);
    }
    out.set(
      key,
      list.map((item) => readItem(key, item)),
    );
  }
  return out;
}
