// The management target for the whole group: what the management app's routes do when the supervisor serves
// them. Reads fan out to every live replica over IPC; writes go to one replica or all of them.
import type { Logger } from 'pino';
import type { ActiveFault, FaultSpec, ManagementTarget } from '../management/target.ts';
import type { ReplicaGroup } from './group.ts';
import {
  mergeFamilies,
  PROMETHEUS_CONTENT_TYPE,
  renderExposition,
  toFamilies,
  type MetricSource,
} from './metrics-merge.ts';
import type { SupervisorMetrics } from './supervisor-metrics.ts';

export function createGroupTarget(group: ReplicaGroup, own: SupervisorMetrics, logger: Logger): ManagementTarget {
  const readyCount = async () => {
    const replicas = await group.replicas();
    const ready = replicas.filter((r) => r.ready).length;
    own.setReady(ready);
    return { ready, total: replicas.length };
  };

  return {
    async metrics() {
      const collected = await Promise.all(
        group.channels().map(async ({ id, channel }): Promise<MetricSource | undefined> => {
          try {
            return { pod: id, families: await channel.request('metrics', undefined) };
          } catch (err) {
            // A replica dying mid-scrape loses its series for this scrape only, like a failed target in Prometheus.
            own.scrapeFailed(id);
            logger.warn({ replica: id, err }, 'could not collect replica metrics');
            return undefined;
          }
        }),
      );
      await readyCount();
      const supervisor: MetricSource = { families: toFamilies(await own.registry.getMetricsAsJSON()) };
      const sources = [supervisor, ...collected.filter((s): s is MetricSource => s !== undefined)];
      return { contentType: PROMETHEUS_CONTENT_TYPE, body: renderExposition(mergeFamilies(sources)) };
    },

    live: () => true,

    async ready() {
      const { ready, total } = await readyCount();
      return ready > 0 ? { ready: true } : { ready: false, reason: `0 of ${total} replicas ready` };
    },

    async setFault(spec: FaultSpec, replica?: string) {
      const targets = group.channels(replica);
      const results = await Promise.all(targets.map(({ channel }) => channel.request('setFault', spec)));
      return results.flat();
    },

    async faults() {
      const results = await Promise.all(group.channels().map(({ channel }) => channel.request('faults', undefined)));
      return results.flat().sort(byReplica);
    },

    async clearFaults(replica?: string) {
      const targets = group.channels(replica);
      const results = await Promise.all(targets.map(({ channel }) => channel.request('clearFaults', undefined)));
      return results.reduce((a, b) => a + b, 0);
    },

    replicas: () => group.replicas(),
    kill: (replica, signal) => group.kill(replica, signal),
    scale: (count) => group.scale(count),
  };
}

const byReplica = (a: ActiveFault, b: ActiveFault) => a.replica.localeCompare(b.replica, 'en', { numeric: true });
