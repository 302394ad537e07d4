// Pure input rules for the API, kept apart from HTTP so they are easy to test and reason about.
import { z } from 'zod';

/** Visible ASCII, no spaces, 1..255 characters (fits UUIDs, ULIDs and k6's `${__VU}-${__ITER}` style keys). */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export const voteBodySchema = z.strictObject({ option: z.string().min(1).max(100) });

export const newPollSchema = z.strictObject({
  question: z.string().trim().min(1).max(300),
  options: z
    .array(z.string().trim().min(1).max(100))
    .min(2)
    .max(20)
    .refine((o) => new Set(o).size === o.length, 'options must be unique'),
});

/** `application/json`, optionally with parameters (charset). */
export const isJsonContentType = (header: string | undefined) =>
  header !== undefined && /^application\/json\s*(;|$)/i.test(header.trim());

export const describeIssue = (err: z.ZodError) => {
  const issue = err.issues[0];
  if (!issue) return 'invalid body';
  return issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
};
