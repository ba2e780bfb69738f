// A claim after confirmation (API.md "Claims"): status reports only along the allowed transitions,
// replacement (frequency 7) and void (frequency 8) claims, and another provider's ids are 404.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { testClock } from '../../worker/platform/clock';
import { call, json } from './helpers';
import { at, confirm, DAY, refresh, schedule, type Setup, setup } from './appointments-helpers';

const T0 = Date.parse('2026-12-01T12:00:00.000Z');

async function confirmedClaim(s?: Setup) {
  testClock.set(new Date(T0));
  const su = s ?? (await setup());
  const apt = await schedule(su, at(T0 - DAY - (s ? 3 * 3_600_000 : 0)));
  const { claim } = await json(await confirm(su, apt.id));
  return { s: su, apt, claim };
}

const exportAll = (s: Setup, claimIds?: string[]) =>
  call('POST', '/v1/claims/exports', { token: s.p.token, body: claimIds ? { claimIds } : {} });
const report = (s: Setup, id: string, body: Record<string, unknown>) =>
  call('POST', `/v1/claims/${id}/status`, { token: s.p.token, body });
const statusOf = async (id: string) =>
  (await env.DB.prepare('SELECT status FROM claims WHERE id = ?').bind(id).first<{ status: string }>())!.status;

/** Drives a claim to `status` through the API (export, then status reports). */
async function driveTo(s: Setup, id: string, status: string) {
  const path: Record<string, string[]> = {
    ready: [],
    exported: ['exported'],
    submitted: ['exported', 'submitted'],
    accepted: ['exported', 'submitted', 'accepted'],
    rejected: ['exported', 'submitted', 'rejected'],
    paid: ['exported', 'submitted', 'accepted', 'paid'],
    denied: ['exported', 'submitted', 'accepted', 'denied'],
  };
  for (const step of path[status]!) {
    const res = step === 'exported' ? await exportAll(s, [id]) : await report(s, id, { status: step });
    expect(res.status, `${step}: ${await res.clone().text()}`).toBeLessThan(300);
  }
}

describe('status transitions', () => {
  const ALLOWED: [string, string][] = [
    ['exported', 'submitted'],
    ['submitted', 'accepted'],
    ['submitted', 'rejected'],
    ['accepted', 'paid'],
    ['accepted', 'denied'],
  ];
  const ALL_FROM = ['ready', 'exported', 'submitted', 'accepted', 'rejected', 'paid', 'denied'];
  const TO = ['submitted', 'accepted', 'rejected', 'paid', 'denied'];

  it('every report outside ready → exported → submitted → accepted|rejected, accepted → paid|denied is 409 invalid_state and changes nothing', async () => {
    for (const from of ALL_FROM) {
      const { s, claim } = await confirmedClaim();
      await driveTo(s, claim.id, from);
      for (const to of TO) {
        if (ALLOWED.some(([f, t]) => f === from && t === to)) continue;
        const res = await report(s, claim.id, { status: to });
        expect(res.status, `${from} → ${to}`).toBe(409);
        expect((await json(res)).error.code).toBe('invalid_state');
        expect(await statusOf(claim.id)).toBe(from);
      }
    }
  });

  it.each(ALLOWED)('%s → %s is allowed and audited', async (from, to) => {
    const { s, claim } = await confirmedClaim();
    await driveTo(s, claim.id, from);
    const res = await report(s, claim.id, { status: to, payerClaimNumber: 'PCN-881' });
    expect(res.status).toBe(200);
    const got = await json(res);
    expect(got).toMatchObject({ id: claim.id, status: to, payerClaimNumber: 'PCN-881' });
    expect(await json(await call('GET', `/v1/claims/${claim.id}`, { token: s.p.token }))).toEqual(got);
    const audit = await env.DB.prepare('SELECT count(*) AS n FROM audit_log WHERE entity_id = ? AND action = ?')
      .bind(claim.id, `claim.${to}`)
      .first<{ n: number }>();
    expect(audit!.n).toBe(1);
  });

  it('paid records paidCents (the total when not given); paidCents with another status is 400', async () => {
    const { s, claim } = await confirmedClaim();
    await driveTo(s, claim.id, 'accepted');
    expect((await report(s, claim.id, { status: 'denied', paidCents: 100 })).status).toBe(400);
    const paid = await json(await report(s, claim.id, { status: 'paid', paidCents: 9_050 }));
    expect(paid.paidCents).toBe(9_050);
    const other = await confirmedClaim(s);
    await driveTo(s, other.claim.id, 'paid');
    expect((await json(await call('GET', `/v1/claims/${other.claim.id}`, { token: s.p.token }))).paidCents).toBe(
      other.claim.totalCents,
    );
  });

  it('keeps every report with its note, oldest first: the claim read back and the report’s answer tell the story; lists leave it out', async () => {
    const { s, claim } = await confirmedClaim();
    await driveTo(s, claim.id, 'submitted');
    // Later the same day (the bearer token lives 12 hours).
    testClock.set(new Date(T0 + 3_600_000));
    await report(s, claim.id, {
      status: 'accepted',
      payerClaimNumber: 'PCN-77',
      note: 'Accepted by the clearinghouse, batch 1182',
    });
    testClock.set(new Date(T0 + 5 * 3_600_000));
    const paidRes = await report(s, claim.id, {
      status: 'paid',
      paidCents: 8_400,
      note: 'ERA: CO-45 contractual adjustment',
    });
    const paid = await json(paidRes);
    expect(paidRes.status).toBe(200);
    const story = [
      { status: 'submitted', payerClaimNumber: null, paidCents: null, note: null, at: expect.any(String) },
      {
        status: 'accepted',
        payerClaimNumber: 'PCN-77',
        paidCents: null,
        note: 'Accepted by the clearinghouse, batch 1182',
        at: new Date(T0 + 3_600_000).toISOString(),
      },
      {
        status: 'paid',
        payerClaimNumber: null,
        paidCents: 8_400,
        note: 'ERA: CO-45 contractual adjustment',
        at: new Date(T0 + 5 * 3_600_000).toISOString(),
      },
    ];
    expect(paid.reports).toEqual(story);
    expect(paid).toMatchObject({ status: 'paid', payerClaimNumber: 'PCN-77', paidCents: 8_400 });
    expect((await json(await call('GET', `/v1/claims/${claim.id}`, { token: s.p.token }))).reports).toEqual(story);
    const list = await json(await call('GET', '/v1/claims', { token: s.p.token }));
    expect(list.items.find((c: { id: string }) => c.id === claim.id)).not.toHaveProperty('reports');
    // A refused report leaves no row.
    expect((await report(s, claim.id, { status: 'denied', note: 'too late' })).status).toBe(409);
    const n = await env.DB.prepare('SELECT count(*) AS n FROM claim_reports WHERE claim_id = ?')
      .bind(claim.id)
      .first<{ n: number }>();
    expect(n!.n).toBe(3);
  });

  it('a status outside the list is 400', async () => {
    const { s, claim } = await confirmedClaim();
    for (const status of ['ready', 'exported', 'voided', 'lost', 7]) {
      expect((await report(s, claim.id, { status })).status).toBe(400);
    }
  });
});

describe('replacement claims (frequency 7)', () => {
  it('a sent claim gets a ready replacement with its own number and the payer claim number; the original becomes replaced; the confirmation shows the corrected codes', async () => {
    const { s, apt, claim } = await confirmedClaim();
    await driveTo(s, claim.id, 'submitted');
    await report(s, claim.id, { status: 'rejected', payerClaimNumber: 'PCN-1' });
    await refresh(s);
    const res = await call('POST', `/v1/claims/${claim.id}/replacement`, {
      token: s.p.token,
      body: { cptCode: '90837', diagnosisCodes: ['F41.0', 'Z63.0'], endedAt: at(T0 - DAY + 60 * 60_000) },
    });
    expect(res.status).toBe(201);
    const r = await json(res);
    expect(r).toMatchObject({
      status: 'ready',
      frequency: 'replacement',
      replacesClaimId: claim.id,
      payerClaimNumber: 'PCN-1',
      appointmentId: apt.id,
      cptCode: '90837',
      diagnosisCodes: ['F41.0', 'Z63.0'],
      exportId: null,
      totalCents: 13_000,
      lines: [{ cptCode: '90837', modifiers: [], units: 1, amountCents: 13_000, diagnosisPointers: [1, 2] }],
    });
    expect(r.id).not.toBe(claim.id);
    expect(r.claimNumber).not.toBe(claim.claimNumber);
    expect(await statusOf(claim.id)).toBe('replaced');
    const session = await json(await call('GET', `/v1/appointments/${apt.id}`, { token: s.p.token }));
    expect(session.claimId).toBe(r.id);
    expect(session.confirmation).toMatchObject({ cptCode: '90837', diagnosisCodes: ['F41.0', 'Z63.0'] });
    // Superseded: no second replacement or void of the original.
    for (const path of ['replacement', 'void']) {
      const again = await call('POST', `/v1/claims/${claim.id}/${path}`, {
        token: s.p.token,
        ...(path === 'replacement' ? { body: { cptCode: '90834', diagnosisCodes: ['F41.1'] } } : {}),
      });
      expect(again.status).toBe(409);
      expect((await json(again)).error.code).toBe('invalid_state');
    }
  });

  it('a ready claim is not replaced (corrected in place instead): 409 invalid_state; code checks as confirming', async () => {
    const { s, claim } = await confirmedClaim();
    const ready = await call('POST', `/v1/claims/${claim.id}/replacement`, {
      token: s.p.token,
      body: { cptCode: '90834', diagnosisCodes: ['F41.1'] },
    });
    expect(ready.status).toBe(409);
    await driveTo(s, claim.id, 'exported');
    const bad = await call('POST', `/v1/claims/${claim.id}/replacement`, {
      token: s.p.token,
      body: { cptCode: '90837', diagnosisCodes: ['F41.1'] }, // 50 minutes is not 53+
    });
    expect(bad.status).toBe(422);
    expect((await json(bad)).error.code).toBe('invalid_code');
    expect(await statusOf(claim.id)).toBe('exported');
  });
});

describe('void', () => {
  it('a ready claim becomes voided (200, nothing was sent); voiding twice is 409', async () => {
    const { s, claim } = await confirmedClaim();
    const res = await call('POST', `/v1/claims/${claim.id}/void`, { token: s.p.token });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ id: claim.id, status: 'voided', frequency: 'original' });
    const again = await call('POST', `/v1/claims/${claim.id}/void`, { token: s.p.token });
    expect(again.status).toBe(409);
    expect((await json(again)).error.code).toBe('invalid_state');
    const count = await env.DB.prepare('SELECT count(*) AS n FROM claims WHERE appointment_id = ?')
      .bind(claim.appointmentId)
      .first<{ n: number }>();
    expect(count!.n).toBe(1);
  });

  it('a sent claim gets a void claim (201, frequency void, same lines, payer claim number copied) and becomes voided', async () => {
    const { s, claim } = await confirmedClaim();
    await driveTo(s, claim.id, 'accepted');
    await report(s, claim.id, { status: 'paid', payerClaimNumber: 'PCN-9' });
    const res = await call('POST', `/v1/claims/${claim.id}/void`, { token: s.p.token });
    expect(res.status).toBe(201);
    const v = await json(res);
    expect(v).toMatchObject({
      status: 'ready',
      frequency: 'void',
      replacesClaimId: claim.id,
      payerClaimNumber: 'PCN-9',
      lines: claim.lines,
      totalCents: claim.totalCents,
      paidCents: null,
    });
    expect(v.claimNumber).not.toBe(claim.claimNumber);
    expect(await statusOf(claim.id)).toBe('voided');
    expect((await call('POST', `/v1/claims/${claim.id}/void`, { token: s.p.token })).status).toBe(409);
    expect((await call('POST', `/v1/claims/${v.id}/void`, { token: s.p.token })).status).toBe(409);
  });
});

describe('tenant isolation', () => {
  it('another provider’s claim and export ids are 404 on every claim route and change nothing', async () => {
    const { s: a, claim } = await confirmedClaim();
    const other = await confirmedClaim();
    const exp = await json(await exportAll(other.s));
    const b = await setup();
    const t = { token: b.p.token };
    const tries = [
      call('POST', `/v1/claims/${claim.id}/status`, { ...t, body: { status: 'submitted' } }),
      call('POST', `/v1/claims/${claim.id}/replacement`, {
        ...t,
        body: { cptCode: '90834', diagnosisCodes: ['F41.1'] },
      }),
      call('POST', `/v1/claims/${claim.id}/void`, t),
      call('POST', '/v1/claims/exports', { ...t, body: { claimIds: [claim.id] } }),
      call('GET', `/v1/claims/exports/${exp.id}`, t),
      call('GET', `/v1/claims/exports/${exp.id}/file`, t),
    ];
    for (const res of await Promise.all(tries)) {
      expect(res.status).toBe(404);
      expect((await json(res)).error.code).toBe('not_found');
    }
    expect(await statusOf(claim.id)).toBe('ready');
    expect((await json(await call('GET', '/v1/claims/exports', t))).items).toEqual([]);
    expect((await call('GET', `/v1/claims/${claim.id}`, { token: a.p.token })).status).toBe(200);
  });
});
