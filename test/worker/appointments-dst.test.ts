// A series keeps the provider's wall-clock time across daylight-saving changes (API.md), on the 2026 and
// 2027 transition days of New York, Los Angeles, Berlin and Sydney, and in Kolkata (no DST).
// Expected instants were worked out by hand from each zone's offsets and checked against Node's Intl.
import { describe, expect, it } from 'vitest';
import { testClock } from '../../worker/platform/clock';
import { call, json } from './helpers';
import { setup } from './appointments-helpers';

const z = (s: string) => `${s}:00.000Z`;

// [zone, first start (UTC), every, the series' starts (UTC)]: each series runs D−7, D, D+7 around a change day D.
const CASES: [string, string, 'week' | '2weeks', string[]][] = [
  ['America/New_York', '2026-03-01T15:00', 'week', ['2026-03-01T15:00', '2026-03-08T14:00', '2026-03-15T14:00']],
  ['America/New_York', '2026-10-25T14:00', 'week', ['2026-10-25T14:00', '2026-11-01T15:00', '2026-11-08T15:00']],
  ['America/New_York', '2027-03-07T15:00', 'week', ['2027-03-07T15:00', '2027-03-14T14:00', '2027-03-21T14:00']],
  ['America/New_York', '2027-10-31T14:00', 'week', ['2027-10-31T14:00', '2027-11-07T15:00', '2027-11-14T15:00']],
  ['America/New_York', '2026-10-25T14:00', '2weeks', ['2026-10-25T14:00', '2026-11-08T15:00', '2026-11-22T15:00']],
  ['America/Los_Angeles', '2026-03-01T18:00', 'week', ['2026-03-01T18:00', '2026-03-08T17:00', '2026-03-15T17:00']],
  ['America/Los_Angeles', '2026-10-25T17:00', 'week', ['2026-10-25T17:00', '2026-11-01T18:00', '2026-11-08T18:00']],
  ['America/Los_Angeles', '2027-03-07T18:00', 'week', ['2027-03-07T18:00', '2027-03-14T17:00', '2027-03-21T17:00']],
  ['America/Los_Angeles', '2027-10-31T17:00', 'week', ['2027-10-31T17:00', '2027-11-07T18:00', '2027-11-14T18:00']],
  ['Europe/Berlin', '2026-03-22T09:00', 'week', ['2026-03-22T09:00', '2026-03-29T08:00', '2026-04-05T08:00']],
  ['Europe/Berlin', '2026-10-18T08:00', 'week', ['2026-10-18T08:00', '2026-10-25T09:00', '2026-11-01T09:00']],
  ['Europe/Berlin', '2027-03-21T09:00', 'week', ['2027-03-21T09:00', '2027-03-28T08:00', '2027-04-04T08:00']],
  ['Europe/Berlin', '2027-10-24T08:00', 'week', ['2027-10-24T08:00', '2027-10-31T09:00', '2027-11-07T09:00']],
  ['Australia/Sydney', '2026-03-28T23:00', 'week', ['2026-03-28T23:00', '2026-04-05T00:00', '2026-04-12T00:00']],
  ['Australia/Sydney', '2026-09-27T00:00', 'week', ['2026-09-27T00:00', '2026-10-03T23:00', '2026-10-10T23:00']],
  ['Australia/Sydney', '2027-03-27T23:00', 'week', ['2027-03-27T23:00', '2027-04-04T00:00', '2027-04-11T00:00']],
  ['Australia/Sydney', '2027-09-26T00:00', 'week', ['2027-09-26T00:00', '2027-10-02T23:00', '2027-10-09T23:00']],
  ['Asia/Kolkata', '2026-10-25T04:30', 'week', ['2026-10-25T04:30', '2026-11-01T04:30', '2026-11-08T04:30']],
  ['Asia/Kolkata', '2027-03-07T04:30', 'week', ['2027-03-07T04:30', '2027-03-14T04:30', '2027-03-21T04:30']],
];

function wallClock(instant: string, tz: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(instant));
}

async function series(timeZone: string, startsAt: string, every: 'week' | '2weeks', count: number): Promise<string[]> {
  const s = await setup({ timeZone });
  const res = await call('POST', '/v1/appointments', {
    token: s.p.token,
    body: {
      clientId: s.clientId,
      startsAt,
      durationMinutes: 50,
      location: { type: 'office' },
      repeat: { every, count },
    },
  });
  expect(res.status).toBe(201);
  const { items } = await json(res);
  for (const a of items) expect(Date.parse(a.endsAt) - Date.parse(a.startsAt)).toBe(50 * 60_000);
  return items.map((a: { startsAt: string }) => a.startsAt);
}

describe('series across daylight-saving changes', () => {
  it.each(CASES)('%s from %s every %s', async (tz, first, every, expected) => {
    testClock.set('2026-06-01T00:00:00.000Z');
    // (within API.md's 2 years of every first session below)
    const starts = await series(tz, z(first), every, expected.length);
    expect(starts).toEqual(expected.map(z));
    const local = wallClock(starts[0]!, tz);
    for (const s of starts) expect(wallClock(s, tz)).toBe(local);
  });

  it('New York 10:00 stays 10:00 after the November change over a 10-week series', async () => {
    testClock.set('2025-06-01T00:00:00.000Z');
    const starts = await series('America/New_York', '2026-10-06T14:00:00.000Z', 'week', 10);
    for (const s of starts) expect(wallClock(s, 'America/New_York')).toBe('10:00');
    expect(starts.filter((s) => s.endsWith('T14:00:00.000Z'))).toHaveLength(4); // Oct 6–27, EDT
    expect(starts.filter((s) => s.endsWith('T15:00:00.000Z'))).toHaveLength(6); // Nov 3 on, EST
  });

  it('a repeat falling in the spring-forward gap moves forward by the gap (02:30 → 03:30 EDT)', async () => {
    testClock.set('2025-06-01T00:00:00.000Z');
    // 02:30 EST on 1 March 2026 = 07:30Z; 8 March 02:30 does not exist in New York.
    const starts = await series('America/New_York', '2026-03-01T07:30:00.000Z', 'week', 3);
    expect(starts).toEqual(['2026-03-01T07:30:00.000Z', '2026-03-08T07:30:00.000Z', '2026-03-15T06:30:00.000Z']);
    expect(starts.map((s) => wallClock(s, 'America/New_York'))).toEqual(['02:30', '03:30', '02:30']);
  });

  it('a repeat at an hour that happens twice takes the first one (01:30 EDT on 1 Nov 2026)', async () => {
    testClock.set('2025-06-01T00:00:00.000Z');
    const starts = await series('America/New_York', '2026-10-25T05:30:00.000Z', 'week', 3);
    expect(starts).toEqual(['2026-10-25T05:30:00.000Z', '2026-11-01T05:30:00.000Z', '2026-11-08T06:30:00.000Z']);
  });
});
