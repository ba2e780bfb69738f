// The welcome email a new client gets, with the link to set up their account.
import { html } from 'hono/html';
import type { RenderedEmail } from '../types';
import { button, htmlFrame } from './layout';

export function welcomeEmail(p: {
  clientFirstName: string;
  providerName: string;
  link: string;
  expiresOn: string;
}): RenderedEmail {
  const subject = `${p.providerName} added you on Caseload: set up your account`;
  const text = `Hello ${p.clientFirstName},\n\n${p.providerName} uses Caseload to schedule sessions and bill your insurance. Please set up your account and add your insurance details so your sessions can be billed:\n\n${p.link}\n\nThe link works until ${p.expiresOn}. If it has expired, ask ${p.providerName} for a new one.\n`;
  const htmlBody = htmlFrame(
    subject,
    html`<p>Hello ${p.clientFirstName},</p>
<p>${p.providerName} uses Caseload to schedule sessions and bill your insurance. Please set up your account and add your insurance details so your sessions can be billed.</p>
${button(p.link, 'Set up your account')}
<p style="font-size:13px;color:#52606d">Or paste this link into your browser: ${p.link}<br>It works until ${p.expiresOn}.</p>`,
  );
  return { subject, text, html: htmlBody };
}
