// The signed-in provider: GET and PATCH /v1/me, and GET /v1/me/activity.
import { Hono } from 'hono';
import { MePatchSchema } from '../../shared/schemas/provider';
import { ListQuerySchema } from '../../shared/schemas/common';
import { listActivity } from '../domain/activity';
import { me, updateMe } from '../domain/providers';
import type { AppEnv } from './env';
import { json, query } from './validation';
import * as R from '../../shared/schemas/responses';
import { describe } from './describe';

export const meRoutes = new Hono<AppEnv>()
  .get(
    '/',
    describe({
      summary: 'The signed-in provider and their carriers',
      tag: 'Provider',
      status: 200,
      body: R.ProviderOut,
    }),
    async (c) => c.json(await me(c.var.data, c.var.provider.id), 200),
  )
  .patch(
    '/',
    describe({ summary: 'Change name, time zone or video link', tag: 'Provider', status: 200, body: R.ProviderOut }),
    json(MePatchSchema),
    async (c) => c.json(await updateMe(c.var.data, c.var.provider, c.req.valid('json')), 200),
  )
  .get(
    '/activity',
    describe({
      summary: 'The account activity, newest first: sign-ins, sign-outs, client links and billing data, staff changes',
      tag: 'Provider',
      status: 200,
      body: R.ActivityOut,
    }),
    query(ListQuerySchema),
    async (c) => c.json(await listActivity(c.var.data, c.var.provider.id, c.req.valid('query')), 200),
  );
