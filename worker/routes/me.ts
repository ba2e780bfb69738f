// The signed-in provider: GET and PATCH /v1/me.
import { Hono } from 'hono';
import { MePatchSchema } from '../../shared/schemas/provider';
import { me, updateMe } from '../domain/providers';
import type { AppEnv } from './env';
import { json } from './validation';

export const meRoutes = new Hono<AppEnv>()
  .get('/', async (c) => c.json(await me(c.var.data, c.var.provider.id), 200))
  .patch('/', json(MePatchSchema), async (c) =>
    c.json(await updateMe(c.var.data, c.var.provider, c.req.valid('json')), 200),
  );
