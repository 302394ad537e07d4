// k6 writes Go time.Time JSON: RFC 3339, up to nanosecond fractions, local offset. Date.parse on millions of
// lines is the hot spot, so the whole-second part is parsed once per distinct second and cached.

const cache = new Map<string, number>();

/** Epoch milliseconds (fractional) from `2026-11-25T16:05:26.123456789+01:00` or `...Z`. */
export function parseK6Time(s: string): number {
  let end = 19;
  let fracMs = 0;
  if (s.charCodeAt(19) === 46 /* . */) {
    end = 20;
    while (end < s.length) {
      const c = s.charCodeAt(end);
      if (c < 48 || c > 57) break;
      end++;
    }
    fracMs = Number(`0.${s.slice(20, end)}`) * 1000;
  }
  const key = s.slice(0, 19) + s.slice(end);
  let base = cache.get(key);
  if (base === undefined) {
    base = Date.parse(key);
    if (Number.isNaN(base) || s.length < 20) throw new Error(`not an RFC 3339 time: ${JSON.stringify(s)}`);
    if (cache.size > 10_000) cache.clear();
    cache.set(key, base);
  }
  return base + fracMs;
}
