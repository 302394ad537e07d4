// JSON spelled the way Go's encoding/json (SetEscapeHTML(false)) spells it, for byte-exact NDJSON.

/** Go replaces invalid UTF-16 with U+FFFD and always escapes U+2028/U+2029. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function goString(s: string): string {
  const json = JSON.stringify(s.replace(LONE_SURROGATE, '\uFFFD'));
  return /[\u2028\u2029]/.test(json) ? json.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029') : json;
}

/**
 * Go floats: shortest round-trip digits, exponent form below 1e-6 and from 1e21 (same cut-offs as
 * JS, which also trims `e-07` to `e-7` like Go does). Returns undefined for NaN/±Inf, which Go
 * cannot encode.
 */
export function goFloat(v: number): string | undefined {
  if (!Number.isFinite(v)) return undefined;
  if (Object.is(v, -0)) return '-0';
  return String(v);
}

/** A string map with sorted keys, as Go encodes map[string]string. */
export function goStringMap(map: Readonly<Record<string, string>>): string {
  const keys = Object.keys(map);
  if (keys.length === 0) return '{}';
  keys.sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    if (i > 0) out += ',';
    out += `${goString(k)}:${goString(map[k] as string)}`;
  }
  return `${out}}`;
}
