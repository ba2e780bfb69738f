// "Please complete your billing info": the client's fresh link, and which details are still missing.
import { html } from 'hono/html';
import { BILLING_FIELD_LABELS } from '../../../shared/schemas/billing';
import type { RenderedEmail } from '../types';
import { button, htmlFrame } from './layout';

export function billingRequestEmail(p: {
  clientFirstName: string;
  providerName: string;
  link: string;
  expiresOn: string;
  /** `missing` paths (legalFirstName, insurance.memberId …): named by label, never with values. */
  missing: string[];
}): RenderedEmail {
  const labels = p.missing.map((m) => BILLING_FIELD_LABELS[m] ?? m);
  const subject = `${p.providerName} asks you to complete your billing info`;
  const list = labels.length ? `\n\nStill needed:\n${labels.map((l) => `- ${l}`).join('\n')}` : '';
  const text = `Hello ${p.clientFirstName},\n\n${p.providerName} needs a few details before your sessions can be billed to your insurance. Please complete your billing info here:\n\n${p.link}${list}\n\nThe link works until ${p.expiresOn}. If it has expired, ask ${p.providerName} for a new one.\n`;
  const htmlBody = htmlFrame(
    subject,
    html`<p>Hello ${p.clientFirstName},</p>
<p>${p.providerName} needs a few details before your sessions can be billed to your insurance.</p>
${labels.length ? html`<p>Still needed:</p><ul>${labels.map((l) => html`<li>${l}</li>`)}</ul>` : ''}
${button(p.link, 'Complete your billing info')}
<p style="font-size:13px;color:#52606d">Or paste this link into your browser: ${p.link}<br>It works until ${p.expiresOn}.</p>`,
  );
  return { subject, text, html: htmlBody };
}
