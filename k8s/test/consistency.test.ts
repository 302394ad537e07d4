// Names, labels and ports agree across the Deployment, Services, ServiceMonitor, NetworkPolicies, RBAC, k6 runs,
// dashboard and rules, the scenarios' cluster settings, the backend's own config parser, and the metric names
// a live backend really exports.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from '../src/kustomize/render.ts';
import type { KObject } from '../src/kustomize/types.ts';
import { buildDashboard, dashboardExpressions, DASHBOARD_FILE } from '../src/observability/dashboard.ts';
import { RULE_GROUPS, isAlert } from '../src/observability/rules.ts';
import { BACKEND_METRICS, SUPERVISOR_METRICS, KUBE_STATE_METRICS, SCRAPE_JOB, LATENCY_SLO_SECONDS, BACKEND_CONTAINER } from '../src/observability/metrics.ts';
import { RELEASE_LABEL } from '../src/observability/generated.ts';
import { loadConfig } from '../../backend/src/config/index.ts';
import { loadProfile } from '../../loadtests/lib/config.ts';
import { CHAOS_SCRIPTS, REPO_DIR, builtChaosBundles, copyK8sTree } from './helpers.ts';
import { startSupervisor, type Supervisor } from './local-stack.ts';

// Loose views of the rendered objects: the schema test has already checked their shapes.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = KObject & { spec: any; data?: Record<string, string>; rules?: any[]; roleRef?: any; subjects?: any[] };
/* eslint-enable @typescript-eslint/no-explicit-any */

const tree = copyK8sTree();
after(() => tree.remove());
const objects = render(join(tree.root, 'k8s', 'overlays', 'chaos'), { loadRestrictor: 'none' }) as Obj[];
const get = (kind: string, name: string): Obj => {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  assert.ok(o, `${kind}/${name} missing`);
  return o;
};

const deployment = get('Deployment', 'poll-backend');
const pod = deployment.spec.template;
const container = pod.spec.containers.find((c: { name: string }) => c.name === BACKEND_CONTAINER);
const containerPort = (name: string): number => {
  const p = container.ports.find((x: { name: string }) => x.name === name);
  assert.ok(p, `container port ${name}`);
  return p.containerPort;
};
const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

/** The container's environment as Kubernetes would build it: ConfigMap, Secrets, field refs, $(VAR) expansion. */
const containerEnv = (): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) Object.assign(env, get('ConfigMap', from.configMapRef.name).data);
  for (const e of container.env) {
    if (e.value !== undefined) env[e.name] = e.value.replace(/\$\(([A-Z_]+)\)/g, (_: string, v: string) => env[v] ?? `$(${v})`);
    else if (e.valueFrom?.secretKeyRef) {
      const secret = get('Secret', e.valueFrom.secretKeyRef.name);
      const raw = secret.data?.[e.valueFrom.secretKeyRef.key];
      assert.ok(raw, `secret ${secret.metadata.name} has no key ${e.valueFrom.secretKeyRef.key}`);
      env[e.name] = Buffer.from(raw, 'base64').toString();
    } else if (e.valueFrom?.fieldRef?.fieldPath === 'metadata.name') env[e.name] = 'poll-backend-5d8c7-x2x9q';
  }
  return env;
};

describe('Deployment', () => {
  test('the backend accepts the environment the pod gets, with the ports the container declares', () => {
    const env = containerEnv();
    const config = loadConfig(env);
    assert.equal(config.port, containerPort('http'));
    assert.equal(config.mgmtPort, containerPort('mgmt'));
    assert.equal(containerPort('http'), 3000);
    assert.equal(containerPort('mgmt'), 9464);
    assert.deepEqual(config.store, { kind: 'postgres', url: 'postgres://poll:dev-only-poll-password@postgres.poll-app.svc:5432/poll' });
    assert.equal(config.chaosToken, 'dev-only-chaos-token');
    assert.equal(env.POD_NAME, 'poll-backend-5d8c7-x2x9q');
  });

  test('CHAOS_TOKEN and the database password come from Secrets, never literals', () => {
    const byName = Object.fromEntries(container.env.map((e: { name: string }) => [e.name, e]));
    assert.equal(byName.CHAOS_TOKEN.value, undefined);
    assert.equal(byName.CHAOS_TOKEN.valueFrom.secretKeyRef.name, 'poll-chaos-token');
    assert.equal(byName.POSTGRES_PASSWORD.valueFrom.secretKeyRef.name, 'postgres-credentials');
    assert.ok(!JSON.stringify(get('ConfigMap', 'poll-backend-config').data).includes('TOKEN'));
  });

  test('DATABASE_URL points at the PostgreSQL Service and the StatefulSet reads the same Secret', () => {
    const pg = get('Service', 'postgres');
    const url = new URL(containerEnv().DATABASE_URL!);
    assert.equal(url.hostname, `${pg.metadata.name}.${pg.metadata.namespace}.svc`);
    assert.equal(Number(url.port), pg.spec.ports[0].port);
    const sts = get('StatefulSet', 'postgres');
    assert.equal(sts.spec.template.spec.containers[0].envFrom[0].secretRef.name, 'postgres-credentials');
    assert.ok(selects(pg.spec.selector, sts.spec.template.metadata.labels));
    assert.equal(sts.spec.volumeClaimTemplates[0].metadata.name, 'data');
  });

  test('probes use the mgmt port: liveness /healthz, readiness /readyz', () => {
    assert.deepEqual(container.livenessProbe.httpGet, { path: '/healthz', port: 'mgmt' });
    assert.deepEqual(container.readinessProbe.httpGet, { path: '/readyz', port: 'mgmt' });
  });

  test('non-root, read-only root filesystem, no privilege escalation, no capabilities, resources set', () => {
    assert.equal(pod.spec.securityContext.runAsNonRoot, true);
    assert.equal(pod.spec.securityContext.seccompProfile.type, 'RuntimeDefault');
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.equal(container.securityContext.allowPrivilegeEscalation, false);
    assert.deepEqual(container.securityContext.capabilities.drop, ['ALL']);
    for (const k of ['requests', 'limits']) assert.ok(container.resources[k].cpu && container.resources[k].memory, k);
    assert.equal(deployment.spec.replicas, 2);
  });

  test('the image, user, ports and command agree with backend/Dockerfile', () => {
    const dockerfile = readFileSync(join(REPO_DIR, 'backend', 'Dockerfile'), 'utf8');
    const tag = /docker build -f backend\/Dockerfile -t (\S+) \./.exec(dockerfile)?.[1];
    assert.ok(tag, 'the Dockerfile documents its build tag');
    assert.equal(container.image, tag.includes(':') ? tag : `${tag}:latest`);
    // node:*-slim images define the `node` user as uid 1000.
    assert.match(dockerfile, /^USER node$/m);
    assert.equal(pod.spec.securityContext.runAsUser, 1000);
    assert.deepEqual(/^EXPOSE (.+)$/m.exec(dockerfile)?.[1]?.split(/\s+/).map(Number), [containerPort('http'), containerPort('mgmt')]);
    assert.match(dockerfile, /^CMD \["node", "dist\/backend\/server\.js"\]$/m);
    assert.equal(container.command, undefined, 'the image CMD runs the server');
  });

  test('terminationGracePeriodSeconds covers the preStop delay plus the drain, with a small margin', () => {
    const env = containerEnv();
    const config = loadConfig(env);
    const preStop = container.lifecycle.preStop.exec.command.join(' ');
    const preStopMs = Number(/setTimeout\(\(\) => \{\}, (\d+)\)/.exec(preStop)?.[1]);
    assert.ok(preStopMs > 0 && preStopMs <= 10_000, `preStop delay ${preStop}`);
    const needed = (preStopMs + config.shutdownDelayMs + config.shutdownTimeoutMs) / 1000;
    const grace = pod.spec.terminationGracePeriodSeconds;
    assert.ok(grace >= needed + 2 && grace <= needed + 10, `grace ${grace}s vs needed ${needed}s`);
  });
});

describe('Services, PDB, NetworkPolicy, ServiceMonitor', () => {
  const labels = pod.metadata.labels;
  test('the public Service is NodePort 30080 -> http and selects the pods', () => {
    const svc = get('Service', 'poll-api');
    assert.equal(svc.spec.type, 'NodePort');
    assert.deepEqual(svc.spec.ports.map((p: { nodePort: number; targetPort: string }) => [p.nodePort, p.targetPort]), [[30080, 'http']]);
    assert.ok(selects(svc.spec.selector, labels));
    assert.ok(!svc.spec.ports.some((p: { targetPort: string }) => p.targetPort === 'mgmt'), 'mgmt never public');
  });

  test('the metrics Service is ClusterIP -> mgmt; the ServiceMonitor selects it by label and port name', () => {
    const svc = get('Service', SCRAPE_JOB);
    assert.equal(svc.spec.type, 'ClusterIP');
    assert.ok(selects(svc.spec.selector, labels));
    const port = svc.spec.ports.find((p: { targetPort: string }) => p.targetPort === 'mgmt');
    assert.ok(port);
    const sm = get('ServiceMonitor', 'poll-backend');
    assert.ok(selects(sm.spec.selector.matchLabels, svc.metadata.labels ?? {}));
    assert.ok(!selects(sm.spec.selector.matchLabels, get('Service', 'poll-api').metadata.labels ?? {}), 'only the metrics Service');
    assert.deepEqual(sm.spec.namespaceSelector.matchNames, [svc.metadata.namespace]);
    assert.equal(sm.spec.endpoints[0].port, port.name);
    assert.equal(sm.spec.endpoints[0].path, '/metrics');
  });

  test('ServiceMonitor and PrometheusRule carry the kube-prometheus-stack release label', () => {
    for (const o of [get('ServiceMonitor', 'poll-backend'), get('PrometheusRule', 'poll-backend')]) {
      assert.equal(o.metadata.labels?.release, RELEASE_LABEL.release, o.kind);
    }
  });

  test('the PDB selects the pods and leaves room for a voluntary disruption', () => {
    const pdb = get('PodDisruptionBudget', 'poll-backend');
    assert.ok(selects(pdb.spec.selector.matchLabels, labels));
    assert.ok(pdb.spec.minAvailable < deployment.spec.replicas);
  });

  test('NetworkPolicy: http from anywhere, mgmt only from the monitoring namespace; PostgreSQL only from the backend', () => {
    const np = get('NetworkPolicy', 'poll-backend');
    assert.ok(selects(np.spec.podSelector.matchLabels, labels));
    const [open, mgmt] = np.spec.ingress;
    assert.equal(open.from, undefined);
    assert.deepEqual(open.ports.map((p: { port: string }) => p.port), ['http']);
    assert.deepEqual(mgmt.ports.map((p: { port: string }) => p.port), ['mgmt']);
    assert.deepEqual(mgmt.from, [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }]);
    const pgnp = get('NetworkPolicy', 'postgres');
    assert.ok(selects(pgnp.spec.ingress[0].from[0].podSelector.matchLabels, labels));
  });
});

describe('chaos overlay and scenarios', () => {
  const defaults = loadProfile({}, { rate: 20 });
  const api = get('Service', 'poll-api');

  test("the scenarios' ServiceDisruptor target and NodePort are this Service", () => {
    assert.equal(defaults.k8s.service, api.metadata.name);
    assert.equal(defaults.k8s.namespace, api.metadata.namespace);
    assert.equal(Number(new URL(defaults.baseUrl).port), api.spec.ports[0].nodePort);
    const cluster = readFileSync(join(REPO_DIR, 'loadtests', 'lib', 'faults', 'cluster.ts'), 'utf8');
    assert.match(cluster, /new ServiceDisruptor\(this\.profile\.k8s\.service, this\.profile\.k8s\.namespace/);
  });

  test('TestRun and Job run as the bound service account, against the in-cluster Service, with the disruptor image', () => {
    const testRun = get('TestRun', 'chaos-latency');
    const job = get('Job', 'chaos-latency-job');
    const binding = get('RoleBinding', 'k6-disruptor');
    const sa = get('ServiceAccount', 'k6-disruptor');
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace }]);
    assert.equal(binding.roleRef.name, get('Role', 'k6-disruptor').metadata.name);
    const jobPod = job.spec.template.spec;
    assert.equal(testRun.spec.runner.serviceAccountName, sa.metadata.name);
    assert.equal(jobPod.serviceAccountName, sa.metadata.name);
    assert.equal(testRun.spec.runner.image, jobPod.containers[0].image);
    assert.match(jobPod.containers[0].image, /xk6-disruptor:v0\.3\.17$/);
    for (const env of [testRun.spec.runner.env, jobPod.containers[0].env]) {
      const e = Object.fromEntries(env.map((x: { name: string; value: string }) => [x.name, x.value]));
      const profile = loadProfile(e, { rate: 20 });
      assert.equal(profile.k8s.service, api.metadata.name);
      assert.equal(profile.k8s.namespace, api.metadata.namespace);
      assert.equal(profile.baseUrl, `http://${api.metadata.name}.${api.metadata.namespace}.svc:${api.spec.ports[0].port}`);
    }
    const scripts = get('ConfigMap', 'k6-chaos-scripts');
    assert.ok(testRun.spec.script.configMap.file in (scripts.data ?? {}));
    assert.equal(testRun.spec.script.configMap.name, scripts.metadata.name);
    assert.equal(jobPod.volumes.find((v: { name: string }) => v.name === 'scripts').configMap.name, scripts.metadata.name);
  });

  test('the Role grants exactly the xk6-disruptor verbs, nothing cluster-wide', () => {
    const role = get('Role', 'k6-disruptor');
    const grants = role.rules!.flatMap((r: { apiGroups: string[]; resources: string[]; verbs: string[] }) =>
      r.resources.flatMap((res) => r.verbs.map((v) => `${r.apiGroups.join(',')}|${res}|${v}`)),
    );
    assert.deepEqual(grants.sort(), [
      '|endpoints|get',
      '|pods/ephemeralcontainers|patch',
      '|pods/exec|create',
      '|pods|delete',
      '|pods|get',
      '|pods|list',
      '|pods|watch',
      '|services|get',
    ]);
    assert.ok(!objects.some((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding'));
  });

  test('the script ConfigMap lists the cluster bundles the build produces (scale-down needs kubectl around it)', () => {
    const built = builtChaosBundles();
    assert.ok(built, 'dist/cluster is missing: run make build first');
    assert.deepEqual(
      [...CHAOS_SCRIPTS].sort(),
      built.filter((f) => f !== 'scale-down.js'),
      'a new cluster bundle? list it in the k6-chaos-scripts configMapGenerator of k8s/overlays/chaos/kustomization.yaml',
    );
    const kustomization = readFileSync(join(REPO_DIR, 'k8s', 'overlays', 'chaos', 'kustomization.yaml'), 'utf8');
    for (const f of CHAOS_SCRIPTS) assert.ok(kustomization.includes(`${f}=../../../dist/cluster/${f}`), f);
  });

  test('each script is one self-contained k6 bundle with the disruptor, and the ConfigMap stays under 1 MiB', () => {
    let total = 0;
    for (const f of CHAOS_SCRIPTS) {
      const code = readFileSync(join(REPO_DIR, 'dist', 'cluster', f), 'utf8');
      total += Buffer.byteLength(code);
      const imports = [...code.matchAll(/^import .* from "([^"]+)";?$/gm)].map((m) => m[1]!);
      assert.ok(imports.includes('k6/x/disruptor'), `${f} does not use the disruptor`);
      assert.deepEqual(imports.filter((i) => i !== 'k6' && !i.startsWith('k6/')), [], `${f} imports files a ConfigMap cannot carry`);
    }
    assert.ok(total < 1_000_000, `scripts take ${total} bytes; a ConfigMap holds at most 1 MiB`);
  });

  test("the cluster experiments' kubectl steps (mk/loadtests.mk) address this Deployment and namespace", () => {
    const mk = readFileSync(join(REPO_DIR, 'mk', 'loadtests.mk'), 'utf8');
    assert.equal(/^K8S_DEPLOYMENT \?= (\S+)$/m.exec(mk)?.[1], deployment.metadata.name);
    assert.equal(/^K8S_NS \?= (\S+)$/m.exec(mk)?.[1], deployment.metadata.namespace);
  });
});

describe('dashboard and rules against what the backend really exports', () => {
  let supervisor: Supervisor | undefined;
  let families: Map<string, string>;
  let exposition: string;
  before(async () => {
    supervisor = await startSupervisor(1);
    // One request so the request metrics have series.
    await (await fetch(`${supervisor.apiUrl}/api/polls/default`)).arrayBuffer();
    exposition = await (await fetch(`${supervisor.mgmtUrl}/metrics`)).text();
    families = new Map([...exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
  });
  after(async () => {
    await supervisor?.stop();
  });

  test('every metric the rules and dashboard name is exported, with the expected type', () => {
    const expected: Record<string, string> = {
      [BACKEND_METRICS.requests]: 'counter',
      [BACKEND_METRICS.duration]: 'histogram',
      [BACKEND_METRICS.inFlight]: 'gauge',
      [BACKEND_METRICS.votes]: 'counter',
      [BACKEND_METRICS.chaosDelay]: 'gauge',
      [BACKEND_METRICS.chaosJitter]: 'gauge',
      [BACKEND_METRICS.chaosErrorRate]: 'gauge',
      [BACKEND_METRICS.chaosInjectedErrors]: 'counter',
      [BACKEND_METRICS.storeUp]: 'gauge',
      [BACKEND_METRICS.cpu]: 'counter',
      [BACKEND_METRICS.memory]: 'gauge',
      [SUPERVISOR_METRICS.restarts]: 'counter',
      [SUPERVISOR_METRICS.desired]: 'gauge',
      [SUPERVISOR_METRICS.ready]: 'gauge',
    };
    for (const [name, type] of Object.entries(expected)) assert.equal(families.get(name), type, name);
  });

  test('the latency SLO boundary is one of the histogram buckets, and series carry the pod label', () => {
    assert.match(exposition, new RegExp(`^${BACKEND_METRICS.duration}_bucket\\{[^}]*le="${LATENCY_SLO_SECONDS}"`, 'm'));
    const line = exposition.split('\n').find((l) => l.startsWith('http_requests_total{') && l.includes('route="/api/polls/:id"'));
    assert.ok(line, 'a request series for the templated route');
    assert.match(line, /pod="replica-1"/);
  });

  test('every series name in a rule or panel is exported here, recorded by a rule, or a named cluster-only metric', () => {
    const records = new Set(RULE_GROUPS.flatMap((g) => g.rules).flatMap((r) => (isAlert(r) ? [] : [r.record])));
    const exported = new Set([...families.keys()].flatMap((f) => [f, `${f}_bucket`, `${f}_count`, `${f}_sum`]));
    const clusterOnly = new Set<string>([KUBE_STATE_METRICS.restarts]);
    const prometheusOwn = new Set(['up', 'ALERTS']);
    const exprs = [
      ...RULE_GROUPS.flatMap((g) => g.rules).map((r) => r.expr),
      ...dashboardExpressions(buildDashboard()).map((e) => e.expr),
    ];
    const keywords = /^(by|without|on|ignoring|group_left|group_right|and|or|unless|bool|offset|inf|nan)$/i;
    const names = new Set(
      exprs.flatMap((expr) =>
        [
          ...expr
            .replace(/"[^"]*"/g, '""')
            .replace(/\{[^}]*\}/g, '{}')
            .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, '')
            .replace(/\[[^\]]*\]/g, '[]')
            .matchAll(/(?<![\w:$])([a-zA-Z_:][\w:]*)(?![\w:]|\s*\()/g),
        ]
          .map((m) => m[1]!)
          .filter((n) => !keywords.test(n)),
      ),
    );
    assert.ok(names.has(BACKEND_METRICS.requests) && names.has(`${BACKEND_METRICS.duration}_bucket`));
    const unknown = [...names].filter((n) => !exported.has(n) && !records.has(n) && !clusterOnly.has(n) && !prometheusOwn.has(n));
    assert.deepEqual(unknown, []);
  });

  test('the dashboard ConfigMap holds the generated dashboard', () => {
    const cm = get('ConfigMap', 'poll-service-dashboard');
    assert.deepEqual(JSON.parse(cm.data![DASHBOARD_FILE]!), JSON.parse(JSON.stringify(buildDashboard())));
  });
});
