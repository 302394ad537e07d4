import type { Context, MiddlewareHandler, Next } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ApiEnv } from '../env.ts';
import { apiError } from '../errors.ts';
import { isJsonContentType } from '../validation.ts';

/** 415 unless JSON, 413 over the limit, 400 unless it parses; the parsed value lands in `c.var.body`. */
export const jsonBody = (limitBytes: number): MiddlewareHandler<ApiEnv> => {
  const tooLarge = (c: Context) => apiError(c, 413, 'payload_too_large', `body must be at most ${limitBytes} bytes`);
  const streamedLimit = bodyLimit({ maxSize: limitBytes, onError: tooLarge });

  const parse = async (c: Context<ApiEnv>, next: Next) => {
    let text: string;
    try {
      text = await c.req.text();
    } catch {
      c.res = apiError(c, 400, 'unreadable_body', 'request body could not be read');
      return;
    }
    try {
      c.set('body', JSON.parse(text) as unknown);
    } catch {
      c.res = apiError(c, 400, 'malformed_json', 'body is not valid JSON');
      return;
    }
    await next();
  };

  // One function rather than composed middleware: this runs on every vote, the hottest path we have.
  return async (c, next) => {
    if (!isJsonContentType(c.req.header('content-type'))) {
      return apiError(c, 415, 'unsupported_media_type', 'Content-Type must be application/json');
    }
    // With a Content-Length (the usual case) the size is known up front and Node's parser holds the client to
    // it, so the body is read on @hono/node-server's fast path. Chunked bodies go through bodyLimit, which
    // counts bytes as they stream in.
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) {
      return streamedLimit(c, () => parse(c, next));
    }
    if (Number(length) > limitBytes) return tooLarge(c);
    await parse(c, next);
  };
};
