// One VU's JS context: a fresh vm context holding only k6's globals, the script evaluated in it, and a
// `require` that answers k6's modules and refuses everything else, as k6 does.
import vm from 'node:vm';
import { dirname, resolve } from 'node:path';
import type { CompiledScript } from './compile.ts';
import type { VuState } from '../vu/state.ts';
import { createK6Module } from '../k6/k6.ts';
import { createHttpModule } from '../k6/http.ts';
import { createMetricsModule } from '../k6/metrics.ts';
import { createExecutionModule } from '../k6/execution.ts';

/** An import the runner cannot satisfy: exit 107 at start, never a silent difference from k6. */
export class UnsupportedModuleError extends Error {
  override name = 'UnsupportedModuleError';
}

export type ScriptExports = Record<string, unknown>;

/** The k6 modules one context got: the VU's warm-up drives the runner's own code through them. */
export interface VuModules {
  k6: ReturnType<typeof createK6Module>;
  http: ReturnType<typeof createHttpModule>;
}

/** An ES module namespace for esbuild's CJS interop; getters stay getters (exec.vu throws in init). */
const esModule = (def: object) =>
  Object.defineProperties({ __esModule: true, default: def }, Object.getOwnPropertyDescriptors(def));

function formatArg(a: unknown): string {
  if (typeof a === 'string') return a;
  if (a instanceof Error) return a.stack ?? a.message;
  try {
    return JSON.stringify(a) ?? String(a);
  } catch {
    return String(a);
  }
}

export function evaluateScript(script: CompiledScript, vu: VuState): ScriptExports {
  return loadScript(script, vu).exports;
}

/** evaluateScript, also returning the context's k6 modules. */
export function loadScript(script: CompiledScript, vu: VuState): { exports: ScriptExports; modules: VuModules } {
  const context = vm.createContext({});
  const ctxJson = vm.runInContext('JSON', context) as JSON;
  const parseJson = (text: string): unknown => ctxJson.parse(text);

  const k6 = createK6Module(vu);
  const http = createHttpModule(vu, parseJson);
  const metrics = createMetricsModule(vu);
  const execution = createExecutionModule(vu);
  const modules: Record<string, unknown> = {
    k6: esModule(k6),
    'k6/http': esModule(http),
    'k6/metrics': esModule(metrics),
    'k6/execution': esModule(execution),
  };

  const scriptDir = dirname(script.path);
  const requireModule = (name: string): unknown => {
    const m = modules[name];
    if (m) return m;
    if (name === 'k6' || name.startsWith('k6/'))
      throw new UnsupportedModuleError(
        `unknown module: ${name} (chaoslab-k6run supports only k6, k6/http, k6/metrics and k6/execution; run this script with real k6)`,
      );
    throw new UnsupportedModuleError(
      `cannot import "${name}": chaoslab-k6run runs bundled scripts only (bundle dependencies with esbuild; k6 modules stay external)`,
    );
  };

  const log = (level: 'debug' | 'info' | 'warn' | 'error') => (...args: unknown[]) =>
    vu.host.log(level, args.map(formatArg).join(' '), { source: 'console' });
  const console = { log: log('info'), info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug') };

  const open = (file: string, mode?: string): string | ArrayBuffer => {
    if (!vu.inInit) throw new Error('open() can be used only in the init context');
    const bytes = vu.host.readFile(resolve(scriptDir, String(file)));
    if (mode === 'b') return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    return new TextDecoder().decode(bytes);
  };

  const globals: Record<string, unknown> = { console, open, require: requireModule, __ENV: vu.env };
  for (const [k, v] of Object.entries(globals)) Object.defineProperty(context, k, { value: v, writable: true, configurable: true });
  // VU workers have ids from 1 (also in their init run); the options run, setup, teardown and handleSummary run as VU 0.
  Object.defineProperty(context, '__VU', { get: () => vu.id, configurable: true });
  Object.defineProperty(context, '__ITER', { get: () => Math.max(vu.iterationInInstance, 0), configurable: true });
  vm.runInContext('globalThis.global = globalThis;', context);

  const wrapper = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${script.code}\n})`, {
    filename: script.path,
  });
  const fn = wrapper.runInContext(context) as (...a: unknown[]) => void;
  const module = { exports: {} as ScriptExports };
  fn.call(module.exports, module.exports, requireModule, module, script.path, scriptDir);
  return { exports: module.exports, modules: { k6, http } };
}
