// The `k6/execution` module (K:internal/js/modules/k6/execution/execution.go).
import { TestAbortError, type VuState } from '../vu/state.ts';

export function createExecutionModule(vu: VuState) {
  const notInInit = (what: string) => {
    if (vu.inInit) throw new Error(`getting ${what} information in the init context is not supported`);
  };
  const tags = vu.userTags;
  const vuInfo = {
    get idInInstance() {
      return vu.phase === 'vu' ? vu.id : 0;
    },
    get idInTest() {
      return vu.phase === 'vu' ? vu.id : 0;
    },
    get iterationInInstance() {
      return Math.max(vu.iterationInInstance, 0);
    },
    get iterationInScenario() {
      return vu.iterationInScenario;
    },
    tags,
    metrics: { tags, metadata: {} },
  };
  const scenarioInfo = {
    get name() {
      return vu.scenario?.name ?? '';
    },
    get executor() {
      return vu.scenario?.executor ?? '';
    },
    get startTime() {
      return Math.trunc(vu.scenario?.startTimeMs ?? 0);
    },
    get progress() {
      return vu.scenarioProgress;
    },
    get iterationInInstance() {
      return vu.scenarioIteration;
    },
    get iterationInTest() {
      return vu.scenarioIteration;
    },
  };
  const instanceInfo = {
    get currentTestRunDuration() {
      return Date.now() - vu.testStartMs;
    },
    get iterationsCompleted() {
      return vu.host.instance().iterationsCompleted;
    },
    get iterationsInterrupted() {
      return vu.host.instance().iterationsInterrupted;
    },
    get vusActive() {
      return vu.host.instance().vusActive;
    },
    get vusInitialized() {
      return vu.host.instance().vusInitialized;
    },
  };
  const test = {
    abort(reason?: string): never {
      const msg = `test aborted${reason ? `: ${reason}` : ''}`;
      vu.host.abort('abort', msg);
      throw new TestAbortError(msg);
    },
    fail(reason?: string): void {
      const msg = `test marked as failed${reason ? `: ${reason}` : ''}`;
      vu.host.log('error', msg);
      vu.host.abort('fail', msg);
    },
    get options() {
      return Object.freeze(structuredClone(vu.exposedOptions));
    },
  };
  return {
    get vu() {
      notInInit('VU');
      return vuInfo;
    },
    get scenario() {
      notInInit('scenario');
      return scenarioInfo;
    },
    get instance() {
      notInInit('instance');
      return instanceInfo;
    },
    test,
  };
}
