// Provider bodies: PATCH /v1/me and the operations routes.
import * as v from 'valibot';
import { isValidNpi } from '../npi';
import { EmailSchema, ObjectSchema, OneLineSchema, TextSchema, TimeZoneSchema } from './common';

export const TelehealthUrlSchema = v.pipe(
  OneLineSchema('Video link must be text', 'the video link'),
  v.maxLength(500, 'Video link must be at most 500 characters'),
  v.url('Enter the full video link, starting with https://'),
  v.startsWith('https://', 'The video link must use https://'),
);

export const MePatchSchema = ObjectSchema({
  name: v.optional(TextSchema('your name', 200)),
  timeZone: v.optional(TimeZoneSchema),
  telehealthUrl: v.optional(v.nullable(TelehealthUrlSchema)),
});
export type MePatchInput = v.InferInput<typeof MePatchSchema>;

export const NpiSchema = v.pipe(
  OneLineSchema('NPI must be text', 'the NPI'),
  v.regex(/^\d{10}$/, 'An NPI is 10 digits'),
  v.check(isValidNpi, 'This NPI fails its check digit; check it for a typo'),
);

export const ProviderCreateSchema = ObjectSchema({
  name: TextSchema('a name', 200),
  email: EmailSchema,
  npi: NpiSchema,
  timeZone: TimeZoneSchema,
});
export type ProviderCreateInput = v.InferInput<typeof ProviderCreateSchema>;

export const CarrierStatusSchema = ObjectSchema({
  status: v.picklist(['pending', 'approved', 'terminated'], 'Status must be pending, approved or terminated'),
});
