// JSON spelled the way Go's encoding/json (SetEscapeHTML(false)) spells it, for byte-exact NDJSON.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const NEEDS_CARE = /[\u2028\u2029\uD800-\uDFFF]/;

/** Go replaces invalid UTF-16 with U+FFFD and always escapes U+2028/U+2029. */
export function goString(s: string): string {
  if (!NEEDS_CARE.test(s)) return JSON.stringify(s);
  const json = JSON.stringify(s.replace(LONE_SURROGATE, '\uFFFD'));
  return json.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
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

/**
 * goStringMap memoised per map object. Samples of one request (and of one message from a VU) share
 * their tags object, so within one batch this turns most encodings into a lookup. Use one encoder per
 * batch: a map mutated after its batch was encoded is then never served stale.
 */
export class StringMapEncoder {
  private cache = new WeakMap<object, string>();
  encode(map: Readonly<Record<string, string>>): string {
    let json = this.cache.get(map);
    if (json === undefined) {
      json = goStringMap(map);
      this.cache.set(map, json);
    }
    return json;
  }
}
