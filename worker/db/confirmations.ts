// Confirmations: the coding and the encrypted progress note of a confirmed session.
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import { guard, type Statement } from './batch';
import { first, type Read } from './data';
import { qb } from './kysely';
import type { ConfirmationsTable } from './schema';

export type ConfirmationRow = Selectable<ConfirmationsTable>;

export const ofAppointment = (providerId: string, appointmentId: string): Read<ConfirmationRow | undefined> =>
  first(
    qb
      .selectFrom('confirmations')
      .selectAll()
      .where('appointment_id', '=', appointmentId)
      .where('provider_id', '=', providerId)
      .compile(),
  );

/** The primary key on appointment_id: of two confirms at once, the second batch fails here. */
export const insert = (row: ConfirmationRow): Statement => qb.insertInto('confirmations').values(row).compile();

/** Rewrites a confirmation still inside its correction window (confirmed at or after `cutoff`). */
export function correct(
  appointmentId: string,
  cutoff: string,
  set: Partial<Omit<ConfirmationRow, 'appointment_id' | 'provider_id' | 'confirmed_at'>>,
): Statement {
  return qb
    .updateTable('confirmations')
    .set(set)
    .where('appointment_id', '=', appointmentId)
    .where('confirmed_at', '>=', cutoff)
    .compile();
}

/** Fails the batch unless the confirmation is still correctable and its claim still `ready`. */
export const correctableGuard = (appointmentId: string, cutoff: string): Statement =>
  guard(sql`EXISTS (SELECT 1 FROM confirmations WHERE appointment_id = ${appointmentId} AND confirmed_at >= ${cutoff})
      AND EXISTS (SELECT 1 FROM claims WHERE appointment_id = ${appointmentId} AND status = 'ready')`);
