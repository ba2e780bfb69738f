// The 24-hour reminder, queued by the cron: exactly one per session start, even when the cron
// runs twice at once or again a minute later.
import * as appointments from '../db/appointments';
import type { Data } from '../db/data';
import type { Config } from '../platform/config';
import { now, nowIso } from '../platform/clock';
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
export async function queueReminders(env: Config, data: Data): Promise<number> {
  const at = nowIso();
  const until = new Date(now().getTime() + REMINDER_WINDOW_MS).toISOString();
  const due = await data.one(appointments.dueForReminder(at, until, REMINDER_LIMIT));
  let queued = 0;
  for (const a of due) {
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
    const [insert] = await data.write([
      // Re-checked inside the insert itself: still scheduled at this start and not yet reminded.
      enqueueEmailIf(
        env,
        {
          kind: 'session_reminder',
          to: a.email,
          providerId: a.provider_id,
          dedupeKey: reminderKey(a.id, a.starts_at),
          ...email,
        },
        appointments.stillDueForReminder(a.id, a.starts_at),
      ),
      appointments.markReminded(a.id, a.starts_at, nowIso()),
    ]);
    if ((insert?.meta.changes ?? 0) > 0) queued++;
  }
  return queued;
}
