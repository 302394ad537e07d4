// The simple subset of gjson paths that k6's Response.json(selector) accepts: `a.b`, `a.0.b`, `a.#`
// (array length), `a.#.b` (the field of every element), and `\.` to escape a dot.

function splitPath(path: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i] as string;
    if (c === '\\' && i + 1 < path.length) cur += path[++i];
    else if (c === '.') {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}

function walk(value: unknown, parts: string[]): unknown {
  if (parts.length === 0) return value;
  const [head, ...rest] = parts as [string, ...string[]];
  if (Array.isArray(value)) {
    if (head === '#') {
      if (rest.length === 0) return value.length;
      return value.map((v) => walk(v, rest)).filter((v) => v !== undefined);
    }
    if (!/^\d+$/.test(head)) return undefined;
    const i = Number(head);
    return i < value.length ? walk(value[i], rest) : undefined;
  }
  if (value !== null && typeof value === 'object' && Object.prototype.hasOwnProperty.call(value, head))
    return walk((value as Record<string, unknown>)[head], rest);
  return undefined;
}

/** Returns the value at `path` in `doc`, or undefined when it is missing. */
export function gjsonGet(doc: unknown, path: string): unknown {
  if (path === '') return undefined;
  return walk(doc, splitPath(path));
}
