// GET /v1/appointments/day: one day in the provider's zone (default today there), every status, by
// start, and the next scheduled session after it — DST days, other providers, validation, the plan.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { day, nextScheduled } from '../../worker/db/appointments';
import { testClock } from '../../worker/platform/clock';
import { confirm, schedule, setup, type Setup } from './appointments-helpers';
import { call, json } from './helpers';

const NY = 'America/New_York';
type Day = {
  date: string;
  timeZone: string;
  items: { id: string; startsAt: string; status: string; client: { firstName: string } }[];
  next: { id: string; startsAt: string } | null;
};

async function dayOf(s: Setup, date?: string): Promise<Day> {
  const res = await call('GET', `/v1/appointments/day${date ? `?date=${date}` : ''}`, { token: s.p.token });
  expect(res.status, await res.clone().text()).toBe(200);
  return json<Day>(res);
}
// 15-minute sessions: the tests put some half an hour apart.
const book = (s: Setup, startsAt: string) => schedule(s, startsAt, { durationMinutes: 15 });
const starts = (d: Day) => d.items.map((a) => a.startsAt);

describe('GET /v1/appointments/day', () => {
  it("lists the provider's day in their zone by start, in every status, with the next session after it", async () => {
    testClock.set(new Date('2026-12-02T15:00:00.000Z')); // 10:00 EST, Wednesday 2 December
    const s = await setup({ timeZone: NY });
    await book(s, '2026-12-02T04:30:00.000Z'); // 1 December 23:30 EST: the day before
    const late = await book(s, '2026-12-03T04:30:00.000Z'); // 23:30 EST: still the 2nd
    const afternoon = await book(s, '2026-12-02T19:00:00.000Z');
    const midnight = await book(s, '2026-12-02T05:00:00.000Z'); // 00:00 EST: the day's first moment
    const morning = await schedule(s, '2026-12-02T13:00:00.000Z');
    const tomorrowCanceled = await book(s, '2026-12-03T05:00:00.000Z');
    const tomorrow = await book(s, '2026-12-03T15:00:00.000Z');
    expect((await confirm(s, morning.id)).status).toBe(200);
    const cancel = await call('POST', `/v1/appointments/${afternoon.id}/cancel`, {
      token: s.p.token,
      body: { reason: 'client' },
    });
    expect(cancel.status).toBe(200);
    await call('POST', `/v1/appointments/${tomorrowCanceled.id}/cancel`, {
      token: s.p.token,
      body: { reason: 'provider' },
    });

    const d = await dayOf(s);
    expect(d.date).toBe('2026-12-02');
    expect(d.timeZone).toBe(NY);
    expect(d.items.map((a) => a.id)).toEqual([midnight.id, morning.id, afternoon.id, late.id]);
    expect(d.items.map((a) => a.status)).toEqual(['scheduled', 'confirmed', 'canceled', 'scheduled']);
    expect(d.items[0]!.client.firstName).toBeTruthy();
    // The next one is the first *scheduled* session after the day (the canceled one at midnight is skipped).
    expect(d.next?.id).toBe(tomorrow.id);
    expect(await dayOf(s, '2026-12-02')).toEqual(d);
  });

  it('defaults to today in the provider’s zone, not UTC’s', async () => {
    testClock.set(new Date('2026-12-03T03:00:00.000Z')); // 22:00 EST on the 2nd; already the 3rd in UTC
    const s = await setup({ timeZone: NY });
    const tonight = await book(s, '2026-12-03T03:30:00.000Z');
    const d = await dayOf(s);
    expect(d.date).toBe('2026-12-02');
    expect(d.items.map((a) => a.id)).toEqual([tonight.id]);
    const tokyo = await setup({ timeZone: 'Asia/Tokyo' });
    expect((await dayOf(tokyo)).date).toBe('2026-12-03');
  });

  it('an empty day lists nothing and points to the next session; none ahead is null', async () => {
    testClock.set(new Date('2026-12-02T15:00:00.000Z'));
    const s = await setup({ timeZone: NY });
    expect(await dayOf(s)).toEqual({ date: '2026-12-02', timeZone: NY, items: [], next: null });
    const later = await book(s, '2026-12-09T15:00:00.000Z');
    await book(s, '2026-12-16T15:00:00.000Z');
    const d = await dayOf(s, '2026-12-04');
    expect(d.items).toEqual([]);
    expect(d.next?.id).toBe(later.id);
    expect((await dayOf(s, '2026-12-20')).next).toBeNull();
  });

  it('a daylight-saving day is 25 or 23 hours long, bounded by local midnights', async () => {
    testClock.set(new Date('2026-12-02T15:00:00.000Z'));
    const s = await setup({ timeZone: NY });
    // Fall back, Sunday 1 November 2026: 00:00 EDT = 04:00Z … 24:00 EST = 05:00Z on the 2nd.
    const before = await book(s, '2026-11-01T03:30:00.000Z'); // 31 Oct 23:30 EDT
    const first = await book(s, '2026-11-01T04:00:00.000Z'); // 1 Nov 00:00 EDT
    const last = await book(s, '2026-11-02T04:00:00.000Z'); // 1 Nov 23:00 EST (would be the 2nd with EDT's offset)
    const after = await book(s, '2026-11-02T05:00:00.000Z'); // 2 Nov 00:00 EST
    const fall = await dayOf(s, '2026-11-01');
    expect(starts(fall)).toEqual([first.startsAt, last.startsAt]);
    expect(fall.next?.id).toBe(after.id);
    expect(starts(await dayOf(s, '2026-10-31'))).toEqual([before.startsAt]);

    // Spring forward, Sunday 8 March 2026: 00:00 EST = 05:00Z … 24:00 EDT = 04:00Z on the 9th.
    await book(s, '2026-03-08T04:30:00.000Z'); // 7 Mar 23:30 EST
    const springFirst = await book(s, '2026-03-08T05:00:00.000Z');
    const springLast = await book(s, '2026-03-09T03:00:00.000Z'); // 8 Mar 23:00 EDT
    const springAfter = await book(s, '2026-03-09T04:00:00.000Z'); // 9 Mar 00:00 EDT
    const spring = await dayOf(s, '2026-03-08');
    expect(starts(spring)).toEqual([springFirst.startsAt, springLast.startsAt]);
    expect(spring.next?.id).toBe(springAfter.id);
  });

  it("never shows another provider's sessions, in the day or as next", async () => {
    testClock.set(new Date('2026-12-02T15:00:00.000Z'));
    const mine = await setup({ timeZone: NY });
    const theirs = await setup({ timeZone: NY });
    await book(theirs, '2026-12-02T16:00:00.000Z');
    await book(theirs, '2026-12-03T16:00:00.000Z');
    const own = await book(mine, '2026-12-02T18:00:00.000Z');
    const d = await dayOf(mine);
    expect(d.items.map((a) => a.id)).toEqual([own.id]);
    expect(d.next).toBeNull();
  });

  it('refuses a date that is not a real YYYY-MM-DD with validation_failed at `date`', async () => {
    testClock.set(new Date('2026-12-02T15:00:00.000Z'));
    const s = await setup({ timeZone: NY });
    for (const bad of ['2026-02-30', '2026-2-3', 'tomorrow', '', '2026-12-02T00:00:00Z', '1800-01-01']) {
      const res = await call('GET', `/v1/appointments/day?date=${encodeURIComponent(bad)}`, { token: s.p.token });
      expect(res.status, bad).toBe(400);
      const body = await json(res);
      expect(body.error.code, bad).toBe('validation_failed');
      expect(
        body.error.issues.map((i: { path: string }) => i.path),
        bad,
      ).toEqual(['date']);
    }
    expect((await call('GET', '/v1/appointments/day')).status).toBe(401);
  });

  it('is the token and one batch (2 round trips), and both reads are index ranges', async () => {
    testClock.set(new Date('2026-12-02T15:00:00.000Z'));
    const s = await setup({ timeZone: NY });
    await book(s, '2026-12-02T18:00:00.000Z');
    const res = await call('GET', '/v1/appointments/day', { token: s.p.token });
    expect(res.headers.get('x-d1-round-trips')).toBe('2');
    for (const read of [day('p', 'a', 'b'), nextScheduled('p', 'a')]) {
      const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${read.query.sql}`)
        .bind(...read.query.parameters)
        .all<{ detail: string }>();
      const plan = results.map((r) => r.detail).join('\n');
      expect(plan).toMatch(/SEARCH a USING INDEX appointments_provider_start \(provider_id=\? AND starts_at>\?/);
      expect(plan).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
    }
  });
});
