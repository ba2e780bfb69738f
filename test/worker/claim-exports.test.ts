// POST /v1/claims/exports and the file route, through the API: a matrix of exports, each file judged
// by the independent validator (X12VALID, pyx12) and here for the business sense it does not check —
// totals = Σ fee × units, pointers, NPI check digits, ZIP+4, dates of service in the provider's zone.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { isValidNpi } from '../../shared/npi';
import { testClock } from '../../worker/platform/clock';
import { ADMIN, call, COMPLETE_BILLING, COMPLETE_PROFILE, json } from './helpers';
import { at, confirm, DAY, HOUR, refresh, schedule, type Setup, setup } from './appointments-helpers';

const T0 = Date.parse('2026-12-01T15:04:00.000Z');

async function validate(file: string): Promise<{ ok: boolean; output: string }> {
  const res = await env.X12VALID.fetch('http://x12valid/', { method: 'POST', body: file });
  return res.json();
}

const segmentsOf = (file: string) =>
  file
    .split('~')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => s.split('*'));

type Claim = {
  id: string;
  claimNumber: string;
  frequency: 'original' | 'replacement' | 'void';
  payerClaimNumber: string | null;
  serviceDate: string;
  placeOfService: string;
  diagnosisCodes: string[];
  totalCents: number;
  lines: { cptCode: string; modifiers: string[]; units: number; amountCents: number; diagnosisPointers: number[] }[];
};

const FEES: Record<string, number> = Object.fromEntries(
  ['90791', '90832', '90834', '90837', '90839', '90840', '90846', '90847', '90853', '90785'].map((c, i) => [
    c,
    10_000 + i * 1_000,
  ]),
);

/** Exports (all ready, or these), downloads twice, validates, and checks the file against the claims. */
async function exportAndJudge(s: Setup, claimIds?: string[]) {
  await refresh(s);
  const res = await call('POST', '/v1/claims/exports', { token: s.p.token, body: claimIds ? { claimIds } : {} });
  expect(res.status, await res.clone().text()).toBe(201);
  const exp = await json(res);
  const claims: Claim[] = [];
  for (const id of exp.claimIds) claims.push(await json(await call('GET', `/v1/claims/${id}`, { token: s.p.token })));
  const dl = await call('GET', `/v1/claims/exports/${exp.id}/file`, { token: s.p.token });
  expect(dl.status).toBe(200);
  expect(dl.headers.get('content-type')).toBe('application/edi-x12');
  expect(dl.headers.get('content-disposition')).toBe(
    `attachment; filename="caseload-837p-${exp.interchangeControlNumber}.txt"`,
  );
  const file = await dl.text();
  // Byte-identical on every download.
  expect(await (await call('GET', `/v1/claims/exports/${exp.id}/file`, { token: s.p.token })).text()).toBe(file);
  const verdict = await validate(file);
  expect(verdict.output).toContain('FILE: OK');
  expect(verdict.ok).toBe(true);

  const segs = segmentsOf(file);
  const ids = segs.map((x) => x[0]);
  expect(segs[0]![13]).toBe(exp.interchangeControlNumber);
  expect(exp.interchangeControlNumber).toMatch(/^\d{9}$/);
  expect(exp.claimCount).toBe(claims.length);
  expect(exp.totalCents).toBe(claims.reduce((sum, c) => sum + c.totalCents, 0));
  const billing = segs[ids.indexOf('NM1', ids.indexOf('PRV'))]!;
  expect(isValidNpi(billing[9]!)).toBe(true);
  expect(segs[ids.indexOf('N4', ids.indexOf('PRV'))]![3]).toMatch(/^\d{9}$/);
  expect(segs.find((x) => x[0] === 'REF' && (x[1] === 'EI' || x[1] === 'SY'))![2]).toMatch(/^\d{9}$/);
  const per = segs.find((x) => x[0] === 'PER')!;
  expect(per[3]).toBe('TE');
  expect(per[4]).toMatch(/^\d{10}$/);
  const clmAt = ids.flatMap((id, i) => (id === 'CLM' ? [i] : []));
  expect(clmAt).toHaveLength(claims.length);
  claims.forEach((c, n) => {
    const mine = segs.slice(clmAt[n]!, clmAt[n + 1] ?? ids.indexOf('SE'));
    const clm = mine[0]!;
    expect(clm[1]).toBe(c.claimNumber);
    expect(c.claimNumber.length).toBeLessThanOrEqual(20);
    // Charges: each line is the fee × units; the claim's total is their sum, in the file too.
    for (const l of c.lines) expect(l.amountCents).toBe(FEES[l.cptCode]! * l.units);
    expect(c.totalCents).toBe(c.lines.reduce((sum, l) => sum + l.amountCents, 0));
    const sv1 = mine.filter((x) => x[0] === 'SV1');
    expect(sv1.map((x) => Math.round(Number(x[2]) * 100))).toEqual(c.lines.map((l) => l.amountCents));
    expect(Math.round(Number(clm[2]) * 100)).toBe(c.totalCents);
    expect(clm[5]).toBe(`${c.placeOfService}:B:${{ original: 1, replacement: 7, void: 8 }[c.frequency]}`);
    const hi = mine.find((x) => x[0] === 'HI')!;
    expect(hi.slice(1)).toEqual(c.diagnosisCodes.map((d, i) => `${i ? 'ABF' : 'ABK'}:${d.replace('.', '')}`));
    sv1.forEach((x, i) => {
      expect(x[7]).toBe(c.lines[i]!.diagnosisPointers.join(':'));
      for (const p of c.lines[i]!.diagnosisPointers) expect(p >= 1 && p <= c.diagnosisCodes.length).toBe(true);
    });
    for (const dtp of mine.filter((x) => x[0] === 'DTP' && x[1] === '472')) {
      expect(dtp[3]).toBe(c.serviceDate.replace(/-/g, ''));
    }
    const f8 = mine.find((x) => x[0] === 'REF' && x[1] === 'F8');
    expect(f8?.[2]).toBe(c.frequency === 'original' ? undefined : (c.payerClaimNumber ?? undefined));
    const rendering = mine.find((x) => x[0] === 'NM1' && x[1] === '82');
    if (rendering) expect(isValidNpi(rendering[9]!)).toBe(true);
  });
  for (const x of segs.slice(1)) for (const el of x) expect(el).not.toMatch(/[~^]/);
  return { exp, claims, file, segs };
}

async function confirmed(s: Setup, hoursAgo: number, body: Record<string, unknown> = {}, extra = {}) {
  const apt = await schedule(s, at(T0 - DAY - hoursAgo * HOUR), extra);
  const res = await confirm(s, apt.id, body);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await json(res)).claim as Claim;
}

async function provider(profile: Record<string, unknown> = {}, opts: Parameters<typeof setup>[0] = {}) {
  testClock.set(new Date(T0));
  const s = await setup(opts);
  if (Object.keys(profile).length > 0) {
    const res = await call('PUT', '/v1/me/billing-profile', {
      token: s.p.token,
      body: { ...COMPLETE_PROFILE, ...profile },
    });
    expect(res.status, await res.clone().text()).toBe(200);
  }
  return s;
}

const TWELVE = [
  'F41.1',
  'F32.0',
  'F43.10',
  'F40.10',
  'Z63.0',
  'Z56.6',
  'F41.0',
  'F33.1',
  'F32.1',
  'F90.0',
  'F43.12',
  'F42.2',
];

describe('the 837P export matrix (validated by pyx12 and for business sense)', { timeout: 60_000 }, () => {
  it('a self-subscribed client in the office with 12 diagnoses', async () => {
    const s = await provider();
    const c = await confirmed(s, 0, { diagnosisCodes: TWELVE, addOnCodes: ['90785'] });
    const { segs } = await exportAndJudge(s);
    expect(segs.find((x) => x[0] === 'HI')!.slice(1)).toHaveLength(12);
    expect(c.lines[0]!.diagnosisPointers).toEqual([1, 2, 3, 4]);
    expect(segs.some((x) => x[0] === 'PAT')).toBe(false);
  });

  it('a child of the subscriber, telehealth video at home (POS 10, 95) and audio elsewhere (POS 02, 93), in one file', async () => {
    const s = await provider({}, { telehealth: true });
    await call('PUT', `/admin/providers/${s.p.id}/carriers/pay_cigna`, { token: ADMIN, body: { status: 'approved' } });
    await call('PUT', `/v1/clients/${s.clientId}/billing`, {
      token: s.p.token,
      body: {
        ...COMPLETE_BILLING,
        insurance: {
          payerId: 'pay_cigna',
          memberId: 'C-77',
          relationship: 'child',
          subscriber: { firstName: 'Ann', lastName: 'Lovelace', dateOfBirth: '1960-03-04' },
        },
      },
    });
    await confirmed(s, 0, {}, { location: { type: 'telehealth' } });
    await confirmed(
      s,
      48,
      { patientLocation: 'other', telehealthModality: 'audio' },
      { location: { type: 'telehealth' } },
    );
    const { segs, claims } = await exportAndJudge(s);
    expect(claims.map((c) => [c.placeOfService, c.lines[0]!.modifiers])).toEqual(
      expect.arrayContaining([
        ['10', ['95']],
        ['02', ['93']],
      ]),
    );
    expect(segs.filter((x) => x[0] === 'PAT').map((x) => x[1])).toEqual(['19', '19']);
    expect(segs.some((x) => x[0] === 'NM1' && x[1] === 'PR' && x[9] === '62308')).toBe(true);
  });

  it('crisis care: 90839 + 90840 × 2 at fee × units', async () => {
    const s = await provider();
    const c = await confirmed(s, 0, { cptCode: '90839', addOnCodes: ['90840'] }, { durationMinutes: 110 });
    expect(c.lines.map((l) => [l.cptCode, l.units, l.amountCents])).toEqual([
      ['90839', 1, 14_000],
      ['90840', 2, 30_000],
    ]);
    await exportAndJudge(s);
  });

  it('an organization: group NPI billing, the therapist as rendering provider, a service facility when the office differs', async () => {
    const s = await provider({
      entity: 'organization',
      billingName: 'Rosewood * Counseling ~ Group: LLC ^',
      groupNpi: '1245319599',
      serviceAddress: { line1: '55 Water St', city: 'Brooklyn', state: 'NY', postalCode: '11201-1000' },
    });
    await confirmed(s, 0);
    const { segs } = await exportAndJudge(s);
    const billing = segs.find((x) => x[0] === 'NM1' && x[1] === '85')!;
    expect(billing[2]).toBe('2');
    expect(billing[3]).toBe('ROSEWOOD COUNSELING GROUP LLC');
    expect(billing[9]).toBe('1245319599');
    const rendering = segs.find((x) => x[0] === 'NM1' && x[1] === '82')!;
    expect(rendering[9]).toBe('1234567893');
    expect(segs.some((x) => x[0] === 'NM1' && x[1] === '77')).toBe(true);
  });

  it('no service facility when the service address is the billing address; delimiters in client names are replaced', async () => {
    const s = await provider({ serviceAddress: COMPLETE_PROFILE.address });
    await call('PUT', `/v1/clients/${s.clientId}/billing`, {
      token: s.p.token,
      body: { ...COMPLETE_BILLING, legalFirstName: 'Zoë*~', legalLastName: "O'Brien:^Peña" },
    });
    await confirmed(s, 0);
    const { segs } = await exportAndJudge(s);
    expect(segs.some((x) => x[0] === 'NM1' && x[1] === '77')).toBe(false);
    const il = segs.find((x) => x[0] === 'NM1' && x[1] === 'IL')!;
    expect([il[3], il[4]]).toEqual(["O'BRIEN PENA", 'ZOE']);
  });

  it('a replacement (7) and a void (8) carry the payer claim number in REF*F8; the interchange number grows', async () => {
    const s = await provider();
    const a = await confirmed(s, 0);
    const b = await confirmed(s, 48);
    const first = await exportAndJudge(s);
    for (const c of [a, b]) {
      await call('POST', `/v1/claims/${c.id}/status`, { token: s.p.token, body: { status: 'submitted' } });
      await call('POST', `/v1/claims/${c.id}/status`, {
        token: s.p.token,
        body: { status: 'accepted', payerClaimNumber: `PCN${c.claimNumber.slice(-4)}` },
      });
    }
    const r = await call('POST', `/v1/claims/${a.id}/replacement`, {
      token: s.p.token,
      body: { cptCode: '90834', diagnosisCodes: ['F41.0'] },
    });
    expect(r.status).toBe(201);
    expect((await call('POST', `/v1/claims/${b.id}/void`, { token: s.p.token })).status).toBe(201);
    const second = await exportAndJudge(s);
    expect(second.claims.map((c) => c.frequency).sort()).toEqual(['replacement', 'void']);
    expect(Number(second.exp.interchangeControlNumber)).toBe(Number(first.exp.interchangeControlNumber) + 1);
  });

  it('dates of service are the provider’s local date (Los Angeles, late evening)', async () => {
    const s = await provider({}, { timeZone: 'America/Los_Angeles' });
    const apt = await schedule(s, '2026-11-28T06:30:00.000Z'); // 22:30 on 27 November in Los Angeles
    await confirm(s, apt.id, { endedAt: '2026-11-28T07:15:00.000Z' });
    const { segs } = await exportAndJudge(s);
    expect(segs.find((x) => x[0] === 'DTP' && x[1] === '472')![3]).toBe('20261127');
  });
});

describe('POST /v1/claims/exports rules', { timeout: 60_000 }, () => {
  it('none ready is 422 nothing_to_export; a listed claim not ready is 409 claim_exported; an unknown one 404', async () => {
    const s = await provider();
    const none = await call('POST', '/v1/claims/exports', { token: s.p.token, body: {} });
    expect(none.status).toBe(422);
    expect((await json(none)).error.code).toBe('nothing_to_export');
    const c = await confirmed(s, 0);
    await exportAndJudge(s);
    const again = await call('POST', '/v1/claims/exports', { token: s.p.token, body: { claimIds: [c.id] } });
    expect(again.status).toBe(409);
    expect((await json(again)).error.code).toBe('claim_exported');
    const unknown = await call('POST', '/v1/claims/exports', { token: s.p.token, body: { claimIds: ['clm_nope'] } });
    expect(unknown.status).toBe(404);
    expect((await call('POST', '/v1/claims/exports', { token: s.p.token, body: {} })).status).toBe(422);
  });

  it('names up to 1,000 claims, bound as one parameter (D1 binds at most 100 per statement): 1,001 is 400', async () => {
    const s = await provider();
    const c = await confirmed(s, 0);
    const many = [c.id, ...Array.from({ length: 999 }, (_, i) => `clm_none${i}`)];
    const unknown = await call('POST', '/v1/claims/exports', { token: s.p.token, body: { claimIds: many } });
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error.message).toContain('clm_none0');
    const tooMany = await call('POST', '/v1/claims/exports', {
      token: s.p.token,
      body: { claimIds: [...many, 'clm_one_more'] },
    });
    expect(tooMany.status).toBe(400);
    expect((await json(tooMany)).error.issues[0]).toMatchObject({
      path: 'claimIds',
      message: 'An export holds at most 1,000 claims',
    });
    // Duplicates count once, and the one real claim still exports: the update binds the list as JSON too.
    const one = await call('POST', '/v1/claims/exports', {
      token: s.p.token,
      body: { claimIds: Array(150).fill(c.id) },
    });
    expect(one.status).toBe(201);
    expect((await json(one)).claimIds).toEqual([c.id]);
  });

  it('exports only the listed claims; lists newest first; audited; Idempotency-Key replays the same export', async () => {
    const s = await provider();
    const a = await confirmed(s, 0);
    const b = await confirmed(s, 48);
    const headers = { 'idempotency-key': 'exp-key-1' };
    const one = await call('POST', '/v1/claims/exports', { token: s.p.token, body: { claimIds: [a.id] }, headers });
    const replay = await call('POST', '/v1/claims/exports', { token: s.p.token, body: { claimIds: [a.id] }, headers });
    expect(one.status).toBe(201);
    expect(replay.status).toBe(201);
    const e1 = await json(one);
    expect(await json(replay)).toEqual(e1);
    expect(e1.claimIds).toEqual([a.id]);
    const rows = await env.DB.prepare('SELECT id, status, export_id FROM claims WHERE id IN (?, ?)')
      .bind(a.id, b.id)
      .all<{ id: string; status: string; export_id: string | null }>();
    expect(Object.fromEntries(rows.results.map((r) => [r.id, [r.status, r.export_id]]))).toEqual({
      [a.id]: ['exported', e1.id],
      [b.id]: ['ready', null],
    });
    testClock.set(new Date(T0 + 60_000));
    const e2 = await json(await call('POST', '/v1/claims/exports', { token: s.p.token, body: {} }));
    expect(e2.claimIds).toEqual([b.id]);
    const list = await json(await call('GET', '/v1/claims/exports', { token: s.p.token }));
    expect(list.items.map((e: { id: string }) => e.id)).toEqual([e2.id, e1.id]);
    expect(await json(await call('GET', `/v1/claims/exports/${e1.id}`, { token: s.p.token }))).toEqual(e1);
    const audit = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE provider_id = ? AND action = 'claims.exported'",
    )
      .bind(s.p.id)
      .first<{ n: number }>();
    expect(audit!.n).toBe(2);
    expect((await call('GET', '/v1/claims/exports/exp_nope', { token: s.p.token })).status).toBe(404);
  });
});
