// Sessions on the calendar: create (one or a series), list, read, move, notify, cancel; confirm and
// its correction live in ../lib/confirm.ts. Double booking is refused inside SQL (see db/appointments).
import { Hono, type Context } from 'hono';
import { sql } from 'kysely';
import {
  AppointmentCreateSchema,
  AppointmentListQuerySchema,
  AppointmentPatchSchema,
  CancelSchema,
} from '../../shared/schemas/appointment';
import { seriesStarts } from '../../shared/time/zones';
import { nowIso } from '../platform/clock';
import {
  type AppointmentView,
  auditEach,
  findAppointment,
  findConflicts,
  findConflictsMany,
  GUARD_FAILED,
  insertIfFree,
  isCredentialed,
  type NewAppointment,
  rowsExistGuard,
  sequenceGuard,
  toAppointment,
  unconfirmedCount,
  updateIfFree,
  viewQuery,
} from '../db/appointments';
import { runBatch, type Statement } from '../db/batch';
import { type ClientRow, findClient } from '../db/clients';
import type { AppEnv } from '../env';
import { type ApiError, notFound } from '../platform/errors';
import { auditQuery, auditRead, providerActor } from '../db/audit';
import { jsonBody, queryParams } from './body';
import { confirmAppointment, correctConfirmation, readNote } from '../domain/confirm';
import { newId } from '../platform/crypto';
import { invalidState, notCredentialed, scheduleConflict, telehealthNotConfigured } from '../domain/errors';
import { decodeCursor, encodeCursor } from '../db/cursor';
import { deliverSoon } from './deliver';
import { canceledEmail, detailsEmail } from '../email/session-emails';
import { idempotent } from './middleware/idempotency';

const MINUTE = 60_000;

export async function loadAppointment(c: Context<AppEnv>, id: string): Promise<AppointmentView> {
  const row = await findAppointment(c.var.db, c.var.provider.id, id);
  if (!row) throw notFound('Appointment');
  return row;
}

const view = (c: Context<AppEnv>, r: AppointmentView) => toAppointment(r, c.var.provider.telehealthUrl);
const endOf = (startsAt: string, minutes: number) => new Date(Date.parse(startsAt) + minutes * MINUTE).toISOString();

/** After a guarded write failed: say why, from the state as it is now. */
async function whyNotWritten(c: Context<AppEnv>, id: string, startsAt: string, endsAt: string): Promise<ApiError> {
  const current = await findAppointment(c.var.db, c.var.provider.id, id);
  if (current && current.status !== 'scheduled')
    return invalidState(
      `This session is ${current.status.replace('_', ' ')}; only a scheduled session can be changed.`,
    );
  const conflicts = await findConflicts(c.var.db, c.var.provider.id, startsAt, endsAt, id);
  if (conflicts.length > 0) return scheduleConflict(conflicts);
  return invalidState('This session was changed by another request at the same time; reload it and try again.');
}

export const appointmentRoutes = new Hono<AppEnv>()
  .post('/', idempotent, async (c) => {
    const body = await jsonBody(c, AppointmentCreateSchema);
    const db = c.var.db;
    const provider = c.var.provider;
    const client = await findClient(db, provider.id, body.clientId);
    if (!client) throw notFound('Client');
    if (!(await isCredentialed(db, provider.id))) throw notCredentialed();
    if (body.location.type === 'telehealth' && !provider.telehealthUrl) throw telehealthNotConfigured();

    // A series keeps the first session's wall-clock time in the provider's zone across DST changes.
    const starts = body.repeat
      ? seriesStarts(body.startsAt, provider.timeZone, body.repeat.every, body.repeat.count)
      : [body.startsAt];
    const at = nowIso();
    const seriesId = body.repeat ? newId('ser') : null;
    const rows: NewAppointment[] = starts.map((startsAt) => ({
      id: newId('apt'),
      provider_id: provider.id,
      client_id: client.id,
      starts_at: startsAt,
      ends_at: endOf(startsAt, body.durationMinutes),
      duration_minutes: body.durationMinutes,
      location_type: body.location.type,
      status: 'scheduled',
      series_id: seriesId,
      ics_sequence: 0,
      // A session that already happened is a record, never announced.
      notified_at: body.notify && startsAt > at ? at : null,
      created_at: at,
      updated_at: at,
    }));
    const ranges = rows.map((r) => ({ startsAt: r.starts_at, endsAt: r.ends_at }));

    // The quick answer; the conditional inserts below are what actually decide a race.
    const seen = await findConflictsMany(db, provider.id, ranges);
    if (seen.length > 0) throw scheduleConflict(seen);

    const ids = rows.map((r) => r.id);
    const statements: Statement[] = [
      ...rows.map((r) => insertIfFree(db, r)),
      // All or nothing: if any insert was skipped (a session appeared meanwhile), fail the batch.
      rowsExistGuard(db, ids),
      auditEach(db, at, provider.id, 'appointment.create', ids),
      ...rows.filter((r) => r.notified_at !== null).map((r) => detailsEmail(db, c.env, provider, client, r)),
    ];
    try {
      await runBatch(c.env.DB, statements);
    } catch (err) {
      if (err instanceof Error && GUARD_FAILED.test(err.message))
        throw scheduleConflict(await findConflictsMany(db, provider.id, ranges));
      throw err;
    }
    if (rows.some((r) => r.notified_at !== null)) deliverSoon(c);

    const views = rows.map((r) =>
      view(c, {
        ...r,
        cancel_reason: null,
        reminder_sent_at: null,
        client_first_name: client.first_name,
        client_last_name: client.last_name,
        cpt_code: null,
        add_on_codes: null,
        diagnosis_codes: null,
        started_at: null,
        ended_at: null,
        patient_location: null,
        confirmed_at: null,
        claim_id: null,
      }),
    );
    return body.repeat ? c.json({ items: views }, 201) : c.json(views[0]!, 201);
  })
  .get('/', async (c) => {
    const q = queryParams(c, AppointmentListQuerySchema);
    const db = c.var.db;
    const providerId = c.var.provider.id;
    if (q.clientId && !(await findClient(db, providerId, q.clientId))) throw notFound('Client');
    // A session is in [from, to] when it starts at or after `from` and ends at or before `to`, so
    // `?status=scheduled&to=<now>` is exactly the sessions the badge counts.
    let query = viewQuery(db, providerId);
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
    const rows = (await query
      .orderBy('a.starts_at')
      .orderBy('a.id')
      .limit(q.limit + 1)
      .execute()) as AppointmentView[];
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > q.limit && last ? encodeCursor([last.starts_at, last.id]) : null;
    await auditRead(db, {
      ...providerActor(providerId),
      action: 'appointment.list',
      entityType: 'appointment',
      entityId: null,
    });
    return c.json({ items: page.map((r) => view(c, r)), nextCursor }, 200);
  })
  .get('/unconfirmed/count', async (c) => c.json(await unconfirmedCount(c.var.db, c.var.provider.id, nowIso()), 200))
  .get('/:id', async (c) => {
    const row = await loadAppointment(c, c.req.param('id'));
    await auditRead(c.var.db, {
      ...providerActor(c.var.provider.id),
      action: 'appointment.read',
      entityType: 'appointment',
      entityId: row.id,
    });
    return c.json(view(c, row), 200);
  })
  .patch('/:id', async (c) => {
    const apt = await loadAppointment(c, c.req.param('id'));
    const body = await jsonBody(c, AppointmentPatchSchema);
    const db = c.var.db;
    const provider = c.var.provider;
    if (apt.status !== 'scheduled')
      throw invalidState(
        `This session is ${apt.status.replace('_', ' ')}; only a scheduled session can be moved or changed.`,
      );
    if (body.location?.type === 'telehealth' && !provider.telehealthUrl) throw telehealthNotConfigured();

    const startsAt = body.startsAt ?? apt.starts_at;
    const duration = body.durationMinutes ?? apt.duration_minutes;
    const locationType = body.location?.type ?? apt.location_type;
    const endsAt = endOf(startsAt, duration);
    if (startsAt === apt.starts_at && duration === apt.duration_minutes && locationType === apt.location_type) {
      return c.json(view(c, apt), 200); // nothing to change
    }
    const conflicts = await findConflicts(db, provider.id, startsAt, endsAt, apt.id);
    if (conflicts.length > 0) throw scheduleConflict(conflicts);

    const at = nowIso();
    const sequence = apt.ics_sequence + 1;
    // A client who was told about the session hears about the change, unless it is now in the past.
    const resend = apt.notified_at !== null && startsAt > at;
    const notifiedAt = resend ? at : apt.notified_at;
    const client = (await findClient(db, provider.id, apt.client_id)) as ClientRow;
    const statements: Statement[] = [
      updateIfFree(db, provider.id, apt.id, apt.ics_sequence, {
        starts_at: startsAt,
        ends_at: endsAt,
        duration_minutes: duration,
        location_type: locationType,
        updated_at: at,
        notified_at: notifiedAt,
      }),
      sequenceGuard(db, apt.id, sequence),
      auditQuery(db, {
        ...providerActor(provider.id),
        action: 'appointment.update',
        entityType: 'appointment',
        entityId: apt.id,
      }),
    ];
    if (resend) {
      statements.push(
        detailsEmail(db, c.env, provider, client, {
          id: apt.id,
          starts_at: startsAt,
          ends_at: endsAt,
          location_type: locationType,
          ics_sequence: sequence,
        }),
      );
    }
    try {
      await runBatch(c.env.DB, statements);
    } catch (err) {
      if (err instanceof Error && GUARD_FAILED.test(err.message))
        throw await whyNotWritten(c, apt.id, startsAt, endsAt);
      throw err;
    }
    if (resend) deliverSoon(c);
    return c.json(view(c, (await findAppointment(db, provider.id, apt.id))!), 200);
  })
  .post('/:id/notify', async (c) => {
    const apt = await loadAppointment(c, c.req.param('id'));
    const db = c.var.db;
    const provider = c.var.provider;
    const at = nowIso();
    if (apt.status !== 'scheduled' || apt.starts_at <= at) {
      throw invalidState('Only an upcoming scheduled session can be sent to the client.');
    }
    const client = (await findClient(db, provider.id, apt.client_id)) as ClientRow;
    const statements: Statement[] = [
      db
        .updateTable('appointments')
        .set({ notified_at: at })
        .where('id', '=', apt.id)
        .where('provider_id', '=', provider.id)
        .where('status', '=', 'scheduled')
        .where('ics_sequence', '=', apt.ics_sequence)
        .compile(),
      // The email describes the version read: if the session was moved or cancelled meanwhile, send nothing.
      sequenceGuard(db, apt.id, apt.ics_sequence),
      detailsEmail(db, c.env, provider, client, apt),
      auditQuery(db, {
        ...providerActor(provider.id),
        action: 'appointment.notify',
        entityType: 'appointment',
        entityId: apt.id,
      }),
    ];
    try {
      await runBatch(c.env.DB, statements);
    } catch (err) {
      if (err instanceof Error && GUARD_FAILED.test(err.message))
        throw await whyNotWritten(c, apt.id, apt.starts_at, apt.ends_at);
      throw err;
    }
    deliverSoon(c);
    return c.json({}, 202);
  })
  .post('/:id/cancel', async (c) => {
    const apt = await loadAppointment(c, c.req.param('id'));
    const body = await jsonBody(c, CancelSchema);
    const db = c.var.db;
    const provider = c.var.provider;
    const at = nowIso();
    if (apt.status !== 'scheduled')
      throw invalidState(`This session is ${apt.status.replace('_', ' ')}; only a scheduled session can be cancelled.`);
    if (body.reason === 'no_show' && apt.starts_at > at)
      throw invalidState('A no-show can be recorded only once the session has started.');
    const status = body.reason === 'no_show' ? 'no_show' : body.reason === 'late_cancel' ? 'late_canceled' : 'canceled';
    const sequence = apt.ics_sequence + 1;
    // The client is told only about a future session they had been told about.
    const tell = apt.notified_at !== null && apt.starts_at > at;
    const client = (await findClient(db, provider.id, apt.client_id)) as ClientRow;
    const statements: Statement[] = [
      db
        .updateTable('appointments')
        .set((eb) => ({ status, cancel_reason: body.reason, updated_at: at, ics_sequence: eb('ics_sequence', '+', 1) }))
        .where('id', '=', apt.id)
        .where('provider_id', '=', provider.id)
        .where('status', '=', 'scheduled')
        .where('ics_sequence', '=', apt.ics_sequence)
        .compile(),
      sequenceGuard(db, apt.id, sequence, status),
      auditQuery(db, {
        ...providerActor(provider.id),
        action: 'appointment.cancel',
        entityType: 'appointment',
        entityId: apt.id,
      }),
    ];
    if (tell) statements.push(canceledEmail(db, c.env, provider, client, { ...apt, ics_sequence: sequence }));
    try {
      await runBatch(c.env.DB, statements);
    } catch (err) {
      if (err instanceof Error && GUARD_FAILED.test(err.message))
        throw await whyNotWritten(c, apt.id, apt.starts_at, apt.ends_at);
      throw err;
    }
    if (tell) deliverSoon(c);
    return c.json(view(c, (await findAppointment(db, provider.id, apt.id))!), 200);
  })
  .post('/:id/confirm', idempotent, async (c) =>
    c.json(await confirmAppointment(c, await loadAppointment(c, c.req.param('id'))), 200),
  )
  .patch('/:id/confirmation', async (c) =>
    c.json(await correctConfirmation(c, await loadAppointment(c, c.req.param('id'))), 200),
  )
  .get('/:id/note', async (c) => c.json(await readNote(c, await loadAppointment(c, c.req.param('id'))), 200));
