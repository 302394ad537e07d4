import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Every API error has the same shape: a stable machine code and a sentence for humans. */
export const apiError = (c: Context, status: ContentfulStatusCode, error: string, message: string, extra?: object) =>
  c.json({ error, message, ...extra }, status);
