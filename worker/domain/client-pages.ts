// The client's self-service page: opening a link (token → client) and saving the billing info the
// client enters there, validated by the API's own BillingInfoSchema.
import type * as v from 'valibot';
import type { BillingInfoSchema } from '../../shared/schemas/billing';
import { billingToFields } from '../../shared/schemas/billing';
import { audit, type AuditEntry } from '../db/audit';
import * as links from '../db/client-links';
import * as clients from '../db/clients';
import type { ClientRow } from '../db/clients';
import type { Data } from '../db/data';
import * as payers from '../db/payers';
import { now, nowIso } from '../platform/clock';
import { sha256Hex } from '../platform/crypto';

export type OpenedLink =
  | { state: 'ok'; tokenHash: string; expiresAt: string; client: ClientRow; providerName: string }
  | { state: 'expired'; providerName: string }
  | { state: 'unknown' };

// randomToken(): 32 bytes as base64url, 43 characters. Anything else is not worth a lookup.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** The link and its client, looked up by the token's hash in one round trip. */
export async function openLink(data: Data, token: string): Promise<OpenedLink> {
  if (!TOKEN_SHAPE.test(token)) return { state: 'unknown' };
  const tokenHash = await sha256Hex(token);
  const [link, client] = await data.read([links.byHash(tokenHash), links.clientOf(tokenHash)]);
  // Single-purpose: only an account link opens the account page.
  if (link?.purpose !== 'account') return { state: 'unknown' };
  if (link.expires_at <= now().toISOString()) return { state: 'expired', providerName: link.provider_name };
  if (!client) return { state: 'unknown' };
  return { state: 'ok', tokenHash, expiresAt: link.expires_at, client, providerName: link.provider_name };
}

type Opened = Extract<OpenedLink, { state: 'ok' }>;

const clientActor = (link: Opened): Omit<AuditEntry, 'action'> => ({
  actorType: 'client',
  actorId: link.client.id,
  providerId: link.client.provider_id,
  entityType: 'client',
  entityId: link.client.id,
});

export const recordPageRead = (data: Data, link: Opened) =>
  data.write([audit({ ...clientActor(link), action: 'billing.read' })]);

export const carrierChoices = (data: Data) => data.one(payers.names());

/** The page's payer check: a chosen carrier must be a known one. */
export const isKnownPayer = (data: Data, payerId: string | null) => data.one(payers.exists(payerId));

/** Saves what the client entered; the client is `active` from then on. */
export async function saveFromPage(data: Data, link: Opened, billing: v.InferOutput<typeof BillingInfoSchema>) {
  await data.write([
    clients.update(link.client.provider_id, link.client.id, {
      ...clients.fieldsToRow(billingToFields(billing)),
      status: 'active',
      updated_at: nowIso(),
    }),
    audit({ ...clientActor(link), action: 'billing.update' }),
  ]);
}
