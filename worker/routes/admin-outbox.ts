// Operations view of the email outbox: what failed and why, and a retry. Never the bodies (PHI).
import { Hono } from 'hono';
import * as v from 'valibot';
import { ListQuerySchema } from '../../shared/schemas/common';
import { retryFailedEmail, type OutboxRow } from '../email/outbox';
import type { AppEnv } from '../env';
import { ApiError, notFound } from '../platform/errors';
import { auditQuery } from '../db/audit';
import { queryParams } from './body';
import { decodeCursor, encodeCursor } from '../db/cursor';
import { deliverSoon } from './deliver';
import { requireAdmin } from './admin';

const OutboxQuerySchema = v.object({
  ...ListQuerySchema.entries,
  status: v.optional(
    v.picklist(['pending', 'sending', 'sent', 'failed'], 'status must be pending, sending, sent or failed'),
    'failed',
  ),
});

function view(r: OutboxRow) {
  return {
    id: r.id,
    kind: r.kind,
    providerId: r.provider_id,
    to: r.to_addr,
    subject: r.subject,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    nextAttemptAt: r.next_attempt_at,
    sentAt: r.sent_at,
    createdAt: r.created_at,
  };
}

export const adminOutboxRoutes = new Hono<AppEnv>()
  .use('*', requireAdmin)
  .get('/', async (c) => {
    const q = queryParams(c, OutboxQuerySchema);
    let query = c.var.db.selectFrom('outbox').selectAll().where('status', '=', q.status);
    if (q.cursor) {
      const [createdAt, id] = decodeCursor(q.cursor, 2) as [string, string];
      query = query.where((eb) =>
        eb.or([eb('created_at', '<', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)])]),
      );
    }
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(q.limit + 1)
      .execute();
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > q.limit && last ? encodeCursor([last.created_at, last.id]) : null;
    return c.json({ items: page.map(view), nextCursor }, 200);
  })
  .post('/:id/retry', async (c) => {
    const db = c.var.db;
    const id = c.req.param('id');
    const row = await retryFailedEmail(db, id);
    if (!row) {
      const exists = await db.selectFrom('outbox').select('status').where('id', '=', id).executeTakeFirst();
      if (!exists) throw notFound('Email');
      throw new ApiError(409, 'invalid_state', `Only a failed email can be retried; this one is ${exists.status}.`);
    }
    await db.executeQuery(
      auditQuery(db, {
        actorType: 'admin',
        actorId: null,
        providerId: row.provider_id,
        action: 'email.retry',
        entityType: 'outbox',
        entityId: row.id,
      }),
    );
    deliverSoon(c);
    return c.json(view(row), 200);
  });
