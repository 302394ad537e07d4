// The base keeps namespace poll-app at Pod Security "restricted", so every pod it (and the chaos Job) creates
// must pass that level; the disruptor's agent needs NET_ADMIN, which even "baseline" rejects, and that is why
// the chaos overlay enforces "privileged".
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { render } from '../src/kustomize/render.ts';
import { podSecurityViolations, type PodSpec } from '../src/validate/pod-security.ts';
import { copyK8sTree } from './helpers.ts';
import type { KObject } from '../src/kustomize/types.ts';

const tree = copyK8sTree();
after(() => tree.remove());
const base = render(join(tree.root, 'k8s', 'base'));
const chaos = render(join(tree.root, 'k8s', 'overlays', 'chaos'), { loadRestrictor: 'none' });
const podSpec = (o: KObject): PodSpec => (o.spec as { template: { spec: PodSpec } }).template.spec;
const workloads = chaos.filter((o) => ['Deployment', 'StatefulSet', 'Job'].includes(o.kind));

describe('Pod Security Standards', () => {
  test('the base namespace enforces restricted', () => {
    const ns = base.find((o) => o.kind === 'Namespace')!;
    assert.equal(ns.metadata.labels?.['pod-security.kubernetes.io/enforce'], 'restricted');
  });

  test('every workload (backend, PostgreSQL, chaos Job) is admitted at restricted', () => {
    assert.deepEqual(workloads.map((o) => o.metadata.name).sort(), ['chaos-latency-job', 'poll-backend', 'postgres']);
    for (const w of workloads) assert.deepEqual(podSecurityViolations(podSpec(w), 'restricted'), [], w.metadata.name);
  });

  test("the disruptor agent's ephemeral container breaks even baseline, so the chaos overlay enforces privileged", () => {
    const backend = structuredClone(podSpec(workloads.find((w) => w.metadata.name === 'poll-backend')!));
    // What xk6-disruptor attaches to each target pod: its agent with network admin rights (iptables redirect).
    backend.ephemeralContainers = [
      { name: 'xk6-agent', securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } } },
    ];
    assert.deepEqual(podSecurityViolations(backend, 'baseline'), ['xk6-agent: capabilities NET_ADMIN, NET_RAW beyond baseline']);
    const ns = chaos.find((o) => o.kind === 'Namespace')!;
    assert.equal(ns.metadata.labels?.['pod-security.kubernetes.io/enforce'], 'privileged');
  });

  test('the check catches what restricted forbids (it can fail)', () => {
    const pod = structuredClone(podSpec(workloads.find((w) => w.metadata.name === 'postgres')!));
    pod.containers[0]!.securityContext = { allowPrivilegeEscalation: true };
    pod.securityContext = { ...pod.securityContext, runAsUser: 0, runAsNonRoot: false };
    pod.volumes = [...(pod.volumes ?? []), { name: 'host', hostPath: { path: '/var/run' } }];
    const v = podSecurityViolations(pod, 'restricted');
    for (const expected of [
      'hostPath volume host',
      'volume host of type hostPath',
      'postgres: allowPrivilegeEscalation not false',
      'postgres: runAsNonRoot not true',
      'postgres: runAsUser 0',
      'postgres: capabilities not dropping ALL',
    ]) {
      assert.ok(v.includes(expected), `${expected} missing from ${JSON.stringify(v)}`);
    }
  });
});
