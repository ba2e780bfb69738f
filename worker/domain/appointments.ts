// Sessions on the calendar: create (one or a series), list, read, move, notify, cancel, and the
// badge's count. Double booking is refused inside SQL (see db/appointments): the pre-checks here
// give the quick answer, the guarded batch decides a race.
import type * as v from 'valibot';
import type { Page } from '../../shared/api-types';
import type {
  AppointmentCreateSchema,
  AppointmentListQuerySchema,
  AppointmentPatchSchema,
  CancelSchema,
} from '../../shared/schemas/appointment';
import { seriesStarts } from '../../shared/time/zones';
import * as noteDrafts from '../db/note-drafts';
import * as appointments from '../db/appointments';
import type { AppointmentOut, AppointmentView, NewAppointment } from '../db/appointments';
import { audit, auditEach, auditReadOf, providerActor } from '../db/audit';
import { isGuardFailure, type Statement } from '../db/batch';
import * as clients from '../db/clients';
import * as notifySends from '../db/notify-sends';
import type { Data } from '../db/data';
import { pageOf } from '../db/paging';
import * as providers from '../db/providers';
import { canceledEmail, detailsEmail } from '../email/session-emails';
import { now, nowIso } from '../platform/clock';
import { newId } from '../platform/crypto';
import { type ApiError, notFound, validationFailed } from '../platform/errors';
import type { Deps, Provider, Remember } from './context';
import { invalidState, notCredentialed, scheduleConflict, telehealthNotConfigured } from './errors';
import { countedSend, rateLimitedNow, refuseIfFull, windowStart } from './notify-limit';

const MINUTE = 60_000;
const endOf = (startsAt: string, minutes: number) => new Date(Date.parse(startsAt) + minutes * MINUTE).toISOString();
const stateWord = (status: string) => status.replace('_', ' ');

export const view = (provider: Provider, r: AppointmentView): AppointmentOut =>
  appointments.toAppointment(r, provider.telehealthUrl);

/** After a guarded write failed: say why, from the state as it is now. */
async function whyNotWritten(
  data: Data,
  providerId: string,
  id: string,
  startsAt: string,
  endsAt: string,
): Promise<ApiError> {
  const [current, conflicts] = await data.read([
    appointments.find(providerId, id),
    appointments.conflicts(providerId, startsAt, endsAt, id),
  ]);
  if (current && current.status !== 'scheduled') {
    return invalidState(`This session is ${stateWord(current.status)}; only a scheduled session can be changed.`);
  }
  if (conflicts.length > 0) return scheduleConflict(conflicts);
  return invalidState('This session was changed by another request at the same time; reload it and try again.');
}

/** Runs a guarded batch; a failed guard becomes the error `why` builds from the state as it is now. */
async function guardedWrite(data: Data, statements: Statement[], why: () => Promise<ApiError>): Promise<void> {
  try {
    await data.write(statements);
  } catch (err) {
    if (isGuardFailure(err)) throw await why();
    throw err;
  }
}

export type Created = { one: AppointmentOut } | { series: AppointmentOut[] };

/**
 * API.md: a session starts at most 2 years before or after now. Checked here rather than in the
 * shared schema because "now" is the Worker's injectable clock, which shared/ cannot import (and a
 * schema closing over a time would go stale, or would have to be rebuilt per request).
 */
function assertStartsAtInWindow(startsAt: string | undefined): void {
  if (startsAt === undefined) return;
  const from = now();
  from.setUTCFullYear(from.getUTCFullYear() - 2);
  const to = now();
  to.setUTCFullYear(to.getUTCFullYear() + 2);
  const at = Date.parse(startsAt);
  if (at < from.getTime() || at > to.getTime()) {
    throw validationFailed([{ path: 'startsAt', message: 'A session starts at most 2 years before or after today' }]);
  }
}

export async function createAppointment(
  { data, config }: Deps,
  provider: Provider,
  body: v.InferOutput<typeof AppointmentCreateSchema>,
  remember?: Remember,
): Promise<{ created: Created; emailed: boolean }> {
  assertStartsAtInWindow(body.startsAt);
  // A series keeps the first session's wall-clock time in the provider's zone across DST changes.
  const starts = body.repeat
    ? seriesStarts(body.startsAt, provider.timeZone, body.repeat.every, body.repeat.count)
    : [body.startsAt];
  const at = nowIso();
  const seriesId = body.repeat ? newId('ser') : null;
  const rows: NewAppointment[] = starts.map((startsAt) => ({
    id: newId('apt'),
    provider_id: provider.id,
    client_id: body.clientId,
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

  // One round trip for every check: the client, the credential, and the quick conflict answer.
  const [client, credentialed, ...seen] = await data.read([
    clients.find(provider.id, body.clientId),
    providers.isCredentialed(provider.id),
    ...appointments.conflictsMany(provider.id, ranges),
  ]);
  if (!client) throw notFound('Client');
  if (!credentialed) throw notCredentialed();
  if (body.location.type === 'telehealth' && !provider.telehealthUrl) throw telehealthNotConfigured();
  const conflicts = appointments.mergeConflicts(seen as string[][]);
  if (conflicts.length > 0) throw scheduleConflict(conflicts);

  const views = rows.map((r) =>
    view(provider, {
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
      telehealth_modality: null,
      confirmed_at: null,
      claim_id: null,
    }),
  );
  const created: Created = body.repeat ? { series: views } : { one: views[0]! };
  const ids = rows.map((r) => r.id);
  const emailed = rows.some((r) => r.notified_at !== null);
  const statements: Statement[] = [
    ...(remember?.(201, body.repeat ? { items: views } : views[0]) ?? []),
    ...rows.map((r) => appointments.insertIfFree(r)),
    // All or nothing: if any insert was skipped (a session appeared meanwhile), fail the batch.
    appointments.rowsExistGuard(ids),
    auditEach(at, provider.id, 'appointment.create', ids),
    ...rows.filter((r) => r.notified_at !== null).map((r) => detailsEmail(config, provider, client, r)),
  ];
  await guardedWrite(data, statements, async () =>
    scheduleConflict(appointments.mergeConflicts(await data.read(appointments.conflictsMany(provider.id, ranges)))),
  );
  return { created, emailed };
}

export async function listAppointments(
  data: Data,
  provider: Provider,
  q: v.InferOutput<typeof AppointmentListQuerySchema>,
): Promise<Page<AppointmentOut>> {
  const [found, client] = await data.read(
    [appointments.list(provider.id, q), clients.find(provider.id, q.clientId ?? '')],
    [audit({ ...providerActor(provider.id), action: 'appointment.list', entityType: 'appointment', entityId: null })],
  );
  if (q.clientId && !client) throw notFound('Client');
  return pageOf(found, q.limit, appointments.pageKey, (r) => view(provider, r));
}

export async function getAppointment(data: Data, provider: Provider, id: string): Promise<AppointmentOut> {
  const [row] = await data.read(
    [appointments.find(provider.id, id)],
    [
      auditReadOf(
        { ...providerActor(provider.id), action: 'appointment.read', entityType: 'appointment', entityId: id },
        'appointments',
      ),
    ],
  );
  if (!row) throw notFound('Appointment');
  return view(provider, row);
}

export const unconfirmedCount = (data: Data, providerId: string) =>
  data.one(appointments.unconfirmedCount(providerId, nowIso()));

/** The appointment and its client, in one round trip; 404 for another provider's id. */
async function withClient(data: Data, providerId: string, id: string) {
  const [apt, client] = await data.read([appointments.find(providerId, id), clients.ofAppointment(providerId, id)]);
  if (!apt || !client) throw notFound('Appointment');
  return { apt, client };
}

export async function updateAppointment(
  { data, config }: Deps,
  provider: Provider,
  id: string,
  body: v.InferOutput<typeof AppointmentPatchSchema>,
): Promise<{ appointment: AppointmentOut; emailed: boolean }> {
  assertStartsAtInWindow(body.startsAt);
  const { apt, client } = await withClient(data, provider.id, id);
  if (apt.status !== 'scheduled') {
    throw invalidState(`This session is ${stateWord(apt.status)}; only a scheduled session can be moved or changed.`);
  }
  if (body.location?.type === 'telehealth' && !provider.telehealthUrl) throw telehealthNotConfigured();
  const startsAt = body.startsAt ?? apt.starts_at;
  const duration = body.durationMinutes ?? apt.duration_minutes;
  const locationType = body.location?.type ?? apt.location_type;
  const endsAt = endOf(startsAt, duration);
  if (startsAt === apt.starts_at && duration === apt.duration_minutes && locationType === apt.location_type) {
    return { appointment: view(provider, apt), emailed: false }; // nothing to change
  }
  const at = nowIso();
  const sequence = apt.ics_sequence + 1;
  // A client who was told about the session hears about the change, unless it is now in the past.
  const resend = apt.notified_at !== null && startsAt > at;
  const notifiedAt = resend ? at : apt.notified_at;
  const set = {
    starts_at: startsAt,
    ends_at: endsAt,
    duration_minutes: duration,
    location_type: locationType,
    updated_at: at,
    notified_at: notifiedAt,
  };
  // The conflict rule and lost updates are both decided by the guarded UPDATE.
  const statements: Statement[] = [
    appointments.updateIfFree(provider.id, apt.id, apt.ics_sequence, set),
    appointments.sequenceGuard(apt.id, sequence),
    audit({ ...providerActor(provider.id), action: 'appointment.update', entityType: 'appointment', entityId: apt.id }),
  ];
  if (resend) {
    statements.push(
      detailsEmail(config, provider, client, {
        id: apt.id,
        starts_at: startsAt,
        ends_at: endsAt,
        location_type: locationType,
        ics_sequence: sequence,
      }),
    );
  }
  await guardedWrite(data, statements, () => whyNotWritten(data, provider.id, apt.id, startsAt, endsAt));
  // A moved start may get its own reminder (db/appointments.updateIfFree clears it).
  const reminderSentAt = startsAt === apt.starts_at ? apt.reminder_sent_at : null;
  return {
    appointment: view(provider, { ...apt, ...set, ics_sequence: sequence, reminder_sent_at: reminderSentAt }),
    emailed: resend,
  };
}

/** POST …/notify: the session's details with its invite, within the notify routes' hourly limit. */
export async function notifyAppointment(
  { data, config }: Deps,
  provider: Provider,
  id: string,
  remember?: Remember,
): Promise<void> {
  const [apt, client, recent] = await data.read([
    appointments.find(provider.id, id),
    clients.ofAppointment(provider.id, id),
    notifySends.windowOfAppointment(provider.id, id, windowStart()),
  ]);
  if (!apt || !client) throw notFound('Appointment');
  const at = nowIso();
  if (apt.status !== 'scheduled' || apt.starts_at <= at) {
    throw invalidState('Only an upcoming scheduled session can be sent to the client.');
  }
  refuseIfFull(recent);
  await guardedWrite(
    data,
    [
      ...(remember?.(202, {}) ?? []),
      ...countedSend(apt.client_id, provider.id, at),
      appointments.markNotified(provider.id, apt.id, apt.ics_sequence, at),
      // The email describes the version read: if the session was moved or cancelled meanwhile, send nothing.
      appointments.sequenceGuard(apt.id, apt.ics_sequence),
      detailsEmail(config, provider, client, apt),
      audit({
        ...providerActor(provider.id),
        action: 'appointment.notify',
        entityType: 'appointment',
        entityId: apt.id,
      }),
    ],
    async () => {
      const [current, sent] = await data.read([
        appointments.find(provider.id, apt.id),
        notifySends.windowOfAppointment(provider.id, apt.id, windowStart()),
      ]);
      if (current?.status === 'scheduled' && current.ics_sequence === apt.ics_sequence) return rateLimitedNow(sent);
      return whyNotWritten(data, provider.id, apt.id, apt.starts_at, apt.ends_at);
    },
  );
}

const CANCEL_STATUS = { no_show: 'no_show', late_cancel: 'late_canceled' } as const;

export async function cancelAppointment(
  { data, config }: Deps,
  provider: Provider,
  id: string,
  body: v.InferOutput<typeof CancelSchema>,
): Promise<{ appointment: AppointmentOut; emailed: boolean }> {
  const { apt, client } = await withClient(data, provider.id, id);
  const at = nowIso();
  if (apt.status !== 'scheduled') {
    throw invalidState(`This session is ${stateWord(apt.status)}; only a scheduled session can be cancelled.`);
  }
  if (body.reason === 'no_show' && apt.starts_at > at) {
    throw invalidState('A no-show can be recorded only once the session has started.');
  }
  const status = CANCEL_STATUS[body.reason as keyof typeof CANCEL_STATUS] ?? 'canceled';
  const sequence = apt.ics_sequence + 1;
  // The client is told only about a future session they had been told about.
  const tell = apt.notified_at !== null && apt.starts_at > at;
  const statements: Statement[] = [
    appointments.cancel(provider.id, apt.id, apt.ics_sequence, status, body.reason, at),
    appointments.sequenceGuard(apt.id, sequence, status),
    // A note that will never be confirmed is not kept.
    noteDrafts.remove(provider.id, apt.id),
    audit({ ...providerActor(provider.id), action: 'appointment.cancel', entityType: 'appointment', entityId: apt.id }),
  ];
  if (tell) statements.push(canceledEmail(config, provider, client, { ...apt, ics_sequence: sequence }));
  await guardedWrite(data, statements, () => whyNotWritten(data, provider.id, apt.id, apt.starts_at, apt.ends_at));
  return {
    appointment: view(provider, { ...apt, status, cancel_reason: body.reason, updated_at: at, ics_sequence: sequence }),
    emailed: tell,
  };
}
