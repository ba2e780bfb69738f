// Idempotency-Key records: the first response to a (provider, key), replayed for 24 hours.
import type { Statement } from './batch';
import { first, type Read } from './data';
import { qb } from './kysely';

export interface StoredResponse {
  request_hash: string;
  response_status: number | null;
  response_body: string | null;
}

const ofToken = (tokenHash: string, at: string) =>
  qb
    .selectFrom('auth_tokens')
    .select('provider_id')
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', at);

/**
 * The record for `key` of the provider a token signs in, newer than `since`: read in the same round
 * trip as the token itself, before the provider's id is known.
 */
export function findForToken(
  tokenHash: string,
  at: string,
  key: string,
  since: string,
): Read<StoredResponse | undefined> {
  return first(
    qb
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'response_status', 'response_body'])
      .where('provider_id', '=', ofToken(tokenHash, at))
      .where('key', '=', key)
      .where('state', '=', 'done')
      .where('created_at', '>=', since)
      .compile(),
  );
}

export const find = (providerId: string, key: string, since: string): Read<StoredResponse | undefined> =>
  first(
    qb
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'response_status', 'response_body'])
      .where('provider_id', '=', providerId)
      .where('key', '=', key)
      .where('state', '=', 'done')
      .where('created_at', '>=', since)
      .compile(),
  );

export interface IdempotencyRecord {
  providerId: string;
  key: string;
  requestHash: string;
  status: number;
  body: string;
  at: string;
  /** Records older than this are forgotten: the key is free again. */
  staleBefore: string;
}

function insertRecord(r: IdempotencyRecord) {
  return qb.insertInto('idempotency_keys').values({
    provider_id: r.providerId,
    key: r.key,
    request_hash: r.requestHash,
    state: 'done',
    response_status: r.status,
    response_body: r.body,
    created_at: r.at,
  });
}

// A key older than 24 h is forgotten; a `running` row is a leftover of the earlier scheme (before
// responses were saved with their change): neither may hold the key.
const forget = (r: IdempotencyRecord): Statement =>
  qb
    .deleteFrom('idempotency_keys')
    .where('provider_id', '=', r.providerId)
    .where('key', '=', r.key)
    .where((eb) => eb.or([eb('created_at', '<', r.staleBefore), eb('state', '=', 'running')]))
    .compile();

/**
 * The response saved under its key, for the first place of the change's own batch: a concurrent
 * request that saved the key first makes this insert — and so the whole batch — fail.
 */
export function save(r: IdempotencyRecord): Statement[] {
  return [forget(r), insertRecord(r).compile()];
}

/** Saves an error answer unless another request saved the key first (then theirs stands). */
export function saveIfAbsent(r: IdempotencyRecord): Statement[] {
  return [forget(r), insertRecord(r).orIgnore().compile()];
}
