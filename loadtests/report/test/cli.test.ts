// The CLI end to end, as `make report` runs it: a results directory in, reports and an index out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { faultAt20RecoveringAt47, writeSynthetic } from './synthetic.ts';

const run = promisify(execFile);
const bin = resolve(fileURLToPath(import.meta.url), '../../bin/report.ts');
const dir = mkdtempSync(join(tmpdir(), 'report-cli-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', bin, ...args], { env: { ...process.env, PROMETHEUS_URL: '', ...env } });
    return { code: 0, ...r };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

test('every run in the results directory gets HTML, Markdown, a figure, and one index', async () => {
  await writeSynthetic(join(dir, 'errors.ndjson'), faultAt20RecoveringAt47({ errorP: 0.6, extraMs: 0 }));
  await writeSynthetic(join(dir, 'baseline.ndjson.gz'), { seconds: 40, rate: 10, phaseAt: () => 'steady', effect: () => ({ errorP: 0, extraMs: 0 }) }, true);
  const r = await cli([], { RESULTS_DIR: dir });
  assert.equal(r.code, 0, r.stderr);
  for (const f of ['errors.html', 'errors.md', 'errors.svg', 'baseline.html', 'baseline.md', 'baseline.svg', 'index.html']) assert.ok(existsSync(join(dir, f)), f);
  const md = readFileSync(join(dir, 'errors.md'), 'utf8');
  assert.match(md, /^# errors: findings/);
  assert.match(md, /!\[Timeline of errors[^\]]*\]\(errors\.svg\)/);
  assert.match(md, /It showed first at 20 s, 0 s after it started, in error ratio\./);
  assert.match(md, /from 47 s on \(5 consecutive seconds\), 7 s after the fault ended/);
  assert.match(md, /\| ✓ balanced \|/);
  const index = readFileSync(join(dir, 'index.html'), 'utf8');
  assert.match(index, /href="baseline.html"/);
  assert.match(index, /href="errors.html"/);
  assert.doesNotMatch(index + readFileSync(join(dir, 'errors.html'), 'utf8'), /<script|https?:\/\/(?!www\.w3\.org)/, 'no script, no network');
});

test('bad input fails loudly, reports nothing for that file, and keeps the others', async () => {
  const bad = join(dir, 'broken.ndjson');
  writeFileSync(bad, '{"metric":"http_reqs","type":"Point","data":{"time":"2026-11-25T12:00:00Z","value":1,"tags":{}}}\n{oops\n');
  const r = await cli(['--results-dir', dir]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /broken\.ndjson: line 2: not JSON/);
  assert.ok(!existsSync(join(dir, 'broken.html')));
  assert.match(r.stdout, /errors: /);
  rmSync(bad);
});

test('no runs, bad options and --help', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'report-cli-empty-'));
  const r = await cli(['--results-dir', empty]);
  rmSync(empty, { recursive: true });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no \*\.ndjson/);
  const bad = await cli(['--recover-seconds', 'zero', '--results-dir', dir]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /recoverSeconds/);
  const notNdjson = await cli([join(dir, 'errors.md')]);
  assert.equal(notNdjson.code, 2);
  assert.match(notNdjson.stderr, /must be k6 NDJSON/);
  const help = await cli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /usage: report/);
});
