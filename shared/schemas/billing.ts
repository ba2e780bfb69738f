// BillingInfo: what a claim needs from the client (CMS-1500 / 837P), and what is still missing.
// Every field may be left out (not yet given); a field that is given must be valid.
import * as v from 'valibot';
import { BirthDateSchema, ObjectSchema, OneLineSchema, TextSchema } from './common';

/** USPS codes: the states, DC, territories and military "states". */
export const US_STATES = [
  'AL',
  'AK',
  'AZ',
  'AR',
  'CA',
  'CO',
  'CT',
  'DE',
  'DC',
  'FL',
  'GA',
  'HI',
  'ID',
  'IL',
  'IN',
  'IA',
  'KS',
  'KY',
  'LA',
  'ME',
  'MD',
  'MA',
  'MI',
  'MN',
  'MS',
  'MO',
  'MT',
  'NE',
  'NV',
  'NH',
  'NJ',
  'NM',
  'NY',
  'NC',
  'ND',
  'OH',
  'OK',
  'OR',
  'PA',
  'RI',
  'SC',
  'SD',
  'TN',
  'TX',
  'UT',
  'VT',
  'VA',
  'WA',
  'WV',
  'WI',
  'WY',
  'AS',
  'GU',
  'MP',
  'PR',
  'VI',
  'AA',
  'AE',
  'AP',
] as const;

const opt = <S extends v.GenericSchema>(s: S) => v.optional(v.nullable(s));

/** 10-digit US number in any common punctuation, stored as 212-555-0100. */
export const PhoneSchema = v.pipe(
  OneLineSchema('Phone must be text', 'the phone number'),
  v.maxLength(30, 'Enter a 10-digit US phone number'),
  v.regex(
    /^(\+?1[\s.-]?)?(\(\d{3}\)|\d{3})[\s.-]?\d{3}[\s.-]?\d{4}$/,
    'Enter a 10-digit US phone number, e.g. 212-555-0100',
  ),
  v.transform((s) => {
    const d = s.replace(/\D/g, '').slice(-10);
    return `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`;
  }),
);

export const StateSchema = v.pipe(
  OneLineSchema('State must be text', 'the state'),
  v.toUpperCase(),
  v.picklist(US_STATES, 'Enter a two-letter state code, e.g. NY'),
);

export const PostalCodeSchema = v.pipe(
  OneLineSchema('ZIP code must be text', 'the ZIP code'),
  v.regex(/^\d{5}(-\d{4})?$/, 'Enter a 5-digit ZIP code (or ZIP+4, e.g. 12345-6789)'),
);

const IdentifierSchema = (label: string) =>
  v.pipe(
    OneLineSchema(`${label} must be text`, label),
    v.nonEmpty(`Enter the ${label.toLowerCase()}`),
    v.maxLength(30, `${label} must be at most 30 characters`),
    v.regex(/^[A-Za-z0-9-]+$/, `${label} may contain only letters, digits and dashes`),
    v.toUpperCase(),
  );

export const SubscriberSchema = ObjectSchema({
  firstName: opt(TextSchema('the subscriber’s first name')),
  lastName: opt(TextSchema('the subscriber’s last name')),
  dateOfBirth: opt(BirthDateSchema('the subscriber’s date of birth')),
});

export const BillingInfoSchema = ObjectSchema({
  legalFirstName: opt(TextSchema('the legal first name')),
  legalLastName: opt(TextSchema('the legal last name')),
  dateOfBirth: opt(BirthDateSchema('date of birth')),
  sex: opt(v.picklist(['F', 'M', 'X'], 'Sex must be F, M or X, as on the insurance card')),
  phone: opt(PhoneSchema),
  address: opt(
    ObjectSchema({
      line1: opt(TextSchema('the street address', 200)),
      line2: opt(
        v.pipe(
          OneLineSchema('Address line 2 must be text', 'address line 2'),
          v.maxLength(200, 'Address line 2 must be at most 200 characters'),
        ),
      ),
      city: opt(TextSchema('the city')),
      state: opt(StateSchema),
      postalCode: opt(PostalCodeSchema),
    }),
  ),
  insurance: opt(
    ObjectSchema({
      payerId: opt(
        v.pipe(
          OneLineSchema('Carrier must be text', 'the carrier'),
          v.nonEmpty('Choose the insurance carrier'),
          v.maxLength(64, 'Choose a carrier from the list'),
        ),
      ),
      memberId: opt(IdentifierSchema('Member ID')),
      groupNumber: opt(IdentifierSchema('Group number')),
      relationship: opt(
        v.picklist(['self', 'spouse', 'child', 'other'], 'Relationship must be self, spouse, child or other'),
      ),
      subscriber: opt(SubscriberSchema),
    }),
  ),
});
export type BillingInfoInput = v.InferInput<typeof BillingInfoSchema>;
export type BillingInfoOutput = v.InferOutput<typeof BillingInfoSchema>;

/** Flat, fully-null-able form of BillingInfo as stored. */
export interface BillingFields {
  legalFirstName: string | null;
  legalLastName: string | null;
  dateOfBirth: string | null;
  sex: 'F' | 'M' | 'X' | null;
  phone: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  payerId: string | null;
  memberId: string | null;
  groupNumber: string | null;
  relationship: 'self' | 'spouse' | 'child' | 'other' | null;
  subscriberFirstName: string | null;
  subscriberLastName: string | null;
  subscriberDateOfBirth: string | null;
}

/** PUT semantics: anything left out becomes null; a self-insured client has no separate subscriber. */
export function billingToFields(b: BillingInfoOutput): BillingFields {
  const self = b.insurance?.relationship === 'self';
  const sub = self ? null : (b.insurance?.subscriber ?? null);
  return {
    legalFirstName: b.legalFirstName ?? null,
    legalLastName: b.legalLastName ?? null,
    dateOfBirth: b.dateOfBirth ?? null,
    sex: b.sex ?? null,
    phone: b.phone ?? null,
    addressLine1: b.address?.line1 ?? null,
    addressLine2: b.address?.line2 || null,
    city: b.address?.city ?? null,
    state: b.address?.state ?? null,
    postalCode: b.address?.postalCode ?? null,
    payerId: b.insurance?.payerId ?? null,
    memberId: b.insurance?.memberId ?? null,
    groupNumber: b.insurance?.groupNumber ?? null,
    relationship: b.insurance?.relationship ?? null,
    subscriberFirstName: sub?.firstName ?? null,
    subscriberLastName: sub?.lastName ?? null,
    subscriberDateOfBirth: sub?.dateOfBirth ?? null,
  };
}

/**
 * What a claim still needs, as API dot paths, in form order. Group number is
 * optional (not every plan has one); the subscriber is needed unless the client
 * is the subscriber.
 */
export function missingBillingFields(f: BillingFields): string[] {
  const missing: string[] = [];
  const need = (value: unknown, path: string) => {
    if (value === null || value === undefined || value === '') missing.push(path);
  };
  need(f.legalFirstName, 'legalFirstName');
  need(f.legalLastName, 'legalLastName');
  need(f.dateOfBirth, 'dateOfBirth');
  need(f.sex, 'sex');
  need(f.phone, 'phone');
  need(f.addressLine1, 'address.line1');
  need(f.city, 'address.city');
  need(f.state, 'address.state');
  need(f.postalCode, 'address.postalCode');
  need(f.payerId, 'insurance.payerId');
  need(f.memberId, 'insurance.memberId');
  need(f.relationship, 'insurance.relationship');
  if (f.relationship !== null && f.relationship !== 'self') {
    need(f.subscriberFirstName, 'insurance.subscriber.firstName');
    need(f.subscriberLastName, 'insurance.subscriber.lastName');
    need(f.subscriberDateOfBirth, 'insurance.subscriber.dateOfBirth');
  }
  return missing;
}

/**
 * The one wording of each BillingInfo field (dot paths), in the client's words: the labels of the
 * client page's form, and how the billing-request email and the popup name what is `missing`.
 */
export const BILLING_FIELD_LABELS: Record<string, string> = {
  legalFirstName: 'Legal first name',
  legalLastName: 'Legal last name',
  dateOfBirth: 'Date of birth',
  sex: 'Sex',
  phone: 'Phone number',
  'address.line1': 'Street address',
  'address.line2': 'Apartment, suite or unit',
  'address.city': 'City',
  'address.state': 'State',
  'address.postalCode': 'ZIP code',
  'insurance.payerId': 'Insurance carrier',
  'insurance.memberId': 'Member ID',
  'insurance.groupNumber': 'Group number',
  'insurance.relationship': 'Whose policy is it?',
  'insurance.subscriber.firstName': 'Policyholder’s first name',
  'insurance.subscriber.lastName': 'Policyholder’s last name',
  'insurance.subscriber.dateOfBirth': 'Policyholder’s date of birth',
};
