// The provider's private calendar feed: make (and re-make) or turn off its secret address, and the
// feed itself — the sessions with the client's initials only, as an iCalendar a calendar app subscribes to.
import { audit, providerActor } from '../db/audit';
import * as feeds from '../db/calendar-feeds';
import type { Data } from '../db/data';
import { foldLine, inviteUid, textValue } from '../email/templates/session';
import { now } from '../platform/clock';
import { newId, randomToken, sha256Hex } from '../platform/crypto';
import type { Deps } from './context';

const DAY = 24 * 60 * 60 * 1000;
/** API.md: sessions that start from 30 days ago to 180 days ahead, both ends included. */
export const FEED_PAST_MS = 30 * DAY;
export const FEED_AHEAD_MS = 180 * DAY;

/** A token from randomToken(): 32 bytes as base64url. Anything else is unknown without asking D1. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * A new secret address; the old one (if any) stops working in the same batch. The token is only in
 * this answer: the table keeps its SHA-256.
 */
export async function createFeed(deps: Deps, providerId: string): Promise<{ url: string }> {
  const token = randomToken();
  const at = now().toISOString();
  const id = newId('cfd');
  await deps.data.write([
    feeds.revokeLive(providerId, at),
    feeds.insert({ id, tokenHash: await sha256Hex(token), providerId, at }),
    audit({ ...providerActor(providerId), action: 'calendar_feed.create', entityType: 'calendar_feed', entityId: id }),
  ]);
  return { url: `${deps.config.PUBLIC_URL.replace(/\/+$/, '')}/feed/${token}.ics` };
}

/** Turns the feed off (nothing to do when there is none). */
export async function deleteFeed(data: Data, providerId: string): Promise<void> {
  const at = now().toISOString();
  await data.write([feeds.revokeLive(providerId, at), feeds.auditRevoked(providerId, at)]);
}

/**
 * The feed behind `token`, or null for an unknown or revoked one. One round trip: the token's
 * feed, its sessions and the read's audit row in one batch.
 */
export async function readFeed(data: Data, token: string): Promise<string | null> {
  if (!TOKEN.test(token)) return null;
  const hash = await sha256Hex(token);
  const t = now();
  const from = new Date(t.getTime() - FEED_PAST_MS).toISOString();
  const to = new Date(t.getTime() + FEED_AHEAD_MS).toISOString();
  const [feed, sessions] = await data.read(
    [feeds.byToken(hash), feeds.sessionsOf(hash, from, to)],
    [feeds.auditRead(hash, t.toISOString())],
  );
  if (!feed) return null;
  return feedCalendar(sessions, feed.telehealth_url, t);
}

/** "J. R.": the first letter of each name, nothing more of the client. */
export function initials(firstName: string, lastName: string): string {
  return [firstName, lastName]
    .map((name) => /[\p{L}\p{N}]\p{M}*/u.exec(name)?.[0])
    .filter((ch): ch is string => Boolean(ch))
    .map((ch) => `${ch.toLocaleUpperCase('en-US')}.`)
    .join(' ');
}

/** A stored instant (toISOString's form, as every time in D1 is) as an iCalendar UTC date-time: 20261203T173000Z. */
const utc = (iso: string) =>
  `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;

/**
 * The iCalendar, with the invites' own pieces (session.ts: the UID, RFC 5545 text escaping, folding
 * by octets): the same UID and SEQUENCE as the session's invites, times in UTC, and of the client
 * only initials. Written line by line rather than through the `ics` library, whose validation of
 * each event would make a full feed cost tens of milliseconds of CPU.
 */
export function feedCalendar(sessions: feeds.FeedSessionRow[], telehealthUrl: string | null, stamp: Date): string {
  const dtstamp = utc(stamp.toISOString());
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Caseload//Calendar feed//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'X-WR-CALNAME:Caseload sessions',
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
    'X-PUBLISHED-TTL:PT1H',
  ];
  // A client comes back week after week: their initials are worked out once.
  const whoOf = new Map<string, string>();
  for (const s of sessions) {
    const key = `${s.first_name}\n${s.last_name}`;
    const who = whoOf.get(key) ?? initials(s.first_name, s.last_name);
    whoOf.set(key, who);
    const telehealth = s.location_type === 'telehealth';
    const summary = `${who ? `Session · ${who}` : 'Session'}${telehealth ? ' (telehealth)' : ''}`;
    const location = telehealth ? telehealthUrl || 'Video session' : 'Office';
    lines.push(
      'BEGIN:VEVENT',
      `UID:${textValue(inviteUid(s.id))}`,
      `SEQUENCE:${s.ics_sequence}`,
      `DTSTAMP:${dtstamp}`,
      `DTSTART:${utc(s.starts_at)}`,
      `DTEND:${utc(s.ends_at)}`,
      `SUMMARY:${textValue(summary)}`,
      `LOCATION:${textValue(location)}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR', '');
  return lines.map(foldLine).join('\r\n');
}
