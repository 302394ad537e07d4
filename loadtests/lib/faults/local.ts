// Local fault injection through the supervisor's management port (`/admin/*`, bearer CHAOS_TOKEN).
import http from 'k6/http';
import { sleep } from 'k6';
import type { Profile } from '../config.ts';
import type { FaultInjector, HttpFault, ReplicaState } from './types.ts';

// Admin calls are control traffic: every status counts as expected, so they never show in http_req_failed.
const ADMIN_STATUSES = http.expectedStatuses({ min: 0, max: 599 });

interface ReplicaInfo {
  id: string;
  pid: number;
  ready: boolean;
  restarts: number;
}

class LocalInjector implements FaultInjector {
  readonly kind = 'local' as const;

  constructor(private readonly profile: Profile) {}

  private admin(method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, name: string, body?: unknown) {
    const res = http.request(method, `${this.profile.mgmtUrl}${path}`, body === undefined ? null : JSON.stringify(body), {
      headers: { Authorization: `Bearer ${this.profile.chaosToken}`, 'Content-Type': 'application/json' },
      tags: { name: `admin ${method} ${name}` },
      timeout: '10s',
      responseCallback: ADMIN_STATUSES,
    });
    if (res.status < 200 || res.status > 299) {
      const why = res.status === 0 ? res.error : `HTTP ${res.status} ${String(res.body)}`;
      throw new Error(`chaos admin ${method} ${this.profile.mgmtUrl}${path} failed: ${why}`);
    }
    return res;
  }

  preflight(): void {
    if (!this.profile.chaosToken) {
      throw new Error('CHAOS_TOKEN is not set: local faults need the supervisor admin token (make up writes it to run/chaos-token)');
    }
    this.clearAll();
  }

  private list(): ReplicaInfo[] {
    return (this.admin('GET', '/admin/replicas', '/admin/replicas').json('replicas') as unknown as ReplicaInfo[]) ?? [];
  }

  holdHttpFault(fault: HttpFault, untilMs: number, ttlS: number): string {
    const spec = {
      delayMs: Math.round(fault.delayMs),
      jitterMs: Math.round(fault.jitterMs),
      errorRate: fault.errorRate,
      errorCode: fault.errorCode,
      ttlSeconds: Math.ceil(ttlS),
    };
    const targets = fault.targetReplicas > 0 ? this.list().slice(0, fault.targetReplicas).map((r) => r.id) : [];
    if (fault.targetReplicas > 0 && targets.length < fault.targetReplicas) {
      throw new Error(`TARGET_REPLICAS=${fault.targetReplicas} but only ${targets.length} replica(s) are running`);
    }
    try {
      if (targets.length === 0) this.admin('PUT', '/admin/chaos', '/admin/chaos', spec);
      for (const replica of targets) this.admin('PUT', '/admin/chaos', '/admin/chaos', { ...spec, replica });
      sleep(Math.max(0, (untilMs - Date.now()) / 1000));
    } finally {
      this.admin('DELETE', '/admin/chaos', '/admin/chaos');
    }
    return targets.length ? `on ${targets.join(', ')}` : 'on all replicas';
  }

  killReplica(force: boolean): string {
    const victim = this.list().find((r) => r.ready);
    if (!victim) throw new Error('no ready replica to kill');
    const signal = force ? 'SIGKILL' : 'SIGTERM';
    this.admin('POST', `/admin/replicas/${encodeURIComponent(victim.id)}/kill`, '/admin/replicas/:id/kill', { signal });
    return `${signal} ${victim.id} (pid ${victim.pid})`;
  }

  scale(count: number): string {
    this.admin('PUT', '/admin/replicas', '/admin/replicas', { count });
    return `scaled to ${count}`;
  }

  replicas(): ReplicaState {
    const list = this.list();
    return {
      ready: list.filter((r) => r.ready).length,
      total: list.length,
      signature: list.map((r) => `${r.id}:${r.pid}`).sort().join(','),
    };
  }

  clearAll(): void {
    this.admin('DELETE', '/admin/chaos', '/admin/chaos');
  }
}

export const createInjector = (profile: Profile): FaultInjector => new LocalInjector(profile);
export const INJECTOR_KIND = 'local';
