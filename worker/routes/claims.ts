// Claims, newest first: the complete, valid claim records confirmation creates (submission is not part of Caseload yet).
import { Hono } from 'hono';
import { sql } from 'kysely';
import { ClaimListQuerySchema } from '../../shared/schemas/appointment';
import { findClaim, toClaim } from '../db/claims';
import type { AppEnv } from '../env';
import { notFound } from '../platform/errors';
import { auditRead, providerActor } from '../db/audit';
import { queryParams } from './body';
import { decodeCursor, encodeCursor } from '../db/cursor';

export const claimRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const q = queryParams(c, ClaimListQuerySchema);
    const db = c.var.db;
    const providerId = c.var.provider.id;
    let query = db.selectFrom('claims').selectAll().where('provider_id', '=', providerId);
    if (q.status) query = query.where('status', '=', q.status);
    if (q.cursor) {
      const [createdAt, id] = decodeCursor(q.cursor, 2) as [string, string];
      // Keyset paging down the index claims_provider_created (provider_id, created_at DESC, id DESC).
      query = query.where(sql<boolean>`(created_at, id) < (${createdAt}, ${id})`);
    }
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(q.limit + 1)
      .execute();
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > q.limit && last ? encodeCursor([last.created_at, last.id]) : null;
    await auditRead(db, { ...providerActor(providerId), action: 'claim.list', entityType: 'claim', entityId: null });
    return c.json({ items: page.map(toClaim), nextCursor }, 200);
  })
  .get('/:id', async (c) => {
    const row = await findClaim(c.var.db, c.var.provider.id, c.req.param('id'));
    if (!row) throw notFound('Claim');
    await auditRead(c.var.db, {
      ...providerActor(c.var.provider.id),
      action: 'claim.read',
      entityType: 'claim',
      entityId: row.id,
    });
    return c.json(toClaim(row), 200);
  });
