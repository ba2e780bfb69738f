// billing.md's rules as the API applies them at confirmation, table-driven: every CPT rule row at its
// edges, every add-on pairing, prescriber codes, and ICD-10-CM against the code set of the date of service;
// then the provider's billing profile and fees (provider_billing_incomplete) and the client's carrier
// (payer_not_credentialed).
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { testClock } from '../../worker/platform/clock';
import { ADMIN, ALL_FEES, addClient, call, COMPLETE_BILLING, COMPLETE_PROFILE, json } from './helpers';
import { at, confirm, DAY, HOUR, MIN, type Setup, setup } from './appointments-helpers';

const T0 = Date.parse('2026-12-01T12:00:00.000Z');
let slot = 0;

/** A session of `minutes` actual minutes, with its own client (90791 is once per day per client). */
async function session(s: Setup, minutes: number) {
  const client = await addClient(s.p);
  await call('PUT', `/v1/clients/${client.id}/billing`, { token: s.p.token, body: COMPLETE_BILLING });
  slot += 1;
  const startsAt = T0 - 20 * DAY + slot * 5 * HOUR;
  const res = await call('POST', '/v1/appointments', {
    token: s.p.token,
    body: {
      clientId: client.id,
      startsAt: at(startsAt),
      durationMinutes: Math.min(240, Math.max(15, minutes)),
      location: { type: 'office' },
    },
  });
  const apt = await json(res);
  return { apt, endedAt: at(startsAt + minutes * MIN) };
}

// [primary, add-ons, actual minutes, accepted?]
const CPT_CASES: [string, string[], number, boolean][] = [
  ['90791', [], 15, false],
  ['90791', [], 16, true],
  ['90791', [], 120, true],
  ['90792', [], 60, false],
  ['90832', [], 15, false],
  ['90832', [], 16, true],
  ['90832', [], 37, true],
  ['90832', [], 38, false],
  ['90834', [], 37, false],
  ['90834', [], 38, true],
  ['90834', [], 52, true],
  ['90834', [], 53, false],
  ['90837', [], 52, false],
  ['90837', [], 53, true],
  ['90837', [], 180, true],
  ['90839', [], 29, false],
  ['90839', [], 30, true],
  ['90839', [], 74, true],
  ['90839', [], 75, false],
  ['90839', ['90840'], 74, false],
  ['90839', ['90840'], 75, true],
  ['90839', ['90840'], 120, true],
  ['90840', [], 90, false],
  ['90846', [], 25, false],
  ['90846', [], 26, true],
  ['90847', [], 25, false],
  ['90847', [], 26, true],
  ['90853', [], 15, false],
  ['90853', [], 16, true],
  ['90853', [], 200, true],
  ['90785', [], 45, false],
  // Interactive complexity: only with 90791, 90792, 90832, 90834, 90837, 90853; never with crisis or family codes.
  ['90791', ['90785'], 60, true],
  ['90832', ['90785'], 30, true],
  ['90834', ['90785'], 45, true],
  ['90837', ['90785'], 60, true],
  ['90853', ['90785'], 60, true],
  ['90839', ['90785'], 60, false],
  ['90839', ['90840', '90785'], 90, false],
  ['90846', ['90785'], 50, false],
  ['90847', ['90785'], 50, false],
  ['90834', ['90840'], 45, false], // 90840 only with 90839
  // Prescriber codes, one primary per session, each add-on once, unknown codes.
  ['90833', [], 30, false],
  ['90836', [], 45, false],
  ['90838', [], 60, false],
  ['90834', ['90837'], 45, false],
  ['90834', ['90785', '90785'], 45, false],
  ['99213', [], 30, false],
];

describe('CPT rules at confirmation', () => {
  let s: Setup;

  it.each(CPT_CASES)('%s + %j over %i minutes → accepted: %s', async (cptCode, addOnCodes, minutes, accepted) => {
    testClock.set(new Date(T0));
    s ??= await setup();
    const { apt, endedAt } = await session(s, minutes);
    const res = await confirm(s, apt.id, { cptCode, addOnCodes, endedAt });
    if (accepted) {
      expect(res.status, await res.clone().text()).toBe(200);
      const { claim } = await json(res);
      expect(claim.cptCode).toBe(cptCode);
    } else {
      expect(res.status).toBe(422);
      const err = (await json(res)).error;
      expect(err.code).toBe('invalid_code');
      expect(err.message.length).toBeGreaterThan(10);
    }
  });

  it('messages say which rule: prescriber codes, time ranges, pairings', async () => {
    testClock.set(new Date(T0));
    s ??= await setup();
    const message = async (cptCode: string, addOnCodes: string[], minutes: number) => {
      const { apt, endedAt } = await session(s, minutes);
      return (await json(await confirm(s, apt.id, { cptCode, addOnCodes, endedAt }))).error.message as string;
    };
    expect(await message('90836', [], 45)).toMatch(/prescriber/);
    expect(await message('90837', [], 45)).toMatch(/90837 needs at least 53 minutes.*45 minutes.*use 90834/);
    expect(await message('90846', ['90785'], 50)).toMatch(/90785.*never billed with 90846/);
    expect(await message('90834', [], 14)).toMatch(/Under 16 minutes/);
  });

  it('90791 is billed once per day for a client', async () => {
    testClock.set(new Date(T0));
    const t = await setup();
    const first = await call('POST', '/v1/appointments', {
      token: t.p.token,
      body: { clientId: t.clientId, startsAt: at(T0 - DAY), durationMinutes: 60, location: { type: 'office' } },
    });
    const second = await call('POST', '/v1/appointments', {
      token: t.p.token,
      body: {
        clientId: t.clientId,
        startsAt: at(T0 - DAY + 2 * HOUR),
        durationMinutes: 60,
        location: { type: 'office' },
      },
    });
    expect((await confirm(t, (await json(first)).id, { cptCode: '90791' })).status).toBe(200);
    const again = await confirm(t, (await json(second)).id, { cptCode: '90791' });
    expect(again.status).toBe(422);
    expect((await json(again)).error.message).toMatch(/once per day/);
  });

  /** Two sessions of one client on the same day (10:00 and 14:00 UTC the day before T0). */
  async function sameDay() {
    testClock.set(new Date(T0));
    const t = await setup();
    const ids: string[] = [];
    for (const start of [T0 - DAY - 2 * HOUR, T0 - DAY + 2 * HOUR]) {
      const res = await call('POST', '/v1/appointments', {
        token: t.p.token,
        body: { clientId: t.clientId, startsAt: at(start), durationMinutes: 60, location: { type: 'office' } },
      });
      ids.push((await json(res)).id);
    }
    return { t, ids: ids as [string, string] };
  }

  it('a diagnostic evaluation and psychotherapy on the same date for one client: the second is refused, naming the other session', async () => {
    const { t, ids } = await sameDay();
    expect((await confirm(t, ids[0], { cptCode: '90791' })).status).toBe(200);
    const therapy = await confirm(t, ids[1], { cptCode: '90837' });
    expect(therapy.status).toBe(422);
    const body = await json(therapy);
    expect(body.error.code).toBe('invalid_code');
    expect(body.error.message).toMatch(/not billed for the same client on the same date/);
    expect(body.error.message).toMatch(/90791/);
    expect(body.error.message).toMatch(/session/);
  });

  it('psychotherapy first, then a diagnostic evaluation the same date: refused too', async () => {
    const { t, ids } = await sameDay();
    expect((await confirm(t, ids[0], { cptCode: '90837' })).status).toBe(200);
    const evaluation = await confirm(t, ids[1], { cptCode: '90791' });
    expect(evaluation.status).toBe(422);
    expect((await json(evaluation)).error.message).toMatch(/90837/);
  });

  it('two psychotherapy sessions on one date are both billed (the edit is evaluation with therapy only)', async () => {
    const { t, ids } = await sameDay();
    expect((await confirm(t, ids[0], { cptCode: '90837' })).status).toBe(200);
    expect((await confirm(t, ids[1], { cptCode: '90837' })).status).toBe(200);
  });

  it('90840 carries units from the length: 75–104 minutes one, 105–134 two, each further 30 one more', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    for (const [minutes, units] of [
      [75, 1],
      [104, 1],
      [105, 2],
      [134, 2],
      [135, 3],
    ] as const) {
      const { apt, endedAt } = await session(s, minutes);
      const res = await confirm(s, apt.id, {
        cptCode: '90839',
        addOnCodes: ['90840'],
        startedAt: apt.startsAt,
        endedAt,
      });
      expect(res.status).toBe(200);
      const { claim } = await json(res);
      expect(claim.lines.map((l: { cptCode: string; units: number }) => [l.cptCode, l.units])).toEqual([
        ['90839', 1],
        ['90840', units],
      ]);
    }
  });
});

describe('Telehealth modality at confirmation', () => {
  async function telehealthSession() {
    testClock.set(new Date(T0));
    const t = await setup({ telehealth: true });
    const res = await call('POST', '/v1/appointments', {
      token: t.p.token,
      body: { clientId: t.clientId, startsAt: at(T0 - DAY), durationMinutes: 60, location: { type: 'telehealth' } },
    });
    return { t, id: (await json(res)).id as string };
  }

  it('audio-only telehealth is billed with modifier 93', async () => {
    const { t, id } = await telehealthSession();
    const res = await confirm(t, id, { cptCode: '90837', telehealthModality: 'audio' });
    expect(res.status).toBe(200);
    const { appointment, claim } = await json(res);
    expect(claim.modifiers).toEqual(['93']);
    expect(claim.lines[0].modifiers).toEqual(['93']);
    expect(appointment.confirmation.telehealthModality).toBe('audio');
  });

  it('video is the default: modifier 95', async () => {
    const { t, id } = await telehealthSession();
    const { claim } = await json(await confirm(t, id, { cptCode: '90837' }));
    expect(claim.modifiers).toEqual(['95']);
  });

  it('a correction can switch video to audio only', async () => {
    const { t, id } = await telehealthSession();
    await confirm(t, id, { cptCode: '90837' });
    const res = await call('PATCH', `/v1/appointments/${id}/confirmation`, {
      token: t.p.token,
      body: { telehealthModality: 'audio' },
    });
    expect(res.status).toBe(200);
    expect((await json(res)).claim.modifiers).toEqual(['93']);
  });

  it('an unknown modality is a validation error', async () => {
    const { t, id } = await telehealthSession();
    const res = await confirm(t, id, { cptCode: '90837', telehealthModality: 'phone' });
    expect(res.status).toBe(400);
    expect((await json(res)).error.issues[0].path).toBe('telehealthModality');
  });
});

describe('ICD-10-CM at confirmation', () => {
  it('normalises (f411 → F41.1, f32a → F32.A) and stores the dotted upper-case form', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const { apt } = await session(s, 45);
    const res = await confirm(s, apt.id, { diagnosisCodes: ['f411', ' f32a ', 'Z63.0'] });
    expect(res.status).toBe(200);
    const { claim, appointment } = await json(res);
    expect(claim.diagnosisCodes).toEqual(['F41.1', 'F32.A', 'Z63.0']);
    expect(appointment.confirmation.diagnosisCodes).toEqual(['F41.1', 'F32.A', 'Z63.0']);
  });

  // [codes, status, message pattern]
  const CASES: [string[], number, RegExp][] = [
    [['F41'], 422, /F41 is a category, not a billable code/],
    [['F41.1', 'F99.9'], 422, /F99\.9 is not an ICD-10-CM code/],
    [['F41.1', 'f411'], 422, /F41\.1 is listed more than once/],
    [['A00.3'], 422, /A00\.3 is not an ICD-10-CM code in the FY2027 code set\./],
    [
      ['R45.85'],
      422,
      /R45\.85 is a subcategory, not a billable code; pick a more specific code such as R45\.850 or R45\.851/,
    ],
    [['F02.80', 'G30.9'], 422, /F02\.80 is a manifestation code .*never the first-listed diagnosis/],
    [['41.1'], 400, /ICD-10-CM code shape/],
    [[], 400, /at least one/],
    [Array.from({ length: 13 }, (_, i) => `F4${i % 10}.${i}`), 400, /At most 12/],
  ];
  it.each(CASES)('%j → %i', async (diagnosisCodes, status, pattern) => {
    testClock.set(new Date(T0));
    const s = await setup();
    const { apt } = await session(s, 45);
    const res = await confirm(s, apt.id, { diagnosisCodes });
    expect(res.status).toBe(status);
    const err = (await json(res)).error;
    expect(JSON.stringify(err)).toMatch(pattern);
  });

  it('accepts billable codes from every chapter, and a manifestation code after its underlying condition', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const { apt } = await session(s, 45);
    const codes = ['R45.851', 'G30.9', 'F02.80', 'T74.11XA', 'Y07.010', 'G47.00', 'R41.840', 'qa00101'];
    const res = await confirm(s, apt.id, { diagnosisCodes: codes });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await json(res)).claim.diagnosisCodes).toEqual([...codes.slice(0, -1), 'QA0.0101']);
  });

  it('accepts 12 distinct billable codes', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const { apt } = await session(s, 45);
    const codes = [
      'F41.1',
      'F41.0',
      'F32.0',
      'F32.1',
      'F32.2',
      'F33.0',
      'F33.1',
      'F43.10',
      'F43.12',
      'F42.2',
      'F40.10',
      'Z63.0',
    ];
    const res = await confirm(s, apt.id, { diagnosisCodes: codes });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await json(res)).claim.diagnosisCodes).toEqual(codes);
  });

  it('validates against the code set in force on the date of service, in the provider’s zone', async () => {
    // F64.A is new in FY2027 (from 1 October 2026); Z68.1 stops being billable then.
    testClock.set('2026-10-05T12:00:00.000Z');
    const s = await setup({ timeZone: 'America/New_York' });
    const make = async (startsAt: string) =>
      json(
        await call('POST', '/v1/appointments', {
          token: s.p.token,
          body: { clientId: s.clientId, startsAt, durationMinutes: 50, location: { type: 'office' } },
        }),
      );
    // 1 Oct 2026 01:00 UTC is still 30 September in New York: FY2026.
    const sept = await make('2026-10-01T01:00:00.000Z');
    const oct = await make('2026-10-01T15:00:00.000Z');
    const refusedNew = await confirm(s, sept.id, { diagnosisCodes: ['F64.A'] });
    expect(refusedNew.status).toBe(422);
    expect((await json(refusedNew)).error.message).toMatch(
      /F64\.A is not an ICD-10-CM code in the FY2026 code set; it takes effect on 2026-10-01/,
    );
    const refusedOld = await confirm(s, oct.id, { diagnosisCodes: ['Z68.1'] });
    expect(refusedOld.status).toBe(422);
    expect((await json(refusedOld)).error.message).toMatch(/Z68\.1 is a subcategory/);
    expect((await confirm(s, sept.id, { diagnosisCodes: ['Z68.1'] })).status).toBe(200);
    const ok = await confirm(s, oct.id, { diagnosisCodes: ['F64.A'] });
    expect(ok.status).toBe(200);
    expect((await json(ok)).claim.serviceDate).toBe('2026-10-01');
  });
});

describe('the provider’s billing at confirmation', () => {
  const codeOf = async (res: Response) => {
    const err = (await json(res)).error;
    return { status: res.status, ...err };
  };

  it('provider_billing_incomplete names each missing profile path (billingProfile.…), then fees.<code> for each code on the claim without a fee', async () => {
    testClock.set(new Date(T0));
    const s = await setup({ providerBilling: false });
    const { address, ...rest } = COMPLETE_PROFILE;
    await call('PUT', '/v1/me/billing-profile', {
      token: s.p.token,
      body: { ...rest, taxId: undefined, address: { ...address, postalCode: undefined } },
    });
    await call('PUT', '/v1/me/fees', { token: s.p.token, body: { items: [{ cptCode: '90791', amountCents: 20000 }] } });
    const { apt, endedAt } = await session(s, 45);
    const res = await confirm(s, apt.id, { cptCode: '90834', addOnCodes: ['90785'], endedAt });
    const err = await codeOf(res);
    expect(err.status).toBe(422);
    expect(err.code).toBe('provider_billing_incomplete');
    expect(err.missing).toEqual([
      'billingProfile.taxId',
      'billingProfile.address.postalCode',
      'fees.90834',
      'fees.90785',
    ]);
    expect(err.message).toMatch(/billingProfile\.taxId.*fees\.90785/);
    // Nothing written: still scheduled, no claim.
    const after = await json(await call('GET', `/v1/appointments/${apt.id}`, { token: s.p.token }));
    expect(after.status).toBe('scheduled');
    expect(after.claimId).toBeNull();
  });

  it('a complete profile with a fee missing for one add-on names only that fee', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    await call('PUT', '/v1/me/fees', {
      token: s.p.token,
      body: { items: ALL_FEES.items.filter((f) => f.cptCode !== '90840') },
    });
    const { apt, endedAt } = await session(s, 90);
    const err = await codeOf(await confirm(s, apt.id, { cptCode: '90839', addOnCodes: ['90840'], endedAt }));
    expect([err.code, err.missing]).toEqual(['provider_billing_incomplete', ['fees.90840']]);
    const ok = await confirm(s, apt.id, {
      cptCode: '90839',
      addOnCodes: [],
      endedAt: at(Date.parse(endedAt) - 30 * MIN),
    });
    expect(ok.status, await ok.clone().text()).toBe(200);
  });

  it('comes before the client’s billing_incomplete, and issues the client no link', async () => {
    testClock.set(new Date(T0));
    const s = await setup({ providerBilling: false, billing: false });
    const apt = await json(
      await call('POST', '/v1/appointments', {
        token: s.p.token,
        body: { clientId: s.clientId, startsAt: at(T0 - DAY), durationMinutes: 45, location: { type: 'office' } },
      }),
    );
    const links = () =>
      env.DB.prepare('SELECT count(*) AS n FROM client_links WHERE client_id = ?')
        .bind(s.clientId)
        .first<{ n: number }>()
        .then((r) => r!.n);
    const before = await links();
    const err = await codeOf(await confirm(s, apt.id));
    expect(err.code).toBe('provider_billing_incomplete');
    expect(err.missing).toContain('billingProfile.taxId');
    expect(err.missing).toContain('fees.90834');
    expect(err.settingsUrl).toBeUndefined();
    expect(await links()).toBe(before);
  });

  it('payer_not_credentialed: the client’s carrier has not approved this provider (no row, pending, terminated) → 422 with payerId', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    await call('PUT', `/v1/clients/${s.clientId}/billing`, {
      token: s.p.token,
      body: { ...COMPLETE_BILLING, insurance: { ...COMPLETE_BILLING.insurance, payerId: 'pay_cigna' } },
    });
    const apt = await json(
      await call('POST', '/v1/appointments', {
        token: s.p.token,
        body: { clientId: s.clientId, startsAt: at(T0 - DAY), durationMinutes: 45, location: { type: 'office' } },
      }),
    );
    const cigna = `/admin/providers/${s.p.id}/carriers/pay_cigna`;
    const none = await codeOf(await confirm(s, apt.id));
    expect([none.status, none.code, none.payerId]).toEqual([422, 'payer_not_credentialed', 'pay_cigna']);
    for (const status of ['pending', 'terminated']) {
      await call('PUT', cigna, { token: ADMIN, body: { status } });
      const err = await codeOf(await confirm(s, apt.id));
      expect([err.code, err.payerId], status).toEqual(['payer_not_credentialed', 'pay_cigna']);
      expect(err.message).toMatch(/Cigna/);
    }
    await call('PUT', cigna, { token: ADMIN, body: { status: 'approved' } });
    const ok = await confirm(s, apt.id);
    expect(ok.status, await ok.clone().text()).toBe(200);
    expect((await json(ok)).claim.payerId).toBe('pay_cigna');
  });
});
