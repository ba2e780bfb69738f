// POST /v1/appointments/:id/confirm: the result, the order of the checks, the window's edges,
// billing_incomplete naming each field, one batch (rollback), and confirming twice at once.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { testClock } from '../../worker/platform/clock';
import worker from '../../worker/index';
import { ADMIN, ALL_FEES, call, COMPLETE_BILLING, COMPLETE_PROFILE, json } from './helpers';
import { at, CONFIRM, confirm, DAY, HOUR, MIN, refresh, schedule, setup } from './appointments-helpers';

const T0 = Date.parse('2026-12-01T12:00:00.000Z');

async function rows(appointmentId: string) {
  const q = (sql: string) =>
    env.DB.prepare(sql)
      .bind(appointmentId)
      .first<{ n: number }>()
      .then((r) => r!.n);
  return {
    confirmations: await q('SELECT count(*) AS n FROM confirmations WHERE appointment_id = ?'),
    claims: await q('SELECT count(*) AS n FROM claims WHERE appointment_id = ?'),
    audits: await q("SELECT count(*) AS n FROM audit_log WHERE entity_id = ? AND action = 'appointment.confirm'"),
    status: (await env.DB.prepare('SELECT status FROM appointments WHERE id = ?')
      .bind(appointmentId)
      .first<{ status: string }>())!.status,
  };
}

describe('confirming a session', () => {
  it('confirms a past session: appointment confirmed with its confirmation and claimId, and the claim', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 - 2 * DAY), { durationMinutes: 45 });
    const res = await confirm(s, apt.id, { diagnosisCodes: ['f411', 'Z63.0'] });
    expect(res.status).toBe(200);
    const { appointment, claim } = await json(res);
    expect(appointment).toMatchObject({
      id: apt.id,
      status: 'confirmed',
      claimId: claim.id,
      confirmation: {
        cptCode: '90834',
        addOnCodes: [],
        diagnosisCodes: ['F41.1', 'Z63.0'],
        confirmedAt: at(T0),
        startedAt: apt.startsAt,
        endedAt: apt.endsAt,
        patientLocation: 'home',
      },
    });
    expect(claim).toMatchObject({
      id: expect.stringMatching(/^clm_/),
      appointmentId: apt.id,
      clientId: s.clientId,
      payerId: 'pay_aetna',
      status: 'ready',
      serviceDate: '2026-11-29',
      placeOfService: '11',
      cptCode: '90834',
      modifiers: [],
      diagnosisCodes: ['F41.1', 'Z63.0'],
      createdAt: at(T0),
    });
    expect(JSON.stringify({ appointment, claim })).not.toContain(CONFIRM.progressNote);
    const { results } = await env.DB.prepare('SELECT action FROM audit_log WHERE provider_id = ? ORDER BY id')
      .bind(s.p.id)
      .all<{ action: string }>();
    expect(results.map((r) => r.action)).toEqual(
      expect.arrayContaining(['appointment.confirm', 'note.write', 'claim.create']),
    );
  });

  it('uses the actual times when given: their minutes decide the CPT code', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 - 2 * DAY), { durationMinutes: 60 });
    const short = await confirm(s, apt.id, {
      cptCode: '90837',
      startedAt: apt.startsAt,
      endedAt: at(Date.parse(apt.startsAt) + 40 * MIN),
    });
    expect(short.status).toBe(422);
    expect((await json(short)).error).toMatchObject({
      code: 'invalid_code',
      message: expect.stringContaining('90834'),
    });
    const ok = await confirm(s, apt.id, {
      cptCode: '90834',
      startedAt: apt.startsAt,
      endedAt: at(Date.parse(apt.startsAt) + 40 * MIN),
    });
    expect(ok.status).toBe(200);
    expect((await json(ok)).appointment.confirmation.endedAt).toBe(at(Date.parse(apt.startsAt) + 40 * MIN));
  });

  it('refuses actual times that are out of order or in the future (400)', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 - 2 * HOUR));
    for (const times of [
      { startedAt: apt.endsAt, endedAt: apt.startsAt },
      { endedAt: at(T0 + MIN) },
      { startedAt: at(Date.parse(apt.endsAt) + MIN) },
    ]) {
      const res = await confirm(s, apt.id, times);
      expect(res.status, JSON.stringify(times)).toBe(400);
      expect((await json(res)).error.issues[0].path).toBe('endedAt');
    }
  });

  it('canceled, late_canceled and no_show sessions cannot be confirmed (409 invalid_state); confirming twice is already_confirmed', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    for (const [i, reason] of (['client', 'late_cancel', 'no_show'] as const).entries()) {
      const apt = await schedule(s, at(T0 - (i + 1) * DAY));
      await call('POST', `/v1/appointments/${apt.id}/cancel`, { token: s.p.token, body: { reason } });
      const res = await confirm(s, apt.id);
      expect(res.status, reason).toBe(409);
      expect((await json(res)).error.code).toBe('invalid_state');
    }
    const apt = await schedule(s, at(T0 - 5 * DAY));
    expect((await confirm(s, apt.id)).status).toBe(200);
    const again = await confirm(s, apt.id);
    expect(again.status).toBe(409);
    expect((await json(again)).error.code).toBe('already_confirmed');
  });
});

describe('the order of the checks (API.md): the first failure answers', () => {
  it('404 → 409 → 422 window → 400 → 422 invalid_code → 422 provider_billing_incomplete → 422 billing_incomplete → 422 payer_not_credentialed', async () => {
    testClock.set(new Date(T0));
    const s = await setup({ billing: false, providerBilling: false });
    const bad = { cptCode: 'x', diagnosisCodes: [], progressNote: '' };
    const codeBad = { cptCode: '90837', diagnosisCodes: ['F41'], progressNote: 'n' };
    const code = async (res: Response) => `${res.status} ${(await json(res)).error.code}`;

    expect(
      await code(await call('POST', '/v1/appointments/apt_unknown/confirm', { token: s.p.token, body: bad })),
    ).toBe('404 not_found');

    const canceled = await schedule(s, at(T0 + DAY));
    await call('POST', `/v1/appointments/${canceled.id}/cancel`, { token: s.p.token, body: { reason: 'client' } });
    expect(await code(await confirm(s, canceled.id, bad))).toBe('409 invalid_state');

    const future = await schedule(s, at(T0 + 2 * DAY));
    expect(await code(await confirm(s, future.id, bad))).toBe('422 session_not_ended');

    const old = await schedule(s, at(T0 - 40 * DAY));
    expect(await code(await confirm(s, old.id, bad))).toBe('422 confirmation_window_closed');

    const past = await schedule(s, at(T0 - DAY));
    expect(await code(await confirm(s, past.id, bad))).toBe('400 validation_failed');
    expect(
      await code(
        await call('POST', `/v1/appointments/${past.id}/confirm`, {
          token: s.p.token,
          rawBody: '{"cptCode":',
          headers: { 'content-type': 'application/json' },
        }),
      ),
    ).toBe('400 bad_json');
    expect(await code(await confirm(s, past.id, codeBad))).toBe('422 invalid_code');
    expect(await code(await confirm(s, past.id))).toBe('422 provider_billing_incomplete');

    await call('PUT', '/v1/me/billing-profile', { token: s.p.token, body: COMPLETE_PROFILE });
    await call('PUT', '/v1/me/fees', { token: s.p.token, body: ALL_FEES });
    expect(await code(await confirm(s, past.id))).toBe('422 billing_incomplete');

    await call('PUT', `/v1/clients/${s.clientId}/billing`, { token: s.p.token, body: COMPLETE_BILLING });
    const aetna = `/admin/providers/${s.p.id}/carriers/pay_aetna`;
    await call('PUT', aetna, { token: ADMIN, body: { status: 'terminated' } });
    expect(await code(await confirm(s, past.id))).toBe('422 payer_not_credentialed');

    // Confirmed beats everything after it.
    await call('PUT', aetna, { token: ADMIN, body: { status: 'approved' } });
    expect((await confirm(s, past.id)).status).toBe(200);
    expect(await code(await confirm(s, past.id, bad))).toBe('409 already_confirmed');
  });
});

describe('the confirmation window', () => {
  it('a second before the end: session_not_ended; at the end: confirmed', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 + HOUR));
    testClock.set(new Date(Date.parse(apt.endsAt) - 1000));
    const early = await confirm(s, apt.id);
    expect(early.status).toBe(422);
    expect((await json(early)).error.code).toBe('session_not_ended');
    testClock.set(new Date(Date.parse(apt.endsAt)));
    expect((await confirm(s, apt.id)).status).toBe(200);
  });

  it('30 days after the end: still open; 30 days and a minute: confirmation_window_closed', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const a = await schedule(s, at(T0 - HOUR));
    const b = await schedule(s, at(T0 - 3 * HOUR));
    testClock.set(new Date(Date.parse(a.endsAt) + 30 * DAY));
    await refresh(s);
    expect((await confirm(s, a.id)).status).toBe(200);
    testClock.set(new Date(Date.parse(b.endsAt) + 30 * DAY + MIN));
    await refresh(s);
    const late = await confirm(s, b.id);
    expect(late.status).toBe(422);
    expect((await json(late)).error).toMatchObject({
      code: 'confirmation_window_closed',
      message: expect.stringMatching(/confirmation window/),
    });
    // It still needs a decision: it can be marked a no-show.
    expect(
      (await call('POST', `/v1/appointments/${b.id}/cancel`, { token: s.p.token, body: { reason: 'no_show' } })).status,
    ).toBe(200);
  });
});

describe('billing_incomplete', () => {
  const FIELDS: [string, (b: any) => void][] = [
    ['legalFirstName', (b) => delete b.legalFirstName],
    ['legalLastName', (b) => delete b.legalLastName],
    ['dateOfBirth', (b) => delete b.dateOfBirth],
    ['sex', (b) => delete b.sex],
    ['phone', (b) => delete b.phone],
    ['address.line1', (b) => delete b.address.line1],
    ['address.city', (b) => delete b.address.city],
    ['address.state', (b) => delete b.address.state],
    ['address.postalCode', (b) => delete b.address.postalCode],
    ['insurance.payerId', (b) => delete b.insurance.payerId],
    ['insurance.memberId', (b) => delete b.insurance.memberId],
    ['insurance.relationship', (b) => delete b.insurance.relationship],
    [
      'insurance.subscriber.firstName',
      (b) => {
        b.insurance.relationship = 'child';
        b.insurance.subscriber = { lastName: 'L', dateOfBirth: '1970-01-01' };
      },
    ],
    [
      'insurance.subscriber.lastName',
      (b) => {
        b.insurance.relationship = 'spouse';
        b.insurance.subscriber = { firstName: 'F', dateOfBirth: '1970-01-01' };
      },
    ],
    [
      'insurance.subscriber.dateOfBirth',
      (b) => {
        b.insurance.relationship = 'other';
        b.insurance.subscriber = { firstName: 'F', lastName: 'L' };
      },
    ],
  ];

  it.each(FIELDS)('names %s, with a fresh settingsUrl each time, and writes nothing', async (path, strip) => {
    testClock.set(new Date(T0));
    const s = await setup();
    const billing = structuredClone(COMPLETE_BILLING) as any;
    strip(billing);
    expect((await call('PUT', `/v1/clients/${s.clientId}/billing`, { token: s.p.token, body: billing })).status).toBe(
      200,
    );
    const apt = await schedule(s, at(T0 - DAY));
    const res = await confirm(s, apt.id);
    expect(res.status).toBe(422);
    const err = (await json(res)).error;
    expect(err).toEqual({
      code: 'billing_incomplete',
      message: expect.any(String),
      missing: [path],
      settingsUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:8787\/c\/[A-Za-z0-9_-]{43}$/),
    });
    const second = (await json(await confirm(s, apt.id))).error.settingsUrl;
    expect(second).not.toBe(err.settingsUrl);
    // The link works: it is traded for the client's page session (a 303 to the page).
    expect((await call('GET', new URL(err.settingsUrl).pathname)).status).toBe(303);
    expect(await rows(apt.id)).toMatchObject({ confirmations: 0, claims: 0, status: 'scheduled' });
  });

  it('lists every missing field for a client with nothing given', async () => {
    testClock.set(new Date(T0));
    const s = await setup({ billing: false });
    const apt = await schedule(s, at(T0 - DAY));
    const err = (await json(await confirm(s, apt.id))).error;
    expect(err.missing).toEqual([
      'legalFirstName',
      'legalLastName',
      'dateOfBirth',
      'sex',
      'phone',
      'address.line1',
      'address.city',
      'address.state',
      'address.postalCode',
      'insurance.payerId',
      'insurance.memberId',
      'insurance.relationship',
    ]);
  });
});

describe('one batch', () => {
  it('a failure in the last statement leaves nothing: no confirmation, no claim, no audit, still scheduled', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 - DAY));
    let sawBatch = 0;
    let batches = 0;
    const broken = {
      ...env,
      DB: new Proxy(env.DB, {
        get(target, prop) {
          if (prop === 'batch') {
            return (stmts: D1PreparedStatement[]) => {
              // The first batch is the confirmation's reads (one round trip); the second is its write.
              if (++batches === 1) return target.batch(stmts);
              sawBatch = stmts.length;
              // The last statement (an audit insert) replaced by one that violates NOT NULL.
              return target.batch([
                ...stmts.slice(0, -1),
                target
                  .prepare('INSERT INTO audit_log (at, actor_type, action, entity_type) VALUES (NULL, ?, ?, ?)')
                  .bind('provider', 'x', 'x'),
              ]);
            };
          }
          const v = Reflect.get(target, prop);
          return typeof v === 'function' ? v.bind(target) : v;
        },
      }),
    };
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request(`http://127.0.0.1:8787/v1/appointments/${apt.id}/confirm`, {
        method: 'POST',
        headers: { authorization: `Bearer ${s.p.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(CONFIRM),
      }),
      broken,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(sawBatch).toBeGreaterThanOrEqual(5);
    expect(res.status).toBe(500);
    expect(await rows(apt.id)).toEqual({ confirmations: 0, claims: 0, audits: 0, status: 'scheduled' });
    // And the real thing afterwards works.
    expect((await confirm(s, apt.id)).status).toBe(200);
    expect(await rows(apt.id)).toEqual({ confirmations: 1, claims: 1, audits: 1, status: 'confirmed' });
  });

  it('10 concurrent confirms confirm once', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 - DAY));
    const results = await Promise.all(Array.from({ length: 10 }, () => confirm(s, apt.id)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((x) => x === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r.status).toBe(409);
      expect((await json(r)).error.code).toBe('already_confirmed');
    }
    expect(await rows(apt.id)).toEqual({ confirmations: 1, claims: 1, audits: 1, status: 'confirmed' });
  });

  it('an Idempotency-Key replays the first 200', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 - DAY));
    const headers = { 'idempotency-key': crypto.randomUUID() };
    const a = await call('POST', `/v1/appointments/${apt.id}/confirm`, { token: s.p.token, body: CONFIRM, headers });
    const b = await call('POST', `/v1/appointments/${apt.id}/confirm`, { token: s.p.token, body: CONFIRM, headers });
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await b.text()).toBe(await a.text());
  });
});
