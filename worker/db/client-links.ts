// Single-purpose links to a client's self-service page: random, stored hashed, 14-day life, bound to
// the client and the address they were sent to; at most 3 live per client; revocable.
import { type Selectable, sql } from 'kysely';
import { now } from '../platform/clock';
import { randomToken, sha256Hex } from '../platform/crypto';
import type { Statement } from './batch';
import { first, type Read } from './data';
import { qb } from './kysely';
import type { ClientsTable } from './schema';

export const LINK_LIFETIME_MS = 14 * 24 * 60 * 60 * 1000;
/** API.md: a client has at most this many live links; issuing another revokes the oldest. */
export const MAX_LIVE_LINKS = 3;

export interface IssuedLink {
  url: string;
  expiresAt: string;
  /** The insert and the revocation of links beyond the newest 3, in this order, for the caller's batch. */
  statements: Statement[];
}

export async function issueClientLink(
  env: { PUBLIC_URL: string },
  client: { id: string; email_lower: string },
  providerId: string,
): Promise<IssuedLink> {
  const token = randomToken();
  const t = now();
  const at = t.toISOString();
  const expiresAt = new Date(t.getTime() + LINK_LIFETIME_MS).toISOString();
  const insert = qb
    .insertInto('client_links')
    .values({
      token_hash: await sha256Hex(token),
      client_id: client.id,
      provider_id: providerId,
      purpose: 'account',
      created_at: at,
      expires_at: expiresAt,
      sent_to: client.email_lower,
    })
    .compile();
  return {
    url: `${env.PUBLIC_URL.replace(/\/$/, '')}/c/${token}`,
    expiresAt,
    statements: [insert, revokeBeyondNewest(client.id, at)],
  };
}

/**
 * Revokes this client's live links other than the newest 3. Run after the insert of a new one, in
 * the same batch: ties in created_at (two links in one millisecond) fall back to insertion order.
 */
function revokeBeyondNewest(clientId: string, at: string): Statement {
  return sql`UPDATE client_links SET revoked_at = ${at}
    WHERE client_id = ${clientId} AND revoked_at IS NULL AND expires_at > ${at}
      AND token_hash NOT IN (
        SELECT token_hash FROM client_links
        WHERE client_id = ${clientId} AND revoked_at IS NULL AND expires_at > ${at}
        ORDER BY created_at DESC, rowid DESC LIMIT ${MAX_LIVE_LINKS}
      )`.compile(qb);
}

/** Revokes every link of this client still unrevoked (its email changed); their page sessions end with them. */
export const revokeAll = (clientId: string, at: string): Statement =>
  qb
    .updateTable('client_links')
    .set({ revoked_at: at })
    .where('client_id', '=', clientId)
    .where('revoked_at', 'is', null)
    .compile();

export interface LinkRow {
  client_id: string;
  provider_id: string;
  expires_at: string;
  purpose: string;
  sent_to: string;
  revoked_at: string | null;
  provider_name: string;
}

export const linkColumns = [
  'l.client_id',
  'l.provider_id',
  'l.expires_at',
  'l.purpose',
  'l.sent_to',
  'l.revoked_at',
  'p.name as provider_name',
] as const;

/** The link with this token hash and its provider's name. */
export const byHash = (tokenHash: string): Read<LinkRow | undefined> =>
  first(
    qb
      .selectFrom('client_links as l')
      .innerJoin('providers as p', 'p.id', 'l.provider_id')
      .select(linkColumns)
      .where('l.token_hash', '=', tokenHash)
      .compile(),
  );

/** The client a link with this token hash points at (read in the same round trip as the link). */
export const clientOf = (tokenHash: string): Read<Selectable<ClientsTable> | undefined> =>
  first(
    qb
      .selectFrom('clients as c')
      .innerJoin('client_links as l', (j) =>
        j.onRef('l.client_id', '=', 'c.id').onRef('l.provider_id', '=', 'c.provider_id'),
      )
      .selectAll('c')
      .where('l.token_hash', '=', tokenHash)
      .compile(),
  );
