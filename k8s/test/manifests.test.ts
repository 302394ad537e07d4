// The manifests render (with our kustomize-subset renderer, and with the real kustomize inside kubectl where
// it is installed) and every rendered object validates against the Kubernetes, prometheus-operator and
// k6-operator TestRun schemas.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render, objectId, parseObjects, KustomizeError } from '../src/kustomize/render.ts';
import { validateObject } from '../src/validate/schemas.ts';
import { checkKnownFields } from '../src/validate/known-fields.ts';
import type { KObject } from '../src/kustomize/types.ts';
import { copyK8sTree, hasBinary, run, CHAOS_SCRIPTS, REPO_DIR } from './helpers.ts';

const tree = copyK8sTree();
after(() => tree.remove());
const base = join(tree.root, 'k8s', 'base');
const chaos = join(tree.root, 'k8s', 'overlays', 'chaos');
const baseObjects = render(base);
const chaosObjects = render(chaos, { loadRestrictor: 'none' });
const find = (objects: KObject[], kind: string, name: string): KObject => {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  assert.ok(o, `${kind}/${name} not rendered`);
  return o;
};

describe('rendering', () => {
  test('the base renders the objects the issue lists, in namespace poll-app', () => {
    assert.deepEqual(baseObjects.map(objectId), [
      'Namespace//poll-app',
      'ConfigMap/poll-app/poll-backend-config',
      'ConfigMap/poll-app/poll-service-dashboard',
      'Secret/poll-app/poll-chaos-token',
      'Secret/poll-app/postgres-credentials',
      'Service/poll-app/poll-api',
      'Service/poll-app/poll-backend-metrics',
      'Service/poll-app/postgres',
      'Deployment/poll-app/poll-backend',
      'StatefulSet/poll-app/postgres',
      'PodDisruptionBudget/poll-app/poll-backend',
      'PrometheusRule/poll-app/poll-backend',
      'ServiceMonitor/poll-app/poll-backend',
      'NetworkPolicy/poll-app/poll-backend',
      'NetworkPolicy/poll-app/postgres',
    ]);
  });

  test('the chaos overlay adds RBAC, scripts, TestRun and Job, and relaxes PodSecurity enforcement only', () => {
    const added = chaosObjects.map(objectId).filter((id) => !baseObjects.some((b) => objectId(b) === id));
    assert.deepEqual(added.sort(), [
      'ConfigMap/poll-app/k6-chaos-scripts',
      'Job/poll-app/chaos-latency-job',
      'Role/poll-app/k6-disruptor',
      'RoleBinding/poll-app/k6-disruptor',
      'ServiceAccount/poll-app/k6-disruptor',
      'TestRun/poll-app/chaos-latency',
    ]);
    const ns = find(chaosObjects, 'Namespace', 'poll-app');
    assert.equal(ns.metadata.labels?.['pod-security.kubernetes.io/enforce'], 'privileged');
    assert.equal(ns.metadata.labels?.['pod-security.kubernetes.io/warn'], 'restricted');
    assert.equal(find(baseObjects, 'Namespace', 'poll-app').metadata.labels?.['pod-security.kubernetes.io/enforce'], 'restricted');
    const scripts = find(chaosObjects, 'ConfigMap', 'k6-chaos-scripts').data as Record<string, string>;
    assert.deepEqual(Object.keys(scripts).sort(), [...CHAOS_SCRIPTS].sort());
    assert.match(scripts['latency.js']!, /stand-in for latency\.js/);
  });

  test('secrets are generated base64 and the dashboard ConfigMap carries the Grafana sidecar label', () => {
    const token = find(baseObjects, 'Secret', 'poll-chaos-token');
    assert.equal(Buffer.from((token.data as Record<string, string>).CHAOS_TOKEN!, 'base64').toString(), 'dev-only-chaos-token');
    const dash = find(baseObjects, 'ConfigMap', 'poll-service-dashboard');
    assert.equal(dash.metadata.labels?.grafana_dashboard, '1');
    assert.doesNotThrow(() => JSON.parse((dash.data as Record<string, string>)['poll-service-dashboard.json']!));
  });

  test('like kustomize, the chaos overlay refuses scripts outside its root unless the load restrictor is off', () => {
    assert.throws(() => render(chaos), (e: unknown) => e instanceof KustomizeError && /outside the kustomization root/.test(e.message));
  });

  test('unsupported kustomize features fail loudly instead of rendering differently', () => {
    const file = join(base, 'kustomization.yaml');
    const original = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, `${original}\ncommonLabels:\n  team: chaos\n`);
      assert.throws(() => render(base), /unsupported kustomize field\(s\) commonLabels/);
      writeFileSync(file, original.replace('disableNameSuffixHash: true', 'disableNameSuffixHash: false'));
      assert.throws(() => render(base), /disableNameSuffixHash/);
    } finally {
      writeFileSync(file, original);
    }
  });

  test('patches with lists are refused (strategic list merge is not implemented)', () => {
    const patch = join(chaos, 'namespace-podsecurity.yaml');
    const original = readFileSync(patch, 'utf8');
    try {
      writeFileSync(patch, `${original}spec:\n  finalizers: [kubernetes]\n`);
      assert.throws(() => render(chaos, { loadRestrictor: 'none' }), /lists are not supported/);
    } finally {
      writeFileSync(patch, original);
    }
  });

  const kubectl = hasBinary('kubectl');
  test(
    'the real kustomize (kubectl kustomize) renders the very same objects',
    { skip: kubectl ? false : 'kubectl is not installed here; our renderer is the only one checked' },
    () => {
      for (const [dir, ours] of [
        [base, baseObjects],
        [chaos, chaosObjects],
      ] as const) {
        const res = run('kubectl', ['kustomize', '--load-restrictor', 'LoadRestrictionsNone', dir]);
        assert.equal(res.status, 0, res.stderr);
        const theirs = parseObjects(res.stdout, 'kubectl kustomize');
        assert.deepEqual(theirs.map(objectId), ours.map(objectId), `${dir}: order or set of objects differs`);
        assert.deepEqual(theirs, ours, `${dir}: object contents differ`);
      }
    },
  );
});

describe('schemas', () => {
  for (const [name, objects] of [
    ['base', baseObjects],
    ['chaos overlay', chaosObjects],
  ] as const) {
    test(`every object of the ${name} validates`, () => {
      const errors = objects.flatMap(validateObject);
      assert.deepEqual(errors, []);
    });
  }

  test('no object carries a field its Kubernetes type does not know (tsc excess-property check)', async () => {
    assert.deepEqual(await checkKnownFields(chaosObjects, REPO_DIR), []);
  });

  test('a misspelt field deep inside an object is caught (the check can fail)', async () => {
    const broken = structuredClone(chaosObjects) as (KObject & { spec?: Record<string, never> })[];
    const d = broken.find((o) => o.kind === 'Deployment') as unknown as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
    d.spec.template.spec.containers[0]!.readinesProbe = { httpGet: { path: '/readyz', port: 'mgmt' } };
    const errors = await checkKnownFields(broken, REPO_DIR);
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0]!, /^Deployment poll-app\/poll-backend: .*'"readinesProbe"' does not exist in type 'IContainer'/);
  });

  test('the validators reject broken objects (the check can fail)', () => {
    const deployment = structuredClone(find(chaosObjects, 'Deployment', 'poll-backend')) as KObject & {
      spec: { template: { spec: { containers: { ports: { containerPort: unknown }[] }[] } } };
    };
    deployment.spec.template.spec.containers[0]!.ports[0]!.containerPort = 'http';
    assert.match(validateObject(deployment).join('\n'), /containerPort must be integer/);

    const monitor = structuredClone(find(chaosObjects, 'ServiceMonitor', 'poll-backend')) as KObject & { spec: { endpoints: unknown } };
    monitor.spec.endpoints = 'mgmt';
    assert.match(validateObject(monitor).join('\n'), /endpoints must be array/);

    const testRun = structuredClone(find(chaosObjects, 'TestRun', 'chaos-latency')) as KObject & { spec: Record<string, unknown> };
    delete testRun.spec.parallelism;
    assert.match(validateObject(testRun).join('\n'), /must have required property 'parallelism'/);
    const typo = structuredClone(find(chaosObjects, 'TestRun', 'chaos-latency')) as KObject & { spec: { runner: Record<string, unknown> } };
    typo.spec.runner.serviceAcountName = 'x';
    assert.match(validateObject(typo).join('\n'), /additional properties/);
    const badEnv = structuredClone(find(chaosObjects, 'TestRun', 'chaos-latency')) as KObject & { spec: { runner: { env: unknown[] } } };
    badEnv.spec.runner.env.push({ name: 'X', value: 3 });
    assert.match(validateObject(badEnv).join('\n'), /env\[3\].*must be string/);

    assert.match(validateObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }).join(), /no schema/);
  });
});
