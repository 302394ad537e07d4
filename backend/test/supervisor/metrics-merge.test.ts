import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Counter, Histogram, Registry } from 'prom-client';
import { mergeFamilies, renderExposition, toFamilies } from '../../src/supervisor/metrics-merge.ts';

/** A registry shaped like a replica's: a labelled counter and a histogram. */
async function replicaFamilies(votes: number, durations: number[]) {
  const registry = new Registry();
  const counter = new Counter({ name: 'poll_votes_total', help: 'Votes.', labelNames: ['option'], registers: [registry] });
  const histogram = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Latency "quoted"\nsecond line',
    labelNames: ['route'],
    buckets: [0.1, 0.5],
    registers: [registry],
  });
  counter.inc({ option: 'Go' }, votes);
  for (const d of durations) histogram.observe({ route: '/api/polls/:id/vote' }, d);
  return toFamilies(await registry.getMetricsAsJSON());
}

describe('per-replica metrics merge', () => {
  it('keeps every replica as its own series under one family, labelled with its pod', async () => {
    const merged = mergeFamilies([
      { pod: 'replica-1', families: await replicaFamilies(3, [0.05]) },
      { pod: 'replica-2', families: await replicaFamilies(5, [0.7, 0.2]) },
    ]);
    const text = renderExposition(merged);
    assert.equal(text.match(/^# TYPE poll_votes_total counter$/gm)?.length, 1);
    assert.match(text, /^poll_votes_total\{option="Go",pod="replica-1"\} 3$/m);
    assert.match(text, /^poll_votes_total\{option="Go",pod="replica-2"\} 5$/m);
    assert.match(text, /^http_request_duration_seconds_bucket\{le="\+Inf",route="\/api\/polls\/:id\/vote",pod="replica-2"\} 2$/m);
    assert.match(text, /^http_request_duration_seconds_bucket\{le="0.5",route="\/api\/polls\/:id\/vote",pod="replica-2"\} 1$/m);
    assert.match(text, /^http_request_duration_seconds_count\{route="\/api\/polls\/:id\/vote",pod="replica-1"\} 1$/m);
    assert.match(text, /^# HELP http_request_duration_seconds Latency "quoted"\\nsecond line$/m);
  });

  it('overrides a pod label the replica set itself and leaves unlabelled sources alone', () => {
    const merged = mergeFamilies([
      { families: [{ name: 'supervisor_replicas_desired', help: 'd', type: 'gauge', values: [{ labels: {}, value: 2 }] }] },
      {
        pod: 'replica-1',
        families: [{ name: 'up', help: 'u', type: 'gauge', values: [{ labels: { pod: 'my-host' }, value: 1 }] }],
      },
    ]);
    const text = renderExposition(merged);
    assert.match(text, /^supervisor_replicas_desired 2$/m);
    assert.match(text, /^up\{pod="replica-1"\} 1$/m);
    assert.doesNotMatch(text, /my-host/);
  });

  it('escapes label values and renders special numbers the way Prometheus parses them', () => {
    const text = renderExposition(
      mergeFamilies([
        {
          pod: 'a"b\\c\nd',
          families: [
            {
              name: 'g',
              help: 'h',
              type: 'gauge',
              values: [
                { labels: { k: 1 }, value: NaN },
                { labels: { k: 2 }, value: -Infinity },
              ],
            },
          ],
        },
      ]),
    );
    assert.match(text, /^g\{k="1",pod="a\\"b\\\\c\\nd"\} NaN$/m);
    assert.match(text, /^g\{k="2",pod="a\\"b\\\\c\\nd"\} -Inf$/m);
  });

  it('drops a family from a source that disagrees on its type instead of emitting an invalid exposition', () => {
    const merged = mergeFamilies([
      { pod: 'r1', families: [{ name: 'x', help: 'h', type: 'counter', values: [{ labels: {}, value: 1 }] }] },
      { pod: 'r2', families: [{ name: 'x', help: 'h', type: 'gauge', values: [{ labels: {}, value: 9 }] }] },
    ]);
    assert.equal(merged.length, 1);
    assert.deepEqual(merged[0]?.values, [{ labels: { pod: 'r1' }, value: 1 }]);
  });

  it('renders nothing for no families', () => {
    assert.equal(renderExposition([]), '');
  });
});
