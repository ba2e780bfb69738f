// PATCH /v1/appointments/:id/confirmation: corrections for 48 hours, the claim kept in step while `ready`.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createData } from '../../worker/db/data';
import { authenticate } from '../../worker/domain/auth';
import { confirm as confirmSession, confirmable, correct, correctable } from '../../worker/domain/confirm';
import { testClock } from '../../worker/platform/clock';
import { ALL_FEES, call, json } from './helpers';
import { at, confirm, DAY, HOUR, MIN, refresh, schedule, setup } from './appointments-helpers';

const T0 = Date.parse('2026-12-01T12:00:00.000Z');

async function confirmed(opts: { telehealth?: boolean } = {}) {
  testClock.set(new Date(T0));
  const s = await setup({ telehealth: opts.telehealth });
  const apt = await schedule(s, at(T0 - DAY), {
    durationMinutes: 60,
    location: { type: opts.telehealth ? 'telehealth' : 'office' },
  });
  const res = await confirm(s, apt.id, { cptCode: '90837' });
  expect(res.status).toBe(200);
  return { s, apt, claim: (await json(res)).claim };
}

const patch = (s: Awaited<ReturnType<typeof confirmed>>['s'], id: string, body: unknown) =>
  call('PATCH', `/v1/appointments/${id}/confirmation`, { token: s.p.token, body });

describe('correcting a confirmation', () => {
  it('changes only the fields sent, and rewrites the claim’s coding', async () => {
    const { s, apt, claim } = await confirmed({ telehealth: true });
    expect(claim).toMatchObject({ placeOfService: '10', modifiers: ['95'], cptCode: '90837' });
    testClock.advance(HOUR);
    const res = await patch(s, apt.id, {
      cptCode: '90834',
      endedAt: at(Date.parse(apt.startsAt) + 45 * MIN),
      patientLocation: 'other',
      diagnosisCodes: ['f331'],
    });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.appointment.confirmation).toMatchObject({
      cptCode: '90834',
      diagnosisCodes: ['F33.1'],
      startedAt: apt.startsAt,
      endedAt: at(Date.parse(apt.startsAt) + 45 * MIN),
      patientLocation: 'other',
      confirmedAt: at(T0),
    });
    expect(body.claim).toMatchObject({
      id: claim.id,
      cptCode: '90834',
      placeOfService: '02',
      modifiers: ['95'],
      diagnosisCodes: ['F33.1'],
      status: 'ready',
      createdAt: claim.createdAt,
    });
    const got = await json(await call('GET', `/v1/claims/${claim.id}`, { token: s.p.token }));
    expect(got.updatedAt).toBe(at(T0 + HOUR));
    const { results } = await env.DB.prepare(
      "SELECT action FROM audit_log WHERE provider_id = ? AND action IN ('confirmation.update', 'claim.update')",
    )
      .bind(s.p.id)
      .all();
    expect(results).toHaveLength(2);
  });

  it('a new code without a fee is refused as confirming refuses it (never a $0 line), and changes nothing', async () => {
    const { s, apt, claim } = await confirmed();
    const fees = (items: typeof ALL_FEES.items) => call('PUT', '/v1/me/fees', { token: s.p.token, body: { items } });
    expect((await fees(ALL_FEES.items.filter((f) => f.cptCode !== '90834'))).status).toBe(200);
    const res = await patch(s, apt.id, { cptCode: '90834', endedAt: at(Date.parse(apt.startsAt) + 45 * MIN) });
    expect(res.status).toBe(422);
    expect((await json(res)).error).toMatchObject({ code: 'provider_billing_incomplete', missing: ['fees.90834'] });
    const kept = await json(await call('GET', `/v1/claims/${claim.id}`, { token: s.p.token }));
    expect([kept.cptCode, kept.totalCents, kept.updatedAt]).toEqual([claim.cptCode, claim.totalCents, claim.updatedAt]);

    // With its fee set, the same correction prices the claim from it.
    await fees(ALL_FEES.items);
    const ok = await patch(s, apt.id, { cptCode: '90834', endedAt: at(Date.parse(apt.startsAt) + 45 * MIN) });
    expect(ok.status).toBe(200);
    const fee = ALL_FEES.items.find((f) => f.cptCode === '90834')!.amountCents;
    expect((await json(ok)).claim).toMatchObject({ cptCode: '90834', totalCents: fee });
  });

  it('applies the same rules to the corrected whole (400 / 422 invalid_code) and changes nothing then', async () => {
    const { s, apt } = await confirmed();
    const tooLong = await patch(s, apt.id, { endedAt: at(Date.parse(apt.startsAt) + 30 * MIN) }); // 90837 on 30 minutes
    expect(tooLong.status).toBe(422);
    expect((await json(tooLong)).error.code).toBe('invalid_code');
    expect((await patch(s, apt.id, { diagnosisCodes: [] })).status).toBe(400);
    expect((await patch(s, apt.id, { startedAt: at(T0 + HOUR) })).status).toBe(400);
    const row = await env.DB.prepare('SELECT cpt_code, ended_at FROM confirmations WHERE appointment_id = ?')
      .bind(apt.id)
      .first();
    expect(row).toEqual({ cpt_code: '90837', ended_at: apt.endsAt });
  });

  it('re-checks the kept diagnosis codes against the code set of the corrected date of service', async () => {
    // Z68.1 is billable in FY2026 and a subcategory from 1 October 2026 (FY2027).
    testClock.set('2026-10-02T12:00:00.000Z');
    const s = await setup({ timeZone: 'America/New_York' });
    const apt = await schedule(s, '2026-10-01T02:00:00.000Z', { durationMinutes: 50 }); // 30 September in New York
    const ok = await confirm(s, apt.id, { cptCode: '90834', diagnosisCodes: ['Z68.1'] });
    expect(ok.status, await ok.clone().text()).toBe(200);
    const note = await patch(s, apt.id, { progressNote: 'Same day, same codes.' });
    expect(note.status).toBe(200);
    expect(Number(note.headers.get('x-d1-round-trips'))).toBeLessThanOrEqual(3);
    const moved = await patch(s, apt.id, {
      startedAt: '2026-10-01T14:00:00.000Z',
      endedAt: '2026-10-01T14:50:00.000Z',
    });
    expect(moved.status).toBe(422);
    expect((await json(moved)).error.message).toMatch(/Z68\.1 is a subcategory, not a billable code/);
    const recoded = await patch(s, apt.id, {
      startedAt: '2026-10-01T14:00:00.000Z',
      endedAt: '2026-10-01T14:50:00.000Z',
      diagnosisCodes: ['Z68.18'],
    });
    expect(recoded.status, await recoded.clone().text()).toBe(200);
    expect(Number(recoded.headers.get('x-d1-round-trips'))).toBeLessThanOrEqual(3);
  });

  it('replaces the progress note when one is sent', async () => {
    const { s, apt } = await confirmed();
    await patch(s, apt.id, { progressNote: 'Corrected note.' });
    const note = await json(await call('GET', `/v1/appointments/${apt.id}/note`, { token: s.p.token }));
    expect(note.progressNote).toBe('Corrected note.');
  });

  it('is locked 48 hours after confirming: 409 confirmation_locked', async () => {
    const { s, apt } = await confirmed();
    testClock.set(new Date(T0 + 48 * HOUR - MIN));
    await refresh(s);
    expect((await patch(s, apt.id, { diagnosisCodes: ['F41.0'] })).status).toBe(200);
    testClock.set(new Date(T0 + 48 * HOUR + 1000));
    await refresh(s);
    const locked = await patch(s, apt.id, { diagnosisCodes: ['F41.1'] });
    expect(locked.status).toBe(409);
    expect((await json(locked)).error.code).toBe('confirmation_locked');
    // Locked beats a bad body.
    expect((await json(await patch(s, apt.id, { cptCode: 'x' }))).error.code).toBe('confirmation_locked');
  });

  it('is 409 claim_exported once the claim has left `ready`, pointing to replacement and void', async () => {
    const { s, apt, claim } = await confirmed();
    expect((await call('POST', '/v1/claims/exports', { token: s.p.token, body: {} })).status).toBe(201);
    const res = await patch(s, apt.id, { cptCode: '90834' });
    expect(res.status).toBe(409);
    const { error } = await json(res);
    expect(error.code).toBe('claim_exported');
    expect(error.message).toContain(`/v1/claims/${claim.id}/replacement`);
    expect(error.message).toContain(`/v1/claims/${claim.id}/void`);
  });

  it('a session not confirmed is 409 invalid_state; an unknown one 404', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 - DAY));
    const res = await patch(s, apt.id, { cptCode: '90834' });
    expect(res.status).toBe(409);
    expect((await json(res)).error.code).toBe('invalid_state');
    expect((await patch(s, 'apt_nope', {})).status).toBe(404);
  });
});

describe('racing writes are decided by the version read', () => {
  it('two corrections built from the same read cannot both win: the second is 409 and changes nothing', async () => {
    const { s, apt } = await confirmed();
    const data = createData(env.DB);
    const { provider } = await authenticate(data, s.p.token);
    const deps = { data, config: env };
    const read = await correctable(data, provider, apt.id);
    const first = await correct(deps, provider, read, { diagnosisCodes: ['F33.1'] });
    expect(first.appointment.confirmation?.diagnosisCodes).toEqual(['F33.1']);
    await expect(correct(deps, provider, read, { diagnosisCodes: ['F41.0'] })).rejects.toMatchObject({
      status: 409,
      code: 'invalid_state',
    });
    const stored = await env.DB.prepare(
      'SELECT c.diagnosis_codes AS conf, k.diagnosis_codes AS claim FROM confirmations c JOIN claims k USING (appointment_id) WHERE appointment_id = ?',
    )
      .bind(apt.id)
      .first<{ conf: string; claim: string }>();
    expect(JSON.parse(stored!.conf)).toEqual(['F33.1']);
    expect(JSON.parse(stored!.claim)).toEqual(['F33.1']);
    // A correction built from a fresh read goes through.
    const again = await correct(deps, provider, await correctable(data, provider, apt.id), {
      diagnosisCodes: ['F41.0'],
    });
    expect(again.appointment.confirmation?.diagnosisCodes).toEqual(['F41.0']);
  });

  it('corrections sent at once through the API: each is applied whole or refused with 409, never mixed', async () => {
    const { s, apt } = await confirmed();
    const codes = ['F33.1', 'F41.0', 'F43.10', 'F32.A'];
    const results = await Promise.all(codes.map((code) => patch(s, apt.id, { diagnosisCodes: [code] })));
    const won: string[] = [];
    for (const r of results) {
      expect([200, 409]).toContain(r.status);
      const body = await json(r);
      if (r.status === 200) won.push(body.claim.diagnosisCodes[0]);
      else expect(body.error.code).toBe('invalid_state');
    }
    expect(won.length).toBeGreaterThanOrEqual(1);
    const stored = await env.DB.prepare(
      'SELECT c.diagnosis_codes AS conf, k.diagnosis_codes AS claim FROM confirmations c JOIN claims k USING (appointment_id) WHERE appointment_id = ?',
    )
      .bind(apt.id)
      .first<{ conf: string; claim: string }>();
    expect(stored!.conf).toBe(stored!.claim);
    expect(won).toContain(JSON.parse(stored!.claim)[0]);
  });

  it('a confirmation built from a read of a session changed meanwhile is refused and writes nothing', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 - DAY), { durationMinutes: 60 });
    const data = createData(env.DB);
    const { provider } = await authenticate(data, s.p.token);
    const read = await confirmable(data, provider, apt.id);
    const moved = await call('PATCH', `/v1/appointments/${apt.id}`, {
      token: s.p.token,
      body: { durationMinutes: 30 },
    });
    expect(moved.status).toBe(200);
    await expect(
      confirmSession({ data, config: env }, provider, read, {
        cptCode: '90837',
        addOnCodes: [],
        diagnosisCodes: ['F41.1'],
        progressNote: 'note',
        patientLocation: 'home',
        telehealthModality: 'video',
      }),
    ).rejects.toMatchObject({ status: 409, code: 'invalid_state' });
    const n = await env.DB.prepare(
      'SELECT (SELECT count(*) FROM confirmations WHERE appointment_id = ?1) + (SELECT count(*) FROM claims WHERE appointment_id = ?1) AS n',
    )
      .bind(apt.id)
      .first<{ n: number }>();
    expect(n?.n).toBe(0);
  });
});
