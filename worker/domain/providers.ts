// The signed-in provider (/v1/me) and the operations routes that create providers and approve carriers.
import type { Me, Provider as ProviderView } from '../../shared/api-types';
import type * as v from 'valibot';
import type { MePatchSchema, ProviderCreateSchema } from '../../shared/schemas/provider';
import { audit } from '../db/audit';
import * as calendarFeeds from '../db/calendar-feeds';
import * as billingProfiles from '../db/billing-profiles';
import { isUniqueViolation } from '../db/batch';
import type { Data } from '../db/data';
import * as payers from '../db/payers';
import * as providers from '../db/providers';
import { nowIso } from '../platform/clock';
import { newId } from '../platform/crypto';
import { ApiError, notFound } from '../platform/errors';
import { profileComplete } from './billing-profile';
import type { Provider } from './context';

/**
 * GET /v1/me's answer: the provider with `billingComplete` (its billing profile has everything a claim
 * needs) and `calendarFeed` (when its live feed address was made, or null).
 */
const toMe = (
  row: providers.ProviderRow,
  carriers: providers.CarrierRow[],
  profile: billingProfiles.BillingProfileRow | undefined,
  feed: { created_at: string } | undefined,
): Me => ({
  ...providers.toProvider(row, carriers),
  billingComplete: profileComplete(profile),
  calendarFeed: feed ? { createdAt: feed.created_at } : null,
});

export async function me(data: Data, providerId: string): Promise<Me> {
  const [row, carriers, profile, feed] = await data.read([
    providers.byId(providerId),
    providers.carriers(providerId),
    billingProfiles.find(providerId),
    calendarFeeds.liveOf(providerId),
  ]);
  if (!row) throw notFound('Provider');
  return toMe(row, carriers, profile, feed);
}

export async function updateMe(data: Data, provider: Provider, body: v.InferOutput<typeof MePatchSchema>): Promise<Me> {
  const set: { name?: string; time_zone?: string; telehealth_url?: string | null; updated_at: string } = {
    updated_at: nowIso(),
  };
  if (body.name !== undefined) set.name = body.name;
  if (body.timeZone !== undefined) set.time_zone = body.timeZone;
  if (body.telehealthUrl !== undefined) set.telehealth_url = body.telehealthUrl;
  const writes = Object.keys(set).length > 1 ? [providers.update(provider.id, set)] : [];
  const [, [row, carriers, profile, feed]] = await data.writeThenRead(writes, [
    providers.byId(provider.id),
    providers.carriers(provider.id),
    billingProfiles.find(provider.id),
    calendarFeeds.liveOf(provider.id),
  ]);
  return toMe(row!, carriers, profile, feed);
}

const adminActor = { actorType: 'admin', actorId: null } as const;
const providerExists = () => new ApiError(409, 'provider_exists', 'A provider with this email already exists.');

export async function createProvider(
  data: Data,
  body: v.InferOutput<typeof ProviderCreateSchema>,
): Promise<ProviderView> {
  const email = body.email.toLowerCase();
  if (await data.one(providers.byEmail(email))) throw providerExists();
  const at = nowIso();
  const row = {
    id: newId('prv'),
    name: body.name,
    email,
    npi: body.npi,
    time_zone: body.timeZone,
    telehealth_url: null,
    created_at: at,
    updated_at: at,
  };
  try {
    await data.write([
      providers.insert(row),
      audit({ ...adminActor, providerId: row.id, action: 'provider.create', entityType: 'provider', entityId: row.id }),
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) throw providerExists();
    throw err;
  }
  return providers.toProvider(row, []);
}

export async function setCarrier(
  data: Data,
  providerId: string,
  payerId: string,
  status: 'pending' | 'approved' | 'terminated',
): Promise<ProviderView> {
  const [provider, payerKnown] = await data.read([providers.byId(providerId), payers.exists(payerId)]);
  if (!provider) throw notFound('Provider');
  if (!payerKnown) throw notFound('Payer');
  const [, [, carriers]] = await data.writeThenRead(
    [
      providers.upsertCarrier(providerId, payerId, status, nowIso()),
      audit({
        ...adminActor,
        providerId,
        action: `carrier.${status}`,
        entityType: 'provider_carrier',
        entityId: `${providerId}:${payerId}`,
      }),
    ],
    [providers.byId(providerId), providers.carriers(providerId)],
  );
  return providers.toProvider(provider, carriers);
}
