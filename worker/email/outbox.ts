// The durable email outbox: an email is a row written in the same batch as the change that
// causes it, then delivered after the response (deliverSoon) and by the cron for whatever is due.
import type { CompiledQuery, Expression, ExpressionBuilder, Kysely, Selectable, SqlBool } from 'kysely';
import { now, nowIso } from '../platform/clock';
import { runBatch } from '../db/batch';
import type { Database, OutboxTable } from '../db/schema';
import type { Bindings } from '../env';
import { newId } from '../platform/crypto';
import { transportFor } from './transport';
import type { Attachment, EmailTransport, RenderedEmail } from './types';
import { PermanentEmailError } from './types';

export interface QueuedEmail extends RenderedEmail {
  kind: string;
  to: string;
  providerId?: string | null;
  /** At most one email ever exists per key (e.g. one reminder per appointment and start). */
  dedupeKey?: string;
}

/** Tries before a row is `failed`: with the backoff below they span about 17 hours. */
export const MAX_ATTEMPTS = 8;
/** Due emails one drain sends at most (the cron runs every minute). */
export const DRAIN_LIMIT = 2000;
/** Rows claimed per conditional UPDATE, and finalized per batch. */
const CLAIM_CHUNK = 100;
/** Sends in flight at once within a chunk. */
const SEND_CONCURRENCY = 10;
/**
 * How long a claim holds. Longer than one chunk can take (100 sends, 10 at a time, each bounded by
 * the transport's own timeout), so a live drain never loses its rows; a drain that died mid-chunk
 * gives them back after this, and the transport's idempotency key absorbs a resend.
 */
const LEASE_MS = 10 * 60_000;

export type OutboxRow = Selectable<OutboxTable>;

function values(email: QueuedEmail, from: string) {
  const at = nowIso();
  return {
    id: newId('eml'),
    provider_id: email.providerId ?? null,
    kind: email.kind,
    dedupe_key: email.dedupeKey ?? null,
    to_addr: email.to,
    from_addr: from,
    subject: email.subject,
    text_body: email.text,
    html_body: email.html,
    attachments: JSON.stringify(email.attachments ?? []),
    next_attempt_at: at,
    created_at: at,
  };
}

/** The outbox insert, compiled, for the caller's batch. */
export function enqueueEmail(
  db: Kysely<Database>,
  env: Pick<Bindings, 'EMAIL_FROM'>,
  email: QueuedEmail,
): CompiledQuery {
  return db.insertInto('outbox').values(values(email, env.EMAIL_FROM)).compile();
}

/**
 * An insert that happens only while `condition` (evaluated in the same statement) holds, and
 * never a second time for the same dedupe key: the reminder's "still due and not yet reminded".
 */
export function enqueueEmailIf(
  db: Kysely<Database>,
  env: Pick<Bindings, 'EMAIL_FROM'>,
  email: QueuedEmail & { dedupeKey: string },
  condition: Expression<SqlBool>,
): CompiledQuery {
  const v = values(email, env.EMAIL_FROM);
  const cols = Object.keys(v) as (keyof typeof v)[];
  return db
    .insertInto('outbox')
    .columns(cols)
    .expression(db.selectNoFrom((eb) => cols.map((k) => eb.val(v[k]).as(k))).where(condition))
    .onConflict((oc) => oc.doNothing())
    .compile();
}

/** Backoff after the n-th failed attempt: 30 s, 2 min, 8 min, 32 min, ~2 h, then capped at 6 h. */
export function backoffMs(attempt: number): number {
  return Math.min(30_000 * 4 ** (attempt - 1), 6 * 60 * 60 * 1000);
}

export interface DrainResult {
  sent: number;
  failed: number;
  retried: number;
}

// Pending and due, or claimed by a drain whose lease ran out (it died before recording the result).
const claimable = (at: string) => (eb: ExpressionBuilder<Database, 'outbox'>) =>
  eb.or([
    eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', at)]),
    eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', at)]),
  ]);

/**
 * Claims up to `n` due rows in one conditional UPDATE … RETURNING. D1 runs a statement alone, so
 * two drains at once get disjoint rows: the second's WHERE no longer matches what the first took.
 */
async function claimDue(db: Kysely<Database>, n: number, leaseUntil: string): Promise<OutboxRow[]> {
  const at = nowIso();
  return db
    .updateTable('outbox')
    .set((eb) => ({ status: 'sending', lease_until: leaseUntil, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', db.selectFrom('outbox').select('id').where(claimable(at)).orderBy('next_attempt_at').limit(n))
    .where(claimable(at))
    .returningAll()
    .execute();
}

type Outcome = { row: OutboxRow; error: null } | { row: OutboxRow; error: unknown };

async function sendAll(rows: OutboxRow[], transport: EmailTransport): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const row = rows[next++]!;
      try {
        await transport.send({
          id: row.id,
          to: row.to_addr,
          from: row.from_addr,
          subject: row.subject,
          text: row.text_body,
          html: row.html_body,
          attachments: JSON.parse(row.attachments) as Attachment[],
        });
        outcomes.push({ row, error: null });
      } catch (error) {
        outcomes.push({ row, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, rows.length) }, worker));
  return outcomes;
}

/**
 * Sends what is due, chunk by chunk: claim, send, record every result in one batch. Each update
 * is conditional on this drain's lease still holding, so a result never overwrites a later claim.
 */
export async function drainOutbox(
  env: Bindings,
  db: Kysely<Database>,
  opts: { limit?: number; transport?: EmailTransport | null } = {},
): Promise<DrainResult> {
  const transport = opts.transport === undefined ? transportFor(env) : opts.transport;
  const result: DrainResult = { sent: 0, failed: 0, retried: 0 };
  // No transport configured: leave everything queued (not dropped) for when one is.
  if (!transport) return result;
  const limit = opts.limit ?? DRAIN_LIMIT;
  let handled = 0;
  while (handled < limit) {
    const want = Math.min(CLAIM_CHUNK, limit - handled);
    const leaseUntil = new Date(now().getTime() + LEASE_MS).toISOString();
    const claimed = await claimDue(db, want, leaseUntil);
    if (claimed.length === 0) break;
    handled += claimed.length;
    const outcomes = await sendAll(claimed, transport);
    const at = nowIso();
    const updates = outcomes.map(({ row, error }) => {
      const mine = db
        .updateTable('outbox')
        .where('id', '=', row.id)
        .where('status', '=', 'sending')
        .where('lease_until', '=', leaseUntil);
      if (error === null) {
        result.sent++;
        return mine.set({ status: 'sent', sent_at: at, lease_until: null, last_error: null }).compile();
      }
      const last = error instanceof PermanentEmailError || row.attempts >= MAX_ATTEMPTS;
      if (last) result.failed++;
      else result.retried++;
      return mine
        .set({
          status: last ? 'failed' : 'pending',
          lease_until: null,
          last_error: describe(error),
          next_attempt_at: new Date(now().getTime() + backoffMs(row.attempts)).toISOString(),
        })
        .compile();
    });
    await runBatch(env.DB, updates);
    if (claimed.length < want) break;
  }
  return result;
}

/** Operations: puts a failed email back in the queue for an immediate, fresh series of tries. */
export async function retryFailedEmail(db: Kysely<Database>, id: string): Promise<OutboxRow | undefined> {
  return db
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 0, next_attempt_at: nowIso(), lease_until: null })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .returningAll()
    .executeTakeFirst();
}

// The transport's message, bounded: it names the failure (status, provider's reason), never the email.
function describe(error: unknown): string {
  const message =
    error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : 'send failed';
  return message.slice(0, 500);
}
