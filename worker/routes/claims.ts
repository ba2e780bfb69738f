// Claims, newest first: the complete, valid claim records confirmation creates.
import { Hono } from 'hono';
import { ClaimListQuerySchema } from '../../shared/schemas/appointment';
import { getClaim, listClaims } from '../domain/claims';
import type { AppEnv } from './env';
import { query } from './validation';

export const claimRoutes = new Hono<AppEnv>()
  .get('/', query(ClaimListQuerySchema), async (c) =>
    c.json(await listClaims(c.var.data, c.var.provider.id, c.req.valid('query')), 200),
  )
  .get('/:id', async (c) => c.json(await getClaim(c.var.data, c.var.provider.id, c.req.param('id')), 200));
