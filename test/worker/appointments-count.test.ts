// GET /v1/appointments/unconfirmed/count: past sessions still `scheduled`, from the partial index, no table scan.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { testClock } from '../../worker/platform/clock';
import { UNCONFIRMED_COUNT_SQL } from '../../worker/db/appointments';
import { call, json } from './helpers';
import { at, confirm, DAY, HOUR, MIN, refresh, schedule, setup } from './appointments-helpers';

const T0 = Date.parse('2026-12-01T12:00:00.000Z');

describe('the unconfirmed count', () => {
  it('counts scheduled sessions whose end is at or before now, with the oldest start; rises and drops', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const count = async () => json(await call('GET', '/v1/appointments/unconfirmed/count', { token: s.p.token }));
    expect(await count()).toEqual({ count: 0, oldestStartsAt: null });

    const old = await schedule(s, at(T0 - 40 * DAY)); // past the window: still needs a decision, still counted
    const recent = await schedule(s, at(T0 - DAY));
    const endsNow = await schedule(s, at(T0 - 30 * MIN), { durationMinutes: 30 }); // ends exactly now
    await schedule(s, at(T0)); // in progress: not yet
    await schedule(s, at(T0 + DAY)); // future
    const canceled = await schedule(s, at(T0 - 2 * DAY));
    await call('POST', `/v1/appointments/${canceled.id}/cancel`, { token: s.p.token, body: { reason: 'client' } });
    expect(await count()).toEqual({ count: 3, oldestStartsAt: old.startsAt });

    expect((await confirm(s, recent.id)).status).toBe(200);
    await call('POST', `/v1/appointments/${old.id}/cancel`, { token: s.p.token, body: { reason: 'no_show' } });
    expect(await count()).toEqual({ count: 1, oldestStartsAt: endsNow.startsAt });

    testClock.set(new Date(T0 + HOUR));
    await refresh(s);
    expect((await count()).count).toBe(2);
  });

  it('is per provider', async () => {
    testClock.set(new Date(T0));
    const a = await setup();
    const b = await setup();
    await schedule(a, at(T0 - DAY));
    expect(await json(await call('GET', '/v1/appointments/unconfirmed/count', { token: b.p.token }))).toEqual({
      count: 0,
      oldestStartsAt: null,
    });
  });

  it('reads only the partial index appointments_unconfirmed: no table is scanned', async () => {
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${UNCONFIRMED_COUNT_SQL}`)
      .bind('prv_x', at(T0), 'prv_x', at(T0))
      .all<{ detail: string }>();
    const plan = results.map((r) => r.detail).join('\n');
    expect(plan).toMatch(/SEARCH appointments USING COVERING INDEX appointments_unconfirmed/);
    expect(plan).toMatch(/SEARCH appointments USING INDEX appointments_unconfirmed/);
    expect(plan).not.toMatch(/SCAN (?!CONSTANT ROW)/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });

  it('the conflict probe and calendar reads are index ranges too', async () => {
    const plan = async (sql: string, ...params: unknown[]) =>
      (
        await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .bind(...params)
          .all<{ detail: string }>()
      ).results
        .map((r) => r.detail)
        .join('\n');
    const probe = await plan(
      "SELECT id FROM appointments WHERE provider_id = ? AND status NOT IN ('canceled', 'late_canceled') AND starts_at > ? AND starts_at < ? AND ends_at > ?",
      'p',
      'a',
      'b',
      'c',
    );
    expect(probe).toMatch(
      /SEARCH appointments USING INDEX appointments_provider_start \(provider_id=\? AND starts_at>\? AND starts_at<\?\)/,
    );
  });
});
