// Retention: what the scheduled job deletes, and when. Each prune is one bounded statement (at most
// `limit` rows, found through an index on its expiry), so a run's work stays small however much
// piled up; the job repeats a prune while it comes back full. The audit log is never pruned here:
// it is kept (at least 6 years) and is append-only (its triggers refuse DELETE).
import { sql } from 'kysely';
import type { Statement } from './batch';
import { qb } from './kysely';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** An Idempotency-Key answers replays for 24 h (API.md), then it is forgotten. */
export const IDEMPOTENCY_KEEP_MS = DAY;
/** A `running` key whose request died (none is written now; a leftover of the earlier scheme). */
export const RUNNING_KEY_RELEASE_MS = 60_000;
/**
 * Sign-in codes, tokens and client links stay a week past expiry (to explain a late "expired" report), then go;
 * so does a revoked calendar feed, a week after it was revoked.
 */
export const EXPIRED_KEEP_MS = 7 * DAY;
/** The notify routes' window (domain/notify-limit.ts). */
export const NOTIFY_WINDOW_MS = HOUR;

export interface Prune {
  /** For the job's error report: a table name, never a value. */
  name: string;
  build(at: Date, limit: number): Statement;
}

const before = (at: Date, ms: number) => new Date(at.getTime() - ms).toISOString();

// SQLite (as D1 builds it) has no DELETE … LIMIT: the rows are picked by rowid in a bounded subquery.
const rowid = sql.ref('rowid');

/**
 * In order: anything that refers to another table's rows goes before that table (the client pages'
 * sessions before client_links). Another kind of row with an expiry adds its prune here, ahead of
 * what it refers to.
 */
export const PRUNES: Prune[] = [
  {
    name: 'idempotency_keys',
    build: (at, limit) =>
      qb
        .deleteFrom('idempotency_keys')
        .where(
          rowid,
          'in',
          qb
            .selectFrom('idempotency_keys')
            .select(sql<number>`rowid`.as('rowid'))
            .where((eb) =>
              eb.or([
                eb('created_at', '<', before(at, IDEMPOTENCY_KEEP_MS)),
                eb.and([eb('state', '=', 'running'), eb('created_at', '<', before(at, RUNNING_KEY_RELEASE_MS))]),
              ]),
            )
            .limit(limit),
        )
        .compile(),
  },
  {
    name: 'sign_in_codes',
    build: (at, limit) =>
      qb
        .deleteFrom('sign_in_codes')
        .where(
          rowid,
          'in',
          qb
            .selectFrom('sign_in_codes')
            .select(sql<number>`rowid`.as('rowid'))
            .where('expires_at', '<', before(at, EXPIRED_KEEP_MS))
            .limit(limit),
        )
        .compile(),
  },
  {
    name: 'auth_tokens',
    build: (at, limit) =>
      qb
        .deleteFrom('auth_tokens')
        .where(
          rowid,
          'in',
          qb
            .selectFrom('auth_tokens')
            .select(sql<number>`rowid`.as('rowid'))
            .where('expires_at', '<', before(at, EXPIRED_KEEP_MS))
            .limit(limit),
        )
        .compile(),
  },
  {
    // A client page session is of no use once ended (30 minutes at most, and always ended long
    // before its link goes below): pruned first, so no session still refers to a pruned link.
    name: 'client_page_sessions',
    build: (at, limit) =>
      qb
        .deleteFrom('client_page_sessions')
        .where(
          rowid,
          'in',
          qb
            .selectFrom('client_page_sessions')
            .select(sql<number>`rowid`.as('rowid'))
            .where('expires_at', '<', at.toISOString())
            .limit(limit),
        )
        .compile(),
  },
  {
    name: 'client_links',
    build: (at, limit) =>
      qb
        .deleteFrom('client_links')
        .where(
          rowid,
          'in',
          qb
            .selectFrom('client_links')
            .select(sql<number>`rowid`.as('rowid'))
            .where('expires_at', '<', before(at, EXPIRED_KEEP_MS))
            .limit(limit),
        )
        .compile(),
  },
  {
    // A turned-off or replaced calendar feed (its address already answers 404).
    name: 'calendar_feeds',
    build: (at, limit) =>
      qb
        .deleteFrom('calendar_feeds')
        .where(
          rowid,
          'in',
          qb
            .selectFrom('calendar_feeds')
            .select(sql<number>`rowid`.as('rowid'))
            .where('revoked_at', '<', before(at, EXPIRED_KEEP_MS))
            .limit(limit),
        )
        .compile(),
  },
  {
    name: 'rate_limits',
    build: (at, limit) =>
      qb
        .deleteFrom('rate_limits')
        .where(
          rowid,
          'in',
          qb
            .selectFrom('rate_limits')
            .select(sql<number>`rowid`.as('rowid'))
            .where('expires_at', '<', at.toISOString())
            .limit(limit),
        )
        .compile(),
  },
  {
    name: 'notify_sends',
    build: (at, limit) =>
      qb
        .deleteFrom('notify_sends')
        .where(
          rowid,
          'in',
          qb
            .selectFrom('notify_sends')
            .select(sql<number>`rowid`.as('rowid'))
            .where('sent_at', '<', before(at, NOTIFY_WINDOW_MS))
            .limit(limit),
        )
        .compile(),
  },
  {
    // Delivery blanks an email's bodies (email/outbox.ts); this catches any a crash left behind.
    name: 'outbox bodies',
    build: (_at, limit) =>
      qb
        .updateTable('outbox')
        .set({ text_body: '', html_body: '', attachments: '[]' })
        .where(
          rowid,
          'in',
          qb
            .selectFrom('outbox')
            .select(sql<number>`rowid`.as('rowid'))
            // Literal, so SQLite can use the partial index outbox_sent_with_body (0006).
            .where(sql<boolean>`status = 'sent' AND text_body <> ''`)
            .limit(limit),
        )
        .compile(),
  },
];
