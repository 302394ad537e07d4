// Shared test plumbing: temp dirs, free ports, child processes that are always cleaned up.
import { mkdtempSync, rmSync, cpSync, mkdirSync, writeFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';

export const K8S_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_DIR = join(K8S_DIR, '..');

export const tempDir = (prefix: string): { path: string; remove: () => void } => {
  const path = mkdtempSync(join(tmpdir(), `chaoslab-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
};

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });

export const run = (cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> =>
  spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000, ...opts });

/** Like run(), but keeps this process's event loop free (for tests that also serve HTTP to the child). */
export const runAsync = (
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });

export const hasBinary = (name: string): boolean => run('sh', ['-c', `command -v ${name}`]).status === 0;

/** The chaos bundles the overlay's script ConfigMap lists, read from its kustomization. */
export const CHAOS_SCRIPTS: string[] = (() => {
  const k = parse(readFileSync(join(K8S_DIR, 'overlays', 'chaos', 'kustomization.yaml'), 'utf8')) as {
    configMapGenerator: { name: string; files: string[] }[];
  };
  const files = k.configMapGenerator.find((g) => g.name === 'k6-chaos-scripts')?.files ?? [];
  return files.map((f) => f.split('=')[0]!);
})();

/**
 * A copy of k8s/ in a temp repo with small stand-in bundles in dist/cluster, so the chaos overlay renders
 * without a build. Tests of the real bundles read dist/ from the real tree instead.
 */
export const copyK8sTree = (): { root: string; remove: () => void } => {
  const tmp = tempDir('k8s-tree');
  cpSync(K8S_DIR, join(tmp.path, 'k8s'), { recursive: true, filter: (src) => !src.includes('node_modules') });
  mkdirSync(join(tmp.path, 'dist', 'cluster'), { recursive: true });
  for (const f of CHAOS_SCRIPTS) writeFileSync(join(tmp.path, 'dist', 'cluster', f), `// stand-in for ${f}\nexport default function () {}\n`);
  return { root: tmp.path, remove: tmp.remove };
};

export const builtChaosBundles = (): string[] | null => {
  const dir = join(REPO_DIR, 'dist', 'cluster');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.js')).sort() : null;
};
