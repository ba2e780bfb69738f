// The provider's private calendar feed: one live secret address at a time, kept as its token's
// SHA-256, and the sessions a feed shows (read in the same batch as the token's lookup).
import { sql } from 'kysely';
import { currentNetwork } from '../platform/network';
import type { Statement } from './batch';
import { first, type Read, rows } from './data';
import { qb } from './kysely';

/** What GET /feed/:token.ics shows (API.md): sessions still on, or held. */
const SHOWN = ['scheduled', 'confirmed'] as const;

export interface LiveFeed {
  id: string;
  provider_id: string;
  telehealth_url: string | null;
}

export interface FeedSessionRow {
  id: string;
  starts_at: string;
  ends_at: string;
  location_type: 'office' | 'telehealth';
  ics_sequence: number;
  first_name: string;
  last_name: string;
}

/** The provider's live feed (GET /v1/me's `calendarFeed`). */
export const liveOf = (providerId: string): Read<{ created_at: string } | undefined> =>
  first(
    qb
      .selectFrom('calendar_feeds')
      .select('created_at')
      .where('provider_id', '=', providerId)
      .where('revoked_at', 'is', null)
      .compile(),
  );

/** Revokes the provider's live feed, if any (before a new one, or to turn the feed off). */
export const revokeLive = (providerId: string, at: string): Statement =>
  qb
    .updateTable('calendar_feeds')
    .set({ revoked_at: at })
    .where('provider_id', '=', providerId)
    .where('revoked_at', 'is', null)
    .compile();

export const insert = (row: { id: string; tokenHash: string; providerId: string; at: string }): Statement =>
  qb
    .insertInto('calendar_feeds')
    .values({ id: row.id, token_hash: row.tokenHash, provider_id: row.providerId, created_at: row.at })
    .compile();

/** The live feed with this token hash, and its provider's video link. */
export const byToken = (tokenHash: string): Read<LiveFeed | undefined> =>
  first(
    qb
      .selectFrom('calendar_feeds as f')
      .innerJoin('providers as p', 'p.id', 'f.provider_id')
      .select(['f.id', 'f.provider_id', 'p.telehealth_url'])
      .where('f.token_hash', '=', tokenHash)
      .where('f.revoked_at', 'is', null)
      .compile(),
  );

/**
 * The sessions of the live feed with this token hash that start in [from, to], oldest first, with
 * only the client's names (for initials). Found by the feed's primary key, then a range on
 * appointments_provider_start.
 */
export const sessionsOf = (tokenHash: string, from: string, to: string): Read<FeedSessionRow[]> =>
  rows(
    qb
      .selectFrom('calendar_feeds as f')
      .innerJoin('appointments as a', 'a.provider_id', 'f.provider_id')
      .innerJoin('clients as c', 'c.id', 'a.client_id')
      .select(['a.id', 'a.starts_at', 'a.ends_at', 'a.location_type', 'a.ics_sequence', 'c.first_name', 'c.last_name'])
      .where('f.token_hash', '=', tokenHash)
      .where('f.revoked_at', 'is', null)
      .where('a.starts_at', '>=', from)
      .where('a.starts_at', '<=', to)
      .where('a.status', 'in', SHOWN)
      .orderBy('a.starts_at')
      .compile(),
  );

/**
 * The audit row of a feed read, written only when the token is a live feed's (an unknown or
 * revoked address leaves none). The actor is the provider: the address is their own credential,
 * and the calendar app that fetches it does so on their behalf.
 */
export function auditRead(tokenHash: string, at: string): Statement {
  return sql`INSERT INTO audit_log (at, actor_type, actor_id, provider_id, action, entity_type, entity_id, network)
    SELECT ${at}, 'provider', provider_id, provider_id, 'calendar_feed.read', 'calendar_feed', id, ${currentNetwork()}
    FROM calendar_feeds WHERE token_hash = ${tokenHash} AND revoked_at IS NULL`.compile(qb);
}

/** The audit row of turning the feed off, naming the feed, written only if `revokeLive` just revoked one. */
export function auditRevoked(providerId: string, at: string): Statement {
  return sql`INSERT INTO audit_log (at, actor_type, actor_id, provider_id, action, entity_type, entity_id, network)
    SELECT ${at}, 'provider', ${providerId}, ${providerId}, 'calendar_feed.revoke', 'calendar_feed', id, ${currentNetwork()}
    FROM calendar_feeds WHERE provider_id = ${providerId} AND revoked_at = ${at} AND changes() = 1`.compile(qb);
}
