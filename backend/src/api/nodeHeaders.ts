import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';

/**
 * Sets a response header on the Node response when there is one. Hono's c.header() allocates a web Headers
 * object, which pushes @hono/node-server off its fast path (plain-object headers) on every request; Node
 * merges headers set here with the ones the adapter writes. Falls back to c.header() elsewhere (app.request).
 */
export function setResponseHeader(c: Context, name: string, value: string): void {
  const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
  if (outgoing) {
    if (!outgoing.headersSent) outgoing.setHeader(name, value);
  } else {
    c.header(name, value);
  }
}
