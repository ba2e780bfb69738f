// Confirmations: the coding and the encrypted progress note of a confirmed session.
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import { guard, type Statement } from './batch';
import { first, type Read } from './data';
import { qb } from './kysely';
import type { ConfirmationsTable } from './schema';

export type ConfirmationRow = Selectable<ConfirmationsTable>;

/** The confirmation of the session this provider's claim bills. */
export const ofClaim = (providerId: string, claimId: string): Read<ConfirmationRow | undefined> =>
  first(
    qb
      .selectFrom('confirmations')
      .selectAll()
      .where('appointment_id', '=', (eb) =>
        eb
          .selectFrom('claims')
          .select('appointment_id')
          .where('id', '=', claimId)
          .where('provider_id', '=', providerId),
      )
      .where('provider_id', '=', providerId)
      .compile(),
  );

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

/**
 * Rewrites a confirmation that is still the revision the correction was built on and still inside
 * its correction window (confirmed at or after `cutoff`), stamping it with a fresh revision.
 */
export function correct(
  appointmentId: string,
  cutoff: string,
  readRevision: string | null,
  set: Partial<Omit<ConfirmationRow, 'appointment_id' | 'provider_id' | 'confirmed_at'>> & { revision: string },
): Statement {
  return qb
    .updateTable('confirmations')
    .set(set)
    .where('appointment_id', '=', appointmentId)
    .where('confirmed_at', '>=', cutoff)
    .where('revision', 'is', readRevision)
    .compile();
}

/**
 * Fails the batch unless the UPDATE above wrote this correction's revision (so nobody changed the
 * confirmation since it was read), it is still correctable, and its claim is still `ready`.
 */
export const correctedGuard = (appointmentId: string, cutoff: string, revision: string, claimId: string): Statement =>
  guard(sql`EXISTS (SELECT 1 FROM confirmations WHERE appointment_id = ${appointmentId} AND confirmed_at >= ${cutoff}
        AND revision = ${revision})
      AND EXISTS (SELECT 1 FROM claims WHERE id = ${claimId} AND status = 'ready')`);
