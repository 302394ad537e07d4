// The typings of an ambient k6 extension module can only be pulled in by reference (loadtests/tsconfig.json
// includes scenarios/ and lib/ only, and an import of a .d.ts would reach the bundler).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../../types/k6-x-disruptor.d.ts" />
// Cluster fault injection with xk6-disruptor v0.3.17 (k6 v1.3.x built with xk6). This is the only file that
// imports `k6/x/disruptor`; every other bundle runs on stock k6. What the disruptor cannot do is done elsewhere:
// scaling is kubectl in mk/loadtests.mk around the run, and terminatePods is always graceful (no SIGKILL).
import { ServiceDisruptor } from 'k6/x/disruptor';
import type { Profile } from '../config.ts';
import type { FaultInjector, HttpFault, ReplicaState } from './types.ts';

/** Probes and scrapes live on the management port, but exclude their paths anyway in case a port is shared. */
const EXCLUDED_PATHS = '/healthz,/readyz,/metrics';

class ClusterInjector implements FaultInjector {
  readonly kind = 'cluster' as const;
  private disruptor: ServiceDisruptor | undefined;

  constructor(private readonly profile: Profile) {}

  /** Created lazily: the constructor talks to the Kubernetes API, which k6 forbids in init code. */
  private get target(): ServiceDisruptor {
    this.disruptor ??= new ServiceDisruptor(this.profile.k8s.service, this.profile.k8s.namespace, { injectTimeout: '60s' });
    return this.disruptor;
  }

  preflight(): void {
    if (this.profile.fault.targetReplicas > 0) {
      throw new Error('TARGET_REPLICAS is local-only: a ServiceDisruptor disrupts every pod behind the Service');
    }
    if (this.profile.fault.force) {
      throw new Error('FORCE=1 is local-only: xk6-disruptor terminatePods always deletes pods gracefully');
    }
  }

  holdHttpFault(fault: HttpFault, untilMs: number, _ttlS: number): string {
    // injectHTTPFaults blocks for the duration and the agent removes the fault itself when it ends, so the
    // duration is both the explicit removal and the TTL.
    const port = this.profile.k8s.port;
    this.target.injectHTTPFaults(
      {
        averageDelay: `${Math.round(fault.delayMs)}ms`,
        delayVariation: `${Math.round(fault.jitterMs)}ms`,
        errorRate: fault.errorRate,
        errorCode: fault.errorCode,
        exclude: EXCLUDED_PATHS,
        ...(port > 0 ? { port } : {}),
      },
      `${Math.max(1, Math.round(untilMs - Date.now()))}ms`,
    );
    return `on every pod of service ${this.profile.k8s.namespace}/${this.profile.k8s.service}`;
  }

  killReplica(_force: boolean): string {
    const pods = this.target.terminatePods({ count: 1, timeout: '60s' });
    return `terminated ${pods.join(', ')}`;
  }

  scale(count: number): string {
    return `kubectl scales to ${count} (driven by mk/loadtests.mk, not by the script)`;
  }

  replicas(): ReplicaState {
    const pods = this.target.targets();
    return { ready: pods.length, total: pods.length, signature: [...pods].sort().join(',') };
  }

  clearAll(): void {
    // Disruptor faults end with their duration; nothing outlives injectHTTPFaults.
  }
}

export const createInjector = (profile: Profile): FaultInjector => new ClusterInjector(profile);
export const INJECTOR_KIND = 'cluster';
