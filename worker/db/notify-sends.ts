// The notify routes' sends per client (migration 0006): counted in a sliding hour by a conditional
// insert in the email's own batch, so racing requests cannot together pass the limit.
import { type CompiledQuery, sql } from 'kysely';
import { guard, type Statement } from './batch';
import type { Read } from './data';
import { qb } from './kysely';

export interface NotifySend {
  id: string;
  clientId: string;
  providerId: string;
  at: string;
}

/**
 * Records a send only while fewer than `max` of this client's sends are newer than `since`. D1 runs
 * each statement alone, so of 40 racing requests exactly the first `max` insert their row.
 */
export function recordIfUnder(s: NotifySend, since: string, max: number): Statement {
  return sql`INSERT INTO notify_sends (id, client_id, provider_id, sent_at)
    SELECT ${s.id}, ${s.clientId}, ${s.providerId}, ${s.at}
    WHERE (SELECT count(*) FROM notify_sends WHERE client_id = ${s.clientId} AND sent_at > ${since}) < ${max}`.compile(
    qb,
  );
}

/** Fails the batch (and so its email) unless `recordIfUnder` inserted this send. */
export const recordedGuard = (id: string): Statement =>
  guard(sql`EXISTS (SELECT 1 FROM notify_sends WHERE id = ${id})`);

const sentAts = (query: CompiledQuery): Read<string[]> => ({
  query,
  map: (r) => r.map((row) => row.sent_at as string),
});

/** This client's sends newer than `since`, oldest first. */
export const windowOfClient = (clientId: string, since: string): Read<string[]> =>
  sentAts(
    qb
      .selectFrom('notify_sends')
      .select('sent_at')
      .where('client_id', '=', clientId)
      .where('sent_at', '>', since)
      .orderBy('sent_at')
      .compile(),
  );

/** The sends newer than `since` to the client of this provider's appointment, oldest first. */
export const windowOfAppointment = (providerId: string, appointmentId: string, since: string): Read<string[]> =>
  sentAts(
    qb
      .selectFrom('notify_sends')
      .select('sent_at')
      .where(
        'client_id',
        '=',
        qb
          .selectFrom('appointments')
          .select('client_id')
          .where('id', '=', appointmentId)
          .where('provider_id', '=', providerId),
      )
      .where('sent_at', '>', since)
      .orderBy('sent_at')
      .compile(),
  );
