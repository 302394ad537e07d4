import type { Scenario } from '../../config/options.ts';
import { ArrivalRate } from './arrival.ts';
import { type Executor, type ExecutorEnv } from './base.ts';
import { ConstantVUs, PerVuIterations, RampingVUs, SharedIterations } from './looping.ts';

export { Executor, wait, type ExecutorEnv, type ScenarioProgress } from './base.ts';

export function createExecutor(s: Scenario, env: ExecutorEnv): Executor {
  switch (s.executor) {
    case 'constant-vus':
      return new ConstantVUs(s, env);
    case 'ramping-vus':
      return new RampingVUs(s, env);
    case 'shared-iterations':
      return new SharedIterations(s, env);
    case 'per-vu-iterations':
      return new PerVuIterations(s, env);
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate':
      return new ArrivalRate(s, env);
  }
}
