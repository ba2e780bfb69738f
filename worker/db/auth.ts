// Sign-in codes and bearer tokens, stored only as hashes (a live code also sealed, for re-sending it).
import { type RawBuilder, sql } from 'kysely';
import type { Statement } from './batch';
import { first, type Read, rows } from './data';
import { qb } from './kysely';

const providerIdByEmail = (email: string) =>
  qb.selectFrom('providers').select('id').where('email', '=', email.toLowerCase());

/**
 * Closes this email's open codes that can no longer be used (expired, or their tries used up) and
 * drops their sealed copy. Keyed by the email, not a provider id: the same statement whether or not
 * the email belongs to a provider (no enumeration by timing).
 */
export function closeStaleCodes(email: string, at: string, maxTries: number): Statement {
  return qb
    .updateTable('sign_in_codes')
    .set({ used_at: at, code_sealed: null })
    .where('provider_id', 'in', providerIdByEmail(email))
    .where('used_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', '<=', at), eb('attempts', '>=', maxTries)]))
    .compile();
}

/**
 * A new code for the provider with this email, only when `send` and only when the provider has no
 * live code (then the email re-sends that one: asking again never cancels a code). Inserts nothing
 * for an unknown email, with the same statement.
 */
export function insertCodeUnlessLive(
  row: { id: string; code_hash: string; code_sealed: string; expires_at: string; created_at: string },
  email: string,
  send: boolean,
  maxTries: number,
): Statement {
  return sql`INSERT INTO sign_in_codes (id, provider_id, code_hash, code_sealed, expires_at, created_at)
    SELECT ${row.id}, p.id, ${row.code_hash}, ${row.code_sealed}, ${row.expires_at}, ${row.created_at}
    FROM providers p
    WHERE p.email = ${email.toLowerCase()} AND ${send ? 1 : 0} = 1
      AND NOT EXISTS (SELECT 1 FROM sign_in_codes s WHERE s.provider_id = p.id AND s.used_at IS NULL
        AND s.expires_at > ${row.created_at} AND s.attempts < ${maxTries})`.compile(qb);
}

/**
 * A condition for a statement: a provider has this email, and `also` holds (a flag is bound as a
 * parameter, so the statement's text is the same either way).
 */
export const providerWithEmail = (email: string, also: boolean | RawBuilder<boolean> = true) =>
  sql<boolean>`EXISTS (SELECT 1 FROM providers WHERE email = ${email.toLowerCase()}) AND ${
    typeof also === 'boolean' ? sql`${also ? 1 : 0} = 1` : also
  }`;

/** The live sealed code of each provider in `providerIds` (the outbox renders code emails with it). */
export function liveSealedCodes(
  providerIds: string[],
  at: string,
): Read<{ id: string; provider_id: string; code_sealed: string; expires_at: string }[]> {
  return rows(
    qb
      .selectFrom('sign_in_codes')
      .select(['id', 'provider_id', 'code_sealed', 'expires_at'])
      .where('provider_id', 'in', providerIds)
      .where('used_at', 'is', null)
      .where('expires_at', '>', at)
      .where('code_sealed', 'is not', null) // a dead code (tries used up) lost it already
      .orderBy('created_at', 'desc')
      .compile(),
  );
}

/** The cron: expired codes lose their sealed copy (used and dead ones lost it already). */
export function dropExpiredSealed(at: string): Statement {
  return qb
    .updateTable('sign_in_codes')
    .set({ code_sealed: null })
    .where('code_sealed', 'is not', null)
    .where('expires_at', '<=', at)
    .compile();
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
  unless: RawBuilder<boolean>[] = [],
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
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        // The last try kills the code: its sealed copy goes at once (a right code spends it anyway).
        code_sealed: sql`CASE WHEN attempts + 1 >= ${maxTries} THEN NULL ELSE code_sealed END`,
      }))
      .where('id', '=', latest)
      .where('attempts', '<', maxTries)
      .where('used_at', 'is', null)
      .where((eb) => eb.and(unless.map((u) => eb.not(u))))
      .returning(['id', 'provider_id', 'code_hash'])
      .compile(),
  );
}

/** Spends the code (and drops its sealed copy); `mintTokenIfSpent` right after it inserts only if this changed a row. */
export function spendCode(id: string, at: string): Statement {
  return qb
    .updateTable('sign_in_codes')
    .set({ used_at: at, code_sealed: null })
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

/** Every live token of the provider (logout everywhere), the one in use included. */
export function revokeAllTokens(providerId: string, at: string): Statement {
  return qb
    .updateTable('auth_tokens')
    .set({ revoked_at: at })
    .where('provider_id', '=', providerId)
    .where('revoked_at', 'is', null)
    .compile();
}
