// Request validation in the route chain: `json(schema)`, `query(schema)`, `param(schema)` parse and
// validate with the Valibot schemas of shared/schemas, put the output where `c.req.valid(target)`
// finds it (typed, so `hc<AppType>` and the OpenAPI document know each route's input), and register
// the schema with hono-openapi. One hook turns a Valibot failure into API.md's `validation_failed`
// (one issue per field, dot paths).
//
// Why not @hono/valibot-validator's vValidator as it is: its json target skips a body that is not
// labelled application/json (the handler would see no input) and answers malformed JSON with a
// generic 400, while API.md refuses such a body with `415` and answers `bad_json`; and its query target turns a repeated parameter
// into an array where the API takes the first value. This is the same middleware shape (Hono's
// validated-data slot, the same input/output typing), with the API's own reading rules.
import type { MiddlewareHandler, ValidationTargets } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { resolver, uniqueSymbol } from 'hono-openapi';
import * as v from 'valibot';
import { type FieldIssue, toFieldIssues } from '../../shared/schemas/common';
import type { AppEnv } from './env';
import { ApiError, validationFailed } from '../platform/errors';

export const MAX_BODY_BYTES = 64 * 1024;

export const tooLarge = () => new ApiError(413, 'payload_too_large', 'The request body is larger than 64 KiB.');

/** API.md's 64 KiB cap, declared (content-length) or streamed. */
export const limitBody = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw tooLarge();
  },
});

/** The one hook: a Valibot failure is `400 validation_failed` with one issue per field. */
export function invalid(issues: readonly v.BaseIssue<unknown>[] | FieldIssue[]): never {
  const fieldIssues =
    issues.length > 0 && 'kind' in issues[0]! ? toFieldIssues(issues as v.BaseIssue<unknown>[]) : issues;
  throw validationFailed(fieldIssues as FieldIssue[]);
}

/** The body text, read once (Hono caches it for the idempotency hash and the parser alike). */
export const bodyText = (c: { req: { text(): Promise<string> } }) => c.req.text();

export const unsupportedMediaType = () =>
  new ApiError(415, 'unsupported_media_type', 'Send the request body as JSON, with content-type: application/json.');

/** `application/json`, any case, with or without parameters (`; charset=utf-8`). */
export function isJsonContentType(header: string | undefined): boolean {
  return (header ?? '').split(';', 1)[0]!.trim().toLowerCase() === 'application/json';
}

/**
 * API.md: a request that carries a body says `content-type: application/json`, on every route —
 * including those whose body is optional (`…/notify`) or ignored — so a form or a text/plain request
 * from another site never reaches one. A POST with no body at all may omit the header.
 */
export const jsonBodiesOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.req.method !== 'OPTIONS') {
    if ((await bodyText(c)) !== '' && !isJsonContentType(c.req.header('content-type'))) throw unsupportedMediaType();
  }
  await next();
};

/**
 * The JSON body as API.md reads it: empty is `{}`; a body labelled anything but application/json is
 * `415` (so a plain HTML form or a text/plain request from another site never reaches a JSON route);
 * unparsable is `bad_json`; a non-object is a validation error.
 */
async function jsonObject(c: Parameters<MiddlewareHandler<AppEnv>>[0]): Promise<unknown> {
  const text = await bodyText(c);
  if (text === '') return {};
  if (!isJsonContentType(c.req.header('content-type'))) throw unsupportedMediaType();
  if (text.trim() === '') return {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'bad_json', 'The request body is not valid JSON.');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    invalid([{ path: '', message: 'The body must be a JSON object' }]);
  }
  return data;
}

type Target = 'json' | 'query' | 'param';
type TargetInput<S extends v.GenericSchema, T extends Target> = T extends 'json'
  ? v.InferInput<S>
  : { [K in keyof v.InferInput<S>]: ValidationTargets[T][K & string] };
type Validated<S extends v.GenericSchema, T extends Target> = {
  in: { [K in T]: TargetInput<S, T> };
  out: { [K in T]: v.InferOutput<S> };
};

// Transforms (trim, normalise) have no JSON Schema: describe the input side and skip them.
const JSON_SCHEMA_OPTIONS = { errorMode: 'ignore', typeMode: 'input' };

function validate<S extends v.GenericSchema, T extends Target>(
  target: T,
  schema: S,
): MiddlewareHandler<AppEnv, string, Validated<S, T>> {
  const middleware: MiddlewareHandler<AppEnv, string, Validated<S, T>> = async (c, next) => {
    const value =
      target === 'json'
        ? await jsonObject(c as never)
        : target === 'query'
          ? c.req.query() // a repeated parameter: its first value
          : c.req.param();
    const result = v.safeParse(schema, value, { abortPipeEarly: true });
    if (!result.success) invalid(result.issues);
    c.req.addValidatedData(target, result.output as object);
    await next();
  };
  return Object.assign(middleware, {
    [uniqueSymbol]: { target, ...resolver(schema as never, JSON_SCHEMA_OPTIONS) },
  });
}

export const json = <S extends v.GenericSchema>(schema: S) => validate('json', schema);
export const query = <S extends v.GenericSchema>(schema: S) => validate('query', schema);
export const param = <S extends v.GenericSchema>(schema: S) => validate('param', schema);
