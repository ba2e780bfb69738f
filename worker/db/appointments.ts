// Appointment rows: provider-scoped reads, the SQL that closes the double-booking race, and the API shape.
import { CompiledQuery, type Selectable, sql } from 'kysely';
import type { Appointment, Location } from '../../shared/api-types';
import { guard, type Statement } from './batch';
import { first, type Read, rows } from './data';
import { qb } from './kysely';
import { decodeCursor } from './paging';
import type { AppointmentsTable } from './schema';

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
  telehealth_modality: 'video' | 'audio' | null;
  confirmed_at: string | null;
  claim_id: string | null;
}

/** API.md: `canceled` and `late_canceled` free their slot; every other status holds it. */
export const FREEING_STATUSES = ['canceled', 'late_canceled'] as const;

// The schema caps a session at 240 minutes, so anything overlapping [s, e) starts after s − 240 min:
// that lower bound keeps the conflict probe an index range on (provider_id, starts_at), not years of history.
export const MAX_DURATION_MS = 240 * 60_000;
const windowStart = (startsAt: string) => new Date(Date.parse(startsAt) - MAX_DURATION_MS).toISOString();

function viewQuery(providerId: string) {
  return (
    qb
      .selectFrom('appointments as a')
      .innerJoin('clients as cl', 'cl.id', 'a.client_id')
      .leftJoin('confirmations as cf', 'cf.appointment_id', 'a.id')
      // The session's current claim: the one no replacement or void claim supersedes.
      .leftJoin('claims as cm', (j) =>
        j
          .onRef('cm.appointment_id', '=', 'a.id')
          .on((eb) =>
            eb.not(
              eb.exists(eb.selectFrom('claims as c2').select('c2.id').whereRef('c2.replaces_claim_id', '=', 'cm.id')),
            ),
          ),
      )
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
        'cf.telehealth_modality',
        'cf.confirmed_at',
        'cm.id as claim_id',
      ])
      .where('a.provider_id', '=', providerId)
  );
}

/** This provider's appointment, or undefined: another provider's id looks exactly like an unknown one. */
export const find = (providerId: string, id: string): Read<AppointmentView | undefined> =>
  first(viewQuery(providerId).where('a.id', '=', id).compile());

/** The appointment of this provider's claim (for the claim routes: one read batch keyed by the claim id). */
export const ofClaim = (providerId: string, claimId: string): Read<AppointmentView | undefined> =>
  first(
    viewQuery(providerId)
      .where('a.id', '=', (eb) =>
        eb
          .selectFrom('claims')
          .select('appointment_id')
          .where('id', '=', claimId)
          .where('provider_id', '=', providerId),
      )
      .compile(),
  );

export interface AppointmentListQuery {
  from?: string;
  to?: string;
  clientId?: string;
  status?: AppointmentRow['status'];
  cursor?: string;
  limit: number;
}

/**
 * A session is in [from, to] when it starts at or after `from` and ends at or before `to`, so
 * `?status=scheduled&to=<now>` is exactly the sessions the badge counts. Ordered by start, limit + 1.
 */
export function list(providerId: string, q: AppointmentListQuery): Read<AppointmentView[]> {
  let query = viewQuery(providerId);
  // The popup's "to confirm" list (`status=scheduled&to=<now>`) reads the badge's partial index
  // (provider_id, ends_at) WHERE status = 'scheduled': it grows with the pile, not with history.
  const toConfirm = q.status === 'scheduled' && q.to !== undefined && q.from === undefined;
  if (q.from) query = query.where('a.starts_at', '>=', q.from);
  if (q.to) {
    query = query.where('a.ends_at', '<=', q.to);
    // starts_at < to is implied (a session lasts ≥ 15 minutes) and bounds the (provider_id, starts_at) range.
    if (!toConfirm) query = query.where('a.starts_at', '<', q.to);
  }
  if (q.clientId) query = query.where('a.client_id', '=', q.clientId);
  // A literal, not a parameter: SQLite considers a partial index only when the WHERE matches its condition.
  if (q.status === 'scheduled') query = query.where(sql<boolean>`a.status = 'scheduled'`);
  else if (q.status) query = query.where('a.status', '=', q.status);
  if (q.cursor) {
    const [startsAt, id] = decodeCursor(q.cursor, 2) as [string, string];
    query = query.where(sql<boolean>`(a.starts_at, a.id) > (${startsAt}, ${id})`);
  }
  return rows(
    query
      .orderBy('a.starts_at')
      .orderBy('a.id')
      .limit(q.limit + 1)
      .compile(),
  );
}

/**
 * Every session starting in [start, end) (one day in the provider's zone), in any status, by start:
 * an index range on (provider_id, starts_at). A day holds at most 96 slot-holding sessions of 15
 * minutes; the cap leaves room for the canceled ones beside them.
 */
export const day = (providerId: string, start: string, end: string): Read<AppointmentView[]> =>
  rows(
    viewQuery(providerId)
      .where('a.starts_at', '>=', start)
      .where('a.starts_at', '<', end)
      .orderBy('a.starts_at')
      .orderBy('a.id')
      .limit(500)
      .compile(),
  );

/** The first `scheduled` session starting at or after `from` (walks (provider_id, starts_at) forward). */
export const nextScheduled = (providerId: string, from: string): Read<AppointmentView | undefined> =>
  first(
    viewQuery(providerId)
      .where('a.starts_at', '>=', from)
      .where(sql<boolean>`a.status = 'scheduled'`)
      .orderBy('a.starts_at')
      .orderBy('a.id')
      .limit(1)
      .compile(),
  );

export const pageKey = (r: AppointmentView) => [r.starts_at, r.id];

/** Sessions of this provider that hold a slot overlapping [startsAt, endsAt) (half-open: back-to-back is fine). */
export function conflicts(providerId: string, startsAt: string, endsAt: string, exceptId?: string): Read<string[]> {
  let q = qb
    .selectFrom('appointments')
    .select('id')
    .where('provider_id', '=', providerId)
    .where('status', 'not in', FREEING_STATUSES)
    .where('starts_at', '>', windowStart(startsAt))
    .where('starts_at', '<', endsAt)
    .where('ends_at', '>', startsAt);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return { query: q.orderBy('starts_at').compile(), map: (r) => r.map((x) => x.id as string) };
}

/**
 * `conflicts` for many ranges at once (a series): one read per 30 ranges (D1 binds ≤ 100 values),
 * all of them sent in one round trip; `mergeConflicts` joins their answers.
 */
export function conflictsMany(providerId: string, ranges: { startsAt: string; endsAt: string }[]): Read<string[]>[] {
  const reads: Read<string[]>[] = [];
  for (let i = 0; i < ranges.length; i += 30) {
    const chunk = ranges.slice(i, i + 30);
    reads.push({
      query: qb
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
        .compile(),
      map: (r) => r.map((x) => x.id as string),
    });
  }
  return reads;
}

export const mergeConflicts = (lists: readonly string[][]): string[] => [...new Set(lists.flat())];

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
export function insertIfFree(a: NewAppointment): Statement {
  return sql`INSERT INTO appointments
      (id, provider_id, client_id, starts_at, ends_at, duration_minutes, location_type, status,
       series_id, ics_sequence, notified_at, created_at, updated_at)
    SELECT ${a.id}, ${a.provider_id}, ${a.client_id}, ${a.starts_at}, ${a.ends_at}, ${a.duration_minutes},
       ${a.location_type}, ${a.status}, ${a.series_id}, ${a.ics_sequence}, ${a.notified_at}, ${a.created_at}, ${a.updated_at}
    WHERE ${noOverlap(a.provider_id, a.starts_at, a.ends_at, null)}`.compile(qb);
}

/**
 * Moves / changes a scheduled session only if it is still the version read (`ics_sequence`), still
 * scheduled, and the new time overlaps nothing else: the conflict rule and lost updates in one UPDATE.
 */
export function updateIfFree(
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
): Statement {
  return sql`UPDATE appointments
    SET starts_at = ${set.starts_at}, ends_at = ${set.ends_at}, duration_minutes = ${set.duration_minutes},
        location_type = ${set.location_type}, updated_at = ${set.updated_at}, notified_at = ${set.notified_at},
        -- a new start may get its own reminder (the reminder's dedupe key includes the start)
        reminder_sent_at = CASE WHEN starts_at = ${set.starts_at} THEN reminder_sent_at ELSE NULL END,
        ics_sequence = ics_sequence + 1
    WHERE id = ${id} AND provider_id = ${providerId} AND status = 'scheduled' AND ics_sequence = ${expectedSequence}
      AND ${noOverlap(providerId, set.starts_at, set.ends_at, id)}`.compile(qb);
}

/** Fails the batch unless every one of these appointments exists (i.e. no conditional insert was skipped). */
export function rowsExistGuard(ids: string[]): Statement {
  return guard(sql`(SELECT count(*) FROM appointments WHERE id IN (${sql.join(ids)})) = ${ids.length}`);
}

/** Fails the batch unless the appointment is now at this version (the conditional UPDATE ran). */
export function sequenceGuard(id: string, sequence: number, status = 'scheduled'): Statement {
  return guard(
    sql`EXISTS (SELECT 1 FROM appointments WHERE id = ${id} AND ics_sequence = ${sequence} AND status = ${status})`,
  );
}

export function locationOf(type: 'office' | 'telehealth', telehealthUrl: string | null): Location {
  // A telehealth session carries the provider's current video room; `null` only if they have since cleared it.
  return type === 'office' ? { type: 'office' } : ({ type: 'telehealth', url: telehealthUrl } as Location);
}

/** The API shape (shared/api-types: its confirmation carries the actual times and patient location). */
export type AppointmentOut = Appointment;

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
            telehealthModality: r.telehealth_modality ?? 'video',
          },
    claimId: r.claim_id,
    seriesId: r.series_id,
  };
}

/**
 * The badge: sessions still `scheduled` whose end is at or before `at`, and the oldest one's start.
 * Both parts read only the partial index appointments_unconfirmed (provider_id, ends_at). Sessions
 * holding a slot never overlap, so the one that ends first is also the one that starts first.
 */
export function unconfirmedCount(
  providerId: string,
  at: string,
): Read<{ count: number; oldestStartsAt: string | null }> {
  return {
    query: CompiledQuery.raw(UNCONFIRMED_COUNT_SQL, [providerId, at, providerId, at]),
    map: (r) => ({ count: Number(r[0]?.count ?? 0), oldestStartsAt: (r[0]?.oldest as string | null) ?? null }),
  };
}

// Kept as plain SQL so the query-plan test and bench/unconfirmed-count.mjs run exactly this text.
export const UNCONFIRMED_COUNT_SQL =
  "SELECT (SELECT count(*) FROM appointments WHERE provider_id = ? AND status = 'scheduled' AND ends_at <= ?) AS count, " +
  "(SELECT starts_at FROM appointments WHERE provider_id = ? AND status = 'scheduled' AND ends_at <= ? ORDER BY ends_at LIMIT 1) AS oldest";

/** Marks a scheduled session, still at the version read, as sent to its client. */
export function markNotified(providerId: string, id: string, sequence: number, at: string): Statement {
  return qb
    .updateTable('appointments')
    .set({ notified_at: at })
    .where('id', '=', id)
    .where('provider_id', '=', providerId)
    .where('status', '=', 'scheduled')
    .where('ics_sequence', '=', sequence)
    .compile();
}

/** Ends a scheduled session, still at the version read, with a cancel status; the invite's SEQUENCE moves on. */
export function cancel(
  providerId: string,
  id: string,
  sequence: number,
  status: AppointmentRow['status'],
  reason: NonNullable<AppointmentRow['cancel_reason']>,
  at: string,
): Statement {
  return qb
    .updateTable('appointments')
    .set((eb) => ({ status, cancel_reason: reason, updated_at: at, ics_sequence: eb('ics_sequence', '+', 1) }))
    .where('id', '=', id)
    .where('provider_id', '=', providerId)
    .where('status', '=', 'scheduled')
    .where('ics_sequence', '=', sequence)
    .compile();
}

/** A scheduled session becomes confirmed (nothing happens if it is no longer scheduled: guard after it). */
/** Confirms the session only if it is still scheduled and still the version read (`ics_sequence`). */
export function markConfirmed(providerId: string, id: string, at: string, expectedSequence: number): Statement {
  return qb
    .updateTable('appointments')
    .set((eb) => ({ status: 'confirmed', updated_at: at, ics_sequence: eb('ics_sequence', '+', 1) }))
    .where('id', '=', id)
    .where('provider_id', '=', providerId)
    .where('status', '=', 'scheduled')
    .where('ics_sequence', '=', expectedSequence)
    .compile();
}

/** Fails the batch unless the appointment is now confirmed from the version read (markConfirmed ran). */
export const confirmedGuard = (id: string, expectedSequence: number): Statement =>
  guard(
    sql`EXISTS (SELECT 1 FROM appointments WHERE id = ${id} AND status = 'confirmed' AND ics_sequence = ${expectedSequence + 1})`,
  );

export interface ReminderDue {
  id: string;
  provider_id: string;
  starts_at: string;
  ends_at: string;
  location_type: 'office' | 'telehealth';
  ics_sequence: number;
  first_name: string;
  email: string;
  time_zone: string;
  provider_name: string;
  provider_email: string;
  telehealth_url: string | null;
}

/** Scheduled sessions starting in (at, until] whose client was told and not yet reminded, soonest first. */
export function dueForReminder(at: string, until: string, limit: number): Read<ReminderDue[]> {
  return rows(
    qb
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
      .limit(limit)
      .compile(),
  );
}

/** Condition (for a conditional insert): the session is still scheduled at this start and unreminded. */
export const stillDueForReminder = (id: string, startsAt: string) =>
  sql<boolean>`exists ${qb
    .selectFrom('appointments')
    .select('id')
    .where('id', '=', id)
    .where('starts_at', '=', startsAt)
    .where('status', '=', 'scheduled')
    .where('reminder_sent_at', 'is', null)}`;

export function markReminded(id: string, startsAt: string, at: string): Statement {
  return qb
    .updateTable('appointments')
    .set({ reminder_sent_at: at })
    .where('id', '=', id)
    .where('starts_at', '=', startsAt)
    .where('status', '=', 'scheduled')
    .where('reminder_sent_at', 'is', null)
    .compile();
}
