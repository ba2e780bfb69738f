// The durable email outbox: an email is a row written in the same batch as the change
// that causes it, then delivered after the response and by the cron.
import type { CompiledQuery, Kysely } from 'kysely';
import { now, nowIso } from '../clock';
import type { Database } from '../db/schema';
import type { Bindings } from '../env';
import { newId } from '../lib/crypto';
import { transportFor } from './transport';
import type { EmailTransport, RenderedEmail } from './types';

export interface QueuedEmail extends RenderedEmail {
  kind: string;
  to: string;
  providerId?: string | null;
  /** At most one email ever exists per key (e.g. one reminder per appointment). */
  dedupeKey?: string;
}

export const MAX_ATTEMPTS = 6;
const LEASE_MS = 60_000;

/** The outbox insert, compiled, for the caller's batch. */
export function enqueueEmail(db: Kysely<Database>, env: Pick<Bindings, 'EMAIL_FROM'>, email: QueuedEmail): CompiledQuery {
  const at = nowIso();
  return db
    .insertInto('outbox')
    .values({
      id: newId('eml'),
      provider_id: email.providerId ?? null,
      kind: email.kind,
      dedupe_key: email.dedupeKey ?? null,
      to_addr: email.to,
      from_addr: env.EMAIL_FROM,
      subject: email.subject,
      text_body: email.text,
      html_body: email.html,
      attachments: JSON.stringify(email.attachments ?? []),
      next_attempt_at: at,
      created_at: at,
    })
    .compile();
}

/** Backoff after the n-th failed attempt: 30 s, 2 min, 8 min, 32 min, ~2 h, capped at 6 h. */
export function backoffMs(attempt: number): number {
  return Math.min(30_000 * 4 ** (attempt - 1), 6 * 60 * 60 * 1000);
}

export interface DrainResult { sent: number; failed: number; retried: number }

/**
 * Sends what is due. Each row is claimed with a conditional UPDATE (pending and due, or
 * a lease that ran out) before sending, so two drains at once never send the same email.
 */
export async function drainOutbox(
  env: Bindings,
  db: Kysely<Database>,
  opts: { limit?: number; transport?: EmailTransport | null } = {},
): Promise<DrainResult> {
  const transport = opts.transport === undefined ? transportFor(env) : opts.transport;
  const result: DrainResult = { sent: 0, failed: 0, retried: 0 };
  if (!transport) return result;
  const at = nowIso();
  const due = await db
    .selectFrom('outbox')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', at)]),
        eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', at)]),
      ]),
    )
    .orderBy('next_attempt_at')
    .limit(opts.limit ?? 1000)
    .execute();

  for (const { id } of due) {
    const leaseUntil = new Date(now().getTime() + LEASE_MS).toISOString();
    const claim = await db
      .updateTable('outbox')
      .set((eb) => ({ status: 'sending', lease_until: leaseUntil, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', at)]),
          eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', at)]),
        ]),
      )
      .returningAll()
      .executeTakeFirst();
    if (!claim) continue; // another drain has it
    try {
      await transport.send({
        id: claim.id,
        to: claim.to_addr,
        from: claim.from_addr,
        subject: claim.subject,
        text: claim.text_body,
        html: claim.html_body,
        attachments: JSON.parse(claim.attachments),
      });
      await db.updateTable('outbox')
        .set({ status: 'sent', sent_at: nowIso(), lease_until: null, last_error: null })
        .where('id', '=', id).where('status', '=', 'sending')
        .execute();
      result.sent++;
    } catch (err) {
      const message = err instanceof Error ? err.message.slice(0, 500) : 'send failed';
      const last = claim.attempts >= MAX_ATTEMPTS;
      await db.updateTable('outbox')
        .set({
          status: last ? 'failed' : 'pending',
          lease_until: null,
          last_error: message,
          next_attempt_at: new Date(now().getTime() + backoffMs(claim.attempts)).toISOString(),
        })
        .where('id', '=', id).where('status', '=', 'sending')
        .execute();
      if (last) result.failed++;
      else result.retried++;
    }
  }
  return result;
}
