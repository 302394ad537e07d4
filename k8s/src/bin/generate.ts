// Writes the generated monitoring files into k8s/base (`make k8s-generate`), or with --check exits 1 when the
// committed files differ from what the typed sources produce.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedFiles } from '../observability/generated.ts';

const base = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'base');
const check = process.argv.includes('--check');
let stale = 0;
for (const [rel, content] of Object.entries(generatedFiles())) {
  const path = join(base, rel);
  const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
  if (current === content) continue;
  if (check) {
    console.error(`stale: k8s/base/${rel} differs from k8s/src/observability; run make k8s-generate`);
    stale++;
  } else {
    writeFileSync(path, content);
    console.log(`wrote k8s/base/${rel}`);
  }
}
process.exit(stale > 0 ? 1 : 0);
