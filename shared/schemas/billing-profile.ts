// The provider's billing profile (what the 837P's billing-provider loop needs) and fee schedule.
// Like a client's BillingInfo, every profile field may be left out (not yet given, listed in
// `missing`); a field that is given must be valid.
import * as v from 'valibot';
import { CPT_RULES } from '../billing/cpt';
import { isValidNpi } from '../npi';
import { ObjectSchema, OneLineSchema, TextSchema } from './common';
import { PhoneSchema, StateSchema } from './billing';

const opt = <S extends v.GenericSchema>(s: S) => v.optional(v.nullable(s));

// "PO Box", "P.O. Box", "P O Box", "POB", "Post Office Box" (any case): the 837P's billing provider
// address must be a street address (5010 2010AA N301), and so must the place sessions happen.
const PO_BOX = /\b(p\.?\s*o\.?\s*b(ox)?|post\s+office\s+box)\b/i;
export const isPoBox = (line: string) => PO_BOX.test(line);

const StreetLineSchema = (label: string, required: boolean) =>
  v.pipe(
    required
      ? TextSchema(label, 55)
      : v.pipe(
          OneLineSchema(`${label} must be text`, label),
          v.maxLength(55, `${label.charAt(0).toUpperCase()}${label.slice(1)} must be at most 55 characters`),
        ),
    v.check((s) => !isPoBox(s), 'Enter a street address: a PO box cannot be a billing or service address'),
  );

/** ZIP+4 only: the 837P requires nine digits for the billing provider's (and facility's) ZIP code. */
export const ZipPlus4Schema = v.pipe(
  OneLineSchema('ZIP code must be text', 'the ZIP code'),
  v.regex(/^\d{5}-\d{4}$/, 'Enter the ZIP+4 code, e.g. 10024-3512 (claims need all nine digits)'),
);

const StreetAddressSchema = ObjectSchema({
  line1: opt(StreetLineSchema('the street address', true)),
  line2: opt(StreetLineSchema('address line 2', false)),
  city: opt(TextSchema('the city', 30)),
  state: opt(StateSchema),
  postalCode: opt(ZipPlus4Schema),
});

const TAX_ID_SHAPE = {
  // An EIN is written 12-3456789; nine digits without the dash are taken too.
  EIN: /^\d{2}-?\d{7}$/,
  // An SSN in any common punctuation: 123-45-6789, 123 45 6789, 123.45.6789, 123456789.
  SSN: /^\d{3}[\s.-]?\d{2}[\s.-]?\d{4}$/,
} as const;

/** SSA never issues area 000, 666 or 9xx, group 00 or serial 0000. */
const isIssuableSsn = (digits: string) =>
  !/^(000|666|9)/.test(digits) && digits.slice(3, 5) !== '00' && digits.slice(5) !== '0000';

const TaxIdSchema = v.pipe(
  ObjectSchema({
    type: v.picklist(['EIN', 'SSN'], 'Tax id type must be EIN or SSN'),
    // Left out: the stored number is kept (responses never carry it whole).
    value: v.optional(
      v.pipe(OneLineSchema('The tax id must be text', 'the tax id'), v.nonEmpty('Enter the tax id'), v.maxLength(20)),
    ),
  }),
  v.forward(
    v.partialCheck(
      [['type'], ['value']],
      (t) => t.value === undefined || TAX_ID_SHAPE[t.type].test(t.value),
      'Enter an EIN as 12-3456789, or an SSN as 9 digits (123-45-6789)',
    ),
    ['value'],
  ),
  v.forward(
    v.partialCheck(
      [['type'], ['value']],
      (t) => t.type !== 'SSN' || t.value === undefined || isIssuableSsn(t.value.replace(/\D/g, '')),
      'This is not a valid SSN; check it for a typo',
    ),
    ['value'],
  ),
  v.transform((t) => ({ type: t.type, value: t.value?.replace(/\D/g, '') })),
);

/** A NUCC Health Care Provider Taxonomy code, e.g. 101YP2500X (professional counselor). */
export const TaxonomySchema = v.pipe(
  OneLineSchema('Taxonomy code must be text', 'the taxonomy code'),
  v.toUpperCase(),
  v.regex(/^[0-9]{3}[0-9A-Z]{6}X$/, 'Enter a 10-character NUCC taxonomy code, e.g. 101YP2500X'),
);

const GroupNpiSchema = v.pipe(
  OneLineSchema('Group NPI must be text', 'the group NPI'),
  v.regex(/^\d{10}$/, 'A group NPI is 10 digits'),
  v.check(isValidNpi, 'This group NPI fails its check digit; check it for a typo'),
);

/** An id a clearinghouse assigned: 1–15 letters, digits and spaces (ISA06/ISA08 are 15 wide). */
const EdiIdSchema = (label: string) =>
  v.pipe(
    OneLineSchema(`${label} must be text`, label),
    v.nonEmpty(`Enter the ${label}`),
    v.regex(/^[A-Za-z0-9 ]{1,15}$/, `The ${label} is 1–15 letters, digits or spaces`),
  );

export const BillingProfileSchema = v.pipe(
  ObjectSchema({
    billingName: opt(TextSchema('the billing name', 60)),
    entity: opt(v.picklist(['person', 'organization'], 'Entity must be person or organization')),
    taxId: opt(TaxIdSchema),
    taxonomyCode: opt(TaxonomySchema),
    groupNpi: opt(GroupNpiSchema),
    address: opt(StreetAddressSchema),
    phone: opt(PhoneSchema),
    serviceAddress: opt(StreetAddressSchema),
    edi: opt(
      ObjectSchema({
        submitterId: opt(EdiIdSchema('submitter id')),
        submitterName: opt(TextSchema('the submitter name', 60)),
        receiverId: opt(EdiIdSchema('receiver id')),
        receiverName: opt(TextSchema('the receiver name', 60)),
        usage: opt(v.picklist(['test', 'production'], 'Usage must be test or production')),
      }),
    ),
  }),
  // An organization bills under its EIN; an SSN is a sole proprietor's.
  v.forward(
    v.partialCheck(
      [['entity'], ['taxId', 'type']],
      (p) => !(p.entity === 'organization' && p.taxId?.type === 'SSN'),
      'An organization bills under its EIN, not an SSN',
    ),
    ['taxId', 'type'],
  ),
);
export type BillingProfileInput = v.InferInput<typeof BillingProfileSchema>;
export type BillingProfileOutput = v.InferOutput<typeof BillingProfileSchema>;

export interface StreetAddress {
  line1: string | null;
  line2: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
}

/** The profile as stored, without the tax id's digits (only whether there is one, its type and last 4). */
export interface BillingProfileFields {
  billingName: string | null;
  entity: 'person' | 'organization' | null;
  taxId: { type: 'EIN' | 'SSN'; last4: string } | null;
  taxonomyCode: string | null;
  groupNpi: string | null;
  address: StreetAddress;
  phone: string | null;
  serviceAddress: StreetAddress | null;
  edi: {
    submitterId: string | null;
    submitterName: string | null;
    receiverId: string | null;
    receiverName: string | null;
    usage: 'test' | 'production' | null;
  };
}

const ADDRESS_PARTS = [
  ['line1', 'line1'],
  ['city', 'city'],
  ['state', 'state'],
  ['postalCode', 'postalCode'],
] as const;

/**
 * What a claim still needs from the profile, as dot paths without prefix, one per field, in form order.
 * The group NPI is needed for an organization only; a service address, when given, must be whole.
 */
export function missingProfileFields(f: BillingProfileFields): string[] {
  const missing: string[] = [];
  const need = (value: unknown, path: string) => {
    if (value === null || value === undefined || value === '') missing.push(path);
  };
  need(f.billingName, 'billingName');
  need(f.entity, 'entity');
  need(f.taxId, 'taxId');
  need(f.taxonomyCode, 'taxonomyCode');
  if (f.entity === 'organization') need(f.groupNpi, 'groupNpi');
  for (const [key, path] of ADDRESS_PARTS) need(f.address[key], `address.${path}`);
  need(f.phone, 'phone');
  if (f.serviceAddress) for (const [key, path] of ADDRESS_PARTS) need(f.serviceAddress[key], `serviceAddress.${path}`);
  need(f.edi.submitterId, 'edi.submitterId');
  need(f.edi.submitterName, 'edi.submitterName');
  need(f.edi.receiverId, 'edi.receiverId');
  need(f.edi.receiverName, 'edi.receiverName');
  need(f.edi.usage, 'edi.usage');
  return missing;
}

/** The codes a fee may be set for: every code of GET /v1/codes/cpt (prescriber-only codes are never billed). */
export const FEE_CODES: readonly string[] = CPT_RULES.filter((r) => !r.prescriberOnly).map((r) => r.code);

export const MAX_FEE_CENTS = 10_000_000;

export const FeesSchema = ObjectSchema({
  items: v.pipe(
    v.array(
      ObjectSchema({
        cptCode: v.picklist(FEE_CODES as string[], `Choose one of the CPT codes of GET /v1/codes/cpt`),
        amountCents: v.pipe(
          v.number('amountCents must be a whole number of cents'),
          v.integer('amountCents must be a whole number of cents'),
          v.minValue(1, 'A fee is at least 1 cent'),
          v.maxValue(MAX_FEE_CENTS, 'A fee is at most 10,000,000 cents ($100,000)'),
        ),
      }),
      'items must be a list of { cptCode, amountCents }',
    ),
    v.maxLength(FEE_CODES.length, `At most one fee per code (${FEE_CODES.length} codes)`),
    v.check((items) => new Set(items.map((i) => i.cptCode)).size === items.length, 'Each CPT code may appear once'),
  ),
});
export type FeesInput = v.InferInput<typeof FeesSchema>;
