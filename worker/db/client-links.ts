// Single-purpose links to a client's self-service page: random, stored hashed, 14-day life.
import type { CompiledQuery, Kysely } from 'kysely';
import { now } from '../platform/clock';
import type { Database } from './schema';
import type { Bindings } from '../env';
import { randomToken, sha256Hex } from '../platform/crypto';

export const LINK_LIFETIME_MS = 14 * 24 * 60 * 60 * 1000;

export interface IssuedLink {
  url: string;
  expiresAt: string;
  /** The insert, for the caller's batch. */
  query: CompiledQuery;
}

export async function issueClientLink(
  db: Kysely<Database>,
  env: Pick<Bindings, 'PUBLIC_URL'>,
  clientId: string,
  providerId: string,
): Promise<IssuedLink> {
  const token = randomToken();
  const t = now();
  const expiresAt = new Date(t.getTime() + LINK_LIFETIME_MS).toISOString();
  const query = db
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
