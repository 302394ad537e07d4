// The schemas in kubernetes-models check types and required fields but, like the API server's non-strict
// decoding, let unknown fields through, so a misspelt `readinesProbe` would pass silently. TypeScript's excess
// property check does catch them, at every depth: each rendered object becomes a typed constant of its
// kubernetes-models interface, and tsc must accept the file.
import { mkdirSync, writeFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import type { KObject } from '../kustomize/types.ts';

const TYPES: Record<string, { module: string; type: string }> = {
  'v1/Namespace': { module: 'kubernetes-models/v1', type: 'INamespace' },
  'v1/ConfigMap': { module: 'kubernetes-models/v1', type: 'IConfigMap' },
  'v1/Secret': { module: 'kubernetes-models/v1', type: 'ISecret' },
  'v1/Service': { module: 'kubernetes-models/v1', type: 'IService' },
  'v1/ServiceAccount': { module: 'kubernetes-models/v1', type: 'IServiceAccount' },
  'apps/v1/Deployment': { module: 'kubernetes-models/apps/v1', type: 'IDeployment' },
  'apps/v1/StatefulSet': { module: 'kubernetes-models/apps/v1', type: 'IStatefulSet' },
  'batch/v1/Job': { module: 'kubernetes-models/batch/v1', type: 'IJob' },
  'policy/v1/PodDisruptionBudget': { module: 'kubernetes-models/policy/v1', type: 'IPodDisruptionBudget' },
  'networking.k8s.io/v1/NetworkPolicy': { module: 'kubernetes-models/networking.k8s.io/v1', type: 'INetworkPolicy' },
  'rbac.authorization.k8s.io/v1/Role': { module: 'kubernetes-models/rbac.authorization.k8s.io/v1', type: 'IRole' },
  'rbac.authorization.k8s.io/v1/RoleBinding': { module: 'kubernetes-models/rbac.authorization.k8s.io/v1', type: 'IRoleBinding' },
  'monitoring.coreos.com/v1/ServiceMonitor': { module: '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1', type: 'IServiceMonitor' },
  'monitoring.coreos.com/v1/PrometheusRule': { module: '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1', type: 'IPrometheusRule' },
};

/** Kinds checked elsewhere with a schema that itself rejects unknown fields. */
const CHECKED_ELSEWHERE = new Set(['k6.io/v1alpha1/TestRun']);

const key = (o: KObject) => `${o.apiVersion}/${o.kind}`;
const id = (o: KObject) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** The TypeScript source, and which line range belongs to which object (for error messages). */
export const typedSource = (objects: KObject[]): { source: string; owners: { from: number; id: string }[]; unknownKinds: string[] } => {
  const checked = objects.filter((o) => TYPES[key(o)]);
  const unknownKinds = objects.filter((o) => !TYPES[key(o)] && !CHECKED_ELSEWHERE.has(key(o))).map(id);
  const imports = new Map<string, Set<string>>();
  for (const o of checked) {
    const t = TYPES[key(o)]!;
    imports.set(t.module, (imports.get(t.module) ?? new Set()).add(t.type));
  }
  const lines = [...imports].map(([m, ts]) => `import type { ${[...ts].join(', ')} } from '${m}';`);
  const owners: { from: number; id: string }[] = [];
  checked.forEach((o, i) => {
    owners.push({ from: lines.length + 1, id: id(o) });
    lines.push(...`export const o${i}: ${TYPES[key(o)]!.type} = ${JSON.stringify(o, null, 2)};`.split('\n'));
  });
  return { source: `${lines.join('\n')}\n`, owners, unknownKinds };
};

/**
 * Runs tsc over the typed source; returns one message per unknown or mistyped field, naming the object.
 * `repoDir` is where node_modules (typescript, kubernetes-models) live.
 */
export const checkKnownFields = (objects: KObject[], repoDir: string): Promise<string[]> => {
  const { source, owners, unknownKinds } = typedSource(objects);
  const dir = mkdtempSync(join(tmpdir(), 'chaoslab-known-fields-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'objects.ts'), source);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        module: 'esnext',
        moduleResolution: 'bundler',
        skipLibCheck: true,
        types: [],
        baseUrl: '.',
        paths: { '*': [join(repoDir, 'node_modules', '*')] },
      },
      files: ['objects.ts'],
    }),
  );
  const tsc = join(repoDir, 'node_modules', 'typescript', 'bin', 'tsc');
  return new Promise((resolve) => {
    execFile(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], { encoding: 'utf8' }, (_err, stdout) => {
      rmSync(dir, { recursive: true, force: true });
      const errors = [...stdout.matchAll(/objects\.ts\((\d+),\d+\): error (TS\d+: .*)/g)].map((m) => {
        const line = Number(m[1]);
        const owner = owners.filter((o) => o.from <= line).pop();
        return `${owner?.id ?? 'objects.ts'}: ${m[2]}`;
      });
      const other = errors.length === 0 && stdout.includes('error') ? [stdout.trim()] : [];
      resolve([...unknownKinds.map((k) => `${k}: no TypeScript model to check its fields against`), ...errors, ...other]);
    });
  });
};
