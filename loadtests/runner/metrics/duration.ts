// Go durations as k6 reads and prints them (K:lib/types/types.go): strings like `1m30s` or `1.5s`, plus
// `d` for days; a bare JSON number means milliseconds. Printed back with Go's time.Duration.String().

const UNIT_NS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3,
  'μs': 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
  d: 86400e9,
};

const TERM = /(\d*)(?:\.(\d*))?([a-zµμ]+)/y;

/** Nanoseconds, or undefined when `text` is not a Go (extended) duration. */
export function parseGoDurationNs(text: string): number | undefined {
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    sign = s[0] === '-' ? -1 : 1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  let total = 0;
  TERM.lastIndex = 0;
  while (TERM.lastIndex < s.length) {
    const m = TERM.exec(s);
    if (!m) return undefined;
    const [, whole = '', frac = '', unit = ''] = m;
    if (whole === '' && frac === '') return undefined;
    const scale = UNIT_NS[unit];
    if (scale === undefined) return undefined;
    total += Number(whole || '0') * scale + (frac ? Number(`0.${frac}`) * scale : 0);
  }
  return sign * Math.round(total);
}

/** Go's time.Duration.String(): `0s`, `1.5ms`, `10s`, `1m30s`, `2h0m0s`. */
export function formatGoDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let u = Math.round(Math.abs(ns));
  let out: string;
  if (u < 1e9) {
    let unit: string;
    let scale: number;
    if (u < 1e3) {
      return `${neg ? '-' : ''}${u}ns`;
    } else if (u < 1e6) {
      unit = 'µs';
      scale = 1e3;
    } else {
      unit = 'ms';
      scale = 1e6;
    }
    out = fixed(u, scale) + unit;
  } else {
    const h = Math.floor(u / 3600e9);
    u -= h * 3600e9;
    const m = Math.floor(u / 60e9);
    u -= m * 60e9;
    out = `${fixed(u, 1e9)}s`;
    if (h > 0 || m > 0) out = `${m}m${out}`;
    if (h > 0) out = `${h}h${out}`;
  }
  return neg ? `-${out}` : out;
}

/** `value/scale` with Go's trimmed fraction (no trailing zeros, no lone dot). */
function fixed(value: number, scale: number): string {
  const whole = Math.floor(value / scale);
  const rest = value - whole * scale;
  if (rest === 0) return String(whole);
  const digits = String(scale).length - 1;
  const frac = String(rest).padStart(digits, '0').replace(/0+$/, '');
  return `${whole}.${frac}`;
}
