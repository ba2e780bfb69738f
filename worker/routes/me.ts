// The signed-in provider: GET and PATCH /v1/me.
import { Hono } from 'hono';
import { MePatchSchema } from '../../shared/schemas/provider';
import { me, updateMe } from '../domain/providers';
import type { AppEnv } from './env';
import { json } from './validation';
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
  );
