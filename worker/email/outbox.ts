// The durable email outbox: an email is a row written in the same batch as the change that
// causes it, then delivered after the response (deliverSoon) and by the cron for whatever is due.
import type { Statement } from '../db/batch';
import type { Data } from '../db/data';
import * as outbox from '../db/outbox';
import type { Bindings, Config } from '../platform/config';
import { now, nowIso } from '../platform/clock';
import { newId } from '../platform/crypto';
import { scrubSecrets } from '../platform/redact';
import { type Filled, fillSignInCodes } from './sign-in-code-delivery';
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

export type OutboxRow = outbox.OutboxRow;

function values(email: QueuedEmail, from: string): outbox.NewOutboxRow {
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
export function enqueueEmail(env: Pick<Bindings, 'EMAIL_FROM'>, email: QueuedEmail): Statement {
  return outbox.insert(values(email, env.EMAIL_FROM));
}

/**
 * An insert that happens only while `condition` (evaluated in the same statement) holds, and
 * never a second time for the same dedupe key: the reminder's "still due and not yet reminded".
 */
export function enqueueEmailIf(
  env: Pick<Bindings, 'EMAIL_FROM'>,
  email: QueuedEmail & { dedupeKey: string },
  condition: Parameters<typeof outbox.insertIf>[1],
): Statement {
  return outbox.insertIf({ ...values(email, env.EMAIL_FROM), dedupe_key: email.dedupeKey }, condition);
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

type Outcome = { row: OutboxRow; error: null } | { row: OutboxRow; error: unknown };

async function sendAll(rows: OutboxRow[], transport: EmailTransport, filled: Map<string, Filled>): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const row = rows[next++]!;
      try {
        const fill = filled.get(row.id);
        if (fill instanceof Error) throw fill;
        await transport.send({
          id: row.id,
          to: row.to_addr,
          from: row.from_addr,
          subject: row.subject,
          text: fill?.text ?? row.text_body,
          html: fill?.html ?? row.html_body,
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
  env: Config,
  data: Data,
  opts: { limit?: number; transport?: EmailTransport | null } = {},
): Promise<DrainResult> {
  const transport = opts.transport === undefined ? transportFor(env, data) : opts.transport;
  const result: DrainResult = { sent: 0, failed: 0, retried: 0 };
  // No transport configured: leave everything queued (not dropped) for when one is.
  if (!transport) return result;
  const limit = opts.limit ?? DRAIN_LIMIT;
  let handled = 0;
  while (handled < limit) {
    const want = Math.min(CLAIM_CHUNK, limit - handled);
    const leaseUntil = new Date(now().getTime() + LEASE_MS).toISOString();
    const claimed = await data.one(outbox.claimDue(want, nowIso(), leaseUntil));
    if (claimed.length === 0) break;
    handled += claimed.length;
    const outcomes = await sendAll(claimed, transport, await fillSignInCodes(env, data, claimed));
    const at = nowIso();
    const updates = outcomes.map(({ row, error }) => {
      if (error === null) {
        result.sent++;
        // Delivered: the body (which may hold a link token, a sign-in code, a name) is not kept.
        return outbox.settle(row.id, leaseUntil, {
          status: 'sent',
          sent_at: at,
          lease_until: null,
          last_error: null,
          ...outbox.DELIVERED_BODIES,
        });
      }
      const last = error instanceof PermanentEmailError || row.attempts >= MAX_ATTEMPTS;
      if (last) result.failed++;
      else result.retried++;
      return outbox.settle(row.id, leaseUntil, {
        status: last ? 'failed' : 'pending',
        lease_until: null,
        last_error: describe(error),
        next_attempt_at: new Date(now().getTime() + backoffMs(row.attempts)).toISOString(),
      });
    });
    await data.write(updates);
    if (claimed.length < want) break;
  }
  return result;
}

// The transport's message, bounded and scrubbed: it names the failure (status, provider's reason),
// never the email — a transport that echoed part of the message back (a link, a code) loses it here.
function describe(error: unknown): string {
  const message =
    error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : 'send failed';
  return scrubSecrets(message.slice(0, 2000)).slice(0, 500);
}
