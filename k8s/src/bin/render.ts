// `make k8s-render`: renders the base and the chaos overlay with the kustomize-subset renderer, validates every
// object against its schema, and writes dist/k8s/{poll-app,poll-app-chaos}.yaml plus the plain rule file.
// Exits 1 with the reasons when anything is invalid, and writes nothing then.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { render, KustomizeError } from '../kustomize/render.ts';
import { validateObject } from '../validate/schemas.ts';
import { checkKnownFields } from '../validate/known-fields.ts';
import { ruleFileYaml } from '../observability/generated.ts';
import type { KObject } from '../kustomize/types.ts';

const k8s = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = process.argv[2] ?? join(k8s, '..', 'dist', 'k8s');

const toYaml = (objects: KObject[]): string => objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');

const targets = [
  { dir: 'base', file: 'poll-app.yaml' },
  { dir: 'overlays/chaos', file: 'poll-app-chaos.yaml' },
];

try {
  const rendered = targets.map((t) => ({ ...t, objects: render(join(k8s, t.dir), { loadRestrictor: 'none' }) }));
  const errors = rendered.flatMap((r) => r.objects.flatMap(validateObject).map((e) => `${r.dir}: ${e}`));
  // The overlay contains the base, so one field check covers both.
  errors.push(...(await checkKnownFields(rendered[1]!.objects, join(k8s, '..'))).map((e) => `overlays/chaos: ${e}`));
  if (errors.length > 0) {
    console.error(`k8s-render: ${errors.length} invalid object(s):\n  ${errors.join('\n  ')}`);
    process.exit(1);
  }
  mkdirSync(outDir, { recursive: true });
  for (const r of rendered) {
    writeFileSync(join(outDir, r.file), toYaml(r.objects));
    console.log(`${relative(process.cwd(), join(outDir, r.file))}: ${r.objects.length} objects from k8s/${r.dir}, all valid, no unknown fields`);
  }
  writeFileSync(join(outDir, 'prometheus-rules.yaml'), ruleFileYaml());
  console.log(`${relative(process.cwd(), join(outDir, 'prometheus-rules.yaml'))}: the same rules for a Prometheus without the operator`);
} catch (e) {
  if (e instanceof KustomizeError) {
    console.error(`k8s-render: ${e.message}`);
    process.exit(1);
  }
  throw e;
}
