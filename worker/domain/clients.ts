// The client roster: add, search, read, edit, notify, and the billing info a claim needs.
import type * as v from 'valibot';
import type { BillingInfo, Client, Page } from '../../shared/api-types';
import { type BillingInfoSchema, billingToFields } from '../../shared/schemas/billing';
import type { ClientCreateSchema, ClientListQuerySchema, ClientPatchSchema } from '../../shared/schemas/client';
import { audit, auditReadOf, providerActor } from '../db/audit';
import { isGuardFailure, isUniqueViolation, type Statement } from '../db/batch';
import * as clients from '../db/clients';
import * as notifySends from '../db/notify-sends';
import type { ClientRow } from '../db/clients';
import type { Data } from '../db/data';
import { pageOf } from '../db/paging';
import * as payers from '../db/payers';
import { clientLinkEmail, type LinkEmailReason } from '../email/client-link-email';
import { nowIso } from '../platform/clock';
import { newId } from '../platform/crypto';
import { ApiError, notFound, validationFailed } from '../platform/errors';
import type { Deps, Provider, Remember } from './context';
import { countedSend, rateLimitedNow, refuseIfFull, windowStart } from './notify-limit';

export const clientExists = (existingClientId: string) =>
  new ApiError(409, 'client_exists', 'A client with this email is already on your roster.', { existingClientId });

const unknownPayer = () => validationFailed([{ path: 'insurance.payerId', message: 'Choose a carrier from the list' }]);

/** After a unique-index refusal on the email: the client that won the race. */
async function existingByEmail(data: Data, providerId: string, email: string, err: unknown): Promise<never> {
  if (isUniqueViolation(err, 'clients')) {
    const winner = await data.one(clients.idByEmail(providerId, email));
    if (winner) throw clientExists(winner);
  }
  throw err;
}

export async function createClient(
  { data, config }: Deps,
  provider: Provider,
  body: v.InferOutput<typeof ClientCreateSchema>,
  remember?: Remember,
): Promise<{ client: Client; emailed: boolean }> {
  const existing = await data.one(clients.idByEmail(provider.id, body.email));
  if (existing) throw clientExists(existing);
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
    ...clients.fieldsToRow(billingToFields({})),
    created_at: at,
    updated_at: at,
  };
  const client = clients.toClient(row);
  const statements: Statement[] = [
    ...(remember?.(201, client) ?? []),
    clients.insert(row),
    audit({ ...providerActor(provider.id), action: 'client.create', entityType: 'client', entityId: row.id }),
  ];
  if (body.notify) statements.push(...(await clientLinkEmail(config, provider, row, 'welcome')).statements);
  try {
    await data.write(statements);
  } catch (err) {
    // Two adds of the same email at once: the unique index lets one win.
    return existingByEmail(data, provider.id, body.email, err);
  }
  return { client, emailed: body.notify };
}

export async function listClients(
  data: Data,
  providerId: string,
  q: v.InferOutput<typeof ClientListQuerySchema>,
): Promise<Page<Client>> {
  const [found] = await data.read(
    [clients.list(providerId, q)],
    [audit({ ...providerActor(providerId), action: 'client.list', entityType: 'client', entityId: null })],
  );
  return pageOf(found, q.limit, clients.pageKey, clients.toClient);
}

/** Reads a client, recording the read (`action`) in the same round trip; 404 for another provider's id. */
async function readClient(data: Data, providerId: string, id: string, action: string): Promise<ClientRow> {
  const [row] = await data.read(
    [clients.find(providerId, id)],
    [auditReadOf({ ...providerActor(providerId), action, entityType: 'client', entityId: id }, 'clients')],
  );
  if (!row) throw notFound('Client');
  return row;
}

export const getClient = async (data: Data, providerId: string, id: string): Promise<Client> =>
  clients.toClient(await readClient(data, providerId, id, 'client.read'));

export const getBilling = async (data: Data, providerId: string, id: string): Promise<BillingInfo> =>
  clients.toBillingInfo(await readClient(data, providerId, id, 'billing.read'));

export async function updateClient(
  data: Data,
  providerId: string,
  id: string,
  body: v.InferOutput<typeof ClientPatchSchema>,
): Promise<Client> {
  const [row, other] = await data.read([clients.find(providerId, id), clients.idByEmail(providerId, body.email ?? '')]);
  if (!row) throw notFound('Client');
  if (body.email !== undefined && body.email.toLowerCase() !== row.email_lower && other) throw clientExists(other);
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
    await data.write([
      clients.update(providerId, row.id, {
        first_name: updated.first_name,
        last_name: updated.last_name,
        email: updated.email,
        email_lower: updated.email_lower,
        time_zone: updated.time_zone,
        updated_at: updated.updated_at,
      }),
      audit({ ...providerActor(providerId), action: 'client.update', entityType: 'client', entityId: row.id }),
    ]);
  } catch (err) {
    if (body.email) return existingByEmail(data, providerId, body.email, err);
    throw err;
  }
  return clients.toClient(updated);
}

/**
 * POST …/notify: a fresh self-service link by email (welcome, or the billing-info request), at most
 * 3 per client in any hour together with the appointment notify route (domain/notify-limit.ts).
 */
export async function notifyClient(
  { data, config }: Deps,
  provider: Provider,
  id: string,
  reason: LinkEmailReason,
  remember?: Remember,
): Promise<void> {
  const [row, recent] = await data.read([clients.find(provider.id, id), notifySends.windowOfClient(id, windowStart())]);
  if (!row) throw notFound('Client');
  refuseIfFull(recent);
  const email = await clientLinkEmail(config, provider, row, reason);
  try {
    await data.write([
      ...(remember?.(202, {}) ?? []),
      ...countedSend(row.id, provider.id, nowIso()),
      ...email.statements,
      audit({ ...providerActor(provider.id), action: 'client.notify', entityType: 'client', entityId: row.id }),
    ]);
  } catch (err) {
    // Racing notifies filled the hour between the read and this batch: the insert was skipped.
    if (isGuardFailure(err)) throw rateLimitedNow(await data.one(notifySends.windowOfClient(row.id, windowStart())));
    throw err;
  }
}

export async function putBilling(
  data: Data,
  providerId: string,
  id: string,
  body: v.InferOutput<typeof BillingInfoSchema>,
): Promise<Client> {
  const fields = billingToFields(body);
  const [row, payerKnown] = await data.read([clients.find(providerId, id), payers.exists(fields.payerId)]);
  if (!row) throw notFound('Client');
  if (!payerKnown) throw unknownPayer();
  const updated: ClientRow = { ...row, ...clients.fieldsToRow(fields), updated_at: nowIso() };
  await data.write([
    clients.update(providerId, row.id, { ...clients.fieldsToRow(fields), updated_at: updated.updated_at }),
    audit({ ...providerActor(providerId), action: 'billing.update', entityType: 'client', entityId: row.id }),
  ]);
  return clients.toClient(updated);
}
