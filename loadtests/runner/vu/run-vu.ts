// The body of a VU worker thread: evaluate the script in its own context (the VU's init run), then run
// iterations, setup, teardown or handleSummary as the engine asks.
import { parentPort, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import type { Sample } from '../metrics/types.ts';
import {
  CTRL,
  STATS,
  type FromVu,
  type ScenarioInfo,
  type SummaryOutput,
  type SyncCall,
  type SyncReply,
  type ToVu,
  type VuWorkerData,
} from './protocol.ts';
import { InterruptError, TestAbortError, VuState, type VuHost } from './state.ts';
import { loadScript, type ScriptExports, type VuModules } from '../script/sandbox.ts';
import { warmUp, type WarmUpHooks } from './warm-up.ts';
import { lowerThisThreadPriority } from './priority.ts';
import { summaryEntries } from '../metrics/summary-entries.ts';

export function toScriptError(err: unknown): { message: string; stack: string } {
  if (err instanceof Error) return { message: `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}`, stack: err.stack ?? err.message };
  return { message: String(err), stack: String(err) };
}

function makeHost(data: VuWorkerData, post: (m: FromVu) => void): VuHost & WarmUpHooks {
  const ctrl = new Int32Array(data.ctrl);
  const stats = new Int32Array(data.stats);
  const port: MessagePort = data.syncPort;
  let rehearsal: ((call: SyncCall) => SyncReply) | undefined;
  return {
    setRehearsal(answer) {
      rehearsal = answer;
    },
    syncCall(call) {
      if (rehearsal) return rehearsal(call);
      Atomics.store(ctrl, CTRL.reply, 0);
      port.postMessage(call);
      for (;;) {
        Atomics.wait(ctrl, CTRL.reply, 0);
        const got = receiveMessageOnPort(port);
        if (got) {
          Atomics.store(ctrl, CTRL.reply, 0);
          return got.message as SyncReply;
        }
      }
    },
    sleep(ms) {
      return Atomics.wait(ctrl, CTRL.interrupt, 0, ms) !== 'timed-out';
    },
    interrupted: () => Atomics.load(ctrl, CTRL.interrupt) !== 0,
    log: (level, message, fields) => post({ type: 'log', level, message, ...(fields ? { fields } : {}) }),
    abort: (kind, reason) => post({ type: 'abort', kind, reason }),
    flush: (samples: Sample[]) => {
      if (!rehearsal) post({ type: 'samples', samples });
    },
    instance: () => ({
      iterationsCompleted: Atomics.load(stats, STATS.iterationsCompleted),
      iterationsInterrupted: Atomics.load(stats, STATS.iterationsInterrupted),
      vusActive: Atomics.load(stats, STATS.vusActive),
      vusInitialized: Atomics.load(stats, STATS.vusInitialized),
    }),
    readFile: (path) => readFileSync(path),
  };
}

export function runVu(data: VuWorkerData): void {
  const port = parentPort;
  if (!port) throw new Error('run-vu must run in a worker thread');
  lowerThisThreadPriority();
  const post = (m: FromVu) => port.postMessage(m);
  const baseEnv = { ...data.env };
  const host = makeHost(data, post);
  const ctrl = new Int32Array(data.ctrl);
  const vu = new VuState(data.id, { ...baseEnv }, data.runTags, data.http, data.exposedOptions, data.testStartMs, host);

  let exports: ScriptExports;
  let modules: VuModules;
  try {
    ({ exports, modules } = loadScript({ path: data.scriptPath, code: data.code }, vu));
  } catch (err) {
    post({ type: 'initError', error: toScriptError(err), code: err instanceof TestAbortError ? 108 : 107 });
    return;
  }
  // Iterating VUs only (id 0 runs setup, teardown or handleSummary once).
  if (data.id > 0) warmUp(vu, modules, host);
  post({ type: 'ready', metrics: [...vu.metricDefs.values()], exports: Object.keys(exports) });

  let setupJson: string | undefined;
  let setupData: unknown;
  let setupParsed = false;
  let currentScenario = '';
  const perScenario = new Map<string, number>();

  const useScenario = (s: ScenarioInfo | null) => {
    const name = s?.name ?? '';
    vu.scenario = s;
    if (name === currentScenario) return;
    currentScenario = name;
    // A VU lent to another scenario starts from that scenario's tags and env, as k6 re-activates it.
    for (const k of Object.keys(vu.userTags)) delete vu.userTags[k];
    for (const k of Object.keys(vu.env)) delete vu.env[k];
    Object.assign(vu.env, baseEnv, s?.env ?? {});
  };

  async function iterate(msg: Extract<ToVu, { type: 'iterate' }>): Promise<void> {
    vu.phase = 'vu';
    useScenario(msg.scenario);
    vu.iterationInInstance++;
    const inScenario = perScenario.get(msg.scenario.name) ?? 0;
    perScenario.set(msg.scenario.name, inScenario + 1);
    vu.iterationInScenario = inScenario;
    vu.scenarioIteration = msg.scenarioIteration;
    vu.scenarioProgress = msg.progress;
    vu.groupPath = '';
    if (!setupParsed) {
      setupData = setupJson === undefined ? undefined : JSON.parse(setupJson);
      setupParsed = true;
    }
    const fn = exports[msg.scenario.exec];
    const start = performance.now();
    let error: { message: string; stack: string } | undefined;
    let interrupted = false;
    try {
      if (typeof fn !== 'function') throw new Error(`function '${msg.scenario.exec}' not found in exports`);
      const r: unknown = fn(setupData);
      if (r && typeof (r as Promise<unknown>).then === 'function') await r;
    } catch (err) {
      if (err instanceof InterruptError) interrupted = true;
      else error = toScriptError(err);
    }
    vu.groupPath = '';
    vu.emitDataSamples();
    if (!interrupted) {
      const tags = vu.baseTags();
      const now = Date.now();
      vu.emit('iterations', 1, tags, now);
      vu.emit('iteration_duration', performance.now() - start, { ...tags }, now);
    }
    post({ type: 'done', samples: vu.take(), interrupted, ...(error ? { error } : {}) });
    Atomics.store(ctrl, CTRL.resultPosted, 1);
  }

  async function call(msg: Extract<ToVu, { type: 'call' }>): Promise<void> {
    vu.phase = msg.fn === 'handleSummary' ? 'summary' : msg.fn;
    useScenario(null);
    vu.groupPath = msg.fn === 'handleSummary' ? '' : `::${msg.fn}`;
    const fn = exports[msg.fn];
    try {
      let value: unknown;
      if (typeof fn === 'function') {
        const arg = msg.arg === undefined ? undefined : JSON.parse(msg.arg);
        value = fn(arg);
        if (value && typeof (value as Promise<unknown>).then === 'function') value = await value;
      }
      // data_sent/data_received of setup and teardown are tagged with their group, like their requests.
      vu.emitDataSamples();
      vu.groupPath = '';
      if (msg.fn === 'handleSummary') {
        post({ type: 'result', samples: vu.take(), ...summaryOutcome(value) });
      } else {
        const json = value === undefined ? undefined : JSON.stringify(value);
        post({ type: 'result', samples: vu.take(), ...(json === undefined ? {} : { value: json }) });
      }
    } catch (err) {
      vu.emitDataSamples();
      post({ type: 'result', samples: vu.take(), error: toScriptError(err) });
    }
  }

  // The command loop: block on the futex until the engine bumps the command counter, then read the
  // command port. Async exec functions are awaited (their promises settle through the microtask queue).
  const commands = data.commandPort;
  const next = (): ToVu => {
    for (;;) {
      const seen = Atomics.load(ctrl, CTRL.command);
      const got = receiveMessageOnPort(commands);
      if (got) return got.message as ToVu;
      Atomics.wait(ctrl, CTRL.command, seen, 1000);
    }
  };
  const loop = async () => {
    for (;;) {
      const msg = next();
      switch (msg.type) {
        case 'iterate':
          await iterate(msg);
          break;
        case 'setupData':
          setupJson = msg.json;
          setupParsed = false;
          break;
        case 'call':
          await call(msg);
          break;
        case 'close':
          commands.close();
          port.close();
          return;
      }
    }
  };
  void loop();
}

/**
 * handleSummary's value as k6's summary wrapper sees it: a falsy value means the default text summary
 * (neither field); anything else must pass k6's checks here, where the script's realm still is.
 */
function summaryOutcome(value: unknown): { summary?: SummaryOutput; summaryError?: string } {
  if (!value) return {};
  try {
    return { summary: summaryEntries(value) ?? {} };
  } catch (err) {
    return { summaryError: (err as Error).message };
  }
}
