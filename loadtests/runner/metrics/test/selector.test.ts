import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMetricKey, parseSelector, SelectorError } from '../selector.ts';

describe('parseSelector', () => {
  it('splits pairs on "," and each pair on its first ":"', () => {
    assert.deepEqual(parseSelector('group:::g'), { suffix: 'group:::g', tags: { group: '::g' } });
    assert.deepEqual(parseSelector('url:http://x:8080/a,method:GET'), {
      suffix: 'url:http://x:8080/a,method:GET',
      tags: { url: 'http://x:8080/a', method: 'GET' },
    });
  });
  it('trims spaces then quotes from keys and values; the suffix is only trimmed', () => {
    assert.deepEqual(parseSelector(' phase : "fault" , \'name\':x '), {
      suffix: 'phase : "fault" , \'name\':x',
      tags: { phase: 'fault', name: 'x' },
    });
  });
  it('a pair without ":" selects an empty value; empty pairs are skipped', () => {
    assert.deepEqual(parseSelector('a,,b:1').tags, { a: '', b: '1' });
  });
  it('rejects an empty selector', () => {
    assert.throws(() => parseSelector('  '), SelectorError);
  });
});

describe('parseMetricKey', () => {
  it('returns the plain name when there is no selector', () => {
    assert.deepEqual(parseMetricKey('http_req_duration'), { metric: 'http_req_duration' });
  });
  it('splits name and selector', () => {
    const k = parseMetricKey('http_req_duration{phase:fault}');
    assert.equal(k.metric, 'http_req_duration');
    assert.deepEqual(k.selector, { suffix: 'phase:fault', tags: { phase: 'fault' } });
    assert.deepEqual(parseMetricKey('checks{group:::setup}').selector?.tags, { group: '::setup' });
  });
  it('rejects what k6 rejects with exit 104', () => {
    for (const bad of ['m{a:1', 'ma:1}', 'm}a:1{', 'm{a:1}x', 'm{a}', 'm{a:}', 'm{}', 'm{a:1,}']) {
      assert.throws(() => parseMetricKey(bad), SelectorError, bad);
    }
  });
});
