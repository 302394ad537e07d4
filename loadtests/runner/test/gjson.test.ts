import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gjsonGet } from '../k6/gjson.ts';
import { mapTransportError } from '../engine/io-host.ts';

const doc = { a: { b: 2, 'x.y': 3 }, list: [{ id: 1, tags: ['p'] }, { id: 2 }], name: 'n', nil: null };

test('gjson paths: dots, array indexes, # for length and for mapping, escaped dots', () => {
  assert.equal(gjsonGet(doc, 'a.b'), 2);
  assert.equal(gjsonGet(doc, 'list.1.id'), 2);
  assert.equal(gjsonGet(doc, 'list.#'), 2);
  assert.deepEqual(gjsonGet(doc, 'list.#.id'), [1, 2]);
  assert.equal(gjsonGet(doc, 'list.0.tags.0'), 'p');
  assert.equal(gjsonGet(doc, 'a.x\\.y'), 3);
  assert.equal(gjsonGet(doc, 'nil'), null);
  assert.deepEqual(gjsonGet(doc, 'a'), { b: 2, 'x.y': 3 });
});

test('gjson paths: missing parts are undefined', () => {
  for (const p of ['a.c', 'list.5.id', 'list.x', 'name.length', 'a.b.c', '']) assert.equal(gjsonGet(doc, p), undefined, p);
});

test("transport errors map to k6's messages and codes", () => {
  const err = (code: string) => Object.assign(new Error(code), { code });
  assert.deepEqual(mapTransportError(err('ECONNREFUSED')), { error: 'dial: connection refused', code: 1212 });
  assert.deepEqual(mapTransportError(err('ECONNRESET')), { error: 'read: connection reset by peer', code: 1220 });
  assert.deepEqual(mapTransportError(err('ENOTFOUND')), { error: 'lookup: no such host', code: 1101 });
  assert.deepEqual(mapTransportError(err('ETIMEDOUT')), { error: 'dial: i/o timeout', code: 1211 });
  assert.equal(mapTransportError(err('EWHATEVER')).code, 1000);
});
