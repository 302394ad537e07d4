// End-to-end (real CLI, real local HTTP server): what handleSummary's return value makes the runner
// write (k6's summary wrapper and result checks), and data_sent/data_received emitted even when 0.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eSuite, fixture, readNdjsonPoints, runCli } from './harness.ts';

const suite = e2eSuite('k6run-summary-');

let n = 0;
/** Runs summary-modes.js with MODE in its own cwd, with --summary-export export.json. */
async function runMode(mode: string) {
  const cwd = mkdtempSync(join(suite.tmp, `${mode}-${++n}-`));
  const r = await runCli(suite.cli, ['run', '-q', '-e', `BASE=${suite.target.url}`, '-e', `MODE=${mode}`, '--summary-export', 'export.json', fixture('summary-modes.js')], { cwd });
  return { ...r, cwd, file: (name: string) => join(cwd, name) };
}

const TEXT_SUMMARY = /http_reqs\.+: 2\b/;

describe('handleSummary result (k6 summary wrapper)', () => {
  for (const mode of ['null', 'undefined', 'empty-string']) {
    test(`a falsy result (${mode}) prints the default text summary, and the export is added on top`, async () => {
      const r = await runMode(mode);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, TEXT_SUMMARY);
      assert.ok(r.stdout.startsWith('\n'), 'k6 wraps the text summary in newlines');
      const exp = JSON.parse(readFileSync(r.file('export.json'), 'utf8')) as { metrics: Record<string, Record<string, number>> };
      assert.equal(exp.metrics['iterations']?.['count'], 2);
      assert.doesNotMatch(r.stderr, /level=error/);
    });
  }

  test('a value that is neither string nor ArrayBuffer rejects the whole result: nothing is written', async () => {
    const r = await runMode('invalid-value');
    assert.equal(r.code, 0, 'the exit code is unchanged');
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /level=error msg="failed to handle the end-of-test summary" error=".*count\.txt: invalid type number/);
    assert.ok(!existsSync(r.file('valid.txt')), 'the valid entry is not written either');
    assert.ok(!existsSync(r.file('export.json')), 'nor the --summary-export file');
    assert.ok(!existsSync(r.file('count.txt')));
  });

  test('an object value is rejected, not stringified', async () => {
    const r = await runMode('object-value');
    assert.equal(r.code, 0);
    assert.match(r.stderr, /obj\.json: invalid type object/);
    assert.ok(!existsSync(r.file('obj.json')));
    assert.ok(!existsSync(r.file('export.json')));
  });

  test('a truthy result that is not a map is rejected', async () => {
    const r = await runMode('not-a-map');
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /handleSummary\(\) should return a map with string keys/);
    assert.ok(!existsSync(r.file('export.json')));
  });

  test('an ArrayBuffer made in the script is written byte for byte, with the export', async () => {
    const r = await runMode('binary');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'binary written\n');
    assert.deepEqual([...readFileSync(r.file('bin.dat'))], [0, 1, 2, 255]);
    assert.ok(existsSync(r.file('export.json')));
  });
});

describe('data_sent / data_received', () => {
  test('are emitted (as 0) after setup, every iteration and teardown even without any request', async () => {
    const cwd = mkdtempSync(join(suite.tmp, 'data-'));
    const r = await runCli(suite.cli, ['run', '-q', '--out', 'json=out.ndjson', '--summary-export', 'export.json', fixture('no-requests.js')], { cwd });
    assert.equal(r.code, 0, r.stderr);
    const points = readNdjsonPoints(join(cwd, 'out.ndjson'));
    for (const metric of ['data_sent', 'data_received']) {
      const ps = points.filter((p) => p.metric === metric);
      assert.deepEqual(ps.map((p) => p.data.value), [0, 0, 0, 0, 0], `${metric}: setup + 3 iterations + teardown`);
      assert.deepEqual(ps.map((p) => p.data.tags['group']).sort(), ['', '', '', '::setup', '::teardown']);
    }
    const exp = JSON.parse(readFileSync(join(cwd, 'export.json'), 'utf8')) as { metrics: Record<string, Record<string, number>> };
    assert.equal(exp.metrics['data_sent']?.['count'], 0);
    assert.equal(exp.metrics['data_received']?.['count'], 0);
  });
});
