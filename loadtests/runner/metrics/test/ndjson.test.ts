import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { MetricsCore, type MetricCatalog, type MetricInfo } from '../core.ts';
import { formatGoTime } from '../go-time.ts';
import { NdjsonWriter } from '../ndjson.ts';
import type { Sample } from '../types.ts';

const TIME1 = Date.UTC(2021, 1, 24, 13, 37, 10);

/** The samples and metrics of k6's own json_test.go, with its expected lines in Go's key order. */
const catalog: MetricCatalog = {
  metricInfo(name: string): MetricInfo | undefined {
    if (name === 'my_metric1') {
      return {
        def: { name, type: 'gauge', contains: 'default' },
        thresholds: [
          { source: 'rate<0.01', abortOnFail: false, delayAbortEvalNs: null },
          { source: 'p(99)<250', abortOnFail: false, delayAbortEvalNs: null },
        ],
        submetrics: [{ name: 'my_metric1{a:1,b:2}', suffix: 'a:1,b:2', tags: { b: '2', a: '1' } }],
      };
    }
    if (name === 'my_metric2') {
      return { def: { name, type: 'counter', contains: 'data' }, thresholds: [], submetrics: null };
    }
    return undefined;
  },
};
const samples: Sample[] = [
  { metric: 'my_metric1', time: TIME1, value: 1, tags: { tag1: 'val1' }, metadata: { meta2: 'bar', meta1: 'foo' } },
  { metric: 'my_metric1', time: TIME1, value: 2, tags: { tag2: 'val2' } },
  { metric: 'my_metric2', time: TIME1 + 10_000, value: 3, tags: { key: 'val' }, metadata: {} },
  { metric: 'my_metric1', time: TIME1 + 10_000, value: 4, tags: { key: 'val' } },
  { metric: 'my_metric2', time: TIME1 + 20_000, value: 5, tags: { tag4: 'val4', tag3: 'val3' }, metadata: { meta3: 'metaval3' } },
];
const expected = [
  '{"type":"Metric","data":{"name":"my_metric1","type":"gauge","contains":"default","thresholds":["rate<0.01","p(99)<250"],"submetrics":[{"name":"my_metric1{a:1,b:2}","suffix":"a:1,b:2","tags":{"a":"1","b":"2"}}]},"metric":"my_metric1"}',
  '{"metric":"my_metric1","type":"Point","data":{"time":"2021-02-24T13:37:10Z","value":1,"tags":{"tag1":"val1"},"metadata":{"meta1":"foo","meta2":"bar"}}}',
  '{"metric":"my_metric1","type":"Point","data":{"time":"2021-02-24T13:37:10Z","value":2,"tags":{"tag2":"val2"}}}',
  '{"type":"Metric","data":{"name":"my_metric2","type":"counter","contains":"data","thresholds":[],"submetrics":null},"metric":"my_metric2"}',
  '{"metric":"my_metric2","type":"Point","data":{"time":"2021-02-24T13:37:20Z","value":3,"tags":{"key":"val"}}}',
  '{"metric":"my_metric1","type":"Point","data":{"time":"2021-02-24T13:37:20Z","value":4,"tags":{"key":"val"}}}',
  '{"metric":"my_metric2","type":"Point","data":{"time":"2021-02-24T13:37:30Z","value":5,"tags":{"tag3":"val3","tag4":"val4"},"metadata":{"meta3":"metaval3"}}}',
];

let dir = '';
const savedTZ = process.env.TZ;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ndjson-test-'));
  process.env.TZ = 'UTC';
});
after(async () => {
  if (savedTZ === undefined) delete process.env.TZ;
  else process.env.TZ = savedTZ;
  await rm(dir, { recursive: true, force: true });
});

async function collectStdout(run: (w: NdjsonWriter) => void): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const w = new NdjsonWriter({ stdout: out });
  await w.open('-');
  run(w);
  await w.close();
  return Buffer.concat(chunks).toString('utf8');
}

describe('NdjsonWriter', () => {
  it('writes k6 json_test.go lines byte for byte, Metric line right before the first Point', async () => {
    const text = await collectStdout((w) => {
      w.write(samples.slice(0, 2), catalog);
      w.write(samples.slice(2), catalog);
    });
    assert.equal(text, `${expected.join('\n')}\n`);
  });
  it('writes to a file, and to a gzipped file for a .gz target', async () => {
    for (const name of ['out.json', 'out.json.gz']) {
      const w = new NdjsonWriter({ cwd: dir });
      await w.open(name);
      w.write(samples, catalog);
      await w.close();
      const raw = await readFile(join(dir, name));
      const text = name.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
      assert.equal(text, `${expected.join('\n')}\n`, name);
      if (name.endsWith('.gz')) assert.deepEqual([...raw.subarray(0, 2)], [0x1f, 0x8b]);
    }
  });
  it('fails at open when the file cannot be created (no mkdir)', async () => {
    const w = new NdjsonWriter({ cwd: dir });
    await assert.rejects(w.open('missing-dir/out.json'), { code: 'ENOENT' });
  });
  it('flushes buffered lines periodically, before close', async () => {
    const w = new NdjsonWriter({ cwd: dir, flushIntervalMs: 50 });
    await w.open('periodic.json');
    w.write(samples.slice(0, 1), catalog);
    let size = 0;
    for (let i = 0; i < 100 && size === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      size = (await stat(join(dir, 'periodic.json'))).size;
    }
    assert.ok(size > 0, 'lines reached the file while the writer was still open');
    await w.close();
  });
  it('spells thresholds with abortOnFail as objects and escapes like Go', async () => {
    const core = new MetricsCore({
      thresholds: {
        http_req_duration: [
          'p(95)<200',
          { threshold: 'p(99)<500', abortOnFail: true, delayAbortEval: '1m30s' },
          { threshold: 'max<900', abortOnFail: true },
          { threshold: 'avg<100', abortOnFail: false, delayAbortEval: '5s' },
        ],
        'http_req_duration{name:<a&b>}': ['avg<1'],
      },
    });
    core.validateThresholds();
    const text = await collectStdout((w) =>
      w.write(
        [{ metric: 'http_req_duration', time: TIME1 + 0.25, value: 1.5e-7, tags: { name: '<a&b>', q: 'x"y\u2028' } }],
        core,
      ),
    );
    const [metricLine, pointLine] = text.split('\n');
    assert.equal(
      metricLine,
      '{"type":"Metric","data":{"name":"http_req_duration","type":"trend","contains":"time","thresholds":["p(95)<200",' +
        '{"threshold":"p(99)<500","abortOnFail":true,"delayAbortEval":"1m30s"},' +
        '{"threshold":"max<900","abortOnFail":true,"delayAbortEval":null},"avg<100"],' +
        '"submetrics":[{"name":"http_req_duration{name:<a&b>}","suffix":"name:<a&b>","tags":{"name":"<a&b>"}},' +
        '{"name":"http_req_duration{expected_response:true}","suffix":"expected_response:true","tags":{"expected_response":"true"}}]},' +
        '"metric":"http_req_duration"}',
    );
    assert.equal(
      pointLine,
      '{"metric":"http_req_duration","type":"Point","data":{"time":"2021-02-24T13:37:10.00025Z","value":1.5e-7,' +
        '"tags":{"name":"<a&b>","q":"x\\"y\\u2028"}}}',
    );
  });
  it('encodes a shared tags object once per batch, never stale after it changes between batches', async () => {
    const tags: Record<string, string> = { vu: '1' };
    const text = await collectStdout((w) => {
      w.write([{ metric: 'my_metric2', time: TIME1, value: 1, tags }, { metric: 'my_metric2', time: TIME1, value: 2, tags }], catalog);
      tags.vu = '2';
      w.write([{ metric: 'my_metric2', time: TIME1, value: 3, tags }], catalog);
    });
    assert.deepEqual(
      text.trim().split('\n').slice(1).map((l) => JSON.parse(l).data.tags.vu),
      ['1', '1', '2'],
    );
  });
  it('drops samples whose value Go cannot encode (NaN, Inf) and counts them', async () => {
    let skipped = 0;
    const text = await collectStdout((w) => {
      w.write([{ ...samples[1], value: Number.NaN } as Sample, { ...samples[1], value: Infinity } as Sample], catalog);
      skipped = w.skipped;
    });
    assert.equal(text, '');
    assert.equal(skipped, 2);
  });
});

describe('formatGoTime (Go time.Time JSON)', () => {
  const at = (tz: string, ms: number): string => {
    process.env.TZ = tz;
    return formatGoTime(ms);
  };
  it('uses Z for UTC and trims trailing zeros of the nanoseconds', () => {
    assert.equal(at('UTC', Date.UTC(2021, 1, 24, 13, 37, 10)), '2021-02-24T13:37:10Z');
    assert.equal(at('UTC', Date.UTC(2021, 1, 24, 13, 37, 11, 500)), '2021-02-24T13:37:11.5Z');
    assert.equal(at('UTC', Date.UTC(2021, 1, 24, 13, 37, 12, 120) + 0.0625), '2021-02-24T13:37:12.1200625Z');
  });
  it('prints the local offset', () => {
    assert.equal(at('Europe/Paris', Date.UTC(2021, 1, 24, 13, 37, 13, 500)), '2021-02-24T14:37:13.5+01:00');
    assert.equal(at('Europe/Paris', Date.UTC(2021, 6, 1, 10, 0, 14)), '2021-07-01T12:00:14+02:00');
    assert.equal(at('Asia/Kolkata', Date.UTC(2021, 1, 24, 13, 37, 15)), '2021-02-24T19:07:15+05:30');
    assert.equal(at('America/St_Johns', Date.UTC(2021, 1, 24, 13, 37, 16, 1)), '2021-02-24T10:07:16.001-03:30');
    assert.equal(at('UTC', Date.UTC(2021, 1, 24, 13, 37, 17)), '2021-02-24T13:37:17Z');
  });
});
