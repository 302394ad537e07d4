// The public API over real HTTP: happy paths, idempotency, every bad-input case, and the metrics it leaves.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, json, metricValue, newPoll, startTestReplica, totalVotes, type TestReplica } from './helpers/replica.ts';

let r: TestReplica;
before(async () => {
  r = await startTestReplica();
});
after(async () => {
  await r?.close();
});

const vote = (poll: string, body: unknown, headers: Record<string, string> = {}) =>
  call(`${r.api}/api/polls/${poll}/vote`, json(body, headers));

describe('polls', () => {
  it('has the default poll, and POST /api/polls/default/vote {"option":"Go"} works out of the box', async () => {
    const list = await call(`${r.api}/api/polls`);
    assert.equal(list.status, 200);
    const polls = (list.body as { polls: { id: string; options: string[] }[] }).polls;
    assert.deepEqual(polls.find((p) => p.id === 'default')?.options, ['TypeScript', 'Python', 'Rust', 'Go']);
    const before = await totalVotes(r.api, 'default');
    const v = await vote('default', { option: 'Go' });
    assert.equal(v.status, 201);
    assert.equal((v.body as { option: string }).option, 'Go');
    const res = await call(`${r.api}/api/polls/default`);
    const body = res.body as { total: number; options: { name: string; votes: number }[] };
    assert.equal(body.total, before + 1);
    assert.equal(body.options.find((o) => o.name === 'Go')?.votes, 1);
  });

  it('creates a poll and reads its results', async () => {
    const created = await call(`${r.api}/api/polls`, json({ question: 'Best editor?', options: ['vim', 'emacs'] }));
    assert.equal(created.status, 201);
    const id = (created.body as { id: string }).id;
    await vote(id, { option: 'vim' });
    await vote(id, { option: 'vim' });
    const res = await call(`${r.api}/api/polls/${id}`);
    assert.deepEqual(res.body, {
      id,
      question: 'Best editor?',
      createdAt: (created.body as { createdAt: string }).createdAt,
      options: [
        { name: 'vim', votes: 2 },
        { name: 'emacs', votes: 0 },
      ],
      total: 2,
    });
  });

  it('echoes X-Request-Id, or makes one up', async () => {
    const given = await fetch(`${r.api}/api/polls`, { headers: { 'x-request-id': 'abc-123' } });
    assert.equal(given.headers.get('x-request-id'), 'abc-123');
    const made = await fetch(`${r.api}/api/polls`);
    assert.match(made.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });
});

describe('idempotency', () => {
  it('201 first, 200 with the same body on replay, counted once; a reused key for another vote is 422', async () => {
    const poll = await newPoll(r.api);
    const first = await vote(poll, { option: 'a' }, { 'idempotency-key': 'key-1' });
    const replay = await vote(poll, { option: 'a' }, { 'idempotency-key': 'key-1' });
    assert.equal(first.status, 201);
    assert.equal(replay.status, 200);
    assert.deepEqual(replay.body, first.body);
    const reused = await vote(poll, { option: 'b' }, { 'idempotency-key': 'key-1' });
    assert.equal(reused.status, 422);
    assert.equal((reused.body as { error: string }).error, 'idempotency_key_reused');
    assert.equal(await totalVotes(r.api, poll), 1);
  });

  it('counts concurrent duplicates once', async () => {
    const poll = await newPoll(r.api);
    const results = await Promise.all(
      Array.from({ length: 30 }, () => vote(poll, { option: 'b' }, { 'idempotency-key': `same-${poll}` })),
    );
    assert.equal(results.filter((x) => x.status === 201).length, 1);
    assert.equal(results.filter((x) => x.status === 200).length, 29);
    assert.equal(new Set(results.map((x) => JSON.stringify(x.body))).size, 1);
    assert.equal(await totalVotes(r.api, poll), 1);
  });
});

describe('bad input: clear JSON error, nothing stored, never 5xx', () => {
  const cases: { name: string; status: number; send: (poll: string) => Promise<Response> }[] = [
    { name: 'malformed JSON', status: 400, send: (p) => fetch(`${r.api}/api/polls/${p}/vote`, json('{"option":')) },
    { name: 'empty body', status: 400, send: (p) => fetch(`${r.api}/api/polls/${p}/vote`, json('')) },
    { name: 'missing option', status: 422, send: (p) => fetch(`${r.api}/api/polls/${p}/vote`, json({})) },
    { name: 'unknown option', status: 422, send: (p) => fetch(`${r.api}/api/polls/${p}/vote`, json({ option: 'c' })) },
    { name: 'option not a string', status: 422, send: (p) => fetch(`${r.api}/api/polls/${p}/vote`, json({ option: 1 })) },
    { name: 'extra fields', status: 422, send: (p) => fetch(`${r.api}/api/polls/${p}/vote`, json({ option: 'a', x: 1 })) },
    { name: 'JSON that is not an object', status: 422, send: (p) => fetch(`${r.api}/api/polls/${p}/vote`, json('["a"]')) },
    { name: 'unknown poll', status: 404, send: () => fetch(`${r.api}/api/polls/nope/vote`, json({ option: 'a' })) },
    {
      name: 'body over the limit (Content-Length)',
      status: 413,
      send: (p) => fetch(`${r.api}/api/polls/${p}/vote`, json({ option: 'a', pad: 'x'.repeat(10_000) })),
    },
    {
      name: 'body over the limit (chunked)',
      status: 413,
      send: (p) =>
        fetch(`${r.api}/api/polls/${p}/vote`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: new Blob([JSON.stringify({ option: 'a', pad: 'x'.repeat(10_000) })]).stream(),
          duplex: 'half',
        } as RequestInit),
    },
    {
      name: 'wrong content type',
      status: 415,
      send: (p) =>
        fetch(`${r.api}/api/polls/${p}/vote`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"option":"a"}' }),
    },
    {
      name: 'no content type',
      status: 415,
      send: (p) => fetch(`${r.api}/api/polls/${p}/vote`, { method: 'POST', body: new Uint8Array([123, 125]) }),
    },
    {
      name: 'idempotency key with a space',
      status: 400,
      send: (p) => fetch(`${r.api}/api/polls/${p}/vote`, json({ option: 'a' }, { 'idempotency-key': 'a b' })),
    },
    {
      name: 'idempotency key too long',
      status: 400,
      send: (p) => fetch(`${r.api}/api/polls/${p}/vote`, json({ option: 'a' }, { 'idempotency-key': 'k'.repeat(256) })),
    },
    {
      name: 'empty idempotency key',
      status: 400,
      send: (p) => fetch(`${r.api}/api/polls/${p}/vote`, json({ option: 'a' }, { 'idempotency-key': '' })),
    },
  ];

  for (const c of cases) {
    it(`${c.name} -> ${c.status}`, async () => {
      const poll = await newPoll(r.api);
      const res = await c.send(poll);
      assert.equal(res.status, c.status);
      assert.match(res.headers.get('content-type') ?? '', /application\/json/);
      const body = (await res.json()) as { error: string; message: string };
      assert.equal(typeof body.error, 'string');
      assert.ok(body.message.length > 0);
      assert.equal(await totalVotes(r.api, poll), 0);
    });
  }

  it('rejects an invalid poll definition with 422 and creates nothing', async () => {
    const before = ((await call(`${r.api}/api/polls`)).body as { polls: unknown[] }).polls.length;
    for (const bad of [{ question: 'q', options: ['one'] }, { question: '', options: ['a', 'b'] }, { question: 'q', options: ['a', 'a'] }]) {
      assert.equal((await call(`${r.api}/api/polls`, json(bad))).status, 422);
    }
    assert.equal(((await call(`${r.api}/api/polls`)).body as { polls: unknown[] }).polls.length, before);
  });
});

describe('ports and metrics', () => {
  it('keeps probes and metrics off the API port, and the API off the management port', async () => {
    assert.equal((await fetch(`${r.api}/metrics`)).status, 404);
    assert.equal((await fetch(`${r.api}/readyz`)).status, 404);
    assert.equal((await fetch(`${r.mgmt}/api/polls`)).status, 404);
    assert.equal((await fetch(`${r.mgmt}/healthz`)).status, 200);
    assert.equal((await fetch(`${r.mgmt}/readyz`)).status, 200);
  });

  it('labels requests by route template, one fixed label for unmatched routes', async () => {
    const poll = await newPoll(r.api);
    await vote(poll, { option: 'a' });
    await fetch(`${r.api}/no/such/${poll}`);
    const text = await (await fetch(`${r.mgmt}/metrics`)).text();
    assert.ok(metricValue(text, 'http_requests_total{method="POST",route="/api/polls/:id/vote",status_code="201"}')! >= 1);
    assert.ok(metricValue(text, 'http_requests_total{method="GET",route="unmatched",status_code="404"}')! >= 1);
    assert.ok(!text.includes(`/no/such/${poll}`), 'raw URL leaked into labels');
    assert.equal(metricValue(text, `poll_votes_total{poll="${poll}",option="a"}`), 1);
    assert.ok(text.includes('http_request_duration_seconds_bucket{le="0.5",method="POST",route="/api/polls/:id/vote"'));
    for (const name of ['http_requests_in_flight', 'chaos_delay_milliseconds', 'chaos_jitter_milliseconds', 'chaos_error_rate', 'store_up']) {
      assert.notEqual(metricValue(text, name), undefined, name);
    }
    assert.equal(metricValue(text, 'store_up'), 1);
    assert.match(text, /^process_cpu_user_seconds_total /m);
    assert.match(text, /^nodejs_eventloop_lag_seconds /m);
  });
});
