// Fixed-window counters in D1 (sign-in abuse protection). The policy — which limits, how many — is
// the domain's (domain/auth.ts); this is the counting.
import { sql } from 'kysely';
import { now } from '../platform/clock';
import { sha256Hex } from '../platform/crypto';
import type { Statement } from './batch';
import type { Read } from './data';
import { qb } from './kysely';

export interface Limit {
  bucket: string;
  max: number;
  windowSeconds: number;
}

export interface Hit {
  count: number;
  max: number;
  /** Seconds until the window ends. */
  retryAfter: number;
}

/**
 * Counts one hit of `subject` (hashed, so no email sits in the table) in the current window: one
 * atomic upsert returning the count, as a read so it can share a round trip with others.
 */
export async function hit(limit: Limit, subject: string): Promise<Read<Hit>> {
  const t = now().getTime();
  const windowMs = limit.windowSeconds * 1000;
  const start = Math.floor(t / windowMs) * windowMs;
  const key = `${limit.bucket}:${await sha256Hex(subject)}:${start}`;
  return {
    query: qb
      .insertInto('rate_limits')
      .values({ key, count: 1, expires_at: new Date(start + windowMs).toISOString() })
      .onConflict((oc) => oc.column('key').doUpdateSet({ count: sql`count + 1` }))
      .returning('count')
      .compile(),
    map: (r) => ({
      count: Number(r[0]?.count ?? 1),
      max: limit.max,
      retryAfter: Math.max(1, Math.ceil((start + windowMs - t) / 1000)),
    }),
  };
}

export function pruneExpired(at: string): Statement {
  return qb.deleteFrom('rate_limits').where('expires_at', '<', at).compile();
}

export interface Window {
  count: number;
  /** When the window that began with its first hit ends. */
  expiresAt: string;
}

const sinceFirstKey = async (limit: Limit, subject: string) => `${limit.bucket}:${await sha256Hex(subject)}`;

/**
 * Counts one hit of `subject` in a window that begins with its first hit and lasts `windowSeconds`
 * ("an hour since the first of those wrong codes"): one atomic upsert that starts a fresh window
 * once the old one has ended, returning the count and the window's end.
 */
export async function hitSinceFirst(limit: Limit, subject: string): Promise<Read<Hit & Window>> {
  const t = now().getTime();
  const at = new Date(t).toISOString();
  const fresh = new Date(t + limit.windowSeconds * 1000).toISOString();
  return {
    query: qb
      .insertInto('rate_limits')
      .values({ key: await sinceFirstKey(limit, subject), count: 1, expires_at: fresh })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          // SQLite evaluates every SET expression on the row as it was, so both see the old expires_at.
          count: sql`CASE WHEN rate_limits.expires_at <= ${at} THEN 1 ELSE rate_limits.count + 1 END`,
          expires_at: sql`CASE WHEN rate_limits.expires_at <= ${at} THEN excluded.expires_at ELSE rate_limits.expires_at END`,
        }),
      )
      .returning(['count', 'expires_at'])
      .compile(),
    map: (r) => windowHit(limit, r[0], t, fresh),
  };
}

/** The live since-first window of `subject` without counting a hit (count 0 when there is none). */
export async function peekSinceFirst(limit: Limit, subject: string): Promise<Read<Hit & Window>> {
  const t = now().getTime();
  const at = new Date(t).toISOString();
  return {
    query: qb
      .selectFrom('rate_limits')
      .select(['count', 'expires_at'])
      .where('key', '=', await sinceFirstKey(limit, subject))
      .where('expires_at', '>', at)
      .compile(),
    map: (r) => (r[0] ? windowHit(limit, r[0], t, at) : { count: 0, max: limit.max, retryAfter: 0, expiresAt: at }),
  };
}

/** True while `subject`'s since-first window holds at least `count` hits: for a statement's condition. */
export async function windowReached(limit: Limit, subject: string, count: number, at: string) {
  return sql<boolean>`EXISTS (SELECT 1 FROM rate_limits WHERE key = ${await sinceFirstKey(limit, subject)} AND count >= ${count} AND expires_at > ${at})`;
}

/** True when `subject`'s since-first window holds exactly `count` hits (the hit that reached a cap). */
export async function windowAt(limit: Limit, subject: string, count: number, at: string) {
  return sql<boolean>`EXISTS (SELECT 1 FROM rate_limits WHERE key = ${await sinceFirstKey(limit, subject)} AND count = ${count} AND expires_at > ${at})`;
}

function windowHit(limit: Limit, r: Record<string, unknown> | undefined, t: number, fallback: string): Hit & Window {
  const expiresAt = typeof r?.expires_at === 'string' ? r.expires_at : fallback;
  return {
    count: Number(r?.count ?? 1),
    max: limit.max,
    retryAfter: Math.max(1, Math.ceil((Date.parse(expiresAt) - t) / 1000)),
    expiresAt,
  };
}
