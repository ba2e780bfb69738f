// The provider's billing profile and fee schedule (GET/PUT /v1/me/billing-profile, /v1/me/fees), and
// what confirming a session checks of them.
import type * as v from 'valibot';
import type { BillingProfile, FeeSchedule } from '../../shared/api-types';
import {
  type BillingProfileFields,
  type BillingProfileSchema,
  type FeesSchema,
  missingProfileFields,
  type StreetAddress,
} from '../../shared/schemas/billing-profile';
import { audit, providerActor } from '../db/audit';
import * as profiles from '../db/billing-profiles';
import type { BillingProfileRow, FeeRow } from '../db/billing-profiles';
import type { Data } from '../db/data';
import { nowIso } from '../platform/clock';
import { validationFailed } from '../platform/errors';
import { providerBillingIncomplete } from './errors';
import { sealTaxId } from '../platform/tax-id-crypto';
import type { Deps, Provider } from './context';

type ProfileBody = v.InferOutput<typeof BillingProfileSchema>;
type AddressBody = NonNullable<ProfileBody['address']>;

export function toBillingProfile(row: BillingProfileRow | undefined): BillingProfile {
  const fields = profiles.rowToFields(row);
  return { ...fields, missing: missingProfileFields(fields) };
}

/** Whether the profile has everything a claim needs (GET /v1/me's `billingComplete`). */
export const profileComplete = (row: BillingProfileRow | undefined) =>
  missingProfileFields(profiles.rowToFields(row)).length === 0;

export async function getBillingProfile(data: Data, providerId: string): Promise<BillingProfile> {
  return toBillingProfile(await data.one(profiles.find(providerId)));
}

const address = (a: AddressBody | null | undefined): StreetAddress => ({
  line1: a?.line1 ?? null,
  line2: a?.line2 || null,
  city: a?.city ?? null,
  state: a?.state ?? null,
  postalCode: a?.postalCode ?? null,
});

/** A service address sent with nothing in it is no service address. */
function serviceAddress(a: AddressBody | null | undefined): StreetAddress | null {
  const out = address(a);
  return Object.values(out).some((x) => x !== null) ? out : null;
}

/**
 * PUT: the profile replaced (fields left out become null). The tax id: a new `value` is sealed; `taxId`
 * with its `type` only keeps the stored number (of that type); `taxId` left out clears it.
 */
export async function putBillingProfile(
  { data, config }: Deps,
  provider: Provider,
  body: ProfileBody,
): Promise<BillingProfile> {
  let taxId: BillingProfileFields['taxId'] = null;
  let sealed: string | null = null;
  if (body.taxId?.value) {
    taxId = { type: body.taxId.type, last4: body.taxId.value.slice(-4) };
    sealed = await sealTaxId(config.NOTES_KEY, provider.id, body.taxId.value);
  } else if (body.taxId) {
    const stored = await data.one(profiles.find(provider.id));
    if (stored?.tax_id_type && stored.tax_id_last4 && stored.tax_id_sealed) {
      if (stored.tax_id_type !== body.taxId.type) {
        throw validationFailed([
          {
            path: 'taxId.value',
            message: `Enter the ${body.taxId.type}: the tax id on file is an ${stored.tax_id_type}`,
          },
        ]);
      }
      taxId = { type: stored.tax_id_type, last4: stored.tax_id_last4 };
      sealed = stored.tax_id_sealed;
    }
    // Nothing on file: the tax id is not yet given (listed in `missing`).
  }
  const fields: BillingProfileFields = {
    billingName: body.billingName ?? null,
    entity: body.entity ?? null,
    taxId,
    taxonomyCode: body.taxonomyCode ?? null,
    groupNpi: body.groupNpi ?? null,
    address: address(body.address),
    phone: body.phone ?? null,
    serviceAddress: serviceAddress(body.serviceAddress),
    edi: {
      submitterId: body.edi?.submitterId ?? null,
      submitterName: body.edi?.submitterName ?? null,
      receiverId: body.edi?.receiverId ?? null,
      receiverName: body.edi?.receiverName ?? null,
      usage: body.edi?.usage ?? null,
    },
  };
  await data.write([
    profiles.put(provider.id, profiles.fieldsToColumns(fields, sealed), nowIso()),
    audit({
      ...providerActor(provider.id),
      action: 'billing_profile.update',
      entityType: 'provider',
      entityId: provider.id,
    }),
  ]);
  return { ...fields, missing: missingProfileFields(fields) };
}

export async function getFees(data: Data, providerId: string): Promise<FeeSchedule> {
  return profiles.toFees(await data.one(profiles.fees(providerId)));
}

/** PUT: the fee schedule replaced, in one batch, and read back in the same round trip. */
export async function putFees(
  data: Data,
  provider: Provider,
  body: v.InferOutput<typeof FeesSchema>,
): Promise<FeeSchedule> {
  const [, [fees]] = await data.writeThenRead(
    [
      ...profiles.replaceFees(provider.id, body.items, nowIso()),
      audit({ ...providerActor(provider.id), action: 'fees.update', entityType: 'provider', entityId: provider.id }),
    ],
    [profiles.fees(provider.id)],
  );
  return profiles.toFees(fees);
}

/**
 * What confirming needs from the provider before a claim (API.md's `provider_billing_incomplete`): the
 * profile's missing paths with the prefix `billingProfile.`, then `fees.<code>` for each code on the
 * claim (the primary, then its add-ons) without a fee.
 */
export function providerBillingMissing(row: BillingProfileRow | undefined, fees: FeeRow[], codes: string[]): string[] {
  return [
    ...missingProfileFields(profiles.rowToFields(row)).map((p) => `billingProfile.${p}`),
    ...missingFees(fees, codes),
  ];
}

/** `fees.<code>` for each of `codes` (once) that has no fee. */
function missingFees(fees: FeeRow[], codes: string[]): string[] {
  const priced = new Set(fees.map((f) => f.cpt_code));
  return [...new Set(codes)].filter((c) => !priced.has(c)).map((c) => `fees.${c}`);
}

/**
 * A recoded claim (a correction, a replacement) needs a fee for each of its codes, as confirming does:
 * never a line priced at $0 because the new code has no fee.
 */
export function requireFees(fees: FeeRow[], codes: string[]): void {
  const missing = missingFees(fees, codes);
  if (missing.length > 0) throw providerBillingIncomplete(missing);
}
