// Sign-in request bodies.
import * as v from 'valibot';
import { EmailSchema } from './common';

export const CodeRequestSchema = v.object({ email: EmailSchema });
export type CodeRequestInput = v.InferInput<typeof CodeRequestSchema>;

export const TokenRequestSchema = v.object({
  email: EmailSchema,
  code: v.pipe(
    v.string('Enter the 6-digit code'),
    v.trim(),
    v.regex(/^\d{6}$/, 'Enter the 6-digit code from the email'),
  ),
});
export type TokenRequestInput = v.InferInput<typeof TokenRequestSchema>;
