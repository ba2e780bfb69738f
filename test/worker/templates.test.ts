// Every email template rendered: text and HTML, times in the reader's zone with its abbreviation,
// nothing clinical, and the session invite parsed back as RFC 5545 with the right UTC times.
import { describe, expect, it } from 'vitest';
import { testClock } from '../../worker/platform/clock';
import { billingRequestEmail } from '../../worker/email/templates/billing-request';
import {
  type SessionEmailInput,
  sessionCanceledEmail,
  sessionDetailsEmail,
  sessionReminderEmail,
} from '../../worker/email/templates/session';
import { signInCodeEmail } from '../../worker/email/templates/sign-in-code';
import { welcomeEmail } from '../../worker/email/templates/welcome';
import type { RenderedEmail } from '../../worker/email/types';

// No iCalendar parser is installed (only the `ics` generator), so this is a small reader of RFC 5545's grammar: CRLF lines, unfolding (§3.1), parameters
// with quoted values (§3.2), BEGIN/END nesting, TEXT unescaping (§3.3.11) and UTC DATE-TIME (§3.3.5).
interface Prop {
  name: string;
  params: Record<string, string>;
  value: string;
}
interface Component {
  name: string;
  props: Prop[];
  children: Component[];
}

function parseICalendar(text: string): Component {
  if (/[^\r]\n/.test(text)) throw new Error('lines must end in CRLF');
  const lines = text
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .filter((l) => l !== '');
  const root: Component = { name: '', props: [], children: [] };
  const stack: Component[] = [root];
  for (const line of lines) {
    const prop = parseLine(line);
    const top = stack[stack.length - 1]!;
    if (prop.name === 'BEGIN') {
      const c: Component = { name: prop.value.toUpperCase(), props: [], children: [] };
      top.children.push(c);
      stack.push(c);
    } else if (prop.name === 'END') {
      if (top.name !== prop.value.toUpperCase()) throw new Error(`END:${prop.value} closes ${top.name}`);
      stack.pop();
    } else {
      top.props.push(prop);
    }
  }
  if (stack.length !== 1 || root.children.length !== 1) throw new Error('unbalanced calendar');
  return root.children[0]!;
}

function parseLine(line: string): Prop {
  let i = 0;
  const nameEnd = line.search(/[;:]/);
  if (nameEnd <= 0) throw new Error(`bad content line: ${line}`);
  const name = line.slice(0, nameEnd).toUpperCase();
  i = nameEnd;
  const params: Record<string, string> = {};
  while (line[i] === ';') {
    const eq = line.indexOf('=', i);
    const key = line.slice(i + 1, eq).toUpperCase();
    i = eq + 1;
    let value = '';
    if (line[i] === '"') {
      const close = line.indexOf('"', i + 1);
      value = line.slice(i + 1, close);
      i = close + 1;
    } else {
      const end = line.slice(i).search(/[;:]/);
      value = line.slice(i, i + end);
      i += end;
    }
    params[key] = value;
  }
  if (line[i] !== ':') throw new Error(`bad content line: ${line}`);
  return { name, params, value: line.slice(i + 1) };
}

const prop = (c: Component, name: string) => c.props.find((p) => p.name === name);
const text = (v: string) => v.replace(/\\n/gi, '\n').replace(/\\([,;\\])/g, '$1');
function utc(p: Prop | undefined): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(p?.value ?? '');
  if (!m) throw new Error(`not a UTC DATE-TIME: ${p?.value}`);
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z`;
}

const base: SessionEmailInput = {
  appointmentId: 'apt_abcdefghijklmnopqrst',
  sequence: 0,
  clientFirstName: 'Ada',
  clientEmail: 'ada@example.com',
  clientTimeZone: 'America/Los_Angeles',
  providerName: 'Dr. Grace Hopper',
  providerEmail: 'grace@example.com',
  startsAt: '2026-12-01T15:00:00.000Z',
  endsAt: '2026-12-01T15:53:00.000Z',
  location: { type: 'office' },
};
const telehealth: SessionEmailInput = {
  ...base,
  location: { type: 'telehealth', url: 'https://video.example.com/room/grace?pwd=a,b;c' },
};

function all(): [string, RenderedEmail][] {
  return [
    [
      'welcome',
      welcomeEmail({
        clientFirstName: 'Ada',
        providerName: 'Dr. Grace Hopper',
        link: 'https://x.example/c/tok',
        expiresOn: 'December 15, 2026 at 10:00 AM EST',
      }),
    ],
    ['sign-in code', signInCodeEmail({ name: 'Grace', code: '123456', minutes: 10 })],
    [
      'billing request',
      billingRequestEmail({
        clientFirstName: 'Ada',
        providerName: 'Dr. Grace Hopper',
        link: 'https://x.example/c/tok',
        expiresOn: 'December 15, 2026',
        missing: ['insurance.memberId', 'dateOfBirth'],
      }),
    ],
    ['session details', sessionDetailsEmail(base)],
    ['session details, telehealth', sessionDetailsEmail(telehealth)],
    ['session updated', sessionDetailsEmail({ ...base, sequence: 2 })],
    ['session canceled', sessionCanceledEmail(base)],
    ['reminder', sessionReminderEmail(base)],
    ['reminder, telehealth', sessionReminderEmail(telehealth)],
  ];
}

describe('every template', () => {
  it('has a subject, plain text and a complete HTML document', () => {
    for (const [name, e] of all()) {
      expect(e.subject, name).not.toBe('');
      expect(e.text.length, name).toBeGreaterThan(40);
      expect(e.html, name).toMatch(/^<!doctype html><html lang="en">[\s\S]*<\/html>$/);
      expect(e.text, name).not.toMatch(/<[a-z]/i);
    }
  });

  it('never carries a diagnosis, a CPT code or a progress note', () => {
    for (const [name, e] of all()) {
      const everything = [e.subject, e.text, e.html, ...(e.attachments ?? []).map((a) => a.content)].join('\n');
      expect(everything, name).not.toMatch(
        /diagnos|ICD|CPT|progress note|\b90(791|832|834|837|839|840|846|847|853)\b|\bF\d{2}\.\d/i,
      );
    }
  });

  it('escapes what people typed into names', () => {
    const e = sessionDetailsEmail({ ...base, providerName: 'Dr. <script>alert(1)</script>', clientFirstName: 'A&B' });
    expect(e.html).not.toContain('<script>');
    expect(e.html).toContain('Dr. &lt;script&gt;');
    expect(e.html).toContain('A&amp;B');
  });

  it('the billing request names the missing fields by label and carries the link', () => {
    const [, e] = all().find(([n]) => n === 'billing request')!;
    expect(e.subject).toBe('Dr. Grace Hopper asks you to complete your billing info');
    expect(e.text).toContain('https://x.example/c/tok');
    expect(e.text).toContain('- Member ID\n- Date of birth');
    expect(e.html).toContain('<li>Member ID</li>');
  });
});

describe('session emails', () => {
  it('show the time in the client’s zone with its abbreviation', () => {
    expect(sessionDetailsEmail(base).text).toContain('When: Tuesday, December 1, 2026 at 7:00 AM PST (53 minutes)');
    expect(sessionDetailsEmail({ ...base, clientTimeZone: 'America/New_York' }).text).toContain('10:00 AM EST');
    const summer = {
      ...base,
      clientTimeZone: 'America/New_York',
      startsAt: '2026-07-01T15:00:00.000Z',
      endsAt: '2026-07-01T16:00:00.000Z',
    };
    expect(sessionReminderEmail(summer).text).toContain('Wednesday, July 1, 2026 at 11:00 AM EDT');
    expect(sessionCanceledEmail({ ...base, clientTimeZone: 'Europe/London' }).subject).toBe(
      'Canceled: your session with Dr. Grace Hopper on December 1, 2026 at 3:00 PM GMT',
    );
  });

  it('a telehealth session carries its video link in the email and the invite; an office one has none', () => {
    const e = sessionDetailsEmail(telehealth);
    expect(e.text).toContain('https://video.example.com/room/grace?pwd=a,b;c');
    expect(e.html).toContain('href="https://video.example.com/room/grace?pwd=a,b;c"');
    const vevent = parseICalendar(e.attachments![0]!.content).children.find((c) => c.name === 'VEVENT')!;
    expect(text(prop(vevent, 'LOCATION')!.value)).toBe('https://video.example.com/room/grace?pwd=a,b;c');
    expect(text(prop(vevent, 'DESCRIPTION')!.value)).toContain('https://video.example.com/room/grace?pwd=a,b;c');
    expect(sessionDetailsEmail(base).text).toContain("In person at Dr. Grace Hopper's office.");
    expect(sessionReminderEmail(telehealth).text).toContain('https://video.example.com/room/grace');
  });

  it('the details invite parses back: REQUEST, stable UID, SEQUENCE, UTC start and end', () => {
    testClock.set('2026-11-20T12:00:00.000Z');
    const first = sessionDetailsEmail(base);
    const moved = sessionDetailsEmail({
      ...base,
      sequence: 3,
      startsAt: '2026-12-02T22:30:00.000Z',
      endsAt: '2026-12-02T23:30:00.000Z',
    });
    const [a1, a2] = [first.attachments![0]!, moved.attachments![0]!];
    expect(a1.filename).toBe('invite.ics');
    expect(a1.contentType).toBe('text/calendar; charset=utf-8; method=REQUEST');
    for (const a of [a1, a2]) {
      for (const line of a.content.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    }
    const [c1, c2] = [parseICalendar(a1.content), parseICalendar(a2.content)];
    expect(c1.name).toBe('VCALENDAR');
    expect(prop(c1, 'VERSION')?.value).toBe('2.0');
    expect(prop(c1, 'METHOD')?.value).toBe('REQUEST');
    const [e1, e2] = [c1.children[0]!, c2.children[0]!];
    expect(e1.name).toBe('VEVENT');
    expect(prop(e1, 'UID')?.value).toBe('apt_abcdefghijklmnopqrst@caseload');
    expect(prop(e2, 'UID')?.value).toBe(prop(e1, 'UID')?.value);
    expect(prop(e1, 'SEQUENCE')?.value).toBe('0');
    expect(prop(e2, 'SEQUENCE')?.value).toBe('3');
    expect(utc(prop(e1, 'DTSTART'))).toBe('2026-12-01T15:00:00.000Z');
    expect(utc(prop(e1, 'DTEND'))).toBe('2026-12-01T15:53:00.000Z');
    expect(utc(prop(e2, 'DTSTART'))).toBe('2026-12-02T22:30:00.000Z');
    expect(utc(prop(e1, 'DTSTAMP'))).toBe('2026-11-20T12:00:00.000Z');
    expect(prop(e1, 'STATUS')?.value).toBe('CONFIRMED');
    expect(text(prop(e1, 'SUMMARY')!.value)).toBe('Appointment with Dr. Grace Hopper');
    expect(prop(e1, 'ORGANIZER')?.value.toLowerCase()).toBe('mailto:grace@example.com');
    expect(prop(e1, 'ORGANIZER')?.params.CN).toBe('Dr. Grace Hopper');
    expect(prop(e1, 'ATTENDEE')?.value.toLowerCase()).toBe('mailto:ada@example.com');
    expect(moved.subject).toMatch(/^Updated: /);
  });

  it('the cancellation sends METHOD:CANCEL for the same UID', () => {
    const e = sessionCanceledEmail({ ...base, sequence: 4 });
    const a = e.attachments![0]!;
    expect(a.filename).toBe('cancel.ics');
    expect(a.contentType).toBe('text/calendar; charset=utf-8; method=CANCEL');
    const cal = parseICalendar(a.content);
    expect(prop(cal, 'METHOD')?.value).toBe('CANCEL');
    const ev = cal.children[0]!;
    expect(prop(ev, 'UID')?.value).toBe('apt_abcdefghijklmnopqrst@caseload');
    expect(prop(ev, 'SEQUENCE')?.value).toBe('4');
    expect(prop(ev, 'STATUS')?.value).toBe('CANCELLED');
    expect(utc(prop(ev, 'DTSTART'))).toBe('2026-12-01T15:00:00.000Z');
  });

  it('the reminder has no invite (the calendar already has it)', () => {
    const e = sessionReminderEmail(base);
    expect(e.subject).toBe('Reminder: your session with Dr. Grace Hopper on December 1, 2026 at 7:00 AM PST');
    expect(e.attachments ?? []).toEqual([]);
  });
});
