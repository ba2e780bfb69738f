// The platform's own work: health, the email outbox (delivery, the operations view and retry),
// the cron's jobs, and the local mailbox of development.
import type { Attachment } from '../email/types';
import { audit } from '../db/audit';
import type { Data } from '../db/data';
import * as mailbox from '../db/mailbox';
import * as outbox from '../db/outbox';
import { pageOf } from '../db/paging';
import { PRUNES } from '../db/retention';
import { dropExpiredSealed } from '../db/auth';
import { drainOutbox } from '../email/outbox';
import { queueReminders } from '../email/reminders';
import { transportFor } from '../email/transport';
import { now, nowIso } from '../platform/clock';
import { ApiError, notFound } from '../platform/errors';
import type { Deps } from './context';
import { ping } from '../db/health';
import { settingsProblems } from '../platform/settings';

/**
 * Liveness and set-up: D1 answers (unless `checkDb` is false) and the settings are usable. A
 * misconfiguration is `ok: false` with an `error` naming each setting at fault, never its value.
 */
export async function health({ data, config }: Deps, checkDb: boolean) {
  const email = transportFor(config, data)?.name ?? 'not_configured';
  const problems = settingsProblems(config);
  const misconfigured =
    problems.length > 0
      ? {
          error: {
            code: 'misconfigured' as const,
            message: 'The Worker is misconfigured: fix the settings named in problems.',
            problems,
          },
        }
      : {};
  if (!checkDb) return { ok: problems.length === 0, db: 'skipped' as const, email, ...misconfigured };
  let db: 'ok' | 'error' = 'ok';
  try {
    await data.one(ping());
  } catch {
    db = 'error';
  }
  return { ok: db === 'ok' && problems.length === 0, db, email, ...misconfigured };
}

/** Sends what the request queued, after the response (the cron catches anything left over). */
export const deliverQueued = ({ data, config }: Deps) => drainOutbox(config, data, { limit: 50 });

/** Rows one prune statement deletes at most, and rounds of it per run (see db/retention.ts). */
export const PRUNE_BATCH = 500;
const PRUNE_ROUNDS = 20;

/**
 * Retention: every prune of db/retention.ts in bounded statements, repeated while one comes back
 * full. Each prune on its own, so one that fails (reported, never with a value) does not stop the rest.
 */
export async function pruneRetention(
  data: Data,
  at: Date,
  onError: (err: unknown) => void,
  batch = PRUNE_BATCH,
): Promise<Record<string, number>> {
  const pruned: Record<string, number> = {};
  for (const prune of PRUNES) {
    pruned[prune.name] = 0;
    try {
      for (let round = 0; round < PRUNE_ROUNDS; round++) {
        const [result] = await data.write([prune.build(at, batch)]);
        const changed = result?.meta.changes ?? 0;
        pruned[prune.name] = (pruned[prune.name] ?? 0) + changed;
        if (changed < batch) break;
      }
    } catch (err) {
      onError(err);
    }
  }
  return pruned;
}

/** Retention runs once an hour, at minute 17 (a missed minute waits for the next hour): the check costs nothing. */
export const isPruneMinute = (at: Date) => at.getUTCMinutes() === 17;

/** The cron: reminders, delivery, retention — each on its own, so a failing one does not stop the others. */
export async function runScheduled({ data, config }: Deps, onError: (err: unknown) => void): Promise<void> {
  const at = now();
  const steps = [
    () => queueReminders(config, data),
    () => drainOutbox(config, data),
    () => (isPruneMinute(at) ? pruneRetention(data, at, onError) : undefined),
    // Every minute, not with the hourly prune: a sealed code goes as soon as it has expired.
    () => data.write([dropExpiredSealed(at.toISOString())]),
  ];
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      onError(err);
    }
  }
}

function outboxView(r: outbox.OutboxRow) {
  return {
    id: r.id,
    kind: r.kind,
    providerId: r.provider_id,
    to: r.to_addr,
    subject: r.subject,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    nextAttemptAt: r.next_attempt_at,
    sentAt: r.sent_at,
    createdAt: r.created_at,
  };
}

/** Operations view of the outbox: what failed and why. Never the bodies (PHI). */
export async function listOutbox(
  data: Data,
  q: { status: outbox.OutboxRow['status']; cursor?: string; limit: number },
) {
  return pageOf(await data.one(outbox.list(q)), q.limit, outbox.pageKey, outboxView);
}

/** Operations: a failed email back in the queue for a fresh series of tries. */
export async function retryEmail(data: Data, id: string) {
  const row = await data.one(outbox.requeueFailed(id, nowIso()));
  if (!row) {
    const status = await data.one(outbox.statusOf(id));
    if (!status) throw notFound('Email');
    throw new ApiError(409, 'invalid_state', `Only a failed email can be retried; this one is ${status}.`);
  }
  await data.write([
    audit({
      actorType: 'admin',
      actorId: null,
      providerId: row.provider_id,
      action: 'email.retry',
      entityType: 'outbox',
      entityId: row.id,
    }),
  ]);
  return outboxView(row);
}

/** Development: the local mailbox, newest first. */
export async function mailboxMessages(data: Data, limit: number) {
  const rows = await data.one(mailbox.newest(limit));
  return rows.map((r) => ({
    id: r.id,
    to: [r.to_addr],
    from: r.from_addr,
    subject: r.subject,
    text: r.text_body,
    html: r.html_body,
    attachments: JSON.parse(r.attachments) as Attachment[],
    sentAt: r.sent_at,
  }));
}
