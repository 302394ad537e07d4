import { Hono } from 'hono';
import type { ReplicaMetrics } from '../../metrics/index.ts';
import type { Store } from '../../store/index.ts';
import type { ApiEnv } from '../env.ts';
import { apiError } from '../errors.ts';
import { jsonBody } from '../middleware/jsonBody.ts';
import { IDEMPOTENCY_KEY, describeIssue, newPollSchema, voteBodySchema } from '../validation.ts';

export interface PollRoutesDeps {
  store: Store;
  metrics: ReplicaMetrics;
  bodyLimitBytes: number;
}

export function pollRoutes({ store, metrics, bodyLimitBytes }: PollRoutesDeps) {
  const app = new Hono<ApiEnv>();
  const body = jsonBody(bodyLimitBytes);
  // Bound children of poll_votes_total, one per poll and option (both checked against the store before a vote
  // is created, so the set stays as small as the polls): spares validating a label object on every vote.
  const voteChildren = new Map<string, { inc(): void }>();
  const votesCounter = (poll: string, option: string) => {
    const key = `${poll}\n${option}`;
    let child = voteChildren.get(key);
    if (!child) voteChildren.set(key, (child = metrics.votes.labels({ poll, option })));
    return child;
  };

  app.get('/polls', async (c) => c.json({ polls: await store.listPolls() }));

  app.post('/polls', body, async (c) => {
    const parsed = newPollSchema.safeParse(c.get('body'));
    if (!parsed.success) return apiError(c, 422, 'invalid_poll', describeIssue(parsed.error));
    return c.json(await store.createPoll(parsed.data), 201);
  });

  app.get('/polls/:id', async (c) => {
    const poll = await store.getPoll(c.req.param('id'));
    return poll ? c.json(poll) : apiError(c, 404, 'unknown_poll', 'no such poll');
  });

  app.post(
    '/polls/:id/vote',
    // The key is checked before the body is even read: a bad key is a client bug whatever the body says.
    (c, next) => {
      const key = c.req.header('idempotency-key');
      if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
        return apiError(c, 400, 'invalid_idempotency_key', 'Idempotency-Key must be 1-255 visible ASCII characters');
      }
      return next();
    },
    body,
    async (c) => {
      const parsed = voteBodySchema.safeParse(c.get('body'));
      if (!parsed.success) return apiError(c, 422, 'invalid_vote', describeIssue(parsed.error));
      const poll = c.req.param('id');
      const outcome = await store.vote({ poll, option: parsed.data.option, idempotencyKey: c.req.header('idempotency-key') });
      switch (outcome.kind) {
        case 'created':
          votesCounter(poll, outcome.vote.option).inc();
          return c.json(outcome.vote, 201);
        case 'replayed':
          return c.json(outcome.vote, 200);
        case 'unknown-poll':
          return apiError(c, 404, 'unknown_poll', 'no such poll');
        case 'unknown-option':
          return apiError(c, 422, 'unknown_option', `option must be one of: ${outcome.options.join(', ')}`, {
            options: outcome.options,
          });
        case 'key-conflict':
          return apiError(
            c,
            422,
            'idempotency_key_reused',
            'this Idempotency-Key was already used for a different vote; use a new key per vote',
          );
      }
    },
  );
  return app;
}
