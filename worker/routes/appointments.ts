// Sessions on the calendar: create (one or a series), list, read, move, notify, cancel; confirm,
// correct the confirmation, read the note.
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import {
  AppointmentCreateSchema,
  AppointmentListQuerySchema,
  AppointmentPatchSchema,
  CancelSchema,
  ConfirmationPatchSchema,
  ConfirmSchema,
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
import type { AppEnv } from './env';
import { deliverSoon, deps } from './context';
import { idempotent } from './middleware/idempotency';
import { json, query } from './validation';

// API.md's order for confirming and correcting: the session's own state (404, 409, the window)
// answers before the body is looked at, so these run ahead of the body's validator.
const loadConfirmable = createMiddleware<AppEnv & { Variables: { confirmable: Confirmable } }>(async (c, next) => {
  c.set('confirmable', await confirmable(c.var.data, c.var.provider, c.req.param('id') ?? ''));
  await next();
});
const loadCorrectable = createMiddleware<AppEnv & { Variables: { correctable: Correctable } }>(async (c, next) => {
  c.set('correctable', await correctable(c.var.data, c.var.provider, c.req.param('id') ?? ''));
  await next();
});

export const appointmentRoutes = new Hono<AppEnv>()
  .post('/', idempotent, json(AppointmentCreateSchema), async (c) => {
    const { created, emailed } = await createAppointment(deps(c), c.var.provider, c.req.valid('json'), c.var.remember);
    if (emailed) deliverSoon(c);
    return 'series' in created ? c.json({ items: created.series }, 201) : c.json(created.one, 201);
  })
  .get('/', query(AppointmentListQuerySchema), async (c) =>
    c.json(await listAppointments(c.var.data, c.var.provider, c.req.valid('query')), 200),
  )
  .get('/unconfirmed/count', async (c) => c.json(await unconfirmedCount(c.var.data, c.var.provider.id), 200))
  .get('/:id', async (c) => c.json(await getAppointment(c.var.data, c.var.provider, c.req.param('id')), 200))
  .patch('/:id', json(AppointmentPatchSchema), async (c) => {
    const { appointment, emailed } = await updateAppointment(
      deps(c),
      c.var.provider,
      c.req.param('id'),
      c.req.valid('json'),
    );
    if (emailed) deliverSoon(c);
    return c.json(appointment, 200);
  })
  .post('/:id/notify', async (c) => {
    await notifyAppointment(deps(c), c.var.provider, c.req.param('id'));
    deliverSoon(c);
    return c.json({}, 202);
  })
  .post('/:id/cancel', json(CancelSchema), async (c) => {
    const { appointment, emailed } = await cancelAppointment(
      deps(c),
      c.var.provider,
      c.req.param('id'),
      c.req.valid('json'),
    );
    if (emailed) deliverSoon(c);
    return c.json(appointment, 200);
  })
  .post('/:id/confirm', idempotent, loadConfirmable, json(ConfirmSchema), async (c) =>
    c.json(await confirm(deps(c), c.var.provider, c.var.confirmable, c.req.valid('json'), c.var.remember), 200),
  )
  .patch('/:id/confirmation', loadCorrectable, json(ConfirmationPatchSchema), async (c) =>
    c.json(await correct(deps(c), c.var.provider, c.var.correctable, c.req.valid('json')), 200),
  )
  .get('/:id/note', async (c) => c.json(await readNote(deps(c), c.var.provider, c.req.param('id')), 200));
