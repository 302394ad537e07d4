// A VU's warm-up, run after its init run and before it reports ready (so before the scenario's clock,
// like the rest of k6's VU initialisation). Every VU is its own V8 isolate, and V8 compiles lazily: the
// first iteration of each VU used to pay for parsing, compiling and shaping the runner's own per-iteration
// code (~2 ms of CPU against ~0.25 ms later). An arrival-rate scenario hands its first iterations to
// every pre-allocated VU within a few milliseconds, so 100 VUs paid that at once at t = 0 and dropped
// iterations for most of the first second. k6's VUs have nothing to warm (Go and Sobek do not JIT).
//
// The warm-up runs only the runner's code, never the script's: k6/http's request path with a synthetic
// reply (no socket is opened, nothing is sent), check(), group(), the per-iteration samples and the
// structured clones of the command, the HTTP call, its reply and the `done` message, each through a
// local MessageChannel. Its samples are discarded and the VU's state is restored exactly.
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import type { VuModules } from '../script/sandbox.ts';
import type { FromVu, HttpHop, ScenarioInfo, SyncCall, SyncReply, ToVu } from './protocol.ts';
import type { VuState } from './state.ts';

/** Rounds of the per-iteration path: enough for V8 to compile it and settle its inline caches. */
export const WARM_UP_ROUNDS = 30;

const SCENARIO: ScenarioInfo = {
  name: 'warm-up',
  executor: 'constant-arrival-rate',
  exec: 'default',
  env: {},
  tags: {},
  startTimeMs: 0,
};

function syntheticHop(method: string, url: string, now: number): HttpHop {
  return {
    method,
    url,
    status: 200,
    statusText: '200 OK',
    proto: 'HTTP/1.1',
    headers: { 'Content-Length': '2', 'Content-Type': 'text/plain', Date: new Date(now).toUTCString() },
    body: 'ok',
    remoteIp: '127.0.0.1',
    remotePort: 1,
    timings: { blocked: 0.01, connecting: 0, tls_handshaking: 0, sending: 0.02, waiting: 0.5, receiving: 0.03, duration: 0.55 },
    error: '',
    errorCode: 0,
    endTime: now,
    bytesSent: 60,
    bytesReceived: 120,
  };
}

/** Sends a value through a MessageChannel and back out, as the real messages travel. */
function clone<T>(port: { postMessage(v: unknown): void }, from: Parameters<typeof receiveMessageOnPort>[0], value: T): T {
  port.postMessage(value);
  return (receiveMessageOnPort(from)?.message ?? value) as T;
}

export interface WarmUpHooks {
  /** While set, the VU's syncCall answers with this instead of asking the HTTP thread. */
  setRehearsal(answer: ((call: SyncCall) => SyncReply) | undefined): void;
}

export function warmUp(vu: VuState, modules: VuModules, hooks: WarmUpHooks, rounds = WARM_UP_ROUNDS): void {
  const { port1, port2 } = new MessageChannel();
  const saved = {
    phase: vu.phase,
    scenario: vu.scenario,
    groupPath: vu.groupPath,
    iterationInInstance: vu.iterationInInstance,
    iterationInScenario: vu.iterationInScenario,
    scenarioIteration: vu.scenarioIteration,
    scenarioProgress: vu.scenarioProgress,
    dataSent: vu.dataSent,
    dataReceived: vu.dataReceived,
  };
  const pending = vu.take();
  hooks.setRehearsal((call) => {
    const sent = clone(port1, port2, call);
    const now = Date.now();
    const reply: SyncReply = { op: 'http', results: sent.requests.map((r) => ({ hops: [syntheticHop(r.method, r.url, now)] })) };
    return clone(port1, port2, reply);
  });
  try {
    vu.phase = 'vu';
    for (let i = 0; i < rounds; i++) {
      const cmd = clone<ToVu>(port1, port2, { type: 'iterate', scenario: SCENARIO, iterationInScenario: 0, scenarioIteration: i, progress: 0 });
      vu.scenario = cmd.type === 'iterate' ? cmd.scenario : SCENARIO;
      const start = performance.now();
      modules.k6.group('warm-up', () => {
        const res = modules.http.get('http://127.0.0.1:1/warm-up');
        modules.k6.check(res, { 'status is 200': (r: unknown) => (r as { status: number }).status === 200 });
      });
      modules.http.post('http://127.0.0.1:1/warm-up', JSON.stringify({ i }), { headers: { 'Content-Type': 'application/json' } });
      vu.groupPath = '';
      vu.emitDataSamples();
      const tags = vu.baseTags();
      const now = Date.now();
      vu.emit('iterations', 1, tags, now);
      vu.emit('iteration_duration', performance.now() - start, { ...tags }, now);
      clone<FromVu>(port1, port2, { type: 'done', samples: vu.take(), interrupted: false });
    }
  } finally {
    hooks.setRehearsal(undefined);
    port1.close();
    port2.close();
    vu.take();
    for (const s of pending) vu.emit(s.metric, s.value, s.tags, s.time);
    Object.assign(vu, saved);
  }
}
