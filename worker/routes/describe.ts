// Each route's entry in the OpenAPI document: what it does, its success status and body schema
// (shared/schemas/responses.ts), and the errors it can answer (API.md's shape, components.Error).
import { describeRoute, resolver } from 'hono-openapi';
import type * as v from 'valibot';

const ERROR_RESPONSE = {
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};

const ERRORS: Record<number, string> = {
  400: 'validation_failed (one issue per bad field) or bad_json',
  401: 'unauthenticated: no, unknown, expired or revoked token',
  404: 'not_found: unknown id, or another provider’s',
  409: 'a conflict with the current state (the code says which)',
  413: 'payload_too_large: the body is over 64 KiB',
  415: 'unsupported_media_type: a body sent without content-type: application/json',
  422: 'the request is understood but refused by a rule (the code says which)',
  429: 'rate_limited; `retry-after` says when to try again',
  503: 'misconfigured (`error.problems` names each setting), or D1 not answering',
};

export interface RouteDoc {
  summary: string;
  tag: string;
  status: 200 | 201 | 202 | 204;
  body?: v.GenericSchema;
  /** Error statuses besides 400/401 (and 413 for a body). */
  errors?: number[];
  /** No bearer token needed. */
  public?: boolean;
  description?: string;
}

export function describe(d: RouteDoc) {
  const statuses = new Set([400, ...(d.public ? [] : [401]), ...(d.errors ?? [])]);
  const responses: Record<string, unknown> = {
    [d.status]: {
      description: d.summary,
      ...(d.body
        ? { content: { 'application/json': { schema: resolver(d.body, { errorMode: 'ignore', typeMode: 'output' }) } } }
        : {}),
    },
  };
  for (const s of [...statuses].sort()) responses[s] = { description: ERRORS[s] ?? 'error', ...ERROR_RESPONSE };
  return describeRoute({
    summary: d.summary,
    tags: [d.tag],
    ...(d.description ? { description: d.description } : {}),
    ...(d.public ? { security: [] } : {}),
    responses: responses as never,
  });
}
