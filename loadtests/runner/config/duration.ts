// k6 durations: Go duration strings ("1m30s", "250ms", "1.5h") plus a `d` unit for days; a bare number
// (or a numeric string) means milliseconds (K:lib/types/types.go).

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d)/y;

export class DurationError extends Error {
  override name = 'DurationError';
}

/** Parses a k6 duration into milliseconds; throws DurationError on anything else. */
export function parseDuration(input: string | number): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new DurationError(`invalid duration ${input}`);
    return input;
  }
  const text = input.trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-')) {
    sign = -1;
    rest = rest.slice(1);
  } else if (rest.startsWith('+')) rest = rest.slice(1);
  if (rest === '0') return 0;
  if (rest === '') throw new DurationError(`invalid duration "${input}"`);
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < rest.length) {
    const start = PART.lastIndex;
    const m = PART.exec(rest);
    if (!m || m.index !== start) throw new DurationError(`invalid duration "${input}"`);
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
  }
  return sign * total;
}

/** Go-style rendering used in messages and progress ("1m30s", "500ms"). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${Math.round(ms * 1000) / 1000}ms`;
  let s = ms / 1000;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const sec = Math.round(s * 1000) / 1000;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${sec}s`;
}
