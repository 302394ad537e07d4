// Turns a k6 script (an ESM bundle with bare `k6/...` imports) into CommonJS once, so every VU can
// evaluate it in its own vm context with `require` answering the k6 modules. esbuild does the ESM ->
// CJS rewrite faithfully (live bindings, default/named interop), without the experimental vm modules flag.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { transformSync } from 'esbuild';

export class ScriptError extends Error {
  override name = 'ScriptError';
}

export interface CompiledScript {
  path: string;
  code: string;
}

export function compileScript(path: string): CompiledScript {
  const abs = resolve(path);
  let source: string;
  try {
    source = readFileSync(abs, 'utf8');
  } catch (err) {
    throw new ScriptError(`cannot read the script ${abs}: ${(err as Error).message}`);
  }
  try {
    const out = transformSync(source, {
      loader: 'js',
      format: 'cjs',
      target: 'es2022',
      sourcefile: abs,
      sourcemap: 'inline',
      logLevel: 'silent',
    });
    return { path: abs, code: out.code };
  } catch (err) {
    throw new ScriptError(`cannot parse the script ${abs}: ${(err as Error).message}`);
  }
}
