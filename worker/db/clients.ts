// Client rows: lookups scoped to the provider, the roster search, writes, and the API shapes.
import { type Selectable, sql } from 'kysely';
import type { BillingInfo, Client } from '../../shared/api-types';
import { type BillingFields, missingBillingFields } from '../../shared/schemas/billing';
import type { Statement } from './batch';
import { first, type Read, rows } from './data';
import { qb } from './kysely';
import { decodeCursor } from './paging';
import type { ClientsTable } from './schema';

export type ClientRow = Selectable<ClientsTable>;

/** A client of this provider, or undefined: another provider's id looks exactly like an unknown one. */
export const find = (providerId: string, id: string): Read<ClientRow | undefined> =>
  first(qb.selectFrom('clients').selectAll().where('id', '=', id).where('provider_id', '=', providerId).compile());

/** The client of one of this provider's appointments. */
export const ofAppointment = (providerId: string, appointmentId: string): Read<ClientRow | undefined> =>
  first(
    qb
      .selectFrom('clients')
      .selectAll()
      .where('provider_id', '=', providerId)
      .where(
        'id',
        '=',
        qb
          .selectFrom('appointments')
          .select('client_id')
          .where('id', '=', appointmentId)
          .where('provider_id', '=', providerId),
      )
      .compile(),
  );

/** The id of this provider's client with this email (any case), if any. */
export const idByEmail = (providerId: string, email: string): Read<string | undefined> => ({
  query: qb
    .selectFrom('clients')
    .select('id')
    .where('provider_id', '=', providerId)
    .where('email_lower', '=', email.toLowerCase())
    .compile(),
  map: (r) => r[0]?.id as string | undefined,
});

export interface ClientListQuery {
  q?: string;
  cursor?: string;
  limit: number;
}

/** Roster order (the index clients_provider_name), a prefix search on names and email, limit + 1 rows. */
export function list(providerId: string, q: ClientListQuery): Read<ClientRow[]> {
  let query = qb.selectFrom('clients').selectAll().where('provider_id', '=', providerId);
  if (q.q) {
    // Prefix match on first name, last name or email, case-insensitively; \ escapes % and _.
    const p = `${q.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`.toLowerCase();
    query = query.where(
      sql<boolean>`(lower(first_name) LIKE ${p} ESCAPE '\\' OR lower(last_name) LIKE ${p} ESCAPE '\\' OR email_lower LIKE ${p} ESCAPE '\\')`,
    );
  }
  if (q.cursor) {
    const [last, firstName, id] = decodeCursor(q.cursor, 3) as [string, string, string];
    // Keyset paging in the index's own order, case-insensitive.
    query = query.where(
      sql<boolean>`(last_name COLLATE NOCASE, first_name COLLATE NOCASE, id) > (${last}, ${firstName}, ${id})`,
    );
  }
  return rows(
    query
      .orderBy(sql`last_name COLLATE NOCASE`)
      .orderBy(sql`first_name COLLATE NOCASE`)
      .orderBy('id')
      .limit(q.limit + 1)
      .compile(),
  );
}

export const pageKey = (r: ClientRow) => [r.last_name, r.first_name, r.id];

export const insert = (row: ClientRow): Statement => qb.insertInto('clients').values(row).compile();

/** Writes the given columns of this provider's client. */
export function update(providerId: string, id: string, set: Partial<Omit<ClientRow, 'id' | 'provider_id'>>): Statement {
  return qb.updateTable('clients').set(set).where('id', '=', id).where('provider_id', '=', providerId).compile();
}

export function rowToFields(r: ClientRow): BillingFields {
  return {
    legalFirstName: r.legal_first_name,
    legalLastName: r.legal_last_name,
    dateOfBirth: r.date_of_birth,
    sex: r.sex,
    phone: r.phone,
    addressLine1: r.address_line1,
    addressLine2: r.address_line2,
    city: r.address_city,
    state: r.address_state,
    postalCode: r.address_postal_code,
    payerId: r.payer_id,
    memberId: r.member_id,
    groupNumber: r.group_number,
    relationship: r.relationship,
    subscriberFirstName: r.subscriber_first_name,
    subscriberLastName: r.subscriber_last_name,
    subscriberDateOfBirth: r.subscriber_date_of_birth,
  };
}

export function fieldsToRow(f: BillingFields) {
  return {
    legal_first_name: f.legalFirstName,
    legal_last_name: f.legalLastName,
    date_of_birth: f.dateOfBirth,
    sex: f.sex,
    phone: f.phone,
    address_line1: f.addressLine1,
    address_line2: f.addressLine2,
    address_city: f.city,
    address_state: f.state,
    address_postal_code: f.postalCode,
    payer_id: f.payerId,
    member_id: f.memberId,
    group_number: f.groupNumber,
    relationship: f.relationship,
    subscriber_first_name: f.subscriberFirstName,
    subscriber_last_name: f.subscriberLastName,
    subscriber_date_of_birth: f.subscriberDateOfBirth,
  };
}

export function toClient(r: ClientRow): Client {
  const missing = missingBillingFields(rowToFields(r));
  return {
    id: r.id,
    firstName: r.first_name,
    lastName: r.last_name,
    email: r.email,
    timeZone: r.time_zone,
    status: r.status,
    billingComplete: missing.length === 0,
    missing,
    createdAt: r.created_at,
  };
}

export function toBillingInfo(r: ClientRow): BillingInfo {
  const f = rowToFields(r);
  return {
    legalFirstName: f.legalFirstName,
    legalLastName: f.legalLastName,
    dateOfBirth: f.dateOfBirth,
    sex: f.sex,
    phone: f.phone,
    address: { line1: f.addressLine1, line2: f.addressLine2, city: f.city, state: f.state, postalCode: f.postalCode },
    insurance: {
      payerId: f.payerId,
      memberId: f.memberId,
      groupNumber: f.groupNumber,
      relationship: f.relationship,
      subscriber:
        f.relationship === 'self'
          ? null
          : { firstName: f.subscriberFirstName, lastName: f.subscriberLastName, dateOfBirth: f.subscriberDateOfBirth },
    },
  };
}
