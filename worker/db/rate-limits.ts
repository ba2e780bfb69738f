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
