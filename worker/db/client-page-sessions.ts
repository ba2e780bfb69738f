// Page sessions of the client's self-service pages: what a link's token is traded for on the first
// visit (an HttpOnly cookie holds the secret; only its SHA-256 is stored). A session lives 30
// minutes and only while its link does: it is read together with the link, so a revoked link ends it.
import { type Selectable, sql } from 'kysely';
import { guard, type Statement } from './batch';
import { type LinkRow, linkColumns } from './client-links';
import { first, type Read } from './data';
import { qb } from './kysely';
import type { ClientsTable } from './schema';

export interface SessionLinkRow extends LinkRow {
  link_hash: string;
  session_expires_at: string;
}

/** A page session with the link it was opened with (and that link's provider's name). */
export const bySession = (sessionHash: string): Read<SessionLinkRow | undefined> =>
  first(
    qb
      .selectFrom('client_page_sessions as s')
      .innerJoin('client_links as l', 'l.token_hash', 's.link_hash')
      .innerJoin('providers as p', 'p.id', 'l.provider_id')
      .select([...linkColumns, 's.link_hash', 's.expires_at as session_expires_at'])
      .where('s.session_hash', '=', sessionHash)
      .compile(),
  );

/** The client of the link a page session was opened with. */
export const clientOfSession = (sessionHash: string): Read<Selectable<ClientsTable> | undefined> =>
  first(
    qb
      .selectFrom('clients as c')
      .innerJoin('client_links as l', (j) =>
        j.onRef('l.client_id', '=', 'c.id').onRef('l.provider_id', '=', 'c.provider_id'),
      )
      .innerJoin('client_page_sessions as s', 's.link_hash', 'l.token_hash')
      .selectAll('c')
      .where('s.session_hash', '=', sessionHash)
      .compile(),
  );

/** A new page session for a link, and the removal of that link's sessions that have ended. */
export const openSession = (s: {
  sessionHash: string;
  linkHash: string;
  createdAt: string;
  expiresAt: string;
}): Statement[] => [
  qb
    .deleteFrom('client_page_sessions')
    .where('link_hash', '=', s.linkHash)
    .where('expires_at', '<=', s.createdAt)
    .compile(),
  qb
    .insertInto('client_page_sessions')
    .values({
      session_hash: s.sessionHash,
      link_hash: s.linkHash,
      created_at: s.createdAt,
      expires_at: s.expiresAt,
    })
    .compile(),
];

/**
 * A guard for a write made with a page session: the batch fails unless, at `at`, the session is
 * still open and its link still live and bound to its client's address (a revocation that lands
 * between the page's read and its save wins).
 */
export const stillOpen = (sessionHash: string, at: string): Statement =>
  guard(sql`EXISTS (
    SELECT 1 FROM client_page_sessions s
    JOIN client_links l ON l.token_hash = s.link_hash
    JOIN clients c ON c.id = l.client_id AND c.provider_id = l.provider_id
    WHERE s.session_hash = ${sessionHash} AND s.expires_at > ${at}
      AND l.revoked_at IS NULL AND l.expires_at > ${at} AND l.sent_to = c.email_lower)`);
