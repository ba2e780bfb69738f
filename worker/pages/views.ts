// The client pages other than the form itself: saved; expired, revoked or unknown link; ended
// session; the hop that carries the session cookie; refused post.
import { html } from 'hono/html';
import { formatInZone } from '../../shared/time/zones';
import type { Html } from './layout';

export function savedView(p: {
  firstName: string;
  providerName: string;
  editHref: string;
  expiresAt: string;
  timeZone: string;
}): Html {
  return html`<div class="card"><h1>Your details are saved</h1>
<p class="ok" role="status">Thank you, ${p.firstName}. ${p.providerName} can now bill your sessions to your insurance.</p>
<p>Need to change something? <a href="${p.editHref}">Edit your details</a>.</p>
<p class="small">This link works until ${formatInZone(p.expiresAt, p.timeZone)}. After that, ask ${p.providerName} for a new one. You can close this page.</p></div>`;
}

export function expiredView(providerName: string): Html {
  return html`<div class="card"><h1>This link has expired</h1>
<p>For your privacy, links to your account work for 14 days. Ask ${providerName} to send you a new one; it arrives by email.</p></div>`;
}

export function revokedView(providerName: string): Html {
  return html`<div class="card"><h1>This link no longer works</h1>
<p>For your privacy, a link stops working when a newer one is sent or when your email address changes. Use the newest email from ${providerName}, or ask them to send you a new link.</p></div>`;
}

/** No page session (none, unknown, or past its 30 minutes): says how to get back, shows nothing else. */
export function endedView(): Html {
  return html`<div class="card"><h1>This page has closed</h1>
<p>For your privacy, your page closes 30 minutes after you open it. Nothing on it was saved since then.</p>
<p>To carry on, open the link in your email again.</p></div>`;
}

/**
 * The hop after a link opened from another site (webmail): the browser keeps a SameSite=Strict
 * cookie out of the whole cross-site navigation, redirect included, so this page loads itself again
 * — now from this site, with the cookie.
 */
export function continueView(href: string): Html {
  return html`<div class="card"><h1>Opening your page…</h1>
<p><a href="${href}">Continue to your page</a> if it does not open by itself.</p></div>`;
}

export function unknownView(): Html {
  return html`<div class="card"><h1>This link does not work</h1>
<p>Check that you opened the whole link from the email. If it still does not work, ask your therapist to send you a new one.</p></div>`;
}

export function refusedView(editHref: string): Html {
  return html`<div class="card"><h1>Your details were not saved</h1>
<p>We could not confirm that the form came from this page. Nothing was changed.</p>
<p><a href="${editHref}">Open the form again</a> and save your details from there.</p></div>`;
}

export function tooLargeView(editHref: string): Html {
  return html`<div class="card"><h1>Your details were not saved</h1>
<p>The form sent more than it should. Nothing was changed. <a href="${editHref}">Open the form again</a>.</p></div>`;
}

export function formIntro(p: { firstTime: boolean; providerName: string }): Html {
  return html`<h1>${p.firstTime ? 'Set up your account' : 'Your details'}</h1>
<p>${p.providerName} uses Caseload to bill your sessions to your insurance. Please enter your details as they appear on your insurance card. Every field is needed unless it says “optional”.</p>`;
}
