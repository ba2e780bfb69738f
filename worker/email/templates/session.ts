// Session emails for the client: details with an .ics invite, cancellation (.ics CANCEL), and the 24 h reminder.
// Deliberately carries only when, where and with whom: never a diagnosis, CPT code or note.
import { html } from 'hono/html';
import { createEvents, type EventAttributes } from 'ics';
import { formatInZone } from '../../../shared/time/zones';
import { now } from '../../platform/clock';
import type { Attachment, RenderedEmail } from '../types';
import { button, type Html, htmlFrame } from './layout';

export interface SessionEmailInput {
  appointmentId: string;
  /** The invite's SEQUENCE: raised on every change so calendars replace the earlier copy. */
  sequence: number;
  clientFirstName: string;
  clientEmail: string;
  clientTimeZone: string;
  providerName: string;
  providerEmail: string;
  startsAt: string;
  endsAt: string;
  location: { type: 'office' } | { type: 'telehealth'; url: string };
}

/** One UID per appointment, never changing: a calendar matches updates and cancellations by it. */
export const inviteUid = (appointmentId: string) => `${appointmentId}@caseload`;

function minutesBetween(startsAt: string, endsAt: string): number {
  return Math.round((Date.parse(endsAt) - Date.parse(startsAt)) / 60_000);
}

// A telehealth session whose provider has since removed their video link still says it is by video.
const noLink = (p: SessionEmailInput) => `Video session. ${p.providerName} will send you the link.`;

function whereText(p: SessionEmailInput): string {
  if (p.location.type === 'telehealth' && !p.location.url) return noLink(p);
  return p.location.type === 'telehealth'
    ? `Video session. Join at the session time: ${p.location.url}`
    : `In person at ${p.providerName}'s office.`;
}

/** Goes inside a <p>: the video link's button closes it and opens another for the pasteable link. */
function whereHtml(p: SessionEmailInput): Html {
  if (p.location.type === 'telehealth' && !p.location.url) return html`${noLink(p)}`;
  return p.location.type === 'telehealth'
    ? html`Video session. Join at the session time:</p>${button(p.location.url, 'Join the video session')}<p style="font-size:13px;color:#52606d">Or paste this link into your browser: ${p.location.url}`
    : html`In person at ${p.providerName}’s office.`;
}

/**
 * A name as an iCalendar parameter value (CN=…). The `ics` library quotes it but would escape a `"`
 * with a backslash, which RFC 5545 does not know (the value would end at that quote and the rest
 * could add parameters): RFC 6868's caret encoding is applied first, so no `"` is left for it.
 * Text property values (SUMMARY, LOCATION, DESCRIPTION) get RFC 5545 escaping from the library.
 */
export function paramValue(name: string): string {
  return name
    .replace(/\^/g, '^^')
    .replace(/"/g, "^'")
    .replace(/\r\n|\r|\n/g, '^n');
}

/**
 * RFC 5545 §3.3.11 TEXT values: backslash, line breaks, `;` and `,` escaped, as the `ics` library
 * escapes the invite's SUMMARY, LOCATION and DESCRIPTION (test/worker/calendar-feed.test.ts holds the
 * two to the same output). For iCalendar written without the library: the calendar feed, where its
 * validation of every event would cost about 0.1 ms of CPU per session.
 */
export function textValue(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,');
}

/** UTF-8 octets of one code point (a lone surrogate is written as U+FFFD: 3). */
const octets = (cp: number) => (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);

/**
 * RFC 5545 §3.1: content lines are folded at 75 octets. The library folds at 75 characters, so a
 * line with accented or non-Latin names could run longer: unfold and fold again by UTF-8 octets,
 * never inside a character.
 */
export function refold(ics: string): string {
  return ics
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .map(foldLine)
    .join('\r\n');
}

/** One unfolded content line, folded by octets. */
export function foldLine(line: string): string {
  // A UTF-16 unit is at most 3 octets: a line of 25 or fewer never needs folding.
  if (line.length <= 25) return line;
  let out = '';
  let size = 0;
  for (const ch of line) {
    const n = octets(ch.codePointAt(0)!);
    if (size + n > 75) {
      out += '\r\n ';
      size = 1;
    }
    out += ch;
    size += n;
  }
  return out;
}

/**
 * The RFC 5545 invite, built with the `ics` library: times in UTC (Z), one UID per appointment,
 * SEQUENCE from the appointment, METHOD:REQUEST or CANCEL. The title stays neutral
 * ("Appointment with …") because calendars are often shared.
 */
export function sessionInvite(p: SessionEmailInput, method: 'REQUEST' | 'CANCEL'): Attachment {
  const event: EventAttributes & { timestamp: number } = {
    uid: inviteUid(p.appointmentId),
    sequence: p.sequence,
    start: Date.parse(p.startsAt),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: Date.parse(p.endsAt),
    endInputType: 'utc',
    endOutputType: 'utc',
    timestamp: now().getTime(),
    title: `Appointment with ${p.providerName}`,
    description: whereText(p),
    location: p.location.type === 'telehealth' ? p.location.url || 'Video session' : `${p.providerName}'s office`,
    ...(p.location.type === 'telehealth' && p.location.url ? { url: p.location.url } : {}),
    status: method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED',
    busyStatus: method === 'CANCEL' ? 'FREE' : 'BUSY',
    organizer: { name: paramValue(p.providerName), email: p.providerEmail },
    attendees: [
      {
        name: paramValue(p.clientFirstName),
        email: p.clientEmail,
        rsvp: false,
        partstat: 'NEEDS-ACTION',
        role: 'REQ-PARTICIPANT',
      },
    ],
  };
  const { error, value } = createEvents([event], { method, productId: '-//Caseload//Sessions//EN' });
  if (error || !value) throw new Error(`Could not build the calendar invite: ${error?.message ?? 'empty'}`);
  return {
    filename: method === 'CANCEL' ? 'cancel.ics' : 'invite.ics',
    contentType: `text/calendar; charset=utf-8; method=${method}`,
    content: refold(value),
  };
}

export function sessionDetailsEmail(p: SessionEmailInput): RenderedEmail {
  const when = formatInZone(p.startsAt, p.clientTimeZone);
  const minutes = minutesBetween(p.startsAt, p.endsAt);
  const updated = p.sequence > 0;
  const subject = `${updated ? 'Updated: your' : 'Your'} session with ${p.providerName} on ${formatInZone(p.startsAt, p.clientTimeZone, { withWeekday: false })}`;
  const text = `Hello ${p.clientFirstName},\n\n${updated ? 'Your session has changed. The new details:' : 'Your session is booked.'}\n\nWhen: ${when} (${minutes} minutes)\nWhere: ${whereText(p)}\nWith: ${p.providerName}\n\nThe attached invite adds it to your calendar${updated ? ' and replaces the earlier one' : ''}. To change or cancel, contact ${p.providerName} at ${p.providerEmail}.\n`;
  const htmlBody = htmlFrame(
    subject,
    html`<p>Hello ${p.clientFirstName},</p>
<p>${updated ? 'Your session has changed. The new details:' : 'Your session is booked.'}</p>
<p><strong>When:</strong> ${when} (${minutes} minutes)</p>
<p><strong>Where:</strong> ${whereHtml(p)}</p>
<p><strong>With:</strong> ${p.providerName}</p>
<p>The attached invite adds it to your calendar${updated ? ' and replaces the earlier one' : ''}. To change or cancel, contact ${p.providerName} at <a href="mailto:${p.providerEmail}">${p.providerEmail}</a>.</p>`,
  );
  return { subject, text, html: htmlBody, attachments: [sessionInvite(p, 'REQUEST')] };
}

export function sessionCanceledEmail(p: SessionEmailInput): RenderedEmail {
  const when = formatInZone(p.startsAt, p.clientTimeZone);
  const subject = `Canceled: your session with ${p.providerName} on ${formatInZone(p.startsAt, p.clientTimeZone, { withWeekday: false })}`;
  const text = `Hello ${p.clientFirstName},\n\nYour session with ${p.providerName} on ${when} is canceled. The attached update removes it from your calendar.\n\nTo book another time, contact ${p.providerName} at ${p.providerEmail}.\n`;
  const htmlBody = htmlFrame(
    subject,
    html`<p>Hello ${p.clientFirstName},</p>
<p>Your session with ${p.providerName} on <strong>${when}</strong> is canceled. The attached update removes it from your calendar.</p>
<p>To book another time, contact ${p.providerName} at <a href="mailto:${p.providerEmail}">${p.providerEmail}</a>.</p>`,
  );
  return { subject, text, html: htmlBody, attachments: [sessionInvite(p, 'CANCEL')] };
}

export function sessionReminderEmail(p: SessionEmailInput): RenderedEmail {
  const when = formatInZone(p.startsAt, p.clientTimeZone);
  const minutes = minutesBetween(p.startsAt, p.endsAt);
  const subject = `Reminder: your session with ${p.providerName} on ${formatInZone(p.startsAt, p.clientTimeZone, { withWeekday: false })}`;
  const text = `Hello ${p.clientFirstName},\n\nA reminder of your session:\n\nWhen: ${when} (${minutes} minutes)\nWhere: ${whereText(p)}\nWith: ${p.providerName}\n\nIf you cannot make it, let ${p.providerName} know as soon as you can at ${p.providerEmail}.\n`;
  const htmlBody = htmlFrame(
    subject,
    html`<p>Hello ${p.clientFirstName},</p>
<p>A reminder of your session:</p>
<p><strong>When:</strong> ${when} (${minutes} minutes)</p>
<p><strong>Where:</strong> ${whereHtml(p)}</p>
<p><strong>With:</strong> ${p.providerName}</p>
<p>If you cannot make it, let ${p.providerName} know as soon as you can at <a href="mailto:${p.providerEmail}">${p.providerEmail}</a>.</p>`,
  );
  return { subject, text, html: htmlBody };
}
