// Opening a client link: the token from the URL, looked up by its hash, with its client and provider.
import type { Kysely } from 'kysely';
import { now } from '../platform/clock';
import type { ClientRow } from '../db/clients';
import type { Database } from '../db/schema';
import { sha256Hex } from '../platform/crypto';

export type OpenedLink =
  | { state: 'ok'; tokenHash: string; expiresAt: string; client: ClientRow; providerName: string }
  | { state: 'expired'; providerName: string }
  | { state: 'unknown' };

// randomToken(): 32 bytes as base64url, 43 characters. Anything else is not worth a lookup.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export async function openLink(db: Kysely<Database>, token: string): Promise<OpenedLink> {
  if (!TOKEN_SHAPE.test(token)) return { state: 'unknown' };
  const tokenHash = await sha256Hex(token);
  const link = await db
    .selectFrom('client_links as l')
    .innerJoin('providers as p', 'p.id', 'l.provider_id')
    .select(['l.client_id', 'l.provider_id', 'l.expires_at', 'l.purpose', 'p.name as provider_name'])
    .where('l.token_hash', '=', tokenHash)
    .executeTakeFirst();
  // Single-purpose: only an account link opens the account page.
  if (link?.purpose !== 'account') return { state: 'unknown' };
  if (link.expires_at <= now().toISOString()) return { state: 'expired', providerName: link.provider_name };
  const client = await db
    .selectFrom('clients')
    .selectAll()
    .where('id', '=', link.client_id)
    .where('provider_id', '=', link.provider_id)
    .executeTakeFirst();
  if (!client) return { state: 'unknown' };
  return { state: 'ok', tokenHash, expiresAt: link.expires_at, client, providerName: link.provider_name };
}
