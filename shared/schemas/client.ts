// Client (roster) bodies and queries.
import * as v from 'valibot';
import { EmailSchema, ListQuerySchema, ObjectSchema, TextSchema, TimeZoneSchema } from './common';

export const ClientCreateSchema = ObjectSchema({
  firstName: TextSchema('a first name'),
  lastName: TextSchema('a last name'),
  email: EmailSchema,
  timeZone: v.optional(TimeZoneSchema),
  notify: v.optional(v.boolean('notify must be true or false'), true),
});
export type ClientCreateInput = v.InferInput<typeof ClientCreateSchema>;

export const ClientPatchSchema = ObjectSchema({
  firstName: v.optional(TextSchema('a first name')),
  lastName: v.optional(TextSchema('a last name')),
  email: v.optional(EmailSchema),
  timeZone: v.optional(TimeZoneSchema),
});
export type ClientPatchInput = v.InferInput<typeof ClientPatchSchema>;

export const ClientListQuerySchema = v.object({
  ...ListQuerySchema.entries,
  q: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(100, 'Search text must be at most 100 characters'))),
});

/** POST /v1/clients/:id/notify: which link email to send (empty body: the welcome). */
export const ClientNotifySchema = ObjectSchema({
  reason: v.optional(v.picklist(['welcome', 'billing_info'], 'reason must be welcome or billing_info'), 'welcome'),
});
export type ClientNotifyInput = v.InferInput<typeof ClientNotifySchema>;
