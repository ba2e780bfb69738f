// Sign-in request bodies.
import * as v from 'valibot';
import { EmailSchema, ObjectSchema, OneLineSchema } from './common';

export const CodeRequestSchema = ObjectSchema({ email: EmailSchema });
export type CodeRequestInput = v.InferInput<typeof CodeRequestSchema>;

export const TokenRequestSchema = ObjectSchema({
  email: EmailSchema,
  code: v.pipe(
    OneLineSchema('Enter the 6-digit code', 'the code'),
    v.regex(/^\d{6}$/, 'Enter the 6-digit code from the email'),
  ),
});
export type TokenRequestInput = v.InferInput<typeof TokenRequestSchema>;
