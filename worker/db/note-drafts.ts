// Note drafts: one encrypted, not-yet-confirmable progress note per scheduled session.
import { sql } from 'kysely';
import type { Statement } from './batch';
import { first, type Read } from './data';
import { qb } from './kysely';

export interface NoteDraftRow {
  text: string;
  saved_at: string;
}

export const find = (providerId: string, appointmentId: string): Read<NoteDraftRow | undefined> =>
  first(
    qb
      .selectFrom('note_drafts')
      .select(['text', 'saved_at'])
      .where('appointment_id', '=', appointmentId)
      .where('provider_id', '=', providerId)
      .compile(),
  );

/**
 * Saves the draft only when the session is this provider's and still `scheduled` (one statement:
 * nothing is written otherwise, and the caller tells 404 from 409 by what changed).
 */
export function save(providerId: string, appointmentId: string, ciphertext: string, at: string): Statement {
  return sql`INSERT INTO note_drafts (appointment_id, provider_id, text, saved_at)
    SELECT id, provider_id, ${ciphertext}, ${at} FROM appointments
    WHERE id = ${appointmentId} AND provider_id = ${providerId} AND status = 'scheduled'
    ON CONFLICT (appointment_id) DO UPDATE SET text = excluded.text, saved_at = excluded.saved_at`.compile(qb);
}

export const remove = (providerId: string, appointmentId: string): Statement =>
  qb
    .deleteFrom('note_drafts')
    .where('appointment_id', '=', appointmentId)
    .where('provider_id', '=', providerId)
    .compile();
