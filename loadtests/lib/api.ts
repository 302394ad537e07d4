// The poll service's API as the experiments use it: every call checked, every templated URL tagged with a fixed
// `name` so per-poll URLs do not explode the metric series.
import http, { type RefinedResponse, type ResponseType } from 'k6/http';
import { check } from 'k6';

export const ROUTES = {
  polls: '/api/polls',
  poll: '/api/polls/:id',
  vote: '/api/polls/:id/vote',
} as const;

const JSON_HEADERS = { 'Content-Type': 'application/json' };

export interface PollResults {
  id: string;
  options: { name: string; votes: number }[];
  total: number;
}

export class PollApi {
  constructor(private readonly baseUrl: string) {}

  /** A fresh poll for this run, so the ledger compares only this run's votes. Throws: setup must not go on without it. */
  createPoll(question: string, options: string[]): string {
    const res = http.post(`${this.baseUrl}${ROUTES.polls}`, JSON.stringify({ question, options }), {
      headers: JSON_HEADERS,
      tags: { name: ROUTES.polls },
    });
    check(res, { 'poll created (201)': (r) => r.status === 201 });
    const id = res.status === 201 ? (res.json('id') as string | undefined) : undefined;
    if (typeof id !== 'string' || id === '') {
      throw new Error(`could not create the run's poll at ${this.baseUrl}: HTTP ${res.status} ${res.error || String(res.body)}`);
    }
    return id;
  }

  /** One vote attempt. 201 = counted, 200 = replay of an already counted key; both acknowledge the vote. */
  vote(pollId: string, option: string, idempotencyKey: string, tags: Record<string, string> = {}): RefinedResponse<ResponseType> {
    const res = http.post(`${this.baseUrl}${ROUTES.poll.replace(':id', encodeURIComponent(pollId))}/vote`, JSON.stringify({ option }), {
      headers: { ...JSON_HEADERS, 'Idempotency-Key': idempotencyKey },
      tags: { name: ROUTES.vote, ...tags },
    });
    check(res, { 'vote acknowledged (200/201)': (r) => r.status === 201 || r.status === 200 }, tags);
    return res;
  }

  /** Reads a poll's counts; undefined (with the reason in `error`) when the service cannot answer. */
  results(pollId: string, tags: Record<string, string> = {}): { poll?: PollResults; status: number; error: string } {
    const res = http.get(`${this.baseUrl}${ROUTES.poll.replace(':id', encodeURIComponent(pollId))}`, {
      tags: { name: ROUTES.poll, ...tags },
    });
    if (res.status !== 200) return { status: res.status, error: res.error || `HTTP ${res.status}` };
    const poll = res.json() as unknown as PollResults;
    if (typeof poll?.total !== 'number') return { status: res.status, error: 'poll results without a numeric total' };
    return { poll, status: res.status, error: '' };
  }
}

export const acknowledged = (status: number) => status === 200 || status === 201;
