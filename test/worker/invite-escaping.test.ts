// Calendar invites carry names people typed: whatever a name holds, the invite parses back to exactly
// that name (RFC 6868 in parameter values, RFC 5545 text escaping in property values), and it never
// adds a property or a parameter. Read back by a strict reader of RFC 5545's content lines.
import { describe, expect, it } from 'vitest';
import {
  paramValue,
  type SessionEmailInput,
  sessionCanceledEmail,
  sessionDetailsEmail,
} from '../../worker/email/templates/session';
import { addClient, call, json, mailTo, makeProvider } from './helpers';

interface Line {
  name: string;
  params: [string, string][];
  value: string;
}

/** RFC 5545 §3.1 content lines, strictly: CRLF, folding, quoted or plain parameter values, no control characters. */
function contentLines(ics: string): Line[] {
  if (/\r(?!\n)|(?<!\r)\n/.test(ics)) throw new Error('a line break that is not CRLF');
  const raw = ics.split('\r\n');
  if (raw.pop() !== '') throw new Error('the last line must end in CRLF');
  for (const l of raw) {
    if (new TextEncoder().encode(l).length > 75) throw new Error(`a line over 75 octets: ${l}`);
  }
  const unfolded = ics
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .slice(0, -1);
  return unfolded.map(parseLine);
}

const NAME = /^[A-Za-z0-9-]+/;
// QSAFE-CHAR and SAFE-CHAR (§3.1): any character but controls and DQUOTE; SAFE also not ; : ,
const QSAFE = /^[^"\u0000-\u0008\u000a-\u001f\u007f]*/;
const SAFE = /^[^";:,\u0000-\u0008\u000a-\u001f\u007f]*/;

function parseLine(line: string): Line {
  const name = NAME.exec(line)?.[0];
  if (!name) throw new Error(`no property name: ${line}`);
  let rest = line.slice(name.length);
  const params: [string, string][] = [];
  while (rest.startsWith(';')) {
    const key = NAME.exec(rest.slice(1))?.[0];
    if (!key || rest[1 + key.length] !== '=') throw new Error(`bad parameter: ${rest}`);
    rest = rest.slice(2 + key.length);
    let value: string;
    if (rest.startsWith('"')) {
      value = QSAFE.exec(rest.slice(1))![0];
      if (rest[1 + value.length] !== '"') throw new Error(`unterminated quoted value: ${rest}`);
      rest = rest.slice(2 + value.length);
    } else {
      value = SAFE.exec(rest)![0];
      rest = rest.slice(value.length);
    }
    if (rest[0] !== ';' && rest[0] !== ':' && rest[0] !== ',') throw new Error(`junk after a parameter value: ${rest}`);
    if (rest[0] === ',') throw new Error('multi-valued parameters are not expected here');
    params.push([key.toUpperCase(), value]);
  }
  if (!rest.startsWith(':')) throw new Error(`no value: ${line}`);
  const value = rest.slice(1);
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) throw new Error(`a control character in a value: ${line}`);
  return { name: name.toUpperCase(), params, value };
}

/** RFC 6868: ^' → ", ^n → newline, ^^ → ^ (a ^ before anything else stays as it is). */
const decodeParam = (v: string) =>
  v.replace(/\^(['n^])/g, (_, c: string) => (c === "'" ? '"' : c === 'n' ? '\n' : '^'));

/** RFC 5545 §3.3.11 TEXT: \\ \; \, \n \N are the only escapes; a bare ; or , is not allowed in a single value. */
function decodeText(v: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === '\\') {
      const n = v[++i];
      if (n === 'n' || n === 'N') out += '\n';
      else if (n === '\\' || n === ';' || n === ',') out += n;
      else throw new Error(`a bad escape \\${n} in ${v}`);
    } else if (c === ';' || c === ',') {
      throw new Error(`an unescaped ${c} in ${v}`);
    } else out += c;
  }
  return out;
}

const base: SessionEmailInput = {
  appointmentId: 'apt_abcdefghijklmnopqrst',
  sequence: 0,
  clientFirstName: 'Ada',
  clientEmail: 'ada@example.com',
  clientTimeZone: 'America/New_York',
  providerName: 'Dr. Grace Hopper',
  providerEmail: 'grace@example.com',
  startsAt: '2026-12-01T15:00:00.000Z',
  endsAt: '2026-12-01T15:50:00.000Z',
  location: { type: 'office' },
};

// Names a client or a provider may have (one line, no control characters: the schemas refuse those).
const NAMES = [
  'Dr. "Jo" O\'Brien',
  'Ann; ROLE=CHAIR',
  'Bob:MAILTO:evil@example.com',
  'Mary, PhD; LCSW',
  'a"; X-EVIL=1; CN="b',
  'Back\\slash \\n not a newline',
  "Caret ^ and ^^ and ^n and ^'",
  'Zoë Ñúñez-Ølberg 李小龍 👩🏽‍⚕️ Ακρίβεια Москва',
  `Very ${'long-name '.repeat(12)}indeed`,
  '"',
  '^',
];

function eventOf(ics: string) {
  const lines = contentLines(ics);
  const begin = lines.findIndex((l) => l.name === 'BEGIN' && l.value === 'VEVENT');
  const end = lines.findIndex((l) => l.name === 'END' && l.value === 'VEVENT');
  return { all: lines, event: lines.slice(begin + 1, end) };
}

describe('names in calendar invites', () => {
  it('any name parses back exactly, and never adds a property or a parameter', () => {
    const reference = eventOf(sessionDetailsEmail(base).attachments![0]!.content);
    const shape = (ls: Line[]) => ls.map((l) => `${l.name};${l.params.map(([k]) => k).join(';')}`);
    for (const name of NAMES) {
      for (const render of [sessionDetailsEmail, sessionCanceledEmail]) {
        const ics = render({ ...base, providerName: name, clientFirstName: name }).attachments![0]!.content;
        const { event } = eventOf(ics);
        const ref =
          render === sessionDetailsEmail
            ? reference.event
            : eventOf(sessionCanceledEmail(base).attachments![0]!.content).event;
        expect(shape(event), name).toEqual(shape(ref));
        const organizer = event.find((l) => l.name === 'ORGANIZER')!;
        const attendee = event.find((l) => l.name === 'ATTENDEE')!;
        expect(decodeParam(Object.fromEntries(organizer.params).CN!), name).toBe(name);
        expect(decodeParam(Object.fromEntries(attendee.params).CN!), name).toBe(name);
        expect(organizer.value.toLowerCase()).toBe('mailto:grace@example.com');
        expect(attendee.value.toLowerCase()).toBe('mailto:ada@example.com');
        expect(decodeText(event.find((l) => l.name === 'SUMMARY')!.value)).toBe(`Appointment with ${name}`);
        expect(decodeText(event.find((l) => l.name === 'LOCATION')!.value)).toBe(`${name}'s office`);
        expect(decodeText(event.find((l) => l.name === 'DESCRIPTION')!.value)).toBe(`In person at ${name}'s office.`);
      }
    }
  });

  it('parameter values use RFC 6868 caret encoding', () => {
    expect(paramValue('Dr. "Jo"')).toBe("Dr. ^'Jo^'");
    expect(paramValue('a^b')).toBe('a^^b');
    expect(paramValue('two\nlines')).toBe('two^nlines');
  });

  it('names with control characters, U+0085, U+2028 or U+2029 are refused (400) on clients and providers', async () => {
    const p = await makeProvider();
    const c = await addClient(p);
    for (const bad of ['A\nB', 'A\rB', 'A\u0085B', 'A\u2028B', 'A\u2029B', 'A\u0000B', 'A\tB']) {
      const add = await call('POST', '/v1/clients', {
        token: p.token,
        body: {
          firstName: bad,
          lastName: 'X',
          email: `x${crypto.randomUUID().slice(0, 6)}@example.com`,
          notify: false,
        },
      });
      expect(add.status, JSON.stringify(bad)).toBe(400);
      const edit = await call('PATCH', `/v1/clients/${c.id}`, { token: p.token, body: { lastName: bad } });
      expect(edit.status, JSON.stringify(bad)).toBe(400);
      const me = await call('PATCH', '/v1/me', { token: p.token, body: { name: bad } });
      expect(me.status, JSON.stringify(bad)).toBe(400);
      expect((await json(me)).error.code).toBe('validation_failed');
    }
  });

  it('a session booked for a client with a quote in the name sends an invite whose names read back exactly', async () => {
    const p = await makeProvider({ name: 'Dr. "Sam" ^Smith^; MD' });
    const c = await addClient(p, { firstName: 'Jo, "JJ"; ROLE=CHAIR' });
    const start = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const res = await call('POST', '/v1/appointments', {
      token: p.token,
      body: { clientId: c.id, startsAt: start, durationMinutes: 50, location: { type: 'office' }, notify: true },
    });
    expect(res.status).toBe(201);
    const [mail] = await mailTo(c.email);
    const invite = (mail!.attachments as { content: string }[])[0]!.content;
    const { event } = eventOf(invite);
    const cn = (prop: string) => decodeParam(Object.fromEntries(event.find((l) => l.name === prop)!.params).CN!);
    expect(cn('ORGANIZER')).toBe('Dr. "Sam" ^Smith^; MD');
    expect(cn('ATTENDEE')).toBe('Jo, "JJ"; ROLE=CHAIR');
    expect(event.filter((l) => l.name === 'ATTENDEE')).toHaveLength(1);
  });
});
