// Idempotency-Key for creating POSTs (IETF draft semantics): the same key from the same
// provider within 24 h replays the first response; a different body is 422; a request
// arriving while the first is still running waits for it, then gets 409 request_in_progress.
import { createMiddleware } from 'hono/factory';
import { now, nowIso } from '../../platform/clock';
import type { AppEnv } from '../../env';
import { ApiError } from '../../platform/errors';
import { readBody } from '../body';
import { runBatch } from '../../db/batch';
import { sha256Hex } from '../../platform/crypto';

const DAY_MS = 24 * 60 * 60 * 1000;
const WAIT_MS = 5_000;
const POLL_MS = 50;

export const idempotent = createMiddleware<AppEnv>(async (c, next) => {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return next();
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new ApiError(400, 'validation_failed', 'The Idempotency-Key header must be 1–255 visible ASCII characters.', {
      issues: [{ path: 'Idempotency-Key', message: 'Use 1–255 visible ASCII characters, e.g. a UUID' }],
    });
  }
  const db = c.var.db;
  const providerId = c.var.provider.id;
  const body = await readBody(c);
  const requestHash = await sha256Hex(`${c.req.method} ${new URL(c.req.url).pathname}\n${body}`);
  const staleBefore = new Date(now().getTime() - DAY_MS).toISOString();

  // One round trip: forget the key if it is older than 24 h, then claim it. The primary key makes
  // the claim the race's single winner.
  const [, claim] = await runBatch(c.env.DB, [
    db
      .deleteFrom('idempotency_keys')
      .where('provider_id', '=', providerId)
      .where('key', '=', key)
      .where('created_at', '<', staleBefore)
      .compile(),
    db
      .insertInto('idempotency_keys')
      .values({ provider_id: providerId, key, request_hash: requestHash, state: 'running', created_at: nowIso() })
      .onConflict((oc) => oc.doNothing())
      .compile(),
  ]);
  if (claim?.meta.changes !== 1) {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const row = await db
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('provider_id', '=', providerId)
        .where('key', '=', key)
        .executeTakeFirst();
      if (!row) break; // the first request failed and released the key: fall through to a 409, client retries
      if (row.request_hash !== requestHash) {
        throw new ApiError(
          422,
          'idempotency_key_reused',
          'This Idempotency-Key was already used for a different request.',
        );
      }
      if (row.state === 'done' && row.response_status !== null) {
        return c.newResponse(row.response_body ?? '', row.response_status as 200, {
          'content-type': 'application/json',
          'idempotent-replayed': 'true',
        });
      }
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    throw new ApiError(
      409,
      'request_in_progress',
      'A request with this Idempotency-Key is still being processed. Retry shortly.',
    );
  }

  try {
    await next();
  } catch (err) {
    await release(c.var.db, providerId, key);
    throw err;
  }
  const res = c.res;
  if (res.status >= 500) {
    // A server failure is not a result worth replaying: let the client try again.
    await release(db, providerId, key);
    return;
  }
  const text = await res.clone().text();
  await db
    .updateTable('idempotency_keys')
    .set({ state: 'done', response_status: res.status, response_body: text })
    .where('provider_id', '=', providerId)
    .where('key', '=', key)
    .execute();
});

async function release(db: AppEnv['Variables']['db'], providerId: string, key: string) {
  await db
    .deleteFrom('idempotency_keys')
    .where('provider_id', '=', providerId)
    .where('key', '=', key)
    .where('state', '=', 'running')
    .execute();
}
