// `make status`: the replica table as an operator reads it, fetched from the running supervisor's admin API.
import type { GroupReplicaInfo } from './group.ts';

const COLUMNS = ['REPLICA', 'PID', 'STATE', 'READY', 'RESTARTS', 'AGE'] as const;

export function formatAge(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
  return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`;
}

/** A kubectl-style table; `-` where a slot has no process right now. */
export function formatReplicaTable(replicas: GroupReplicaInfo[]): string {
  const rows = replicas.map((r) => [
    r.id,
    r.pid === 0 ? '-' : String(r.pid),
    r.state,
    r.ready ? 'yes' : 'no',
    String(r.restarts),
    r.pid === 0 ? '-' : formatAge(r.ageSeconds),
  ]);
  const table = [[...COLUMNS], ...rows];
  const widths = COLUMNS.map((_, i) => Math.max(...table.map((row) => row[i]?.length ?? 0)));
  return table.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

export async function fetchReplicas(mgmtUrl: string, token: string): Promise<GroupReplicaInfo[]> {
  const res = await fetch(new URL('/admin/replicas', mgmtUrl), { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET /admin/replicas answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { replicas: GroupReplicaInfo[] };
  return body.replicas;
}
