// The supervisor's own series, next to the replicas' in /metrics. Named after their Kubernetes counterparts
// (kube_pod_container_status_restarts_total, kube_deployment_spec_replicas, ..._status_replicas_ready) so
// dashboards and alerts read the same locally and on a cluster.
import { Counter, Gauge, Registry } from 'prom-client';
import type { GroupObserver } from './group.ts';

export interface SupervisorMetrics {
  registry: Registry;
  observer: GroupObserver;
  setReady(count: number): void;
  scrapeFailed(pod: string): void;
}

export function createSupervisorMetrics(): SupervisorMetrics {
  const registry = new Registry();
  const restarts = new Counter({
    name: 'supervisor_replica_restarts_total',
    help: 'Times the supervisor restarted this replica after its process exited (crash, kill or graceful stop).',
    labelNames: ['pod'],
    registers: [registry],
  });
  const desired = new Gauge({
    name: 'supervisor_replicas_desired',
    help: 'Replicas the supervisor is asked to keep running.',
    registers: [registry],
  });
  const ready = new Gauge({
    name: 'supervisor_replicas_ready',
    help: 'Replicas listening, not draining and reporting ready, as of this scrape.',
    registers: [registry],
  });
  const scrapeFailures = new Counter({
    name: 'supervisor_replica_scrape_failures_total',
    help: 'Scrapes in which this replica did not hand over its metrics in time (its series are missing then).',
    labelNames: ['pod'],
    registers: [registry],
  });
  return {
    registry,
    observer: {
      // Each replica's series exists from the start at 0, so increase() sees the first restart.
      added: (pod) => restarts.inc({ pod }, 0),
      restarted: (pod) => restarts.inc({ pod }),
      // A removed slot's history goes with it, as a deleted pod's does; a later scale-up starts it at 0.
      removed: (pod) => {
        restarts.remove({ pod });
        scrapeFailures.remove({ pod });
      },
      desiredChanged: (count) => desired.set(count),
    },
    setReady: (count) => ready.set(count),
    scrapeFailed: (pod) => scrapeFailures.inc({ pod }),
  };
}
