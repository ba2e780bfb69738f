// Idempotency-Key on creating POSTs (IETF draft semantics): the same key from the same provider
// within 24 h replays the first response, byte for byte; the same key with a different body is 422.
//
// The first response is saved in the same D1 batch as the change it reports (the domain puts
// `remember(status, body)` first in its batch), so there is no "running" state to get stuck: of two
// requests with one key at once, the second batch fails on the key's primary key and that request
// answers with the first one's saved response. A 4xx is saved on its own (nothing else was written);
// a 5xx is never saved, so a retry runs afresh.
import { createMiddleware } from 'hono/factory';
import { isUniqueViolation } from '../../db/batch';
import * as idempotency from '../../db/idempotency';
import { IDEMPOTENCY_TTL_MS } from '../../domain/auth';
import type { AppEnv } from '../env';
import { now, nowIso } from '../../platform/clock';
import { sha256Hex } from '../../platform/crypto';
import { ApiError } from '../../platform/errors';
import { bodyText } from '../validation';

const reused = () =>
  new ApiError(422, 'idempotency_key_reused', 'This Idempotency-Key was already used for a different request.');

function replay(saved: idempotency.StoredResponse, requestHash: string): Response {
  if (saved.request_hash !== requestHash) throw reused();
  return new Response(saved.response_body ?? '', {
    status: saved.response_status ?? 200,
    headers: { 'content-type': 'application/json', 'idempotent-replayed': 'true' },
  });
}

export const idempotent = createMiddleware<AppEnv>(async (c, next) => {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return next();
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new ApiError(400, 'validation_failed', 'The Idempotency-Key header must be 1–255 visible ASCII characters.', {
      issues: [{ path: 'Idempotency-Key', message: 'Use 1–255 visible ASCII characters, e.g. a UUID' }],
    });
  }
  const data = c.var.data;
  const providerId = c.var.provider.id;
  const requestHash = await sha256Hex(`${c.req.method} ${new URL(c.req.url).pathname}\n${await bodyText(c)}`);
  const saved = c.var.idempotencySaved; // read with the token (middleware/auth.ts)
  if (saved) return replay(saved, requestHash);

  const record = (status: number, body: string) => ({
    providerId,
    key,
    requestHash,
    status,
    body,
    at: nowIso(),
    staleBefore: new Date(now().getTime() - IDEMPOTENCY_TTL_MS).toISOString(),
  });
  c.set('remember', (status, body) => idempotency.save(record(status, JSON.stringify(body))));
  const since = () => new Date(now().getTime() - IDEMPOTENCY_TTL_MS).toISOString();
  await next();
  // Hono has already turned a thrown error into its response (c.res); c.error says what it was.
  const err = c.error;
  if (isUniqueViolation(err, 'idempotency_keys')) {
    // Another request with this key saved its change first: its answer is ours.
    const theirs = await data.one(idempotency.find(providerId, key, since()));
    if (!theirs)
      throw new ApiError(
        409,
        'request_in_progress',
        'A request with this Idempotency-Key is still being processed. Retry shortly.',
      );
    c.res = replay(theirs, requestHash);
  } else if (err instanceof ApiError && err.status < 500) {
    // Nothing was written; the answer is kept so a retry gets the same one (unless a twin saved first).
    const [, saved] = await data.write(idempotency.saveIfAbsent(record(err.status, JSON.stringify(err.toBody()))));
    if (saved?.meta.changes === 0) {
      const theirs = await data.one(idempotency.find(providerId, key, since()));
      if (theirs) c.res = replay(theirs, requestHash);
    }
  }
});
