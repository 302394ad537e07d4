// `make doctor`: checks a user's cluster for what the chaos runs need and says what to fix. Every check talks
// to the cluster only through `kubectl` (injected, so tests can stand in for a cluster) and to the NodePort
// over plain HTTP.
import type { KObject } from '../kustomize/types.ts';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}
export type Kubectl = (args: string[]) => Promise<ExecResult>;

export type Status = 'ok' | 'warn' | 'fail';
export interface Finding {
  status: Status;
  check: string;
  detail: string;
  fix?: string;
}

export interface DoctorOptions {
  namespace: string;
  /** The chaos overlay's Role: the verbs to ask `kubectl auth can-i` about. */
  role: KObject & { rules?: { apiGroups?: string[]; resources: string[]; verbs: string[] }[] };
  serviceAccount: string;
  nodePort: number;
  /** Explicit URL of the NodePort (NODE_URL), tried before localhost and the nodes' addresses. */
  nodeUrl?: string;
  fetchTimeoutMs?: number;
}

export const MIN_MINOR = 23;

const finding = (status: Status, check: string, detail: string, fix?: string): Finding => ({ status, check, detail, ...(fix ? { fix } : {}) });

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** Server version from `kubectl version -o json`; minor may carry a suffix like "28+". */
export const serverVersion = (stdout: string): { major: number; minor: number; git: string } | undefined => {
  const v = (parseJson(stdout) as { serverVersion?: { major?: string; minor?: string; gitVersion?: string } } | undefined)?.serverVersion;
  const major = Number.parseInt(v?.major ?? '', 10);
  const minor = Number.parseInt(v?.minor ?? '', 10);
  return Number.isFinite(major) && Number.isFinite(minor) ? { major, minor, git: v?.gitVersion ?? `v${major}.${minor}` } : undefined;
};

/** `kubectl auth can-i` arguments for a Role resource, splitting subresources (pods/exec) the documented way. */
export const canIArgs = (verb: string, resource: string, namespace: string): string[] => {
  const [res, sub] = resource.split('/');
  return ['auth', 'can-i', verb, res!, ...(sub ? [`--subresource=${sub}`] : []), '-n', namespace];
};

const probeUrl = async (url: string, timeoutMs: number): Promise<string | undefined> => {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.status < 500 ? undefined : `HTTP ${res.status}`;
  } catch (e) {
    return e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
  }
};

const nodeAddresses = async (kubectl: Kubectl): Promise<string[]> => {
  const res = await kubectl(['get', 'nodes', '-o', 'json']);
  const nodes = (parseJson(res.stdout) as { items?: { status?: { addresses?: { type: string; address: string }[] } }[] } | undefined)?.items ?? [];
  return nodes.flatMap((n) => (n.status?.addresses ?? []).filter((a) => a.type === 'InternalIP' || a.type === 'ExternalIP').map((a) => a.address));
};

export const runDoctor = async (kubectl: Kubectl, o: DoctorOptions): Promise<Finding[]> => {
  const out: Finding[] = [];
  const client = await kubectl(['version', '--client', '-o', 'json']);
  if (client.code === 127) {
    return [
      finding('fail', 'kubectl', 'kubectl is not on PATH', 'install kubectl (https://kubernetes.io/docs/tasks/tools/) or set KUBECTL=/path/to/kubectl'),
    ];
  }
  const server = await kubectl(['version', '-o', 'json', '--request-timeout=5s']);
  const version = serverVersion(server.stdout);
  if (!version) {
    return [
      finding('ok', 'kubectl', 'kubectl found'),
      finding(
        'fail',
        'cluster',
        `no Kubernetes API answered (${(server.stderr.trim().split('\n').pop() ?? '').slice(0, 200) || 'no server version'})`,
        'start your cluster (kind create cluster / minikube start / k3s) and check `kubectl config current-context`',
      ),
    ];
  }
  out.push(finding('ok', 'kubectl', 'kubectl found, cluster reachable'));
  out.push(
    version.major > 1 || version.minor >= MIN_MINOR
      ? finding('ok', 'version', `Kubernetes ${version.git} (>= 1.${MIN_MINOR}, ephemeral containers available)`)
      : finding('fail', 'version', `Kubernetes ${version.git} is older than 1.${MIN_MINOR}`, 'xk6-disruptor needs ephemeral containers: upgrade the cluster to 1.23 or later'),
  );

  for (const rule of o.role.rules ?? []) {
    for (const resource of rule.resources) {
      for (const verb of rule.verbs) {
        const res = await kubectl(canIArgs(verb, resource, o.namespace));
        const yes = res.stdout.trim() === 'yes';
        const asSa = await kubectl([...canIArgs(verb, resource, o.namespace), `--as=system:serviceaccount:${o.namespace}:${o.serviceAccount}`]);
        const saYes = asSa.stdout.trim() === 'yes';
        const what = `${verb} ${resource}`;
        if (yes && saYes) out.push(finding('ok', 'rbac', `you and ${o.serviceAccount} can ${what}`));
        else if (yes) {
          out.push(
            finding('warn', 'rbac', `you can ${what}, the in-cluster account ${o.serviceAccount} cannot`, 'for TestRun/Job runs: make k8s-apply K8S_OVERLAY=chaos (adds its Role and RoleBinding)'),
          );
        } else {
          out.push(
            finding('fail', 'rbac', `you cannot ${what} in ${o.namespace}`, `ask an admin for a Role with ${what} in ${o.namespace} (see k8s/overlays/chaos/rbac.yaml), or run in-cluster with K8S_OVERLAY=chaos`),
          );
        }
      }
    }
  }

  const ns = await kubectl(['get', 'namespace', o.namespace, '-o', 'json']);
  const labels = (parseJson(ns.stdout) as { metadata?: { labels?: Record<string, string> } } | undefined)?.metadata?.labels;
  if (ns.code !== 0 || !labels) {
    out.push(finding('fail', 'podsecurity', `namespace ${o.namespace} does not exist`, 'make k8s-apply K8S_OVERLAY=chaos'));
  } else {
    const level = labels['pod-security.kubernetes.io/enforce'];
    if (level === 'privileged') out.push(finding('ok', 'podsecurity', `${o.namespace} enforces "privileged": the disruptor agent (NET_ADMIN) is admitted`));
    else if (level === undefined) {
      out.push(
        finding('warn', 'podsecurity', `${o.namespace} has no enforce label; the cluster default applies`, `kubectl label namespace ${o.namespace} pod-security.kubernetes.io/enforce=privileged --overwrite`),
      );
    } else {
      out.push(
        finding(
          'fail',
          'podsecurity',
          `${o.namespace} enforces "${level}", which rejects the disruptor agent's NET_ADMIN capability`,
          `make k8s-apply K8S_OVERLAY=chaos, or: kubectl label namespace ${o.namespace} pod-security.kubernetes.io/enforce=privileged --overwrite`,
        ),
      );
    }
  }

  for (const [crd, severity, fix] of [
    ['servicemonitors.monitoring.coreos.com', 'fail', 'install kube-prometheus-stack (helm install kube-prometheus-stack prometheus-community/kube-prometheus-stack -n monitoring --create-namespace)'],
    ['prometheusrules.monitoring.coreos.com', 'fail', 'install kube-prometheus-stack (it brings the prometheus-operator CRDs)'],
    ['testruns.k6.io', 'warn', 'install k6-operator for TestRun runs, or use the plain Job (chaos-latency-job)'],
  ] as const) {
    const res = await kubectl(['get', 'crd', crd, '-o', 'name']);
    out.push(res.code === 0 ? finding('ok', 'crd', `${crd} installed`) : finding(severity, 'crd', `${crd} missing`, fix));
  }

  const candidates = [
    ...(o.nodeUrl ? [o.nodeUrl] : []),
    `http://localhost:${o.nodePort}`,
    ...(await nodeAddresses(kubectl)).map((a) => `http://${a}:${o.nodePort}`),
  ];
  const failures: string[] = [];
  let reached: string | undefined;
  for (const base of candidates) {
    const err = await probeUrl(`${base}/api/polls`, o.fetchTimeoutMs ?? 3000);
    if (err === undefined) {
      reached = base;
      break;
    }
    failures.push(`${base}: ${err}`);
  }
  out.push(
    reached
      ? finding('ok', 'nodeport', `poll API answers at ${reached} (use BASE_URL=${reached})`)
      : finding(
          'fail',
          'nodeport',
          `NodePort ${o.nodePort} not reachable (${failures.join('; ')})`,
          `make k8s-apply first; kind needs extraPortMappings for containerPort ${o.nodePort}; minikube: BASE_URL=$(minikube service poll-api -n ${o.namespace} --url); or set NODE_URL`,
        ),
  );
  return out;
};

export const report = (findings: Finding[]): string =>
  findings
    .map((f) => `${f.status === 'ok' ? '  ok  ' : f.status === 'warn' ? ' warn ' : ' FAIL '} ${f.check}: ${f.detail}${f.fix ? `\n         fix: ${f.fix}` : ''}`)
    .join('\n');
