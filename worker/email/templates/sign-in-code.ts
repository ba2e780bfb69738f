// The provider's sign-in code email. The subject never carries the code (it shows in notification
// previews and mail logs). The outbox keeps the email with slots where the code and the minutes
// left go, filled in only at delivery from the sealed live code (email/sign-in-code-delivery.ts):
// the code is never in the outbox.
import { html } from 'hono/html';
import type { RenderedEmail } from '../types';
import { htmlFrame } from './layout';

export const SIGN_IN_SUBJECT = 'Your Caseload sign-in code';

export function signInCodeEmail(p: { name: string; code: string; minutes: number | string }): RenderedEmail {
  const subject = SIGN_IN_SUBJECT;
  const text = `Hello ${p.name},\n\nYour Caseload sign-in code is ${p.code}. It works for ${p.minutes} more minutes.\n\nIf you did not try to sign in, ignore this email; nobody can sign in without the code.\n`;
  const htmlBody = htmlFrame(
    subject,
    html`<p>Hello ${p.name},</p>
<p>Your Caseload sign-in code is</p>
<p style="font-size:28px;font-weight:700;letter-spacing:4px">${p.code}</p>
<p>It works for ${p.minutes} more minutes. If you did not try to sign in, ignore this email; nobody can sign in without the code.</p>`,
  );
  return { subject, text, html: htmlBody };
}
