// Claims: what a clearinghouse needs, built at confirmation; GET /v1/claims (newest first, status, cursor) and /:id.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { testClock } from '../../worker/platform/clock';
import { ADMIN, call, COMPLETE_BILLING, json } from './helpers';
import { at, confirm, DAY, HOUR, MIN, schedule, setup } from './appointments-helpers';

const T0 = Date.parse('2026-12-01T12:00:00.000Z');

describe('the claim built at confirmation', () => {
  it('office: POS 11, no modifier, lines with units and pointers, NPI, payer, member, patient snapshot', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 - DAY), { durationMinutes: 45 });
    const { claim } = await json(
      await confirm(s, apt.id, {
        addOnCodes: ['90785'],
        diagnosisCodes: ['F41.1', 'F32.0', 'F43.10', 'F40.10', 'Z63.0', 'Z56.6'],
      }),
    );
    const got = await json(await call('GET', `/v1/claims/${claim.id}`, { token: s.p.token }));
    expect(got.claimNumber).toMatch(/^261201-[0-9A-HJ-NP-Z]{6}$/);
    expect(got).toEqual({
      id: claim.id,
      claimNumber: got.claimNumber,
      appointmentId: apt.id,
      clientId: s.clientId,
      payerId: 'pay_aetna',
      payer: { id: 'pay_aetna', name: 'Aetna', payerCode: '60054' },
      status: 'ready',
      frequency: 'original',
      replacesClaimId: null,
      payerClaimNumber: null,
      totalCents: 12_000 + 19_000,
      exportId: null,
      paidCents: null,
      serviceDate: '2026-11-30',
      placeOfService: '11',
      cptCode: '90834',
      modifiers: [],
      diagnosisCodes: ['F41.1', 'F32.0', 'F43.10', 'F40.10', 'Z63.0', 'Z56.6'],
      createdAt: at(T0),
      updatedAt: at(T0),
      reports: [],
      lines: [
        // Charges: the provider's fee × units (test helpers: 90834 $120, 90785 $190); pointers 1-based.
        { cptCode: '90834', modifiers: [], units: 1, amountCents: 12_000, diagnosisPointers: [1, 2, 3, 4] },
        { cptCode: '90785', modifiers: [], units: 1, amountCents: 19_000, diagnosisPointers: [1, 2, 3, 4] },
      ],
      units: 1,
      renderingNpi: '1234567893',
      memberId: 'W123456789',
      groupNumber: 'G-100',
      patient: {
        legalFirstName: 'Ada',
        legalLastName: 'Lovelace',
        dateOfBirth: '1985-12-10',
        sex: 'F',
        phone: '212-555-0100',
        address: { line1: '1 Main St', line2: null, city: 'New York', state: 'NY', postalCode: '10001' },
        relationship: 'self',
        subscriber: null,
      },
    });
  });

  it.each([
    ['home', '10'],
    ['other', '02'],
    [undefined, '10'],
  ] as const)('telehealth with the patient %s: POS %s and modifier 95 on every line', async (patientLocation, pos) => {
    testClock.set(new Date(T0));
    const s = await setup({ telehealth: true });
    const apt = await schedule(s, at(T0 - DAY), { location: { type: 'telehealth' }, durationMinutes: 60 });
    const res = await confirm(s, apt.id, {
      cptCode: '90837',
      addOnCodes: ['90785'],
      ...(patientLocation ? { patientLocation } : {}),
    });
    const { claim } = await json(res);
    expect(claim.placeOfService).toBe(pos);
    expect(claim.modifiers).toEqual(['95']);
    expect(claim.lines.map((l: { modifiers: string[] }) => l.modifiers)).toEqual([['95'], ['95']]);
  });

  it.each([
    [75, 1],
    [104, 1],
    [105, 2],
    [134, 2],
    [135, 3],
  ])('crisis care of %i minutes bills 90840 × %i, charged fee × units', async (minutes, units) => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 - DAY), { durationMinutes: minutes });
    const { claim } = await json(await confirm(s, apt.id, { cptCode: '90839', addOnCodes: ['90840'] }));
    expect(
      claim.lines.map((l: { cptCode: string; units: number; amountCents: number }) => [
        l.cptCode,
        l.units,
        l.amountCents,
      ]),
    ).toEqual([
      ['90839', 1, 14_000],
      ['90840', units, 15_000 * units],
    ]);
    expect(claim.totalCents).toBe(14_000 + 15_000 * units);
  });

  it('keeps the demographics as of confirmation, with the subscriber when not self', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const child = {
      ...COMPLETE_BILLING,
      insurance: {
        payerId: 'pay_cigna',
        memberId: 'C-77',
        relationship: 'child',
        subscriber: { firstName: 'Ann', lastName: 'Lovelace', dateOfBirth: '1960-03-04' },
      },
    };
    await call('PUT', `/v1/clients/${s.clientId}/billing`, { token: s.p.token, body: child });
    // A claim goes only to a carrier that has approved the provider (payer_not_credentialed otherwise).
    await call('PUT', `/admin/providers/${s.p.id}/carriers/pay_cigna`, { token: ADMIN, body: { status: 'approved' } });
    const apt = await schedule(s, at(T0 - DAY));
    const { claim } = await json(await confirm(s, apt.id));
    await call('PUT', `/v1/clients/${s.clientId}/billing`, {
      token: s.p.token,
      body: { ...COMPLETE_BILLING, legalLastName: 'Byron' },
    });
    const got = await json(await call('GET', `/v1/claims/${claim.id}`, { token: s.p.token }));
    expect(got).toMatchObject({ payerId: 'pay_cigna', memberId: 'C-77', groupNumber: null });
    expect(got.patient).toMatchObject({
      legalLastName: 'Lovelace',
      relationship: 'child',
      subscriber: { firstName: 'Ann', lastName: 'Lovelace', dateOfBirth: '1960-03-04' },
    });
  });

  it('the service date is the provider’s local date of the actual start', async () => {
    testClock.set(new Date(T0));
    const s = await setup({ timeZone: 'America/Los_Angeles' });
    const apt = await schedule(s, '2026-11-28T06:30:00.000Z'); // 22:30 on 27 November in Los Angeles
    const { claim } = await json(await confirm(s, apt.id, { cptCode: '90834', endedAt: '2026-11-28T07:15:00.000Z' }));
    expect(claim.serviceDate).toBe('2026-11-27');
  });
});

describe('GET /v1/claims', () => {
  it('newest first, filtered by status, paged by cursor; audited', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const apt = await schedule(s, at(T0 - 10 * DAY + i * 3 * HOUR));
      testClock.set(new Date(T0 + i * MIN));
      ids.push((await json(await confirm(s, apt.id))).claim.id);
    }
    await env.DB.prepare("UPDATE claims SET status = 'paid' WHERE id = ?").bind(ids[1]).run();
    const all = await json(await call('GET', '/v1/claims', { token: s.p.token }));
    expect(all.items.map((c: { id: string }) => c.id)).toEqual([...ids].reverse());
    expect(all.nextCursor).toBeNull();
    const paid = await json(await call('GET', '/v1/claims?status=paid', { token: s.p.token }));
    expect(paid.items.map((c: { id: string }) => c.id)).toEqual([ids[1]]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = await json(
        await call('GET', `/v1/claims?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: s.p.token }),
      );
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    expect((await call('GET', '/v1/claims?status=lost', { token: s.p.token })).status).toBe(400);
    const audit = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE provider_id = ? AND action = 'claim.list'",
    )
      .bind(s.p.id)
      .first<{ n: number }>();
    expect(audit!.n).toBeGreaterThanOrEqual(4);
  });

  it('another provider’s claim is 404 and never listed', async () => {
    testClock.set(new Date(T0));
    const a = await setup();
    const b = await setup();
    const apt = await schedule(a, at(T0 - DAY));
    const { claim } = await json(await confirm(a, apt.id));
    const res = await call('GET', `/v1/claims/${claim.id}`, { token: b.p.token });
    expect(res.status).toBe(404);
    expect(await json(res)).toEqual({ error: { code: 'not_found', message: 'Claim was not found.' } });
    expect((await json(await call('GET', '/v1/claims', { token: b.p.token }))).items).toEqual([]);
    expect((await call('GET', '/v1/claims/clm_unknown', { token: b.p.token })).status).toBe(404);
    expect((await call('GET', '/v1/claims')).status).toBe(401);
  });
});
