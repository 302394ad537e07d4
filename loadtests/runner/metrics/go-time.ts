// Go's time.Time JSON: RFC 3339 with nanoseconds, trailing zeros trimmed, and the local offset
// (`Z` when it is zero), e.g. `2021-02-24T13:37:10.5+01:00`.

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

let cachedSecond = Number.NaN;
let cachedPrefix = '';
let cachedOffset = '';

function offsetOf(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  if (minutes === 0) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/** `epochMs` may be fractional: the fraction below a millisecond becomes nanoseconds. */
export function formatGoTime(epochMs: number): string {
  let wholeMs = Math.floor(epochMs);
  let subNs = Math.round((epochMs - wholeMs) * 1e6);
  if (subNs >= 1e6) {
    wholeMs += 1;
    subNs -= 1e6;
  }
  const second = Math.floor(wholeMs / 1000);
  if (second !== cachedSecond) {
    const d = new Date(second * 1000);
    cachedPrefix =
      `${String(d.getFullYear()).padStart(4, '0')}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}` +
      `T${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
    cachedOffset = offsetOf(d);
    cachedSecond = second;
  }
  const ns = (wholeMs - second * 1000) * 1e6 + subNs;
  const frac = ns === 0 ? '' : `.${String(ns).padStart(9, '0').replace(/0+$/, '')}`;
  return cachedPrefix + frac + cachedOffset;
}
