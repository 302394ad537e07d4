// `make doctor`: runs the cluster checks with the real kubectl (KUBECTL overrides which) and prints what to fix.
// Exit 0 when nothing failed (warnings allowed), 1 otherwise.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseObjects } from '../kustomize/render.ts';
import { runDoctor, report, type Kubectl } from '../doctor/checks.ts';

const k8s = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = process.env.KUBECTL || 'kubectl';

const kubectl: Kubectl = (args) =>
  new Promise((resolve) => {
    execFile(bin, args, { timeout: 20_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? ((err as NodeJS.ErrnoException).code === 'ENOENT' ? 127 : typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });

const rbac = parseObjects(readFileSync(join(k8s, 'overlays', 'chaos', 'rbac.yaml'), 'utf8'), 'rbac.yaml');
const role = rbac.find((o) => o.kind === 'Role');
const sa = rbac.find((o) => o.kind === 'ServiceAccount');
if (!role || !sa) throw new Error('k8s/overlays/chaos/rbac.yaml must hold the Role and ServiceAccount');

const findings = await runDoctor(kubectl, {
  namespace: process.env.K8S_NS || role.metadata.namespace || 'poll-app',
  role,
  serviceAccount: sa.metadata.name,
  nodePort: Number(process.env.NODE_PORT || 30080),
  nodeUrl: process.env.NODE_URL || undefined,
});
console.log(`chaos-lab doctor (kubectl: ${bin})\n${report(findings)}`);
const failed = findings.filter((f) => f.status === 'fail').length;
console.log(failed ? `\n${failed} problem(s) to fix before chaos runs.` : '\nready for chaos runs.');
process.exit(failed ? 1 : 0);
