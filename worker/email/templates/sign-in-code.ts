// The provider's sign-in code email.
import { html } from 'hono/html';
import type { RenderedEmail } from '../types';
import { htmlFrame } from './layout';

export function signInCodeEmail(p: { name: string; code: string; minutes: number }): RenderedEmail {
  const subject = `Your Caseload sign-in code: ${p.code}`;
  const text = `Hello ${p.name},\n\nYour Caseload sign-in code is ${p.code}. It works for ${p.minutes} minutes.\n\nIf you did not try to sign in, ignore this email; nobody can sign in without the code.\n`;
  const htmlBody = htmlFrame(
    subject,
    html`<p>Hello ${p.name},</p>
<p>Your Caseload sign-in code is</p>
<p style="font-size:28px;font-weight:700;letter-spacing:4px">${p.code}</p>
<p>It works for ${p.minutes} minutes. If you did not try to sign in, ignore this email; nobody can sign in without the code.</p>`,
  );
  return { subject, text, html: htmlBody };
}
