// The one warning a provider gets when wrong sign-in codes for their email reach the hourly cap.
// It carries no code and no link: only what happened and what to do.
import { html } from 'hono/html';
import type { RenderedEmail } from '../types';
import { htmlFrame } from './layout';

export function signInLockedEmail(p: { name: string; wrongCodes: number; minutes: number }): RenderedEmail {
  const subject = 'Someone tried to sign in to your Caseload account';
  const what = `${p.wrongCodes} wrong sign-in codes were entered for your email within an hour, so signing in is paused for up to ${p.minutes} minutes.`;
  const then =
    'If that was you, wait and request a new code. If it was not, nobody got in: signing in needs the code we email only to you. If you think a computer signed in to Caseload was lost, use "Sign out everywhere" in the extension\'s options.';
  const text = `Hello ${p.name},\n\n${what}\n\n${then}\n`;
  const htmlBody = htmlFrame(subject, html`<p>Hello ${p.name},</p><p>${what}</p><p>${then}</p>`);
  return { subject, text, html: htmlBody };
}
