// The provider's billing profile and fee schedule: one profile row per provider, one fee row per code.
import type { Selectable } from 'kysely';
import type { BillingProfileFields, StreetAddress } from '../../shared/schemas/billing-profile';
import type { Statement } from './batch';
import { first, type Read, rows } from './data';
import { qb } from './kysely';
import type { ProviderBillingProfilesTable } from './schema';

export type BillingProfileRow = Selectable<ProviderBillingProfilesTable>;

/** The profile's columns (all but the key and the time), as PUT writes them. */
export type BillingProfileColumns = Omit<BillingProfileRow, 'provider_id' | 'updated_at'>;

export interface FeeRow {
  cpt_code: string;
  amount_cents: number;
}

export const find = (providerId: string): Read<BillingProfileRow | undefined> =>
  first(qb.selectFrom('provider_billing_profiles').selectAll().where('provider_id', '=', providerId).compile());

/** Replaces the profile (PUT): every column written, the row created on the first save. */
export function put(providerId: string, cols: BillingProfileColumns, at: string): Statement {
  return qb
    .insertInto('provider_billing_profiles')
    .values({ provider_id: providerId, ...cols, updated_at: at })
    .onConflict((oc) => oc.column('provider_id').doUpdateSet({ ...cols, updated_at: at }))
    .compile();
}

export const fees = (providerId: string): Read<FeeRow[]> =>
  rows(
    qb
      .selectFrom('provider_fees')
      .select(['cpt_code', 'amount_cents'])
      .where('provider_id', '=', providerId)
      .orderBy('cpt_code')
      .compile(),
  );

/** PUT /v1/me/fees: the schedule replaced — these statements go in one batch. */
export function replaceFees(providerId: string, items: { cptCode: string; amountCents: number }[], at: string) {
  const statements: Statement[] = [qb.deleteFrom('provider_fees').where('provider_id', '=', providerId).compile()];
  if (items.length > 0) {
    statements.push(
      qb
        .insertInto('provider_fees')
        .values(
          items.map((i) => ({
            provider_id: providerId,
            cpt_code: i.cptCode,
            amount_cents: i.amountCents,
            updated_at: at,
          })),
        )
        .compile(),
    );
  }
  return statements;
}

export const toFees = (r: FeeRow[]) => ({
  items: r.map((f) => ({ cptCode: f.cpt_code, amountCents: f.amount_cents })),
});

const EMPTY_ADDRESS: StreetAddress = { line1: null, line2: null, city: null, state: null, postalCode: null };

/** The stored profile as fields (no row yet: nothing given). */
export function rowToFields(r: BillingProfileRow | undefined): BillingProfileFields {
  if (!r) {
    return {
      billingName: null,
      entity: null,
      taxId: null,
      taxonomyCode: null,
      groupNpi: null,
      address: EMPTY_ADDRESS,
      phone: null,
      serviceAddress: null,
      edi: { submitterId: null, submitterName: null, receiverId: null, receiverName: null, usage: null },
    };
  }
  return {
    billingName: r.billing_name,
    entity: r.entity,
    taxId: r.tax_id_type && r.tax_id_last4 ? { type: r.tax_id_type, last4: r.tax_id_last4 } : null,
    taxonomyCode: r.taxonomy_code,
    groupNpi: r.group_npi,
    address: {
      line1: r.address_line1,
      line2: r.address_line2,
      city: r.address_city,
      state: r.address_state,
      postalCode: r.address_postal_code,
    },
    phone: r.phone,
    serviceAddress: r.has_service_address
      ? {
          line1: r.service_line1,
          line2: r.service_line2,
          city: r.service_city,
          state: r.service_state,
          postalCode: r.service_postal_code,
        }
      : null,
    edi: {
      submitterId: r.edi_submitter_id,
      submitterName: r.edi_submitter_name,
      receiverId: r.edi_receiver_id,
      receiverName: r.edi_receiver_name,
      usage: r.edi_usage,
    },
  };
}

/** Fields (and the sealed tax id) as the row's columns. */
export function fieldsToColumns(f: BillingProfileFields, taxIdSealed: string | null): BillingProfileColumns {
  return {
    billing_name: f.billingName,
    entity: f.entity,
    tax_id_type: f.taxId ? f.taxId.type : null,
    tax_id_last4: f.taxId ? f.taxId.last4 : null,
    tax_id_sealed: f.taxId ? taxIdSealed : null,
    taxonomy_code: f.taxonomyCode,
    group_npi: f.groupNpi,
    address_line1: f.address.line1,
    address_line2: f.address.line2,
    address_city: f.address.city,
    address_state: f.address.state,
    address_postal_code: f.address.postalCode,
    phone: f.phone,
    has_service_address: f.serviceAddress ? 1 : 0,
    service_line1: f.serviceAddress?.line1 ?? null,
    service_line2: f.serviceAddress?.line2 ?? null,
    service_city: f.serviceAddress?.city ?? null,
    service_state: f.serviceAddress?.state ?? null,
    service_postal_code: f.serviceAddress?.postalCode ?? null,
    edi_submitter_id: f.edi.submitterId,
    edi_submitter_name: f.edi.submitterName,
    edi_receiver_id: f.edi.receiverId,
    edi_receiver_name: f.edi.receiverName,
    edi_usage: f.edi.usage,
  };
}
