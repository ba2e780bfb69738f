// Claims, newest first: the complete, valid claim records confirmation creates.
import { Hono } from 'hono';
import { ClaimListQuerySchema } from '../../shared/schemas/appointment';
import { getClaim, listClaims } from '../domain/claims';
import type { AppEnv } from './env';
import { query } from './validation';
import * as R from '../../shared/schemas/responses';
import { describe } from './describe';

export const claimRoutes = new Hono<AppEnv>()
  .get(
    '/',
    describe({ summary: 'Claims, newest first', tag: 'Claims', status: 200, body: R.PageOf(R.ClaimOut) }),
    query(ClaimListQuerySchema),
    async (c) => c.json(await listClaims(c.var.data, c.var.provider.id, c.req.valid('query')), 200),
  )
  .get(
    '/:id',
    describe({ summary: 'One claim', tag: 'Claims', status: 200, body: R.ClaimOut, errors: [404] }),
    async (c) => c.json(await getClaim(c.var.data, c.var.provider.id, c.req.param('id')), 200),
  );
