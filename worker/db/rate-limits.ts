// Fixed-window counters in D1 for sign-in abuse protection (codes per email and per IP).
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { now } from '../platform/clock';
import type { Database } from './schema';
import { ApiError } from '../platform/errors';
import { sha256Hex } from '../platform/crypto';

export interface Limit {
  bucket: string;
  max: number;
  windowSeconds: number;
}

export const LIMITS = {
  codePerEmail: { bucket: 'code-email', max: 5, windowSeconds: 15 * 60 },
  codePerIp: { bucket: 'code-ip', max: 30, windowSeconds: 15 * 60 },
  tokenPerIp: { bucket: 'token-ip', max: 60, windowSeconds: 15 * 60 },
} satisfies Record<string, Limit>;

/**
 * Counts one hit of `subject` (hashed, so no email sits in the table) and throws 429
 * with retry-after once the window's max is passed. The increment is one atomic upsert.
 */
export async function hit(db: Kysely<Database>, limit: Limit, subject: string): Promise<void> {
  const t = now().getTime();
  const windowMs = limit.windowSeconds * 1000;
  const start = Math.floor(t / windowMs) * windowMs;
  const key = `${limit.bucket}:${await sha256Hex(subject)}:${start}`;
  const expires = new Date(start + windowMs).toISOString();
  const row = await db
    .insertInto('rate_limits')
    .values({ key, count: 1, expires_at: expires })
    .onConflict((oc) => oc.column('key').doUpdateSet({ count: sql`count + 1` }))
    .returning('count')
    .executeTakeFirstOrThrow();
  if (row.count > limit.max) {
    const retryAfter = Math.max(1, Math.ceil((start + windowMs - t) / 1000));
    throw new ApiError(
      429,
      'rate_limited',
      `Too many attempts. Try again in ${retryAfter >= 60 ? `${Math.ceil(retryAfter / 60)} minutes` : `${retryAfter} seconds`}.`,
      {},
      { 'retry-after': String(retryAfter) },
    );
  }
}

export async function pruneRateLimits(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('rate_limits').where('expires_at', '<', now().toISOString()).execute();
}
