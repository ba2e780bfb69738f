// The 24-hour reminder, queued by the cron: exactly one per session start, even when the cron
// runs twice at once or again a minute later.
import { type Kysely, type SqlBool, sql } from 'kysely';
import { nowIso, now } from '../platform/clock';
import { runBatch } from '../db/batch';
import type { Database } from '../db/schema';
import type { Bindings } from '../env';
import { enqueueEmailIf } from './outbox';
import { sessionReminderEmail } from './templates/session';

export const REMINDER_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Reminders queued per cron run at most; the rest wait a minute for the next run. */
const REMINDER_LIMIT = 500;

/** The dedupe key: a moved session (new start) may get its own reminder, one start never two. */
export const reminderKey = (appointmentId: string, startsAt: string) => `reminder:${appointmentId}:${startsAt}`;

/**
 * Queues the reminder for every scheduled session starting within the next 24 hours whose client
 * was told about it (notified_at set) and that has not been reminded. Each reminder is an outbox
 * insert and the reminder_sent_at update in one batch; the insert re-checks, in the same statement,
 * that the session is still scheduled at that start and unreminded, and the outbox's unique
 * dedupe key refuses a second row, so a concurrent run or a session moved meanwhile sends nothing extra.
 */
export async function queueReminders(env: Bindings, db: Kysely<Database>): Promise<number> {
  const at = nowIso();
  const until = new Date(now().getTime() + REMINDER_WINDOW_MS).toISOString();
  const due = await db
    .selectFrom('appointments as a')
    .innerJoin('clients as c', 'c.id', 'a.client_id')
    .innerJoin('providers as p', 'p.id', 'a.provider_id')
    .select([
      'a.id',
      'a.provider_id',
      'a.starts_at',
      'a.ends_at',
      'a.location_type',
      'a.ics_sequence',
      'c.first_name',
      'c.email',
      'c.time_zone',
      'p.name as provider_name',
      'p.email as provider_email',
      'p.telehealth_url',
    ])
    .where('a.status', '=', 'scheduled')
    .where('a.reminder_sent_at', 'is', null)
    .where('a.notified_at', 'is not', null)
    .where('a.starts_at', '>', at)
    .where('a.starts_at', '<=', until)
    .orderBy('a.starts_at')
    .limit(REMINDER_LIMIT)
    .execute();

  let queued = 0;
  for (const a of due) {
    // Re-checked inside the insert itself: still scheduled at this start and not yet reminded.
    const stillDue = sql<SqlBool>`exists ${db
      .selectFrom('appointments')
      .select('id')
      .where('id', '=', a.id)
      .where('starts_at', '=', a.starts_at)
      .where('status', '=', 'scheduled')
      .where('reminder_sent_at', 'is', null)}`;
    const email = sessionReminderEmail({
      appointmentId: a.id,
      sequence: a.ics_sequence,
      clientFirstName: a.first_name,
      clientEmail: a.email,
      clientTimeZone: a.time_zone,
      providerName: a.provider_name,
      providerEmail: a.provider_email,
      startsAt: a.starts_at,
      endsAt: a.ends_at,
      location:
        a.location_type === 'telehealth' ? { type: 'telehealth', url: a.telehealth_url ?? '' } : { type: 'office' },
    });
    const [insert] = await runBatch(env.DB, [
      enqueueEmailIf(
        db,
        env,
        {
          kind: 'session_reminder',
          to: a.email,
          providerId: a.provider_id,
          dedupeKey: reminderKey(a.id, a.starts_at),
          ...email,
        },
        stillDue,
      ),
      db
        .updateTable('appointments')
        .set({ reminder_sent_at: nowIso() })
        .where('id', '=', a.id)
        .where('starts_at', '=', a.starts_at)
        .where('status', '=', 'scheduled')
        .where('reminder_sent_at', 'is', null)
        .compile(),
    ]);
    if ((insert?.meta.changes ?? 0) > 0) queued++;
  }
  return queued;
}
