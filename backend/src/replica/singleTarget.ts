// ManagementTarget for one replica serving its own management port (the pod case).
import type { Registry } from 'prom-client';
import type { ChaosController } from '../chaos/controller.ts';
import { UnknownReplicaError } from '../management/errors.ts';
import type { ManagementTarget } from '../management/target.ts';

export interface SingleReplicaParts {
  id: string;
  startedAt: number;
  registry: Registry;
  chaos: ChaosController;
  ready(): Promise<{ ready: boolean; reason?: string }>;
}

export function singleReplicaTarget(r: SingleReplicaParts): ManagementTarget {
  const mustBeMe = (replica: string | undefined) => {
    if (replica !== undefined && replica !== r.id) throw new UnknownReplicaError(replica);
  };
  return {
    async metrics() {
      return { contentType: r.registry.contentType, body: await r.registry.metrics() };
    },
    live: () => true,
    ready: () => r.ready(),
    async setFault(spec, replica) {
      mustBeMe(replica);
      return [r.chaos.set(spec)];
    },
    async faults() {
      return r.chaos.list();
    },
    async clearFaults(replica) {
      mustBeMe(replica);
      return r.chaos.clear();
    },
    async replicas() {
      const { ready } = await r.ready();
      return [{ id: r.id, pid: process.pid, startedAt: r.startedAt, restarts: 0, ready }];
    },
  };
}
