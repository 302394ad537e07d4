// The wire shape of a runtime fault (PUT /admin/chaos), validated at the edge.
import { z } from 'zod';

export const MAX_TTL_SECONDS = 86_400;
export const DEFAULT_TTL_SECONDS = 300;

export const faultRequestSchema = z.strictObject({
  delayMs: z.number().int().min(0).max(600_000).default(0),
  jitterMs: z.number().int().min(0).max(600_000).default(0),
  errorRate: z.number().min(0).max(1).default(0),
  errorCode: z.number().int().min(500).max(599).default(500),
  ttlSeconds: z.number().positive().max(MAX_TTL_SECONDS).default(DEFAULT_TTL_SECONDS),
  /** One replica by id; absent = every replica of the target. */
  replica: z.string().min(1).max(253).optional(),
});

export type FaultRequest = z.infer<typeof faultRequestSchema>;
