// Providers, their carriers and their sign-in: the token lookup every /v1 request starts with.
import type { Selectable } from 'kysely';
import type { Provider } from '../../shared/api-types';
import type { Statement } from './batch';
import { first, type Read, rows } from './data';
import { qb } from './kysely';
import type { ProviderCarriersTable, ProvidersTable } from './schema';

export type ProviderRow = Selectable<ProvidersTable>;
export interface CarrierRow {
  payer_id: string;
  name: string;
  payer_code: string;
  status: ProviderCarriersTable['status'];
}

/** The provider a bearer token (by its SHA-256) signs in, while unexpired and not revoked. */
export function byToken(tokenHash: string, at: string): Read<ProviderRow | undefined> {
  return first(
    qb
      .selectFrom('auth_tokens as t')
      .innerJoin('providers as p', 'p.id', 't.provider_id')
      .selectAll('p')
      .where('t.token_hash', '=', tokenHash)
      .where('t.revoked_at', 'is', null)
      .where('t.expires_at', '>', at)
      .compile(),
  );
}

export const byId = (id: string): Read<ProviderRow | undefined> =>
  first(qb.selectFrom('providers').selectAll().where('id', '=', id).compile());

export const byEmail = (email: string): Read<ProviderRow | undefined> =>
  first(qb.selectFrom('providers').selectAll().where('email', '=', email.toLowerCase()).compile());

export const carriers = (providerId: string): Read<CarrierRow[]> =>
  rows(
    qb
      .selectFrom('provider_carriers as pc')
      .innerJoin('payers as y', 'y.id', 'pc.payer_id')
      .select(['pc.payer_id', 'y.name', 'y.payer_code', 'pc.status'])
      .where('pc.provider_id', '=', providerId)
      .orderBy('y.name')
      .compile(),
  );

/** API.md: a provider with no `approved` carrier cannot schedule. */
export const isCredentialed = (providerId: string): Read<boolean> => ({
  query: qb
    .selectFrom('provider_carriers')
    .select('payer_id')
    .where('provider_id', '=', providerId)
    .where('status', '=', 'approved')
    .limit(1)
    .compile(),
  map: (r) => r.length > 0,
});

export const insert = (row: ProviderRow): Statement => qb.insertInto('providers').values(row).compile();

export function update(
  id: string,
  set: { name?: string; time_zone?: string; telehealth_url?: string | null; updated_at: string },
): Statement {
  return qb.updateTable('providers').set(set).where('id', '=', id).compile();
}

export function upsertCarrier(
  providerId: string,
  payerId: string,
  status: CarrierRow['status'],
  at: string,
): Statement {
  return qb
    .insertInto('provider_carriers')
    .values({ provider_id: providerId, payer_id: payerId, status, updated_at: at })
    .onConflict((oc) => oc.columns(['provider_id', 'payer_id']).doUpdateSet({ status, updated_at: at }))
    .compile();
}

export function toProvider(p: ProviderRow, carrierRows: CarrierRow[]): Provider {
  return {
    id: p.id,
    name: p.name,
    email: p.email,
    timeZone: p.time_zone,
    npi: p.npi,
    telehealthUrl: p.telehealth_url,
    carriers: carrierRows.map((r) => ({ payerId: r.payer_id, name: r.name, status: r.status })),
  };
}
