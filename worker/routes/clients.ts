// The client roster: add, search, read, edit, notify, and the billing info a claim needs.
import { Hono } from 'hono';
import { BillingInfoSchema } from '../../shared/schemas/billing';
import {
  ClientCreateSchema,
  ClientListQuerySchema,
  ClientNotifySchema,
  ClientPatchSchema,
} from '../../shared/schemas/client';
import {
  createClient,
  getBilling,
  getClient,
  listClients,
  notifyClient,
  putBilling,
  updateClient,
} from '../domain/clients';
import type { AppEnv } from './env';
import { deliverSoon, deps } from './context';
import { idempotent } from './middleware/idempotency';
import { json, query } from './validation';

export const clientRoutes = new Hono<AppEnv>()
  .post('/', idempotent, json(ClientCreateSchema), async (c) => {
    const { client, emailed } = await createClient(deps(c), c.var.provider, c.req.valid('json'), c.var.remember);
    if (emailed) deliverSoon(c);
    return c.json(client, 201);
  })
  .get('/', query(ClientListQuerySchema), async (c) =>
    c.json(await listClients(c.var.data, c.var.provider.id, c.req.valid('query')), 200),
  )
  .get('/:id', async (c) => c.json(await getClient(c.var.data, c.var.provider.id, c.req.param('id')), 200))
  .patch('/:id', json(ClientPatchSchema), async (c) =>
    c.json(await updateClient(c.var.data, c.var.provider.id, c.req.param('id'), c.req.valid('json')), 200),
  )
  .post('/:id/notify', json(ClientNotifySchema), async (c) => {
    await notifyClient(deps(c), c.var.provider, c.req.param('id'), c.req.valid('json').reason);
    deliverSoon(c);
    return c.json({}, 202);
  })
  .get('/:id/billing', async (c) => c.json(await getBilling(c.var.data, c.var.provider.id, c.req.param('id')), 200))
  .put('/:id/billing', json(BillingInfoSchema), async (c) =>
    c.json(await putBilling(c.var.data, c.var.provider.id, c.req.param('id'), c.req.valid('json')), 200),
  );
