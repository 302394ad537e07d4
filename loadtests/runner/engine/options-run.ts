// The engine's own init run (VU 0, in the main thread): reads `options` and the custom metrics the
// script declares, and fails early on unsupported imports or exceptions in init code.
import { readFileSync } from 'node:fs';
import type { CompiledScript } from '../script/compile.ts';
import { evaluateScript, type ScriptExports } from '../script/sandbox.ts';
import { VuState, type VuHost } from '../vu/state.ts';
import type { HttpOptions } from '../vu/protocol.ts';
import type { MetricDef } from '../metrics/types.ts';
import type { Logger } from './log.ts';

export interface OptionsRunResult {
  exports: ScriptExports;
  metrics: MetricDef[];
  /** exec.test.abort() was called in init code. */
  aborted?: string;
  failed?: string;
}

const INIT_HTTP: HttpOptions = {
  discardResponseBodies: false,
  throw: false,
  maxRedirects: 10,
  batch: 20,
  batchPerHost: 6,
  userAgent: '',
  noConnectionReuse: false,
};

export function runOptions(script: CompiledScript, env: Record<string, string>, logger: Logger): OptionsRunResult {
  const result: { aborted?: string; failed?: string } = {};
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const host: VuHost = {
    syncCall() {
      throw new Error('making requests in the init context is not supported');
    },
    sleep(ms) {
      Atomics.wait(sleeper, 0, 0, ms);
      return false;
    },
    interrupted: () => false,
    log: (level, message, fields) => logger.log(level, message, fields),
    abort(kind, reason) {
      if (kind === 'abort') result.aborted = reason;
      else result.failed = reason;
    },
    flush() {},
    instance: () => ({ iterationsCompleted: 0, iterationsInterrupted: 0, vusActive: 0, vusInitialized: 0 }),
    readFile: (path) => readFileSync(path),
  };
  const vu = new VuState(0, { ...env }, {}, INIT_HTTP, {}, Date.now(), host);
  vu.phase = 'options';
  const exports = evaluateScript(script, vu);
  return { exports, metrics: [...vu.metricDefs.values()], ...result };
}
