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
import * as R from '../../shared/schemas/responses';
import { describe } from './describe';

export const clientRoutes = new Hono<AppEnv>()
  .post(
    '/',
    describe({
      summary: 'Add a client (optionally emailing the account-setup link)',
      tag: 'Clients',
      status: 201,
      body: R.ClientOut,
      errors: [409, 422],
    }),
    idempotent,
    json(ClientCreateSchema),
    async (c) => {
      const { client, emailed } = await createClient(deps(c), c.var.provider, c.req.valid('json'), c.var.remember);
      if (emailed) deliverSoon(c);
      return c.json(client, 201);
    },
  )
  .get(
    '/',
    describe({
      summary: 'The roster, by last then first name; prefix search',
      tag: 'Clients',
      status: 200,
      body: R.PageOf(R.ClientOut),
    }),
    query(ClientListQuerySchema),
    async (c) => c.json(await listClients(c.var.data, c.var.provider.id, c.req.valid('query')), 200),
  )
  .get(
    '/:id',
    describe({ summary: 'One client', tag: 'Clients', status: 200, body: R.ClientOut, errors: [404] }),
    async (c) => c.json(await getClient(c.var.data, c.var.provider.id, c.req.param('id')), 200),
  )
  .patch(
    '/:id',
    describe({ summary: 'Edit a client', tag: 'Clients', status: 200, body: R.ClientOut, errors: [404, 409] }),
    json(ClientPatchSchema),
    async (c) => c.json(await updateClient(c.var.data, c.var.provider.id, c.req.param('id'), c.req.valid('json')), 200),
  )
  .post(
    '/:id/notify',
    describe({
      summary: 'Email the client a fresh self-service link',
      tag: 'Clients',
      status: 202,
      body: R.EmptyOut,
      errors: [404, 422, 429],
    }),
    idempotent,
    json(ClientNotifySchema),
    async (c) => {
      await notifyClient(deps(c), c.var.provider, c.req.param('id'), c.req.valid('json').reason, c.var.remember);
      deliverSoon(c);
      return c.json({}, 202);
    },
  )
  .get(
    '/:id/billing',
    describe({
      summary: 'The client’s billing and insurance details',
      tag: 'Clients',
      status: 200,
      body: R.BillingInfoOut,
      errors: [404],
    }),
    async (c) => c.json(await getBilling(c.var.data, c.var.provider.id, c.req.param('id')), 200),
  )
  .put(
    '/:id/billing',
    describe({
      summary: 'Replace the billing and insurance details',
      tag: 'Clients',
      status: 200,
      body: R.ClientOut,
      errors: [404],
    }),
    json(BillingInfoSchema),
    async (c) => c.json(await putBilling(c.var.data, c.var.provider.id, c.req.param('id'), c.req.valid('json')), 200),
  );
