// The management port's Hono app, written once against ManagementTarget: a pod serves it for its one replica,
// the local supervisor for its whole group. Probes and scrapes live here so API faults never reach them.
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { faultRequestSchema } from '../chaos/faultSpec.ts';
import type { ManagementTarget } from './target.ts';
import { InvalidRequestError, UnknownReplicaError } from './errors.ts';

export interface ManagementOptions {
  /** Admin endpoints answer 404 unless a token is configured. */
  chaosToken: string | undefined;
}

const killSchema = z.strictObject({ signal: z.enum(['SIGTERM', 'SIGKILL']) });
const scaleSchema = z.strictObject({ count: z.number().int().min(0).max(64) });

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time: both sides are hashed to equal length first, so neither length nor prefix leaks. */
export const tokenMatches = (given: string, expected: string) => timingSafeEqual(digest(given), digest(expected));

const requireBearer =
  (token: string | undefined): MiddlewareHandler =>
  async (c, next) => {
    if (token === undefined) return c.json({ error: 'admin endpoints are disabled (CHAOS_TOKEN not set)' }, 404);
    const header = c.req.header('authorization');
    if (!header) {
      c.header('WWW-Authenticate', 'Bearer');
      return c.json({ error: 'missing bearer token' }, 401);
    }
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (!m?.[1] || !tokenMatches(m[1], token)) return c.json({ error: 'wrong bearer token' }, 403);
    await next();
  };

/** Parses a JSON body against a schema; undefined plus a sent 400 response on any problem. */
async function readJson<T extends z.ZodType>(
  c: Context,
  schema: T,
): Promise<{ ok: true; value: z.infer<T> } | { ok: false; res: Response }> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    return { ok: false, res: c.json({ error: 'body must be valid JSON' }, 400) };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return { ok: false, res: c.json({ error: `invalid body: ${where}${issue?.message ?? 'invalid'}` }, 400) };
  }
  return { ok: true, value: parsed.data };
}

export function createManagementApp(target: ManagementTarget, opts: ManagementOptions): Hono {
  const app = new Hono();

  app.get('/metrics', async (c) => {
    const { contentType, body } = await target.metrics();
    return c.body(body, 200, { 'Content-Type': contentType });
  });
  app.get('/healthz', (c) => (target.live() ? c.json({ status: 'ok' }) : c.json({ status: 'down' }, 503)));
  app.get('/readyz', async (c) => {
    const r = await target.ready();
    return r.ready ? c.json({ status: 'ready' }) : c.json({ status: 'not ready', reason: r.reason }, 503);
  });

  app.use('/admin/*', requireBearer(opts.chaosToken));

  app.get('/admin/chaos', async (c) => c.json({ faults: await target.faults() }));
  app.put('/admin/chaos', async (c) => {
    const body = await readJson(c, faultRequestSchema);
    if (!body.ok) return body.res;
    const { replica, ...spec } = body.value;
    return c.json({ faults: await target.setFault(spec, replica) });
  });
  app.delete('/admin/chaos', async (c) => {
    const replica = c.req.query('replica');
    return c.json({ removed: await target.clearFaults(replica || undefined) });
  });

  app.get('/admin/replicas', async (c) => c.json({ replicas: await target.replicas() }));
  app.post('/admin/replicas/:id/kill', async (c) => {
    if (!target.kill) return c.json({ error: 'this target cannot kill replicas (single replica)' }, 501);
    const body = await readJson(c, killSchema);
    if (!body.ok) return body.res;
    return c.json({ replica: await target.kill(c.req.param('id'), body.value.signal) });
  });
  app.put('/admin/replicas', async (c) => {
    if (!target.scale) return c.json({ error: 'this target cannot scale (single replica)' }, 501);
    const body = await readJson(c, scaleSchema);
    if (!body.ok) return body.res;
    return c.json({ replicas: await target.scale(body.value.count) });
  });

  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((err, c) => {
    if (err instanceof UnknownReplicaError) return c.json({ error: err.message }, 404);
    if (err instanceof InvalidRequestError) return c.json({ error: err.message }, 400);
    console.error('management request failed', err);
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}
