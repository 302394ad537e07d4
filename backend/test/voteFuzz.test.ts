// Property: whatever body and headers a client throws at the vote endpoint, it never gets a 5xx, and unless the
// request is a valid vote nothing is stored.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, it } from 'node:test';
import fc from 'fast-check';
import { newPoll, startTestReplica, totalVotes, type TestReplica } from './helpers/replica.ts';

let r: TestReplica;
before(async () => {
  r = await startTestReplica();
});
after(async () => {
  await r?.close();
});

/** Raw node:http, so bodies and headers go out exactly as generated (fetch would normalise some). */
function post(port: number, path: string, headers: Record<string, string>, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const headerValue = fc.string({ unit: fc.constantFrom(...' !"#$%&\'()*+,-./0123456789:;<=>?@AZaz[\\]^_`{|}~é'.split('')), maxLength: 300 });
const jsonish = fc.oneof(
  fc.json(),
  fc.record({ option: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constantFrom('A', 'a ', 'b\u0000')) }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
  fc.dictionary(fc.string(), fc.jsonValue()).map((o) => JSON.stringify(o)),
  fc.string(),
  fc.uint8Array({ maxLength: 6000 }).map((b) => Buffer.from(b).toString('latin1')),
);

const isValidVote = (contentType: string | undefined, body: string, key: string | undefined) => {
  if (!contentType || !/^application\/json\s*(;|$)/i.test(contentType.trim())) return false;
  if (key !== undefined && !/^[\x21-\x7e]{1,255}$/.test(key)) return false;
  try {
    const v = JSON.parse(body) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).join() === 'option' &&
      ((v as { option: unknown }).option === 'a' || (v as { option: unknown }).option === 'b');
  } catch {
    return false;
  }
};

it('random bodies and headers: no 5xx, nothing stored', async () => {
  const poll = await newPoll(r.api, ['a', 'b']);
  const port = Number(new URL(r.api).port);
  let sent = 0;
  await fc.assert(
    fc.asyncProperty(
      jsonish,
      fc.option(fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/jsonx', 'multipart/form-data', ''), { nil: undefined }),
      fc.option(headerValue, { nil: undefined }),
      fc.option(headerValue, { nil: undefined }),
      async (body, contentType, key, requestId) => {
        fc.pre(!isValidVote(contentType, body, key));
        const headers: Record<string, string> = {};
        if (contentType !== undefined) headers['content-type'] = contentType;
        if (key !== undefined) headers['idempotency-key'] = key;
        if (requestId !== undefined) headers['x-request-id'] = requestId;
        const status = await post(port, `/api/polls/${poll}/vote`, headers, Buffer.from(body, 'latin1'));
        sent++;
        assert.ok(status >= 400 && status < 500, `got ${status} for ${JSON.stringify({ body: body.slice(0, 80), headers })}`);
      },
    ),
    { numRuns: 300 },
  );
  assert.ok(sent > 200);
  assert.equal(await totalVotes(r.api, poll), 0);
});
