// Single-purpose links to a client's self-service page: random, stored hashed, 14-day life.
import type { Selectable } from 'kysely';
import { now } from '../platform/clock';
import { randomToken, sha256Hex } from '../platform/crypto';
import type { Statement } from './batch';
import { first, type Read } from './data';
import { qb } from './kysely';
import type { ClientsTable } from './schema';

export const LINK_LIFETIME_MS = 14 * 24 * 60 * 60 * 1000;

export interface IssuedLink {
  url: string;
  expiresAt: string;
  /** The insert, for the caller's batch. */
  query: Statement;
}

export async function issueClientLink(
  env: { PUBLIC_URL: string },
  clientId: string,
  providerId: string,
): Promise<IssuedLink> {
  const token = randomToken();
  const t = now();
  const expiresAt = new Date(t.getTime() + LINK_LIFETIME_MS).toISOString();
  const query = qb
    .insertInto('client_links')
    .values({
      token_hash: await sha256Hex(token),
      client_id: clientId,
      provider_id: providerId,
      purpose: 'account',
      created_at: t.toISOString(),
      expires_at: expiresAt,
    })
    .compile();
  return { url: `${env.PUBLIC_URL.replace(/\/$/, '')}/c/${token}`, expiresAt, query };
}

export interface LinkRow {
  client_id: string;
  provider_id: string;
  expires_at: string;
  purpose: string;
  provider_name: string;
}

/** The link with this token hash and its provider's name. */
export const byHash = (tokenHash: string): Read<LinkRow | undefined> =>
  first(
    qb
      .selectFrom('client_links as l')
      .innerJoin('providers as p', 'p.id', 'l.provider_id')
      .select(['l.client_id', 'l.provider_id', 'l.expires_at', 'l.purpose', 'p.name as provider_name'])
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
