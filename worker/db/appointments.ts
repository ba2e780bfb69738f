// Appointment rows: provider-scoped reads, the SQL that closes the double-booking race, and the API shape.
import { CompiledQuery, sql, type Kysely, type Selectable } from 'kysely';
import type { Appointment, Location } from '../../shared/api-types';
import type { AppointmentsTable, Database } from './schema';

export type AppointmentRow = Selectable<AppointmentsTable>;

/** An appointment with what its API shape needs from the client, the confirmation and the claim. */
export interface AppointmentView extends AppointmentRow {
  client_first_name: string;
  client_last_name: string;
  cpt_code: string | null;
  add_on_codes: string | null;
  diagnosis_codes: string | null;
  started_at: string | null;
  ended_at: string | null;
  patient_location: 'home' | 'other' | null;
  confirmed_at: string | null;
  claim_id: string | null;
}

/** API.md: `canceled` and `late_canceled` free their slot; every other status holds it. */
export const FREEING_STATUSES = ['canceled', 'late_canceled'] as const;

// The schema caps a session at 240 minutes, so anything overlapping [s, e) starts after s − 240 min:
// that lower bound keeps the conflict probe an index range on (provider_id, starts_at), not years of history.
export const MAX_DURATION_MS = 240 * 60_000;
const windowStart = (startsAt: string) => new Date(Date.parse(startsAt) - MAX_DURATION_MS).toISOString();

export function viewQuery(db: Kysely<Database>, providerId: string) {
  return db
    .selectFrom('appointments as a')
    .innerJoin('clients as cl', 'cl.id', 'a.client_id')
    .leftJoin('confirmations as cf', 'cf.appointment_id', 'a.id')
    .leftJoin('claims as cm', 'cm.appointment_id', 'a.id')
    .selectAll('a')
    .select([
      'cl.first_name as client_first_name',
      'cl.last_name as client_last_name',
      'cf.cpt_code',
      'cf.add_on_codes',
      'cf.diagnosis_codes',
      'cf.started_at',
      'cf.ended_at',
      'cf.patient_location',
      'cf.confirmed_at',
      'cm.id as claim_id',
    ])
    .where('a.provider_id', '=', providerId);
}

/** This provider's appointment, or undefined: another provider's id looks exactly like an unknown one. */
export function findAppointment(
  db: Kysely<Database>,
  providerId: string,
  id: string,
): Promise<AppointmentView | undefined> {
  return viewQuery(db, providerId).where('a.id', '=', id).executeTakeFirst() as Promise<AppointmentView | undefined>;
}

/** Sessions of this provider that hold a slot overlapping [startsAt, endsAt) (half-open: back-to-back is fine). */
export async function findConflicts(
  db: Kysely<Database>,
  providerId: string,
  startsAt: string,
  endsAt: string,
  exceptId?: string,
): Promise<string[]> {
  let q = db
    .selectFrom('appointments')
    .select('id')
    .where('provider_id', '=', providerId)
    .where('status', 'not in', FREEING_STATUSES)
    .where('starts_at', '>', windowStart(startsAt))
    .where('starts_at', '<', endsAt)
    .where('ends_at', '>', startsAt);
  if (exceptId) q = q.where('id', '!=', exceptId);
  const rows = await q.orderBy('starts_at').execute();
  return rows.map((r) => r.id);
}

/** findConflicts for many ranges at once (a series), a few queries of up to 30 ranges each (D1 binds ≤ 100 values). */
export async function findConflictsMany(
  db: Kysely<Database>,
  providerId: string,
  ranges: { startsAt: string; endsAt: string }[],
): Promise<string[]> {
  const ids = new Set<string>();
  for (let i = 0; i < ranges.length; i += 30) {
    const chunk = ranges.slice(i, i + 30);
    const rows = await db
      .selectFrom('appointments')
      .select(['id', 'starts_at'])
      .where('provider_id', '=', providerId)
      .where('status', 'not in', FREEING_STATUSES)
      .where((eb) =>
        eb.or(
          chunk.map((r) =>
            eb.and([
              eb('starts_at', '>', windowStart(r.startsAt)),
              eb('starts_at', '<', r.endsAt),
              eb('ends_at', '>', r.startsAt),
            ]),
          ),
        ),
      )
      .orderBy('starts_at')
      .execute();
    for (const r of rows) ids.add(r.id);
  }
  return [...ids];
}

// The same overlap test as findConflicts, as SQL for a WHERE NOT EXISTS inside a write.
function noOverlap(providerId: string, startsAt: string, endsAt: string, exceptId: string | null) {
  return sql`NOT EXISTS (
    SELECT 1 FROM appointments o
    WHERE o.provider_id = ${providerId}
      AND o.status NOT IN ('canceled', 'late_canceled')
      AND o.starts_at > ${windowStart(startsAt)} AND o.starts_at < ${endsAt} AND o.ends_at > ${startsAt}
      AND o.id IS NOT ${exceptId}
  )`;
}

export type NewAppointment = Omit<AppointmentRow, 'cancel_reason' | 'reminder_sent_at'>;

/**
 * INSERT … SELECT … WHERE NOT EXISTS (an overlapping session holding its slot): the double-booking
 * race is decided inside SQLite, which runs each D1 batch as one serialised transaction. When the
 * insert is skipped it changes nothing; `rowsExistGuard` after it turns that into a failed batch.
 */
export function insertIfFree(db: Kysely<Database>, a: NewAppointment): CompiledQuery {
  return sql`INSERT INTO appointments
      (id, provider_id, client_id, starts_at, ends_at, duration_minutes, location_type, status,
       series_id, ics_sequence, notified_at, created_at, updated_at)
    SELECT ${a.id}, ${a.provider_id}, ${a.client_id}, ${a.starts_at}, ${a.ends_at}, ${a.duration_minutes},
       ${a.location_type}, ${a.status}, ${a.series_id}, ${a.ics_sequence}, ${a.notified_at}, ${a.created_at}, ${a.updated_at}
    WHERE ${noOverlap(a.provider_id, a.starts_at, a.ends_at, null)}`.compile(db);
}

/**
 * Moves / changes a scheduled session only if it is still the version read (`ics_sequence`), still
 * scheduled, and the new time overlaps nothing else: the conflict rule and lost updates in one UPDATE.
 */
export function updateIfFree(
  db: Kysely<Database>,
  providerId: string,
  id: string,
  expectedSequence: number,
  set: {
    starts_at: string;
    ends_at: string;
    duration_minutes: number;
    location_type: 'office' | 'telehealth';
    updated_at: string;
    notified_at: string | null;
  },
): CompiledQuery {
  return sql`UPDATE appointments
    SET starts_at = ${set.starts_at}, ends_at = ${set.ends_at}, duration_minutes = ${set.duration_minutes},
        location_type = ${set.location_type}, updated_at = ${set.updated_at}, notified_at = ${set.notified_at},
        -- a new start may get its own reminder (the reminder's dedupe key includes the start)
        reminder_sent_at = CASE WHEN starts_at = ${set.starts_at} THEN reminder_sent_at ELSE NULL END,
        ics_sequence = ics_sequence + 1
    WHERE id = ${id} AND provider_id = ${providerId} AND status = 'scheduled' AND ics_sequence = ${expectedSequence}
      AND ${noOverlap(providerId, set.starts_at, set.ends_at, id)}`.compile(db);
}

/** Message of the error a failed guard raises (SQLite's json() on invalid JSON), to tell it from other failures. */
export const GUARD_FAILED = /malformed JSON/i;

/**
 * A statement that fails — and so rolls back the whole D1 batch — unless `condition` holds.
 * SQLite has no RAISE outside triggers; json() of invalid text is a portable way to raise an error.
 */
export function guard(db: Kysely<Database>, condition: ReturnType<typeof sql>): CompiledQuery {
  return sql`SELECT CASE WHEN ${condition} THEN 1 ELSE json('batch guard failed') END AS ok`.compile(db);
}

/** Fails the batch unless every one of these appointments exists (i.e. no conditional insert was skipped). */
export function rowsExistGuard(db: Kysely<Database>, ids: string[]): CompiledQuery {
  return guard(db, sql`(SELECT count(*) FROM appointments WHERE id IN (${sql.join(ids)})) = ${ids.length}`);
}

/** Fails the batch unless the appointment is now at this version (the conditional UPDATE ran). */
export function sequenceGuard(db: Kysely<Database>, id: string, sequence: number, status = 'scheduled'): CompiledQuery {
  return guard(
    db,
    sql`EXISTS (SELECT 1 FROM appointments WHERE id = ${id} AND ics_sequence = ${sequence} AND status = ${status})`,
  );
}

/** One audit row per appointment in `ids`, in a single statement (a 52-session series is one insert). */
export function auditEach(
  db: Kysely<Database>,
  at: string,
  providerId: string,
  action: string,
  ids: string[],
): CompiledQuery {
  return sql`INSERT INTO audit_log (at, actor_type, actor_id, provider_id, action, entity_type, entity_id)
    SELECT ${at}, 'provider', ${providerId}, ${providerId}, ${action}, 'appointment', id
    FROM appointments WHERE id IN (${sql.join(ids)})`.compile(db);
}

export function locationOf(type: 'office' | 'telehealth', telehealthUrl: string | null): Location {
  // A telehealth session carries the provider's current video room; `null` only if they have since cleared it.
  return type === 'office' ? { type: 'office' } : ({ type: 'telehealth', url: telehealthUrl } as Location);
}

export interface AppointmentOut extends Appointment {
  confirmation:
    | null
    | (NonNullable<Appointment['confirmation']> & {
        startedAt: string;
        endedAt: string;
        patientLocation: 'home' | 'other';
      });
}

/** The API shape. Never the progress note: that is only served by GET /v1/appointments/:id/note. */
export function toAppointment(r: AppointmentView, telehealthUrl: string | null): AppointmentOut {
  return {
    id: r.id,
    clientId: r.client_id,
    client: { id: r.client_id, firstName: r.client_first_name, lastName: r.client_last_name },
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    durationMinutes: r.duration_minutes,
    location: locationOf(r.location_type, telehealthUrl),
    status: r.status,
    notifiedAt: r.notified_at,
    confirmation:
      r.confirmed_at === null
        ? null
        : {
            cptCode: r.cpt_code!,
            addOnCodes: JSON.parse(r.add_on_codes ?? '[]') as string[],
            diagnosisCodes: JSON.parse(r.diagnosis_codes ?? '[]') as string[],
            confirmedAt: r.confirmed_at,
            startedAt: r.started_at!,
            endedAt: r.ended_at!,
            patientLocation: r.patient_location ?? 'home',
          },
    claimId: r.claim_id,
    seriesId: r.series_id,
  };
}

/** API.md: a provider with no `approved` carrier cannot schedule. */
export async function isCredentialed(db: Kysely<Database>, providerId: string): Promise<boolean> {
  const row = await db
    .selectFrom('provider_carriers')
    .select('payer_id')
    .where('provider_id', '=', providerId)
    .where('status', '=', 'approved')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The badge: sessions still `scheduled` whose end is at or before `at`, and the oldest one's start.
 * Both parts read only the partial index appointments_unconfirmed (provider_id, ends_at). Sessions
 * holding a slot never overlap, so the one that ends first is also the one that starts first.
 */
export async function unconfirmedCount(db: Kysely<Database>, providerId: string, at: string) {
  const { rows } = await db.executeQuery<{ count: number; oldest: string | null }>(
    CompiledQuery.raw(UNCONFIRMED_COUNT_SQL, [providerId, at, providerId, at]),
  );
  const r = rows[0];
  return { count: Number(r?.count ?? 0), oldestStartsAt: r?.oldest ?? null };
}

// Kept as plain SQL so the query-plan test and bench/unconfirmed-count.mjs run exactly this text.
export const UNCONFIRMED_COUNT_SQL =
  "SELECT (SELECT count(*) FROM appointments WHERE provider_id = ? AND status = 'scheduled' AND ends_at <= ?) AS count, " +
  "(SELECT starts_at FROM appointments WHERE provider_id = ? AND status = 'scheduled' AND ends_at <= ? ORDER BY ends_at LIMIT 1) AS oldest";
