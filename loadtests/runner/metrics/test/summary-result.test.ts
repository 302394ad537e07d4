import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { SummaryResultError, writeSummaryResult } from '../summary-result.ts';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'summary-result-test-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function streams() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  return {
    io: { stdout, stderr, cwd: dir },
    text: () => [Buffer.concat(out).toString(), Buffer.concat(err).toString()],
  };
}

describe('writeSummaryResult (handleSummary return value)', () => {
  it('sends stdout/stderr to the streams and other keys to files relative to cwd', async () => {
    const s = streams();
    const bytes = new Uint8Array([0, 1, 2, 255]);
    await writeSummaryResult(
      { stdout: 'to out', stderr: 'to err', 'report.json': '{"a":1}', 'raw.bin': bytes.buffer },
      s.io,
    );
    assert.deepEqual(s.text(), ['to out', 'to err']);
    assert.equal(await readFile(join(dir, 'report.json'), 'utf8'), '{"a":1}');
    assert.deepEqual([...(await readFile(join(dir, 'raw.bin')))], [0, 1, 2, 255]);
  });
  it('truncates an existing file', async () => {
    await writeFile(join(dir, 'trunc.txt'), 'a much longer previous content');
    await writeSummaryResult({ 'trunc.txt': 'short' }, streams().io);
    assert.equal(await readFile(join(dir, 'trunc.txt'), 'utf8'), 'short');
  });
  it('never creates directories, still writes the other entries, and reports the failure', async () => {
    const s = streams();
    await assert.rejects(
      writeSummaryResult({ 'no/such/dir.txt': 'x', stdout: 'still written', 'ok.txt': 'fine' }, s.io),
      (err: unknown) => err instanceof SummaryResultError && /could not open 'no\/such\/dir.txt'/.test(err.message),
    );
    assert.equal(s.text()[0], 'still written');
    assert.equal(await readFile(join(dir, 'ok.txt'), 'utf8'), 'fine');
    assert.deepEqual((await readdir(dir)).includes('no'), false);
  });
  it('rejects a value that is not a string or ArrayBuffer before writing anything', async () => {
    const s = streams();
    await assert.rejects(
      writeSummaryResult({ stdout: 'nope', 'bad.json': { a: 1 } }, s.io),
      (err: unknown) => err instanceof SummaryResultError && /bad\.json: invalid type object/.test(err.message),
    );
    assert.deepEqual(s.text(), ['', '']);
    assert.deepEqual((await readdir(dir)).includes('bad.json'), false);
  });
  it('prints nothing for null or undefined, and rejects non-object results', async () => {
    const s = streams();
    await writeSummaryResult(null, s.io);
    await writeSummaryResult(undefined, s.io);
    assert.deepEqual(s.text(), ['', '']);
    await assert.rejects(writeSummaryResult('text', s.io), /should return a map with string keys/);
    await assert.rejects(writeSummaryResult(['a'], s.io), /should return a map with string keys/);
  });
});
