// End-to-end: real scripts through the real CLI against a real local HTTP server, asserting on exit
// codes, the handleSummary data, --summary-export and the NDJSON output.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { e2eSuite, fixture, interruptLongRun, runCli } from './harness.ts';

interface Summary {
  root_group: Group;
  metrics: Record<string, { type: string; contains: string; values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> }>;
  setup_data?: unknown;
}
interface Group {
  name: string;
  path: string;
  groups: Group[];
  checks: { name: string; passes: number; fails: number }[];
}

const suite = e2eSuite('k6run-e2e-');

let n = 0;
async function runScript(name: string, extra: string[] = [], env: Record<string, string> = {}) {
  const summaryPath = join(suite.tmp, `summary-${++n}.json`);
  const r = await runCli(suite.cli, ['run', '-e', `BASE=${suite.target.url}`, '-e', `SUMMARY=${summaryPath}`, ...extra, fixture(name)], {
    cwd: suite.tmp,
    env,
  });
  const summary = existsSync(summaryPath) ? (JSON.parse(readFileSync(summaryPath, 'utf8')) as Summary) : undefined;
  return { ...r, summary, summaryPath };
}

function allChecks(g: Group, out: Map<string, { passes: number; fails: number; path: string }> = new Map()) {
  for (const c of g.checks) out.set(c.name, { passes: c.passes, fails: c.fails, path: g.path });
  for (const s of g.groups) allChecks(s, out);
  return out;
}

/** A port with nothing listening: bind, read the port, close. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('chaoslab-k6run end to end', () => {
  test('checks, groups, custom metrics with tags, sub-metric thresholds, setup/teardown data, handleSummary', async () => {
    const r = await runScript('full.js', ['-q']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'custom summary on stdout\n');
    const s = r.summary;
    assert.ok(s, 'handleSummary wrote its file');
    const checks = allChecks(s.root_group);
    for (const [name, c] of checks) assert.equal(c.fails, 0, `check "${name}" failed ${c.fails} time(s)`);
    assert.equal(checks.get('status 200')?.path, '::api');
    assert.equal(checks.get('404 code')?.path, '::api::nested');
    assert.equal(checks.get('setup got json')?.path, '::setup');
    assert.equal(checks.get('teardown data')?.path, '::teardown');
    assert.equal(checks.get('other scenario')?.passes, 2);
    assert.equal(checks.get('status 200')?.passes, 6); // 2 VUs x 3 iterations
    assert.deepEqual(s.setup_data, { base: suite.target.url, token: 'abc', list: [1, 2] });
    assert.equal(s.metrics['iterations']?.values['count'], 8);
    assert.equal(s.metrics['votes']?.values['count'], 0); // +1 and -1 per iteration: negative counter values
    assert.equal(s.metrics['votes{kind:up}']?.values['count'], 6);
    assert.deepEqual(s.metrics['votes{kind:up}']?.thresholds, { 'count==6': { ok: true } });
    assert.deepEqual(s.metrics['level']?.values, { value: s.metrics['level']?.values['value'], min: 1, max: 2 });
    assert.equal(s.metrics['latency']?.contains, 'time');
    assert.equal(s.metrics['ok_rate']?.values['rate'], 1);
    assert.deepEqual(s.metrics['checks{scenario:main}']?.thresholds, { 'rate==1': { ok: true } });
    assert.equal(s.metrics['http_req_duration{phase:warmup}']?.thresholds?.['p(95)<5000']?.ok, true);
    // 1 setup request; main: 6 requests x 6 iterations incl. 2 redirect hops; other: 2.
    assert.equal(s.metrics['http_reqs']?.values['count'], 1 + 6 * 9 + 2);
    assert.ok((s.metrics['data_received']?.values['count'] ?? 0) > 0);
    assert.ok((s.metrics['data_sent']?.values['count'] ?? 0) > 0);
    assert.equal(s.metrics['group_duration']?.type, 'trend');
    // exec.vu.metrics.tags is live: set during the iteration, it tags the iteration's own samples.
    assert.equal(s.metrics['iterations{vutag:vu1,scenario:main}']?.values['count'], 3);
  });

  test('--out json writes k6 NDJSON: a Metric line before the first Point, system and user tags', async () => {
    const out = join(suite.tmp, 'out.ndjson');
    const before = suite.target.connections();
    const r = await runScript('ndjson.js', ['--out', `json=${out}`, '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(suite.target.connections() - before, 1, 'one VU reuses its keep-alive connection');
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const seen = new Set<string>();
    for (const l of lines) {
      if (l['type'] === 'Metric') seen.add(l['metric'] as string);
      else assert.ok(seen.has(l['metric'] as string), `Point for ${String(l['metric'])} before its Metric line`);
    }
    const marks = lines.find((l) => l['type'] === 'Metric' && l['metric'] === 'marks') as { data: Record<string, unknown> };
    assert.deepEqual(marks.data, { name: 'marks', type: 'counter', contains: 'default', thresholds: ['count>=2'], submetrics: null });
    const req = lines.find((l) => l['type'] === 'Point' && l['metric'] === 'http_reqs') as { data: { time: string; tags: Record<string, string> } };
    assert.match(req.data.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
    assert.equal(req.data.tags['name'], 'json');
    assert.equal(req.data.tags['url'], 'json');
    assert.equal(req.data.tags['method'], 'GET');
    assert.equal(req.data.tags['status'], '200');
    assert.equal(req.data.tags['proto'], 'HTTP/1.1');
    assert.equal(req.data.tags['scenario'], 'default');
    assert.equal(req.data.tags['group'], '');
    assert.equal(req.data.tags['expected_response'], 'true');
    const mark = lines.find((l) => l['type'] === 'Point' && l['metric'] === 'marks') as { data: { tags: Record<string, string> } };
    assert.equal(mark.data.tags['event'], 'start');
    // Each VU's warm-up (vu/warm-up.ts) leaves no trace: no sample of its synthetic requests, checks,
    // groups or iterations, and the VU's counters start where k6's do.
    const points = lines.filter((l) => l['type'] === 'Point') as { metric: string; data: { tags: Record<string, string> } }[];
    for (const p of points) {
      assert.notEqual(p.data.tags['scenario'], 'warm-up', `${p.metric} sample from the warm-up`);
      assert.ok(!(p.data.tags['group'] ?? '').includes('warm-up'), `${p.metric} sample from the warm-up's group`);
      assert.ok(!(p.data.tags['url'] ?? '').includes('warm-up'), `${p.metric} sample from a warm-up request`);
    }
    assert.equal(points.filter((p) => p.metric === 'http_reqs').length, 2);
    assert.equal(points.filter((p) => p.metric === 'iterations').length, 2);
    assert.equal(points.filter((p) => p.metric === 'checks').length, 0);
    assert.equal(points.filter((p) => p.metric === 'data_sent').length, 2);
  });

  test('failed thresholds exit 99 and print the text summary', async () => {
    const exportPath = join(suite.tmp, 'export.json');
    const r = await runScript('thresholds-fail.js', [`--summary-export=${exportPath}`]);
    assert.equal(r.code, 99, r.stderr);
    assert.match(r.stderr, /thresholds on metrics 'http_req_duration' have been crossed/);
    assert.match(r.stdout, /█ THRESHOLDS/);
    assert.match(r.stdout, /✗ 'max<0'/);
    const exported = JSON.parse(readFileSync(exportPath, 'utf8')) as { metrics: Record<string, { thresholds?: Record<string, boolean> }> };
    assert.deepEqual(exported.metrics['http_req_duration']?.thresholds, { 'max<0': true });
  });

  test('--no-thresholds skips them', async () => {
    const r = await runScript('thresholds-fail.js', ['--no-thresholds']);
    assert.equal(r.code, 0, r.stderr);
  });

  test('abortOnFail stops the run early with exit 99; teardown and the summary still run', async () => {
    const started = Date.now();
    const r = await runScript('abort-on-fail.js');
    assert.equal(r.code, 99, r.stderr);
    assert.ok(Date.now() - started < 30_000, 'the 60 s scenario was stopped');
    assert.match(r.stderr, /at least one has abortOnFail enabled, stopping test prematurely/);
    assert.match(r.stderr, /teardown ran/);
    assert.match(r.stdout, /TOTAL RESULTS/);
  });

  test('an unsupported k6 module fails at start with exit 107', async () => {
    const r = await runScript('unsupported-import.js');
    assert.equal(r.code, 107);
    assert.match(r.stderr, /unknown module: k6\/x\/disruptor/);
    assert.equal(r.stdout, '');
  });

  test('a bare non-k6 import fails clearly with exit 107', async () => {
    const r = await runScript('bare-import.js');
    assert.equal(r.code, 107);
    assert.match(r.stderr, /cannot import \\"zod\\"/);
  });

  test('an exception in init exits 107 without a summary', async () => {
    const r = await runScript('init-throws.js');
    assert.equal(r.code, 107);
    assert.match(r.stderr, /boom in init/);
    assert.equal(r.stdout, '');
  });

  test('an exception in setup exits 107, skips teardown, still runs handleSummary', async () => {
    const r = await runScript('setup-throws.js');
    assert.equal(r.code, 107);
    assert.match(r.stderr, /boom in setup/);
    assert.doesNotMatch(r.stderr, /teardown must not run/);
    assert.equal(r.stdout, 'summary after setup error\n');
  });

  test('an exception in an iteration is logged, not fatal, and the iteration counts', async () => {
    const r = await runScript('iteration-throws.js');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /boom in iteration 0/);
    assert.match(r.stderr, /source=stacktrace/);
    assert.equal(r.summary?.metrics['iterations']?.values['count'], 4);
    assert.equal(r.summary?.metrics['reached']?.values['count'], 2);
  });

  test('transport errors: refused (1212), timeout (1050), reset, invalid URL (1020), response callback', async () => {
    const r = await runScript('errors.js', [], { CLOSED_PORT: String(await closedPort()) });
    assert.equal(r.code, 0, r.stderr);
    const checks = allChecks(r.summary!.root_group);
    for (const [name, c] of checks) assert.equal(c.fails, 0, `check "${name}" failed`);
    assert.equal(checks.size, 5);
    assert.match(r.stderr, /Request Failed/);
    const m = r.summary!.metrics;
    // refused, timeout, reset and the expected 404 are requests; the invalid URL emits nothing.
    assert.equal(m['http_reqs']?.values['count'], 4);
    assert.deepEqual(
      { passes: m['http_req_failed']?.values['passes'], fails: m['http_req_failed']?.values['fails'] },
      { passes: 3, fails: 1 },
    );
  });

  test('arrival rate: iterations that find no free VU are dropped, exactly as scheduled', async () => {
    const r = await runScript('dropped.js');
    assert.equal(r.code, 0, r.stderr);
    const m = r.summary!.metrics;
    const done = m['iterations']?.values['count'] ?? 0;
    const dropped = m['dropped_iterations']?.values['count'] ?? 0;
    assert.equal(done + dropped, 40);
    assert.ok(dropped >= 30, `dropped ${dropped}`);
    assert.match(r.stderr, /Insufficient VUs, reached 1 active VUs/);
  });

  test('SIGINT stops the run with exit 105; teardown and the summary still run', async () => {
    let sent = false;
    const r = await interruptLongRun(suite, () => (sent = true));
    assert.ok(sent);
    assert.equal(r.code, 105, r.stderr);
    assert.match(r.stderr, /teardown after signal/);
    assert.match(r.stdout, /TOTAL RESULTS/);
    assert.match(r.stdout, /http_reqs/);
  });

  test('exec.test.abort() exits 108 after teardown and summary; exec.test.fail() exits 110', async () => {
    const aborted = await runScript('test-abort.js');
    assert.equal(aborted.code, 108, aborted.stderr);
    assert.match(aborted.stderr, /test aborted: enough/);
    assert.match(aborted.stderr, /teardown after abort/);
    assert.match(aborted.stdout, /TOTAL RESULTS/);
    const failed = await runScript('test-fail.js');
    assert.equal(failed.code, 110, failed.stderr);
    assert.match(failed.stderr, /test marked as failed: marked/);
  });

  test('invalid thresholds exit 104 before the run', async () => {
    const unknown = await runScript('bad-threshold.js', [], { METRIC: 'no_such_metric' });
    assert.equal(unknown.code, 104);
    assert.match(unknown.stderr, /no_such_metric/);
    const syntax = await runScript('bad-threshold.js', [], { EXPR: 'p95 <<< 2' });
    assert.equal(syntax.code, 104);
    const aggregation = await runScript('bad-threshold.js', [], { EXPR: 'rate<2' });
    assert.equal(aggregation.code, 104);
  });

  test('executors: schedules, per-scenario counts, gracefulStop interrupts, startTime', async () => {
    const r = await runScript('executors.js', ['-q']);
    assert.equal(r.code, 0, r.stderr);
    const m = r.summary!.metrics;
    const count = (k: string) => m[k]?.values['count'] ?? -1;
    assert.equal(count('iterations{scenario:car}') + count('dropped_iterations{scenario:car}'), 10);
    assert.equal(count('iterations{scenario:rar}') + count('dropped_iterations{scenario:rar}'), 10);
    assert.equal(count('iterations{scenario:pvu}'), 6);
    assert.equal(count('iterations{scenario:si}'), 5);
    assert.equal(count('iterations{scenario:cut}'), 0, 'an iteration past gracefulStop is interrupted and not counted');
    assert.equal(count('iterations{scenario:graceful}'), 1, 'an iteration within gracefulStop completes');
    assert.equal(count('iterations{scenario:late}'), 1);
    assert.ok(count('iterations{scenario:rv}') >= 3);
    for (const [name, c] of allChecks(r.summary!.root_group)) assert.equal(c.fails, 0, name);
    assert.ok((m['vus_max']?.values['max'] ?? 0) >= 1);
  });

  test('setupTimeout exits 100, teardownTimeout exits 101', async () => {
    const setup = await runScript('lifecycle-timeouts.js', [], { SLOW: 'setup' });
    assert.equal(setup.code, 100, setup.stderr);
    assert.match(setup.stderr, /setup\(\) execution timed out/);
    const teardown = await runScript('lifecycle-timeouts.js', [], { SLOW: 'teardown' });
    assert.equal(teardown.code, 101, teardown.stderr);
    const fine = await runScript('lifecycle-timeouts.js');
    assert.equal(fine.code, 0, fine.stderr);
  });

  test('a scenario exec function the script does not export exits 104', async () => {
    const r = await runScript('missing-exec.js');
    assert.equal(r.code, 104);
    assert.match(r.stderr, /exec function 'nope'/);
  });

  test('CLI: unknown flags and bad shortcuts are rejected clearly; --help', async () => {
    const bad = await runCli(suite.cli, ['run', '--frobnicate', fixture('ndjson.js')]);
    assert.equal(bad.code, 255);
    assert.match(bad.stderr, /unknown flag --frobnicate/);
    const help = await runCli(suite.cli, ['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /chaoslab-k6run run \[flags\] <script\.js>/);
    const badOut = await runCli(suite.cli, ['run', '--out', 'influxdb=http://x', fixture('ndjson.js')]);
    assert.equal(badOut.code, 255);
    assert.match(badOut.stderr, /unsupported output "influxdb"/);
  });
});
