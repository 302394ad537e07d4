// `make doctor` end to end: the real doctor binary, once with no kubectl at all, and twice with a stand-in
// kubectl (a small script on PATH; no Kubernetes API can exist here) describing a ready and a broken cluster.
// The NodePort check talks to a real HTTP server on a random loopback port.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, chmodSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { canIArgs, serverVersion } from '../src/doctor/checks.ts';
import { K8S_DIR, freePort, runAsync, tempDir } from './helpers.ts';

const tmp = tempDir('doctor');
const fakeKubectl = join(tmp.path, 'kubectl');
// Answers like kubectl for exactly the calls the doctor makes, from the scenario in FAKE_CLUSTER (JSON).
writeFileSync(
  fakeKubectl,
  `#!${process.execPath}
const s = JSON.parse(process.env.FAKE_CLUSTER);
const a = process.argv.slice(2);
const out = (text, code = 0) => { process.stdout.write(text); process.exit(code); };
const err = (text, code = 1) => { process.stderr.write(text); process.exit(code); };
if (a[0] === 'version' && a.includes('--client')) out(JSON.stringify({ clientVersion: { major: '1', minor: '30' } }));
if (a[0] === 'version') s.server ? out(JSON.stringify({ clientVersion: {}, serverVersion: s.server })) : err('The connection to the server 127.0.0.1:6443 was refused');
if (a[0] === 'get' && a[1] === '--raw') s.server ? out(JSON.stringify(s.server)) : err('The connection to the server 127.0.0.1:6443 was refused');
if (a[0] === 'config') out('kind-chaos');
if (a[0] === 'auth' && a[1] === 'can-i') {
  const sub = (a.find((x) => x.startsWith('--subresource=')) || '').split('=')[1];
  const key = a[2] + ' ' + a[3] + (sub ? '/' + sub : '');
  const denied = a.some((x) => x.startsWith('--as=')) ? s.saDenied : s.denied;
  denied.includes(key) ? out('no\\n', 1) : out('yes\\n');
}
if (a[0] === 'get' && a[1] === 'namespace') s.labels ? out(JSON.stringify({ metadata: { name: a[2], labels: s.labels } })) : err('Error from server (NotFound)');
if (a[0] === 'get' && a[1] === 'crd') s.crds.includes(a[2]) ? out('customresourcedefinition.apiextensions.k8s.io/' + a[2]) : err('Error from server (NotFound)');
if (a[0] === 'get' && a[1] === 'nodes') out(JSON.stringify({ items: [{ status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }] } }] }));
err('fake kubectl: unexpected call ' + a.join(' '), 2);
`,
);
chmodSync(fakeKubectl, 0o755);

let server: Server;
let apiPort: number;
let closedPort: number;
before(async () => {
  closedPort = await freePort();
  server = createServer((req, res) => {
    res.writeHead(req.url === '/api/polls' ? 200 : 404, { 'content-type': 'application/json' }).end('[]');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  apiPort = (server.address() as { port: number }).port;
});
after(() => {
  server.close();
  tmp.remove();
});

const doctor = (env: Record<string, string>) =>
  runAsync(process.execPath, ['--import', 'tsx', join(K8S_DIR, 'src', 'bin', 'doctor.ts')], {
    cwd: join(K8S_DIR, '..'),
    env: { ...process.env, ...env },
  });

const ALL_CRDS = ['servicemonitors.monitoring.coreos.com', 'prometheusrules.monitoring.coreos.com', 'testruns.k6.io'];

describe('doctor', () => {
  test('without kubectl it fails and says how to get one', async () => {
    const res = await doctor({ KUBECTL: join(tmp.path, 'no-such-kubectl') });
    assert.equal(res.status, 1, res.stderr);
    assert.match(res.stdout, /FAIL\s+kubectl: kubectl is not on PATH\n\s+fix: install kubectl/);
  });

  test('a ready cluster passes every check', async () => {
    const res = await doctor({
      KUBECTL: fakeKubectl,
      NODE_URL: `http://127.0.0.1:${apiPort}`,
      NODE_PORT: String(closedPort),
      FAKE_CLUSTER: JSON.stringify({
        server: { major: '1', minor: '29+', gitVersion: 'v1.29.4' },
        denied: [],
        saDenied: [],
        labels: { 'pod-security.kubernetes.io/enforce': 'privileged' },
        crds: ALL_CRDS,
      }),
    });
    assert.equal(res.status, 0, res.stdout + res.stderr);
    assert.doesNotMatch(res.stdout, /FAIL|warn/);
    assert.match(res.stdout, /ok\s+version: Kubernetes v1\.29\.4/);
    // One line per disruptor verb, checked for the user and the in-cluster service account.
    assert.equal(res.stdout.match(/ok\s+rbac: you and k6-disruptor can/g)?.length, 8);
    assert.match(res.stdout, /you and k6-disruptor can patch pods\/ephemeralcontainers/);
    assert.match(res.stdout, new RegExp(`poll API answers at http://127.0.0.1:${apiPort}`));
    assert.match(res.stdout, /ready for chaos runs/);
  });

  test('an old, locked-down cluster gets one concrete fix per problem', async () => {
    const res = await doctor({
      KUBECTL: fakeKubectl,
      NODE_URL: `http://127.0.0.1:${closedPort}`,
      NODE_PORT: String(closedPort),
      FAKE_CLUSTER: JSON.stringify({
        server: { major: '1', minor: '22', gitVersion: 'v1.22.17' },
        denied: ['create pods/exec'],
        saDenied: ['create pods/exec', 'delete pods'],
        labels: { 'pod-security.kubernetes.io/enforce': 'baseline' },
        crds: ['servicemonitors.monitoring.coreos.com', 'prometheusrules.monitoring.coreos.com'],
      }),
    });
    assert.equal(res.status, 1);
    const out = res.stdout;
    assert.match(out, /FAIL\s+version: Kubernetes v1\.22\.17 is older than 1\.23\n\s+fix: .*upgrade/);
    assert.match(out, /FAIL\s+rbac: you cannot create pods\/exec in poll-app/);
    assert.match(out, /warn\s+rbac: you can delete pods, the in-cluster account k6-disruptor cannot/);
    assert.match(out, /FAIL\s+podsecurity: poll-app enforces "baseline".*\n\s+fix: .*enforce=privileged/);
    assert.match(out, /warn\s+crd: testruns\.k6\.io missing/);
    assert.match(out, /FAIL\s+nodeport: NodePort \d+ not reachable .*ECONNREFUSED/);
    assert.match(out, /4 problem\(s\) to fix/);
  });

  test('an unreachable API stops after saying so', async () => {
    const res = await doctor({ KUBECTL: fakeKubectl, FAKE_CLUSTER: JSON.stringify({ denied: [], saDenied: [], crds: [] }) });
    assert.equal(res.status, 1);
    assert.match(res.stdout, /FAIL\s+cluster: no Kubernetes API answered \(The connection to the server 127\.0\.0\.1:6443 was refused\)/);
  });

  test('the kubectl make targets stop with a clear message when kubectl or the cluster is missing', async () => {
    const cwd = join(K8S_DIR, '..');
    // A clean make environment, also when this test itself runs under `make test`.
    const { MAKEFLAGS: _f, MFLAGS: _m, MAKELEVEL: _l, ...env } = process.env;
    const missing = await runAsync('make', ['-s', 'k8s-status', `KUBECTL=${join(tmp.path, 'no-such-kubectl')}`], { cwd, env });
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /k8s-status: '.*no-such-kubectl' not found on PATH\. Install kubectl/);
    const down = await runAsync('make', ['-s', 'k8s-status', `KUBECTL=${fakeKubectl}`], {
      cwd,
      env: { ...env, FAKE_CLUSTER: JSON.stringify({ denied: [], saDenied: [], crds: [] }) },
    });
    assert.notEqual(down.status, 0);
    assert.match(down.stderr, /k8s-status: no Kubernetes API answers for kubectl context 'kind-chaos'/);
  });

  test('version and can-i helpers', () => {
    assert.deepEqual(serverVersion('{"serverVersion":{"major":"1","minor":"28+","gitVersion":"v1.28.3-eks"}}'), { major: 1, minor: 28, git: 'v1.28.3-eks' });
    assert.equal(serverVersion('not json'), undefined);
    assert.deepEqual(canIArgs('create', 'pods/exec', 'poll-app'), ['auth', 'can-i', 'create', 'pods', '--subresource=exec', '-n', 'poll-app']);
  });
});
