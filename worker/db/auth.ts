// Sign-in codes and bearer tokens, stored only as hashes.
import { sql } from 'kysely';
import type { Statement } from './batch';
import { first, type Read } from './data';
import { qb } from './kysely';

/** Any code still open for this provider is spent (a new one replaces it). */
export function closeOpenCodes(providerId: string, at: string): Statement {
  return qb
    .updateTable('sign_in_codes')
    .set({ used_at: at })
    .where('provider_id', '=', providerId)
    .where('used_at', 'is', null)
    .compile();
}

export function insertCode(row: {
  id: string;
  provider_id: string;
  code_hash: string;
  expires_at: string;
  created_at: string;
}): Statement {
  return qb.insertInto('sign_in_codes').values(row).compile();
}

/**
 * Counts one try on the latest open code of `email` and returns it — the try is counted before
 * the code is compared, in one statement, so parallel guesses share the `maxTries` between them.
 * Undefined: no open code, or its tries are used up.
 */
export function tryLatestCode(
  email: string,
  at: string,
  maxTries: number,
): Read<{ id: string; provider_id: string; code_hash: string } | undefined> {
  const latest = qb
    .selectFrom('sign_in_codes as s')
    .innerJoin('providers as p', 'p.id', 's.provider_id')
    .select('s.id')
    .where('p.email', '=', email.toLowerCase())
    .where('s.used_at', 'is', null)
    .where('s.expires_at', '>', at)
    .orderBy('s.created_at', 'desc')
    .limit(1);
  return first(
    qb
      .updateTable('sign_in_codes')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', latest)
      .where('attempts', '<', maxTries)
      .where('used_at', 'is', null)
      .returning(['id', 'provider_id', 'code_hash'])
      .compile(),
  );
}

/** Spends the code; `mintTokenIfSpent` right after it in the same batch inserts only if this changed a row. */
export function spendCode(id: string, at: string): Statement {
  return qb
    .updateTable('sign_in_codes')
    .set({ used_at: at })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .compile();
}

export function mintTokenIfSpent(tokenHash: string, providerId: string, at: string, expiresAt: string): Statement {
  return sql`INSERT INTO auth_tokens (token_hash, provider_id, created_at, expires_at)
    SELECT ${tokenHash}, ${providerId}, ${at}, ${expiresAt} WHERE changes() = 1`.compile(qb);
}

export function revokeToken(tokenHash: string, at: string): Statement {
  return qb
    .updateTable('auth_tokens')
    .set({ revoked_at: at })
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .compile();
}
