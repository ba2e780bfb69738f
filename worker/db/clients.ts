// Client rows: lookups scoped to the provider, and the API shapes built from them.
import type { Kysely, Selectable } from 'kysely';
import type { BillingInfo, Client } from '../../shared/api-types';
import { type BillingFields, missingBillingFields } from '../../shared/schemas/billing';
import type { ClientsTable, Database } from './schema';

export type ClientRow = Selectable<ClientsTable>;

/** A client of this provider, or undefined: another provider's id looks exactly like an unknown one. */
export function findClient(db: Kysely<Database>, providerId: string, id: string): Promise<ClientRow | undefined> {
  return db
    .selectFrom('clients')
    .selectAll()
    .where('id', '=', id)
    .where('provider_id', '=', providerId)
    .executeTakeFirst();
}

export function findClientByEmail(db: Kysely<Database>, providerId: string, email: string) {
  return db
    .selectFrom('clients')
    .select('id')
    .where('provider_id', '=', providerId)
    .where('email_lower', '=', email.toLowerCase())
    .executeTakeFirst();
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

/** Throws the field issue when a given payerId is not a known carrier. */
export async function unknownPayerIssue(db: Kysely<Database>, payerId: string | null) {
  if (payerId === null) return null;
  const p = await db.selectFrom('payers').select('id').where('id', '=', payerId).executeTakeFirst();
  return p ? null : { path: 'insurance.payerId', message: 'Choose a carrier from the list' };
}
