// Sessions on the calendar: create (one or a series), list, read, move, notify, cancel; confirm,
// correct the confirmation, read the note.
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import {
  AppointmentCreateSchema,
  AppointmentDayQuerySchema,
  AppointmentListQuerySchema,
  AppointmentPatchSchema,
  CancelSchema,
  ConfirmationPatchSchema,
  ConfirmSchema,
  NoteDraftSchema,
} from '../../shared/schemas/appointment';
import {
  cancelAppointment,
  createAppointment,
  getAppointment,
  listAppointments,
  notifyAppointment,
  unconfirmedCount,
  updateAppointment,
} from '../domain/appointments';
import {
  type Confirmable,
  type Correctable,
  confirm,
  confirmable,
  correct,
  correctable,
  readNote,
} from '../domain/confirm';
import { appointmentDay } from '../domain/appointment-day';
import { deleteDraft, readDraft, saveDraft } from '../domain/note-drafts';
import type { AppEnv } from './env';
import { deliverSoon, deps } from './context';
import { idempotent } from './middleware/idempotency';
import { bodyText, json, query } from './validation';
import * as R from '../../shared/schemas/responses';
import { describe } from './describe';

/**
 * The diagnosis codes a body names, read ahead of its validation (anything unreadable is none): they
 * are looked up in the same batch as the session, so checking them costs no round trip of its own.
 */
async function diagnosisCodesNamed(c: Parameters<typeof bodyText>[0]): Promise<unknown[]> {
  try {
    const body: unknown = JSON.parse(await bodyText(c));
    const codes = (body as { diagnosisCodes?: unknown } | null)?.diagnosisCodes;
    return Array.isArray(codes) ? codes.slice(0, 12) : [];
  } catch {
    return [];
  }
}

// API.md's order for confirming and correcting: the session's own state (404, 409, the window)
// answers before the body is looked at, so these run ahead of the body's validator.
const loadConfirmable = createMiddleware<AppEnv & { Variables: { confirmable: Confirmable } }>(async (c, next) => {
  const codes = await diagnosisCodesNamed(c);
  c.set('confirmable', await confirmable(c.var.data, c.var.provider, c.req.param('id') ?? '', codes));
  await next();
});
const loadCorrectable = createMiddleware<AppEnv & { Variables: { correctable: Correctable } }>(async (c, next) => {
  const codes = await diagnosisCodesNamed(c);
  c.set('correctable', await correctable(c.var.data, c.var.provider, c.req.param('id') ?? '', codes));
  await next();
});

export const appointmentRoutes = new Hono<AppEnv>()
  .post(
    '/',
    describe({
      summary: 'Schedule a session, or a weekly / two-weekly series (201 { items })',
      tag: 'Appointments',
      status: 201,
      body: R.AppointmentOut,
      errors: [404, 409, 422],
    }),
    idempotent,
    json(AppointmentCreateSchema),
    async (c) => {
      const { created, emailed } = await createAppointment(
        deps(c),
        c.var.provider,
        c.req.valid('json'),
        c.var.remember,
      );
      if (emailed) deliverSoon(c);
      return 'series' in created ? c.json({ items: created.series }, 201) : c.json(created.one, 201);
    },
  )
  .get(
    '/',
    describe({
      summary: 'Sessions by start time; `status=scheduled&to=now` is the list to confirm',
      tag: 'Appointments',
      status: 200,
      body: R.PageOf(R.AppointmentOut),
      errors: [404],
    }),
    query(AppointmentListQuerySchema),
    async (c) => c.json(await listAppointments(c.var.data, c.var.provider, c.req.valid('query')), 200),
  )
  .get(
    '/unconfirmed/count',
    describe({
      summary: 'The badge: past sessions still to confirm',
      tag: 'Appointments',
      status: 200,
      body: R.UnconfirmedCountOut,
    }),
    async (c) => c.json(await unconfirmedCount(c.var.data, c.var.provider.id), 200),
  )
  .get(
    '/day',
    describe({
      summary:
        "One day's sessions in the provider's time zone (default today), every status, and the next one after it",
      tag: 'Appointments',
      status: 200,
      body: R.AppointmentDayOut,
    }),
    query(AppointmentDayQuerySchema),
    async (c) => c.json(await appointmentDay(c.var.data, c.var.provider, c.req.valid('query')), 200),
  )
  .get(
    '/:id',
    describe({ summary: 'One session', tag: 'Appointments', status: 200, body: R.AppointmentOut, errors: [404] }),
    async (c) => c.json(await getAppointment(c.var.data, c.var.provider, c.req.param('id')), 200),
  )
  .patch(
    '/:id',
    describe({
      summary: 'Move or change a scheduled session (the client is told if they were)',
      tag: 'Appointments',
      status: 200,
      body: R.AppointmentOut,
      errors: [404, 409, 422],
    }),
    json(AppointmentPatchSchema),
    async (c) => {
      const { appointment, emailed } = await updateAppointment(
        deps(c),
        c.var.provider,
        c.req.param('id'),
        c.req.valid('json'),
      );
      if (emailed) deliverSoon(c);
      return c.json(appointment, 200);
    },
  )
  .post(
    '/:id/notify',
    describe({
      summary: 'Email the client the session with its invite',
      tag: 'Appointments',
      status: 202,
      body: R.EmptyOut,
      errors: [404, 409, 422, 429],
    }),
    idempotent,
    async (c) => {
      await notifyAppointment(deps(c), c.var.provider, c.req.param('id'), c.var.remember);
      deliverSoon(c);
      return c.json({}, 202);
    },
  )
  .post(
    '/:id/cancel',
    describe({
      summary: 'Cancel, late-cancel or mark a no-show',
      tag: 'Appointments',
      status: 200,
      body: R.AppointmentOut,
      errors: [404, 409],
    }),
    json(CancelSchema),
    async (c) => {
      const { appointment, emailed } = await cancelAppointment(
        deps(c),
        c.var.provider,
        c.req.param('id'),
        c.req.valid('json'),
      );
      if (emailed) deliverSoon(c);
      return c.json(appointment, 200);
    },
  )
  .post(
    '/:id/confirm',
    describe({
      summary: 'Confirm a past session with its codes and progress note; creates the claim',
      tag: 'Appointments',
      status: 200,
      body: R.ConfirmedOut,
      errors: [404, 409, 422],
    }),
    idempotent,
    loadConfirmable,
    json(ConfirmSchema),
    async (c) =>
      c.json(await confirm(deps(c), c.var.provider, c.var.confirmable, c.req.valid('json'), c.var.remember), 200),
  )
  .patch(
    '/:id/confirmation',
    describe({
      summary: 'Correct a confirmation within 48 hours, while its claim is ready',
      tag: 'Appointments',
      status: 200,
      body: R.ConfirmedOut,
      errors: [404, 409, 422],
    }),
    loadCorrectable,
    json(ConfirmationPatchSchema),
    async (c) => c.json(await correct(deps(c), c.var.provider, c.var.correctable, c.req.valid('json')), 200),
  )
  .get(
    '/:id/note',
    describe({
      summary: 'The progress note (the only route that returns it)',
      tag: 'Appointments',
      status: 200,
      body: R.NoteOut,
      errors: [404],
    }),
    async (c) => c.json(await readNote(deps(c), c.var.provider, c.req.param('id')), 200),
  )
  .put(
    '/:id/note-draft',
    describe({
      summary: 'Keep a progress note that cannot be confirmed yet (encrypted, exactly as typed)',
      tag: 'Appointments',
      status: 204,
      errors: [404, 409],
    }),
    json(NoteDraftSchema),
    async (c) => {
      await saveDraft(deps(c), c.var.provider, c.req.param('id'), c.req.valid('json').text);
      return c.body(null, 204);
    },
  )
  .get(
    '/:id/note-draft',
    describe({
      summary: 'The note draft, if any',
      tag: 'Appointments',
      status: 200,
      body: R.NoteDraftOut,
      errors: [404],
    }),
    async (c) => c.json(await readDraft(deps(c), c.var.provider, c.req.param('id')), 200),
  )
  .delete(
    '/:id/note-draft',
    describe({
      summary: 'Discard the note draft (also when there is none)',
      tag: 'Appointments',
      status: 204,
      errors: [404],
    }),
    async (c) => {
      await deleteDraft(deps(c), c.var.provider, c.req.param('id'));
      return c.body(null, 204);
    },
  );
