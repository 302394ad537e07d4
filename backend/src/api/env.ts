import type { Logger } from '../log/index.ts';

/** Typed per-request context shared by the API's middleware and routes. */
export interface ApiEnv {
  Variables: {
    requestId: string;
    /** Request-scoped logger (carries reqId); built on first use, since most requests never log. */
    log: () => Logger;
    /** Parsed JSON body, set by the jsonBody middleware. */
    body: unknown;
  };
}
