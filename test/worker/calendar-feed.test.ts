// The private calendar feed (API.md, "Calendar feed"): a secret address made, re-made and turned off
// from /v1/me/calendar-feed; GET /feed/:token.ics read by Mozilla's ical.js — the invites' UIDs,
// UTC times, the client's initials and nothing else of theirs, in one D1 round trip, audited.
import { env } from 'cloudflare:workers';
import ICAL from 'ical.js';
import { createEvents } from 'ics';
import { describe, expect, it } from 'vitest';
import * as feeds from '../../worker/db/calendar-feeds';
import { createData } from '../../worker/db/data';
import { feedCalendar, initials } from '../../worker/domain/calendar-feed';
import { pruneRetention } from '../../worker/domain/operations';
import { textValue } from '../../worker/email/templates/session';
import { testClock } from '../../worker/platform/clock';
import { sha256Hex } from '../../worker/platform/crypto';
import { at, CONFIRM, confirm, DAY, HOUR, type Setup, schedule, setup } from './appointments-helpers';
import { addClient, call, json, mailTo } from './helpers';

const T0 = Date.parse('2026-12-01T12:00:00.000Z');
const FEED_URL = /^http:\/\/127\.0\.0\.1:8787\/feed\/([A-Za-z0-9_-]{43})\.ics$/;

async function makeFeed(s: Setup): Promise<{ url: string; path: string; token: string }> {
  const res = await call('POST', '/v1/me/calendar-feed', { token: s.p.token });
  expect(res.status).toBe(201);
  const { url } = await json<{ url: string }>(res);
  const token = FEED_URL.exec(url)?.[1];
  expect(token, url).toBeDefined();
  return { url, path: new URL(url).pathname, token: token! };
}

interface FeedEvent {
  uid: string;
  summary: string;
  location: string;
  start: string;
  end: string;
  /** Every property of the VEVENT, by name. */
  props: string[];
}

/** The feed as ical.js reads it (throws on anything it cannot parse). */
function parseFeed(text: string): { calendar: ICAL.Component; events: FeedEvent[] } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  expect(calendar.name).toBe('vcalendar');
  const events = calendar.getAllSubcomponents('vevent').map((vevent) => {
    const e = new ICAL.Event(vevent);
    expect(e.startDate.zone?.tzid, 'DTSTART in UTC').toBe('UTC');
    expect(e.endDate.zone?.tzid, 'DTEND in UTC').toBe('UTC');
    return {
      uid: e.uid,
      summary: e.summary,
      location: e.location,
      start: e.startDate.toJSDate().toISOString(),
      end: e.endDate.toJSDate().toISOString(),
      props: vevent.getAllProperties().map((p) => p.name),
    };
  });
  return { calendar, events };
}

async function readFeed(path: string) {
  const res = await call('GET', path);
  expect(res.status, await res.clone().text()).toBe(200);
  return { res, text: await res.text() };
}

describe('the calendar feed address', () => {
  it('is made by POST /v1/me/calendar-feed: an absolute address shown once, stored only as its hash; GET /v1/me says since when', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    expect((await json(await call('GET', '/v1/me', { token: s.p.token }))).calendarFeed).toBeNull();

    const feed = await makeFeed(s);
    expect(feed.url.startsWith(`${env.PUBLIC_URL}/feed/`)).toBe(true);
    const me = await json(await call('GET', '/v1/me', { token: s.p.token }));
    expect(me.calendarFeed).toEqual({ createdAt: at(T0) });
    expect(JSON.stringify(me)).not.toContain(feed.token);

    const stored = await env.DB.prepare('SELECT * FROM calendar_feeds WHERE provider_id = ?').bind(s.p.id).all();
    expect(stored.results).toHaveLength(1);
    expect(stored.results[0]!.token_hash).toBe(await sha256Hex(feed.token));
    expect(JSON.stringify(stored.results)).not.toContain(feed.token);
    // The address is nowhere else either: not in the audit log, not in an Idempotency-Key record.
    const audit = await env.DB.prepare('SELECT * FROM audit_log WHERE provider_id = ?').bind(s.p.id).all();
    expect(JSON.stringify(audit.results)).not.toContain(feed.token);
    expect(audit.results.map((r) => r.action)).toContain('calendar_feed.create');
  });

  it('a new address revokes the old one: the old answers 404, the new one the feed', async () => {
    const s = await setup();
    const first = await makeFeed(s);
    expect((await call('GET', first.path)).status).toBe(200);
    const second = await makeFeed(s);
    expect(second.token).not.toBe(first.token);
    expect((await call('GET', first.path)).status).toBe(404);
    expect((await call('GET', second.path)).status).toBe(200);
    const live = await env.DB.prepare(
      'SELECT count(*) AS n FROM calendar_feeds WHERE provider_id = ? AND revoked_at IS NULL',
    )
      .bind(s.p.id)
      .first<{ n: number }>();
    expect(live?.n).toBe(1);
  });

  it('two addresses made at once leave exactly one working', async () => {
    const s = await setup();
    const made = await Promise.all([makeFeed(s), makeFeed(s), makeFeed(s)]);
    const statuses = await Promise.all(made.map(async (f) => (await call('GET', f.path)).status));
    expect(statuses.filter((st) => st === 200)).toHaveLength(1);
    expect(statuses.filter((st) => st === 404)).toHaveLength(2);
  });

  it('DELETE /v1/me/calendar-feed turns it off: 204, the address answers 404, GET /v1/me says null; again is still 204', async () => {
    const s = await setup();
    const feed = await makeFeed(s);
    const off = await call('DELETE', '/v1/me/calendar-feed', { token: s.p.token });
    expect(off.status).toBe(204);
    expect((await call('GET', feed.path)).status).toBe(404);
    expect((await json(await call('GET', '/v1/me', { token: s.p.token }))).calendarFeed).toBeNull();
    expect((await call('DELETE', '/v1/me/calendar-feed', { token: s.p.token })).status).toBe(204);
    const revokes = await env.DB.prepare(
      "SELECT entity_id FROM audit_log WHERE provider_id = ? AND action = 'calendar_feed.revoke'",
    )
      .bind(s.p.id)
      .all<{ entity_id: string }>();
    // One revoke recorded (the second DELETE changed nothing), naming the feed by its id.
    expect(revokes.results).toHaveLength(1);
    expect(revokes.results[0]!.entity_id).toMatch(/^cfd_/);
  });

  it('needs the bearer token to make or turn off', async () => {
    expect((await call('POST', '/v1/me/calendar-feed')).status).toBe(401);
    expect((await call('DELETE', '/v1/me/calendar-feed')).status).toBe(401);
  });

  it('an unknown, revoked or malformed address is a 404 that says nothing, never cached', async () => {
    const s = await setup();
    const feed = await makeFeed(s);
    await call('DELETE', '/v1/me/calendar-feed', { token: s.p.token });
    const unknown = `/feed/${'A'.repeat(43)}.ics`;
    const paths = [
      feed.path,
      unknown,
      `/feed/${feed.token}`,
      `/feed/${feed.token}.ICS`,
      '/feed/x.ics',
      `/feed/${feed.token}.ics/`,
    ];
    const bodies = new Set<string>();
    for (const path of paths) {
      const res = await call('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
      const body = await json(res);
      expect(body.error.code, path).toBe('not_found');
      if (path !== `/feed/${feed.token}.ics/`) bodies.add(JSON.stringify(body));
    }
    expect(bodies.size, 'the same answer for revoked, unknown and malformed').toBe(1);
  });
});

describe('GET /feed/:token.ics', () => {
  it('is text/calendar, cache-control private, max-age=300, and ical.js reads it without error, empty or not', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const feed = await makeFeed(s);
    const empty = await readFeed(feed.path);
    expect(empty.res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(empty.res.headers.get('cache-control')).toBe('private, max-age=300');
    expect(parseFeed(empty.text).events).toEqual([]);

    await schedule(s, at(T0 + DAY));
    const one = await readFeed(feed.path);
    expect(one.res.headers.get('cache-control')).toBe('private, max-age=300');
    expect(parseFeed(one.text).events).toHaveLength(1);
  });

  it('lists scheduled and confirmed sessions starting from 30 days ago to 180 days ahead, both ends included', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const feed = await makeFeed(s);
    const early = await schedule(s, at(T0 - 10 * DAY));
    const held = await schedule(s, at(T0 - 2 * DAY));
    expect((await confirm(s, held.id)).status).toBe(200);
    const canceled = await schedule(s, at(T0 + 3 * DAY));
    const cancel = await call('POST', `/v1/appointments/${canceled.id}/cancel`, {
      token: s.p.token,
      body: { reason: 'client' },
    });
    expect(cancel.status).toBe(200);
    const soon = await schedule(s, at(T0 + 3 * DAY + HOUR));
    const late = await schedule(s, at(T0 + 100 * DAY));

    const uidsAt = async (clock: number) => {
      testClock.set(new Date(clock));
      return parseFeed((await readFeed(feed.path)).text).events.map((e) => e.uid);
    };
    const uid = (a: { id: string }) => `${a.id}@caseload`;
    const now = parseFeed((await readFeed(feed.path)).text).events;
    expect(now.map((e) => e.uid)).toEqual([early, held, soon, late].map(uid));
    for (const a of [early, held, soon, late]) {
      expect(now.find((e) => e.uid === uid(a))).toMatchObject({ start: a.startsAt, end: a.endsAt });
    }
    // The window moves with the clock: a session is in it from 180 days before it starts to 30 days after.
    const earlyAt = Date.parse(early.startsAt);
    const lateAt = Date.parse(late.startsAt);
    expect(await uidsAt(earlyAt + 30 * DAY)).toContain(uid(early));
    expect(await uidsAt(earlyAt + 30 * DAY + 1)).not.toContain(uid(early));
    expect(await uidsAt(lateAt - 180 * DAY)).toContain(uid(late));
    expect(await uidsAt(lateAt - 180 * DAY - 1)).not.toContain(uid(late));
  });

  it("each event has the UID of the session's email invite, and its times in UTC", async () => {
    testClock.set(new Date(T0));
    const s = await setup({ timeZone: 'America/Los_Angeles' });
    const feed = await makeFeed(s);
    const a = await schedule(s, '2026-12-03T09:30:00-08:00', { notify: true });
    const [mail] = await mailTo(s.clientEmail);
    const invite = new ICAL.Component(ICAL.parse((mail!.attachments as { content: string }[])[0]!.content));
    const inviteUid = invite.getFirstSubcomponent('vevent')!.getFirstPropertyValue('uid');

    const text = (await readFeed(feed.path)).text;
    const { events } = parseFeed(text);
    expect(events.map((e) => e.uid)).toEqual([inviteUid]);
    expect(events[0]!.start).toBe('2026-12-03T17:30:00.000Z');
    expect(text).toContain('DTSTART:20261203T173000Z\r\n');
    expect(text).toContain(`DTEND:${a.endsAt.replace(/[-:]|\.000/g, '')}\r\n`);
  });

  it("names nobody: the summary has the client's initials only, the location is Office or the video link, and no name, email, code or note is anywhere", async () => {
    testClock.set(new Date(T0));
    const s = await setup({ telehealth: true });
    const c = await addClient(s.p, { firstName: 'émile', lastName: "O'Quigley-Zanzibar" });
    // The setup's client: Ada Lovelace, with billing info (to confirm a session with codes and a note).
    const office = await schedule(s, at(T0 - DAY));
    expect((await confirm(s, office.id)).status).toBe(200);
    const video = await schedule({ ...s, clientId: c.id }, at(T0 + DAY), { location: { type: 'telehealth' } });
    const feed = await makeFeed(s);
    const text = (await readFeed(feed.path)).text;
    const { events } = parseFeed(text);

    const byUid = new Map(events.map((e) => [e.uid, e]));
    expect(byUid.get(`${office.id}@caseload`)).toMatchObject({ summary: 'Session · A. L.', location: 'Office' });
    expect(byUid.get(`${video.id}@caseload`)).toMatchObject({
      summary: 'Session · É. O. (telehealth)',
      location: 'https://video.example.com/room-1',
    });
    for (const e of events) {
      expect(e.props.sort()).toEqual(['dtend', 'dtstamp', 'dtstart', 'location', 'sequence', 'summary', 'uid']);
    }
    // Everything but the UIDs (random ids could hold any three letters).
    const unfolded = text
      .replace(/\r\n[ \t]/g, '')
      .split('\r\n')
      .filter((line) => !line.startsWith('UID:'))
      .join('\n');
    for (const secret of [
      'Ada',
      'Lovelace',
      'émile',
      'Quigley',
      'Zanzibar',
      s.clientEmail,
      c.email,
      '@example.com',
      CONFIRM.cptCode,
      CONFIRM.diagnosisCodes[0]!,
      CONFIRM.progressNote,
      'W123456789', // the member id
    ]) {
      expect(unfolded.toLowerCase(), secret).not.toContain(secret.toLowerCase());
    }
  });

  it('a video link with characters iCalendar escapes, long enough to fold, reads back exactly', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const link = `https://video.example.com/room;a=1,b=2/${'ü'.repeat(10)}/${'x'.repeat(120)}`;
    const patched = await call('PATCH', '/v1/me', { token: s.p.token, body: { telehealthUrl: link } });
    expect(patched.status).toBe(200);
    await schedule(s, at(T0 + DAY), { location: { type: 'telehealth' } });
    const feed = await makeFeed(s);
    const text = (await readFeed(feed.path)).text;
    for (const line of text.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(parseFeed(text).events[0]!.location).toBe(link);
  });

  it("shows only its own provider's sessions", async () => {
    testClock.set(new Date(T0));
    const mine = await setup();
    const theirs = await setup();
    const a = await schedule(mine, at(T0 + DAY));
    const b = await schedule(theirs, at(T0 + DAY));
    const { events } = parseFeed((await readFeed((await makeFeed(mine)).path)).text);
    expect(events.map((e) => e.uid)).toEqual([`${a.id}@caseload`]);
    expect(events.map((e) => e.uid)).not.toContain(`${b.id}@caseload`);
  });

  it('is one D1 round trip, audited as calendar_feed.read by the provider; an unknown address is audited nowhere', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    await schedule(s, at(T0 + DAY));
    const feed = await makeFeed(s);
    const res = await call('GET', feed.path, { headers: { 'cf-connecting-ip': '203.0.113.7' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-d1-round-trips')).toBe('1');
    const reads = await env.DB.prepare(
      "SELECT actor_type, actor_id, entity_type, entity_id, network FROM audit_log WHERE provider_id = ? AND action = 'calendar_feed.read'",
    )
      .bind(s.p.id)
      .all();
    expect(reads.results).toEqual([
      {
        actor_type: 'provider',
        actor_id: s.p.id,
        entity_type: 'calendar_feed',
        entity_id: expect.stringMatching(/^cfd_/),
        network: '203.0.113.0/24',
      },
    ]);

    const before = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE action = 'calendar_feed.read'",
    ).first<{
      n: number;
    }>();
    const unknown = await call('GET', `/feed/${'B'.repeat(43)}.ics`);
    expect(unknown.status).toBe(404);
    const after = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE action = 'calendar_feed.read'",
    ).first<{
      n: number;
    }>();
    expect(after?.n).toBe(before?.n);
  });

  it('finds the token by its index and the sessions by a range on appointments_provider_start', async () => {
    const { sql, parameters } = feeds.sessionsOf('h', '2026-01-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z').query;
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .bind(...parameters)
      .all<{ detail: string }>();
    const plan = results.map((r) => r.detail).join('\n');
    expect(plan).toMatch(/SEARCH f USING INDEX calendar_feeds_token/);
    expect(plan).toMatch(
      /SEARCH a USING INDEX appointments_provider_start \(provider_id=\? AND starts_at>\? AND starts_at<\?\)/,
    );
    expect(plan).not.toMatch(/\bSCAN\b/);
  });
});

describe('the feed text', () => {
  it('escapes text exactly as the invites do (the ics library), and ical.js reads every value back', () => {
    const tricky = [
      'plain',
      'a;b,c\\d',
      'line one\nline two\r\nthree',
      '\\;\\,\\n',
      'naïve café · 東京 · 🙂',
      'https://video.example.com/j/123?pwd=a,b;c',
    ];
    for (const text of tricky) {
      const { value } = createEvents([{ start: [2026, 12, 1, 15, 0], duration: { minutes: 50 }, title: text }], {
        productId: 'x',
      });
      const summary = value!
        .replace(/\r\n[ \t]/g, '')
        .split('\r\n')
        .find((l) => l.startsWith('SUMMARY:'));
      expect(summary, text).toBe(`SUMMARY:${textValue(text)}`);
    }
    const link = tricky.join(' ');
    const ics = feedCalendar(
      [
        {
          id: 'apt_x',
          starts_at: '2026-12-01T15:00:00.000Z',
          ends_at: '2026-12-01T15:50:00.000Z',
          location_type: 'telehealth',
          ics_sequence: 3,
          first_name: 'Ada',
          last_name: 'Lovelace',
        },
      ],
      link,
      new Date(T0),
    );
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')!);
    expect(event.location).toBe(link.replace(/\r\n/g, '\n'));
    expect(event.sequence).toBe(3);
  });

  it('initials: the first letter of each name, capitalized, marks kept, punctuation skipped', () => {
    expect(initials('Ada', 'Lovelace')).toBe('A. L.');
    expect(initials('émile', "O'Brien")).toBe('É. O.');
    expect(initials("'t Hooft", 'van der Berg')).toBe('T. V.');
    expect(initials('e\u0301mile', '李')).toBe('E\u0301. 李.');
    expect(initials(' ', '-')).toBe('');
  });
});

describe('retention', () => {
  it('a revoked feed is deleted 7 days after it was revoked; a live one is kept', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    await makeFeed(s);
    await call('DELETE', '/v1/me/calendar-feed', { token: s.p.token });
    await makeFeed(s);
    const count = async () =>
      (await env.DB.prepare(
        'SELECT count(*) AS n, count(revoked_at) AS revoked FROM calendar_feeds WHERE provider_id = ?',
      )
        .bind(s.p.id)
        .first<{ n: number; revoked: number }>())!;
    const fail = (err: unknown) => {
      throw err;
    };
    await pruneRetention(createData(env.DB), new Date(T0 + 7 * DAY - 1000), fail);
    expect(await count()).toEqual({ n: 2, revoked: 1 });
    await pruneRetention(createData(env.DB), new Date(T0 + 7 * DAY + 1000), fail);
    expect(await count()).toEqual({ n: 1, revoked: 0 });
  });
});
