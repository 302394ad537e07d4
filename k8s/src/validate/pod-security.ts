// The Pod Security Standards (kubernetes.io/docs/concepts/security/pod-security-standards), "baseline" and
// "restricted" levels, as a pure check over a pod spec: what the namespace's enforce label would reject.
// Covers the controls a workload spec can violate here; AppArmor/SELinux options and /proc mount types are
// not set anywhere in this repository and are not modelled.

type Level = 'baseline' | 'restricted';

interface SecurityContext {
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  runAsNonRoot?: boolean;
  runAsUser?: number;
  seccompProfile?: { type?: string };
  capabilities?: { add?: string[]; drop?: string[] };
}
interface Container {
  name: string;
  securityContext?: SecurityContext;
  ports?: { hostPort?: number }[];
}
export interface PodSpec {
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  securityContext?: SecurityContext & { sysctls?: { name: string }[] };
  containers: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
  volumes?: Record<string, unknown>[];
}

const BASELINE_CAPS = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP',
  'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
]);
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

/** Human-readable violations of `level` (restricted includes baseline), empty when the pod is admitted. */
export const podSecurityViolations = (pod: PodSpec, level: Level): string[] => {
  const v: string[] = [];
  const all = [...pod.containers, ...(pod.initContainers ?? []), ...(pod.ephemeralContainers ?? [])];
  const podSc = pod.securityContext ?? {};
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) v.push('host namespaces (hostNetwork/hostPID/hostIPC)');
  for (const vol of pod.volumes ?? []) if ('hostPath' in vol) v.push(`hostPath volume ${String(vol.name)}`);
  for (const s of podSc.sysctls ?? []) if (!SAFE_SYSCTLS.has(s.name)) v.push(`unsafe sysctl ${s.name}`);
  if (podSc.seccompProfile?.type === 'Unconfined') v.push('pod seccompProfile Unconfined');
  for (const c of all) {
    const sc = c.securityContext ?? {};
    if (sc.privileged) v.push(`${c.name}: privileged`);
    const extra = (sc.capabilities?.add ?? []).filter((cap) => !BASELINE_CAPS.has(cap));
    if (extra.length) v.push(`${c.name}: capabilities ${extra.join(', ')} beyond baseline`);
    if ((c.ports ?? []).some((p) => (p.hostPort ?? 0) !== 0)) v.push(`${c.name}: hostPort`);
    if (sc.seccompProfile?.type === 'Unconfined') v.push(`${c.name}: seccompProfile Unconfined`);
  }
  if (level === 'baseline') return v;

  for (const vol of pod.volumes ?? []) {
    const type = Object.keys(vol).find((k) => k !== 'name');
    if (type && !RESTRICTED_VOLUMES.has(type)) v.push(`volume ${String(vol.name)} of type ${type}`);
  }
  for (const c of all) {
    const sc = c.securityContext ?? {};
    if (sc.allowPrivilegeEscalation !== false) v.push(`${c.name}: allowPrivilegeEscalation not false`);
    if (sc.runAsNonRoot !== true && podSc.runAsNonRoot !== true) v.push(`${c.name}: runAsNonRoot not true`);
    if ((sc.runAsUser ?? podSc.runAsUser) === 0) v.push(`${c.name}: runAsUser 0`);
    const seccomp = sc.seccompProfile?.type ?? podSc.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') v.push(`${c.name}: seccompProfile not RuntimeDefault/Localhost`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) v.push(`${c.name}: capabilities not dropping ALL`);
    const added = (sc.capabilities?.add ?? []).filter((cap) => cap !== 'NET_BIND_SERVICE');
    if (added.length) v.push(`${c.name}: adds ${added.join(', ')}`);
  }
  return v;
};
