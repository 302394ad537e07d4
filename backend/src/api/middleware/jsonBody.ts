import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { every } from 'hono/combine';
import type { ApiEnv } from '../env.ts';
import { apiError } from '../errors.ts';
import { isJsonContentType } from '../validation.ts';

/** 415 unless JSON, 413 over the limit, 400 unless it parses; the parsed value lands in `c.var.body`. */
export const jsonBody = (limitBytes: number): MiddlewareHandler<ApiEnv> =>
  every(
  async (c, next) => {
    if (!isJsonContentType(c.req.header('content-type'))) {
      return apiError(c, 415, 'unsupported_media_type', 'Content-Type must be application/json');
    }
    await next();
  },
  bodyLimit({
    maxSize: limitBytes,
    onError: (c) => apiError(c, 413, 'payload_too_large', `body must be at most ${limitBytes} bytes`),
  }),
  async (c, next) => {
    let text: string;
    try {
      text = await c.req.text();
    } catch {
      return apiError(c, 400, 'unreadable_body', 'request body could not be read');
    }
    try {
      c.set('body', JSON.parse(text) as unknown);
    } catch {
      return apiError(c, 400, 'malformed_json', 'body is not valid JSON');
    }
    await next();
  },
  );
