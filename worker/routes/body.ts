// Reading and validating request bodies and queries: 64 KiB cap, JSON errors, one issue per field.
import type { Context } from 'hono';
import type * as v from 'valibot';
import { validate } from '../../shared/schemas/common';
import type { AppEnv } from '../env';
import { ApiError, validationFailed } from '../platform/errors';

export const MAX_BODY_BYTES = 64 * 1024;

const tooLarge = () => new ApiError(413, 'payload_too_large', 'The request body is larger than 64 KiB.');

/** The raw body text, read once and cached on the context (idempotency hashes it too). */
export async function readBody(c: Context<AppEnv>): Promise<string> {
  const cached = c.get('rawBody');
  if (cached !== undefined) return cached;
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const body = c.req.raw.body;
  let text = '';
  if (body) {
    // Stream with a running count so a missing or lying content-length cannot exhaust memory.
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_BODY_BYTES) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
    const all = new Uint8Array(size);
    let at = 0;
    for (const chunk of chunks) {
      all.set(chunk, at);
      at += chunk.byteLength;
    }
    text = new TextDecoder().decode(all);
  }
  c.set('rawBody', text);
  return text;
}

/** Parse the JSON body and validate it; 400 bad_json / validation_failed, 413 when too big. */
export async function jsonBody<S extends v.GenericSchema>(c: Context<AppEnv>, schema: S): Promise<v.InferOutput<S>> {
  const text = await readBody(c);
  let data: unknown;
  try {
    data = text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    throw new ApiError(400, 'bad_json', 'The request body is not valid JSON.');
  }
  if (data === undefined) data = {};
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw validationFailed([{ path: '', message: 'The body must be a JSON object' }]);
  }
  const result = validate(schema, data);
  if (!result.ok) throw validationFailed(result.issues);
  return result.value;
}

/** Validate the query string (single values; a repeated parameter takes its first value). */
export function queryParams<S extends v.GenericSchema>(c: Context<AppEnv>, schema: S): v.InferOutput<S> {
  const result = validate(schema, c.req.query());
  if (!result.ok) throw validationFailed(result.issues);
  return result.value;
}
