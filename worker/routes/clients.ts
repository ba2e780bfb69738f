// The client roster: add, search, read, edit, notify, and the billing info a claim needs.
import { Hono } from 'hono';
import { sql } from 'kysely';
import type { Context } from 'hono';
import { BillingInfoSchema, billingToFields } from '../../shared/schemas/billing';
import {
  ClientCreateSchema,
  ClientListQuerySchema,
  ClientNotifySchema,
  ClientPatchSchema,
} from '../../shared/schemas/client';
import { nowIso } from '../platform/clock';
import { runBatch, type Statement } from '../db/batch';
import {
  type ClientRow,
  fieldsToRow,
  findClient,
  findClientByEmail,
  toBillingInfo,
  toClient,
  unknownPayerIssue,
} from '../db/clients';
import { clientLinkEmail } from '../email/client-link-email';
import type { AppEnv } from '../env';
import { ApiError, notFound, validationFailed } from '../platform/errors';
import { auditQuery, auditRead, providerActor } from '../db/audit';
import { jsonBody, queryParams } from './body';
import { newId } from '../platform/crypto';
import { decodeCursor, encodeCursor } from '../db/cursor';
import { deliverSoon } from './deliver';
import { idempotent } from './middleware/idempotency';

const clientExists = (existingClientId: string) =>
  new ApiError(409, 'client_exists', 'A client with this email is already on your roster.', { existingClientId });

const isUniqueViolation = (err: unknown) => err instanceof Error && /UNIQUE constraint failed/i.test(err.message);

async function loadClient(c: Context<AppEnv>, id: string): Promise<ClientRow> {
  const row = await findClient(c.var.db, c.var.provider.id, id);
  if (!row) throw notFound('Client');
  return row;
}

export const clientRoutes = new Hono<AppEnv>()
  .post('/', idempotent, async (c) => {
    const body = await jsonBody(c, ClientCreateSchema);
    const db = c.var.db;
    const provider = c.var.provider;
    const existing = await findClientByEmail(db, provider.id, body.email);
    if (existing) throw clientExists(existing.id);
    const at = nowIso();
    const row: ClientRow = {
      id: newId('cli'),
      provider_id: provider.id,
      first_name: body.firstName,
      last_name: body.lastName,
      email: body.email,
      email_lower: body.email.toLowerCase(),
      time_zone: body.timeZone ?? provider.timeZone,
      status: 'invited',
      ...fieldsToRow(billingToFields({})),
      created_at: at,
      updated_at: at,
    };
    const statements: Statement[] = [
      db.insertInto('clients').values(row).compile(),
      auditQuery(db, {
        ...providerActor(provider.id),
        action: 'client.create',
        entityType: 'client',
        entityId: row.id,
      }),
    ];
    if (body.notify) statements.push(...(await clientLinkEmail(db, c.env, provider, row, 'welcome')).statements);
    try {
      await runBatch(c.env.DB, statements);
    } catch (err) {
      // Two adds of the same email at once: the unique index lets one win.
      if (isUniqueViolation(err)) {
        const winner = await findClientByEmail(db, provider.id, body.email);
        if (winner) throw clientExists(winner.id);
      }
      throw err;
    }
    if (body.notify) deliverSoon(c);
    return c.json(toClient(row), 201);
  })
  .get('/', async (c) => {
    const q = queryParams(c, ClientListQuerySchema);
    const db = c.var.db;
    const providerId = c.var.provider.id;
    let query = db.selectFrom('clients').selectAll().where('provider_id', '=', providerId);
    if (q.q) {
      const prefix = `${q.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      // Prefix match on first name, last name or email, case-insensitively; \ escapes % and _.
      const p = prefix.toLowerCase();
      query = query.where(
        sql<boolean>`(lower(first_name) LIKE ${p} ESCAPE '\\' OR lower(last_name) LIKE ${p} ESCAPE '\\' OR email_lower LIKE ${p} ESCAPE '\\')`,
      );
    }
    if (q.cursor) {
      const [last, first, id] = decodeCursor(q.cursor, 3) as [string, string, string];
      // Keyset paging in the index's own order (clients_provider_name), case-insensitive.
      query = query.where(
        sql<boolean>`(last_name COLLATE NOCASE, first_name COLLATE NOCASE, id) > (${last}, ${first}, ${id})`,
      );
    }
    const rows = await query
      .orderBy(sql`last_name COLLATE NOCASE`)
      .orderBy(sql`first_name COLLATE NOCASE`)
      .orderBy('id')
      .limit(q.limit + 1)
      .execute();
    const page = rows.slice(0, q.limit);
    const lastRow = page[page.length - 1];
    const nextCursor =
      rows.length > q.limit && lastRow ? encodeCursor([lastRow.last_name, lastRow.first_name, lastRow.id]) : null;
    await auditRead(db, { ...providerActor(providerId), action: 'client.list', entityType: 'client', entityId: null });
    return c.json({ items: page.map(toClient), nextCursor }, 200);
  })
  .get('/:id', async (c) => {
    const row = await loadClient(c, c.req.param('id'));
    await auditRead(c.var.db, {
      ...providerActor(c.var.provider.id),
      action: 'client.read',
      entityType: 'client',
      entityId: row.id,
    });
    return c.json(toClient(row), 200);
  })
  .patch('/:id', async (c) => {
    const row = await loadClient(c, c.req.param('id'));
    const body = await jsonBody(c, ClientPatchSchema);
    const db = c.var.db;
    const providerId = c.var.provider.id;
    if (body.email !== undefined && body.email.toLowerCase() !== row.email_lower) {
      const other = await findClientByEmail(db, providerId, body.email);
      if (other) throw clientExists(other.id);
    }
    const updated: ClientRow = {
      ...row,
      first_name: body.firstName ?? row.first_name,
      last_name: body.lastName ?? row.last_name,
      email: body.email ?? row.email,
      email_lower: (body.email ?? row.email).toLowerCase(),
      time_zone: body.timeZone ?? row.time_zone,
      updated_at: nowIso(),
    };
    try {
      await runBatch(c.env.DB, [
        db
          .updateTable('clients')
          .set({
            first_name: updated.first_name,
            last_name: updated.last_name,
            email: updated.email,
            email_lower: updated.email_lower,
            time_zone: updated.time_zone,
            updated_at: updated.updated_at,
          })
          .where('id', '=', row.id)
          .where('provider_id', '=', providerId)
          .compile(),
        auditQuery(db, {
          ...providerActor(providerId),
          action: 'client.update',
          entityType: 'client',
          entityId: row.id,
        }),
      ]);
    } catch (err) {
      if (isUniqueViolation(err) && body.email) {
        const other = await findClientByEmail(db, providerId, body.email);
        if (other) throw clientExists(other.id);
      }
      throw err;
    }
    return c.json(toClient(updated), 200);
  })
  .post('/:id/notify', async (c) => {
    const row = await loadClient(c, c.req.param('id'));
    const { reason } = await jsonBody(c, ClientNotifySchema);
    const db = c.var.db;
    const email = await clientLinkEmail(db, c.env, c.var.provider, row, reason);
    await runBatch(c.env.DB, [
      ...email.statements,
      auditQuery(db, {
        ...providerActor(c.var.provider.id),
        action: 'client.notify',
        entityType: 'client',
        entityId: row.id,
      }),
    ]);
    deliverSoon(c);
    return c.json({}, 202);
  })
  .get('/:id/billing', async (c) => {
    const row = await loadClient(c, c.req.param('id'));
    await auditRead(c.var.db, {
      ...providerActor(c.var.provider.id),
      action: 'billing.read',
      entityType: 'client',
      entityId: row.id,
    });
    return c.json(toBillingInfo(row), 200);
  })
  .put('/:id/billing', async (c) => {
    const row = await loadClient(c, c.req.param('id'));
    const body = await jsonBody(c, BillingInfoSchema);
    const fields = billingToFields(body);
    const payerIssue = await unknownPayerIssue(c.var.db, fields.payerId);
    if (payerIssue) throw validationFailed([payerIssue]);
    const db = c.var.db;
    const providerId = c.var.provider.id;
    const updated: ClientRow = { ...row, ...fieldsToRow(fields), updated_at: nowIso() };
    await runBatch(c.env.DB, [
      db
        .updateTable('clients')
        .set({ ...fieldsToRow(fields), updated_at: updated.updated_at })
        .where('id', '=', row.id)
        .where('provider_id', '=', providerId)
        .compile(),
      auditQuery(db, {
        ...providerActor(providerId),
        action: 'billing.update',
        entityType: 'client',
        entityId: row.id,
      }),
    ]);
    return c.json(toClient(updated), 200);
  });
