// Bundles every part of the suite with esbuild in one pass.
//   backend/src/bin/*.ts        -> dist/backend/*.js   (Node; native deps stay external)
//   loadtests/runner/bin/*.ts   -> dist/runner/*.js    (Node)
//   loadtests/report/bin/*.ts   -> dist/report/*.js    (Node)
//   loadtests/scenarios/*.ts    -> dist/<name>.js      (k6 ESM, local fault injector)
//   chaos scenarios             -> dist/cluster/<name>.js (k6 ESM, xk6-disruptor fault injector)
// Usage: node build.mjs [--quiet]
import { build } from 'esbuild';
import { readdirSync, existsSync, readFileSync, mkdirSync } from 'node:fs';
import { join, basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const quiet = process.argv.includes('--quiet');

const tsFiles = (dir) =>
  existsSync(join(root, dir))
    ? readdirSync(join(root, dir))
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
        .map((f) => join(dir, f))
    : [];

const nodeBundle = (dir, outdir) => {
  const entryPoints = tsFiles(dir);
  if (entryPoints.length === 0) return null;
  return build({
    entryPoints,
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: 'linked',
    // Native addons and their loaders cannot be bundled; they resolve from node_modules at run time.
    packages: 'external',
    logLevel: 'warning',
    // esbuild's ESM output has no require(); some CommonJS dependencies still need one.
    banner: { js: "import { createRequire as __cl_createRequire } from 'node:module'; const require = __cl_createRequire(import.meta.url);" },
  });
};

// A scenario is a chaos scenario when it uses the fault injector; those get a second, cluster bundle.
const FAULTS_IMPORT = /from\s+['"](\.\.\/lib\/faults(?:\/index)?)(\.ts)?['"]/;

const faultsPlugin = (flavour) => ({
  name: `faults-${flavour}`,
  setup(b) {
    // The one switch between local (supervisor admin API) and cluster (xk6-disruptor) fault injection.
    b.onResolve({ filter: /(^|\/)lib\/faults(\/index)?(\.ts)?$/ }, (args) => ({
      path: resolve(args.resolveDir, args.path.replace(/(\/index)?(\.ts)?$/, ''), `${flavour}.ts`),
    }));
  },
});

const k6Bundle = (entryPoints, outdir, flavour) =>
  entryPoints.length === 0
    ? null
    : build({
        entryPoints,
        outdir,
        bundle: true,
        platform: 'neutral',
        target: 'es2020',
        format: 'esm',
        // k6 provides these modules itself; bundling them would break the script.
        external: ['k6', 'k6/*'],
        plugins: [faultsPlugin(flavour)],
        logLevel: 'warning',
      });

const started = performance.now();
const scenarios = tsFiles('loadtests/scenarios');
const chaos = scenarios.filter((f) => FAULTS_IMPORT.test(readFileSync(join(root, f), 'utf8')));

const results = await Promise.all([
  nodeBundle('backend/src/bin', 'dist/backend'),
  nodeBundle('loadtests/runner/bin', 'dist/runner'),
  nodeBundle('loadtests/report/bin', 'dist/report'),
  k6Bundle(scenarios, 'dist', 'local'),
  k6Bundle(chaos, 'dist/cluster', 'cluster'),
]);

// Scenarios' handleSummary writes results/<scenario>.json; k6 creates no directories, so a plain
// `k6 run dist/stress.js` right after a build needs this one to exist.
mkdirSync(resolve(root, process.env.RESULTS_DIR ?? 'results'), { recursive: true });

if (!quiet) {
  const ms = (performance.now() - started).toFixed(0);
  const n = results.filter(Boolean).length;
  console.log(
    `built ${scenarios.length} scenario bundle(s) (${chaos.map((f) => basename(f, '.ts')).join(', ') || 'no chaos'} also for cluster) and ${n} target group(s) in ${ms} ms`,
  );
}
