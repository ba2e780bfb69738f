// D1 round trips per request, counted by db/round-trips.ts and reported outside production in
// `x-d1-round-trips`. Budgets (the architecture issue): a read route makes at most 2 — the token,
// then its query (or one batch); a write route at most 3 — the token (with the Idempotency-Key
// record), its reads in one batch, and one batch for the change with its audit and idempotency rows.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { countRoundTrips } from '../../worker/db/round-trips';
import { testClock } from '../../worker/platform/clock';
import { at, DAY, HOUR, schedule, setup } from './appointments-helpers';
import { call, json, uniqueEmail } from './helpers';

const T0 = Date.parse('2026-12-01T12:00:00.000Z');
const CONFIRM = { cptCode: '90834', diagnosisCodes: ['F41.1'], progressNote: 'Worked on sleep.' };
const key = () => ({ 'idempotency-key': crypto.randomUUID() });

async function trips(res: Response, status: number): Promise<number> {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${await res.text()}`);
  const n = res.headers.get('x-d1-round-trips');
  expect(n, 'x-d1-round-trips header').not.toBeNull();
  return Number(n);
}

describe('the round-trip counter', () => {
  it('counts a batch as one and each statement run alone as one', async () => {
    const counted = countRoundTrips(env.DB);
    await counted.d1.prepare('SELECT 1').first();
    await counted.d1.prepare('SELECT ?').bind(2).all();
    await counted.d1.batch([counted.d1.prepare('SELECT 1'), counted.d1.prepare('SELECT ?').bind(3)]);
    expect(counted.count()).toBe(3);
  });
});

describe('round trips per route', () => {
  it('reads: ≤ 2 (badge count, appointment list, to-confirm list, client search, me, a client, note, claims; the calendar feed 1)', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const past = await schedule(s, at(T0 - DAY));
    await schedule(s, at(T0 + DAY));
    const t = { token: s.p.token };
    const week = `from=${encodeURIComponent(at(T0 - 3 * DAY))}&to=${encodeURIComponent(at(T0 + 4 * DAY))}`;
    const reads: [string, string][] = [
      ['badge count', '/v1/appointments/unconfirmed/count'],
      ['appointment list (a week)', `/v1/appointments?${week}`],
      ['a day (Today)', '/v1/appointments/day'],
      ['to-confirm list', `/v1/appointments?status=scheduled&to=${encodeURIComponent(at(T0))}`],
      ['a client’s sessions', `/v1/appointments?clientId=${s.clientId}`],
      ['client search', '/v1/clients?q=ada'],
      ['an appointment', `/v1/appointments/${past.id}`],
      ['me', '/v1/me'],
      ['a client', `/v1/clients/${s.clientId}`],
      ['billing info', `/v1/clients/${s.clientId}/billing`],
      ['claims', '/v1/claims'],
      ['payers', '/v1/payers'],
      ['ICD-10-CM by code', '/v1/codes/icd10?q=r4585'],
      ['ICD-10-CM by words', '/v1/codes/icd10?q=suic%20ideat'],
      ['billing profile', '/v1/me/billing-profile'],
      ['fees', '/v1/me/fees'],
    ];
    for (const [what, path] of reads) {
      expect(await trips(await call('GET', path, t), 200), what).toBeLessThanOrEqual(2);
    }
    await call('POST', `/v1/appointments/${past.id}/confirm`, { ...t, body: CONFIRM });
    expect(await trips(await call('GET', `/v1/appointments/${past.id}/note`, t), 200), 'note').toBeLessThanOrEqual(2);
    // The badge is exactly the token and the count.
    expect(await trips(await call('GET', '/v1/appointments/unconfirmed/count', t), 200)).toBe(2);
    // The calendar feed (no bearer token): its token, its sessions and the audit row in one batch.
    const feed = new URL((await json(await call('POST', '/v1/me/calendar-feed', t))).url).pathname;
    expect(await trips(await call('GET', feed), 200), 'calendar feed').toBe(1);
  });

  it('writes: ≤ 3 (create an appointment, a series, confirm, correct, move, cancel, add a client, billing, the calendar feed address)', async () => {
    testClock.set(new Date(T0));
    const s = await setup({ telehealth: true });
    const t = { token: s.p.token };
    const body = { clientId: s.clientId, durationMinutes: 50, location: { type: 'office' } };

    const one = await call('POST', '/v1/appointments', {
      ...t,
      headers: key(),
      body: { ...body, startsAt: at(T0 - 2 * HOUR) },
    });
    expect(await trips(one, 201), 'create an appointment').toBeLessThanOrEqual(3);
    const series = await call('POST', '/v1/appointments', {
      ...t,
      headers: key(),
      body: { ...body, startsAt: at(T0 + 2 * DAY), notify: true, repeat: { every: 'week', count: 10 } },
    });
    expect(await trips(series, 201), 'create a notified weekly series').toBeLessThanOrEqual(3);
    const apt = await json(one);

    const confirmed = await call('POST', `/v1/appointments/${apt.id}/confirm`, { ...t, headers: key(), body: CONFIRM });
    expect(await trips(confirmed, 200), 'confirm').toBeLessThanOrEqual(3);
    const corrected = await call('PATCH', `/v1/appointments/${apt.id}/confirmation`, {
      ...t,
      body: { cptCode: '90832', endedAt: at(T0 - 2 * HOUR + 30 * 60_000) },
    });
    expect(await trips(corrected, 200), 'correct a confirmation').toBeLessThanOrEqual(3);

    const future = (await json(series)).items[0];
    const moved = await call('PATCH', `/v1/appointments/${future.id}`, {
      ...t,
      body: { startsAt: at(T0 + 2 * DAY + HOUR) },
    });
    expect(await trips(moved, 200), 'move (notified: with its email)').toBeLessThanOrEqual(3);
    const canceled = await call('POST', `/v1/appointments/${future.id}/cancel`, { ...t, body: { reason: 'client' } });
    expect(await trips(canceled, 200), 'cancel (with its email)').toBeLessThanOrEqual(3);

    const client = await call('POST', '/v1/clients', {
      ...t,
      headers: key(),
      body: { firstName: 'Round', lastName: 'Trip', email: uniqueEmail('rt'), notify: true },
    });
    expect(await trips(client, 201), 'add a client (with the welcome email)').toBeLessThanOrEqual(3);
    const billing = await call('PUT', `/v1/clients/${(await json(client)).id}/billing`, {
      ...t,
      body: { legalFirstName: 'Round' },
    });
    expect(await trips(billing, 200), 'billing info').toBeLessThanOrEqual(3);
    const patched = await call('PATCH', `/v1/clients/${s.clientId}`, { ...t, body: { firstName: 'Ada' } });
    expect(await trips(patched, 200), 'edit a client').toBeLessThanOrEqual(3);
    expect(
      await trips(await call('POST', '/v1/me/calendar-feed', t), 201),
      'a calendar feed address',
    ).toBeLessThanOrEqual(3);
    expect(await trips(await call('DELETE', '/v1/me/calendar-feed', t), 204), 'turn the feed off').toBeLessThanOrEqual(
      3,
    );
  });

  it('claims: status, replacement, void and export ≤ 3; a claim, the exports, an export and its file ≤ 2', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const t = { token: s.p.token };
    const a = await schedule(s, at(T0 - DAY));
    const b = await schedule(s, at(T0 - DAY - 3 * HOUR));
    const claimA = (await json(await call('POST', `/v1/appointments/${a.id}/confirm`, { ...t, body: CONFIRM }))).claim;
    const claimB = (await json(await call('POST', `/v1/appointments/${b.id}/confirm`, { ...t, body: CONFIRM }))).claim;
    const exported = await call('POST', '/v1/claims/exports', { ...t, headers: key(), body: {} });
    expect(await trips(exported, 201), 'export').toBeLessThanOrEqual(3);
    const exp = await json(exported);
    for (const [what, path] of [
      ['a claim', `/v1/claims/${claimA.id}`],
      ['exports', '/v1/claims/exports'],
      ['an export', `/v1/claims/exports/${exp.id}`],
      ['an export’s file', `/v1/claims/exports/${exp.id}/file`],
    ]) {
      expect(await trips(await call('GET', path!, t), 200), what).toBeLessThanOrEqual(2);
    }
    const status = await call('POST', `/v1/claims/${claimA.id}/status`, { ...t, body: { status: 'submitted' } });
    expect(await trips(status, 200), 'status').toBeLessThanOrEqual(3);
    const replaced = await call('POST', `/v1/claims/${claimA.id}/replacement`, {
      ...t,
      body: { cptCode: '90834', diagnosisCodes: ['F41.0'] },
    });
    expect(await trips(replaced, 201), 'replacement').toBeLessThanOrEqual(3);
    expect(await trips(await call('POST', `/v1/claims/${claimB.id}/void`, t), 201), 'void').toBeLessThanOrEqual(3);
  });

  it('sign-in: a code request and its exchange take 2 each', async () => {
    const s = await setup();
    const email = (await json(await call('GET', '/v1/me', { token: s.p.token }))).email as string;
    expect(await trips(await call('POST', '/v1/auth/code', { body: { email } }), 202)).toBeLessThanOrEqual(2);
    const mail = await json<{ items: { to: string[]; text: string }[] }>(await call('GET', '/dev/mail.json'));
    const code = /(\d{6})/.exec(mail.items.find((m) => m.to.includes(email))!.text)![1]!;
    expect(await trips(await call('POST', '/v1/auth/token', { body: { email, code } }), 200)).toBeLessThanOrEqual(2);
  });

  it('a replayed Idempotency-Key is answered from the token lookup alone', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const headers = key();
    const body = {
      clientId: s.clientId,
      startsAt: at(T0 + 5 * DAY),
      durationMinutes: 50,
      location: { type: 'office' },
    };
    await call('POST', '/v1/appointments', { token: s.p.token, headers, body });
    const again = await call('POST', '/v1/appointments', { token: s.p.token, headers, body });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await trips(again, 201)).toBe(1);
  });
});
