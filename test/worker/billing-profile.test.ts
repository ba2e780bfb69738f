// GET/PUT /v1/me/billing-profile: what every claim needs from the provider (API.md, billing.md's 837P),
// validated field by field, the tax id sealed at rest and never returned whole, and GET /v1/me's
// billingComplete. The demo seed's profile is complete once `npm start` seals its tax id.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { DEMO_EIN, DEMO_PROVIDER_ID, demoTaxIdSql } from '../../scripts/lib/demo-tax-id.mjs';
import { openTaxId } from '../../worker/platform/tax-id-crypto';
import { call, COMPLETE_PROFILE, json, makeProvider, type TestProvider, tokenFor } from './helpers';

const put = (p: TestProvider, body: unknown) => call('PUT', '/v1/me/billing-profile', { token: p.token, body });
const get = async (p: TestProvider) => json(await call('GET', '/v1/me/billing-profile', { token: p.token }));
const stored = (providerId: string) =>
  env.DB.prepare('SELECT * FROM provider_billing_profiles WHERE provider_id = ?')
    .bind(providerId)
    .first<Record<string, string | null>>();

const ALL_MISSING = [
  'billingName',
  'entity',
  'taxId',
  'taxonomyCode',
  'address.line1',
  'address.city',
  'address.state',
  'address.postalCode',
  'phone',
  'edi.submitterId',
  'edi.submitterName',
  'edi.receiverId',
  'edi.receiverName',
  'edi.usage',
];

/** `COMPLETE_PROFILE` with one part replaced (`undefined` leaves the field out). */
const withField = (key: string, value: unknown) => ({ ...COMPLETE_PROFILE, [key]: value });
const withAddress = (key: string, value: unknown) =>
  withField('address', { ...COMPLETE_PROFILE.address, [key]: value });

describe('the billing profile', () => {
  it('is all null before it is given, and missing names every path a claim needs, one per field', async () => {
    const p = await makeProvider({ billing: false });
    const profile = await get(p);
    expect(profile).toEqual({
      billingName: null,
      entity: null,
      taxId: null,
      taxonomyCode: null,
      groupNpi: null,
      address: { line1: null, line2: null, city: null, state: null, postalCode: null },
      phone: null,
      serviceAddress: null,
      edi: { submitterId: null, submitterName: null, receiverId: null, receiverName: null, usage: null },
      missing: ALL_MISSING,
    });
  });

  it('a complete profile has nothing missing; the tax id comes back as its type and last 4 only', async () => {
    const p = await makeProvider({ billing: false });
    const res = await put(p, COMPLETE_PROFILE);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toMatch(/123456789|12-3456789/);
    const body = JSON.parse(text);
    expect(body.missing).toEqual([]);
    expect(body.taxId).toEqual({ type: 'EIN', last4: '6789' });
    expect(body.address).toEqual({ ...COMPLETE_PROFILE.address });
    expect(await get(p)).toEqual(body);
  });

  it('fields may be left out: saved as not yet given and listed in missing (PUT replaces the whole profile)', async () => {
    const p = await makeProvider({ billing: false });
    await put(p, COMPLETE_PROFILE);
    const res = await put(p, { billingName: 'Only, Name', edi: { usage: 'production' } });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.billingName).toBe('Only, Name');
    expect(body.taxId).toBeNull();
    expect(body.missing).toEqual(ALL_MISSING.filter((m) => m !== 'billingName' && m !== 'edi.usage'));
    expect((await stored(p.id))?.tax_id_sealed).toBeNull();
  });

  it('the tax id is stored sealed (AES-GCM under NOTES_KEY, bound to its provider), never in plaintext', async () => {
    const p = await makeProvider({ billing: false });
    await put(p, withField('taxId', { type: 'SSN', value: '123 45 6789' }));
    const row = (await stored(p.id))!;
    expect(row.tax_id_type).toBe('SSN');
    expect(row.tax_id_last4).toBe('6789');
    expect(row.tax_id_sealed).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toMatch(/123456789|123 45 6789|123-45-6789/);
    expect(await openTaxId(env.NOTES_KEY, p.id, row.tax_id_sealed!)).toBe('123456789');
    // Copied onto another provider's profile, it does not open.
    await expect(openTaxId(env.NOTES_KEY, 'prv_other', row.tax_id_sealed!)).rejects.toThrow();
  });

  it('a PUT that sends taxId without value keeps the stored number', async () => {
    const p = await makeProvider({ billing: false });
    await put(p, COMPLETE_PROFILE);
    const before = (await stored(p.id))!.tax_id_sealed;
    const res = await put(p, { ...withField('taxId', { type: 'EIN' }), phone: '(646) 555 0199' });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.taxId).toEqual({ type: 'EIN', last4: '6789' });
    expect(body.phone).toBe('646-555-0199');
    expect(body.missing).toEqual([]);
    expect((await stored(p.id))!.tax_id_sealed).toBe(before);
  });

  it('a taxId of another type without value is 400 (the stored number is not relabelled), and nothing is saved', async () => {
    const p = await makeProvider({ billing: false });
    await put(p, COMPLETE_PROFILE);
    const res = await put(p, { ...withField('taxId', { type: 'SSN' }), billingName: 'Changed, Name' });
    expect(res.status).toBe(400);
    expect((await json(res)).error.issues).toEqual([{ path: 'taxId.value', message: expect.stringMatching(/EIN/) }]);
    expect((await get(p)).billingName).toBe(COMPLETE_PROFILE.billingName);
  });

  it('a taxId without value and nothing on file is not yet given', async () => {
    const p = await makeProvider({ billing: false });
    const body = await json(await put(p, withField('taxId', { type: 'EIN' })));
    expect(body.taxId).toBeNull();
    expect(body.missing).toEqual(['taxId']);
  });

  it('an organization needs its group NPI (listed in missing), and bills under an EIN, not an SSN', async () => {
    const p = await makeProvider({ billing: false });
    const org = await json(
      await put(p, { ...COMPLETE_PROFILE, entity: 'organization', billingName: 'Calm Minds LLC' }),
    );
    expect(org.missing).toEqual(['groupNpi']);
    const withNpi = await json(await put(p, { ...COMPLETE_PROFILE, entity: 'organization', groupNpi: '1234567893' }));
    expect(withNpi.missing).toEqual([]);
    const ssn = await put(p, {
      ...COMPLETE_PROFILE,
      entity: 'organization',
      groupNpi: '1234567893',
      taxId: { type: 'SSN', value: '123-45-6789' },
    });
    expect(ssn.status).toBe(400);
    expect((await json(ssn)).error.issues[0].path).toBe('taxId.type');
  });

  it('a person needs no group NPI', async () => {
    const p = await makeProvider({ billing: false });
    expect((await json(await put(p, withField('groupNpi', undefined)))).missing).toEqual([]);
  });

  // [label, body, accepted (else the issue's path)]
  const CASES: [string, Record<string, unknown>, true | string][] = [
    ['EIN 12-3456789', withField('taxId', { type: 'EIN', value: '12-3456789' }), true],
    ['EIN as 9 digits', withField('taxId', { type: 'EIN', value: '123456789' }), true],
    ['EIN dashed elsewhere', withField('taxId', { type: 'EIN', value: '123-456789' }), 'taxId.value'],
    ['EIN of 8 digits', withField('taxId', { type: 'EIN', value: '12-345678' }), 'taxId.value'],
    ['SSN 123-45-6789', withField('taxId', { type: 'SSN', value: '123-45-6789' }), true],
    ['SSN with spaces', withField('taxId', { type: 'SSN', value: '123 45 6789' }), true],
    ['SSN as 9 digits', withField('taxId', { type: 'SSN', value: '123456789' }), true],
    ['SSN of 10 digits', withField('taxId', { type: 'SSN', value: '123-45-67890' }), 'taxId.value'],
    ['SSN area 000', withField('taxId', { type: 'SSN', value: '000-12-3456' }), 'taxId.value'],
    ['SSN area 666', withField('taxId', { type: 'SSN', value: '666-12-3456' }), 'taxId.value'],
    ['SSN area 9xx', withField('taxId', { type: 'SSN', value: '912-34-5678' }), 'taxId.value'],
    ['SSN group 00', withField('taxId', { type: 'SSN', value: '123-00-4567' }), 'taxId.value'],
    ['SSN serial 0000', withField('taxId', { type: 'SSN', value: '123-45-0000' }), 'taxId.value'],
    ['tax id of another type', withField('taxId', { type: 'ITIN', value: '123456789' }), 'taxId.type'],
    ['an empty tax id', withField('taxId', { type: 'EIN', value: '' }), 'taxId.value'],
    ['taxonomy 103T00000X', withField('taxonomyCode', '103T00000X'), true],
    ['taxonomy in lower case', withField('taxonomyCode', '1041c0700x'), true],
    ['taxonomy of 9 characters', withField('taxonomyCode', '101YP2500'), 'taxonomyCode'],
    ['taxonomy not ending in X', withField('taxonomyCode', '101YP25000'), 'taxonomyCode'],
    ['taxonomy with a letter first', withField('taxonomyCode', 'A01YP2500X'), 'taxonomyCode'],
    ['group NPI with a good check digit', withField('groupNpi', '1245319599'), true],
    ['group NPI with a bad check digit', withField('groupNpi', '1234567890'), 'groupNpi'],
    ['group NPI of 9 digits', withField('groupNpi', '123456789'), 'groupNpi'],
    ['billing ZIP+4', withAddress('postalCode', '10024-3512'), true],
    ['billing ZIP of 5 digits', withAddress('postalCode', '10024'), 'address.postalCode'],
    ['billing ZIP of 9 digits without the dash', withAddress('postalCode', '100243512'), 'address.postalCode'],
    ['PO Box', withAddress('line1', 'PO Box 123'), 'address.line1'],
    ['P.O. Box', withAddress('line1', 'P.O. Box 123'), 'address.line1'],
    ['p o box', withAddress('line1', 'p o box 9'), 'address.line1'],
    ['Post Office Box', withAddress('line1', 'Post Office Box 77'), 'address.line1'],
    ['POB', withAddress('line1', 'POB 12'), 'address.line1'],
    ['a PO box in line 2', withAddress('line2', 'P.O.Box 5'), 'address.line2'],
    ['a street with "box" in it', withAddress('line1', '12 Boxwood Lane'), true],
    ['Post Office Square', withAddress('line1', '1 Post Office Square'), true],
    ['state in lower case', withAddress('state', 'ny'), true],
    ['an unknown state', withAddress('state', 'XX'), 'address.state'],
    ['a line break in the street', withAddress('line1', '1 Main St\nFloor 2'), 'address.line1'],
    ['phone of 9 digits', withField('phone', '212-555-010'), 'phone'],
    ['entity other', withField('entity', 'group'), 'entity'],
    ['a billing name of 61 characters', withField('billingName', 'x'.repeat(61)), 'billingName'],
    ['edi ids with spaces', withField('edi', { ...COMPLETE_PROFILE.edi, submitterId: 'AB 12 CD' }), true],
    [
      'edi id of 16 characters',
      withField('edi', { ...COMPLETE_PROFILE.edi, receiverId: 'A'.repeat(16) }),
      'edi.receiverId',
    ],
    ['edi id with a dash', withField('edi', { ...COMPLETE_PROFILE.edi, submitterId: 'AB-12' }), 'edi.submitterId'],
    ['edi usage prod', withField('edi', { ...COMPLETE_PROFILE.edi, usage: 'prod' }), 'edi.usage'],
    [
      'a service address with a 5-digit ZIP',
      withField('serviceAddress', { line1: '5 Elm St', city: 'Albany', state: 'NY', postalCode: '12207' }),
      'serviceAddress.postalCode',
    ],
    [
      'a service address at a PO box',
      withField('serviceAddress', { line1: 'PO Box 4', city: 'Albany', state: 'NY', postalCode: '12207-1000' }),
      'serviceAddress.line1',
    ],
  ];

  it.each(CASES)('%s → %s', async (_label, body, expected) => {
    const p = await makeProvider({ billing: false });
    const res = await put(p, body);
    if (expected === true) {
      expect(res.status, await res.clone().text()).toBe(200);
      expect((await json(res)).missing).toEqual([]);
    } else {
      expect(res.status).toBe(400);
      const err = (await json(res)).error;
      expect(err.code).toBe('validation_failed');
      expect(err.issues.map((i: { path: string }) => i.path)).toContain(expected);
      // Nothing is saved.
      expect(await stored(p.id)).toBeNull();
    }
  });

  it('normalises what it stores: taxonomy and state upper case, phone as 212-555-0100', async () => {
    const p = await makeProvider({ billing: false });
    const body = await json(
      await put(p, {
        ...COMPLETE_PROFILE,
        taxonomyCode: '101yp2500x',
        phone: '(212) 555 0150',
        address: { ...COMPLETE_PROFILE.address, state: 'ny' },
      }),
    );
    expect(body.taxonomyCode).toBe('101YP2500X');
    expect(body.phone).toBe('212-555-0150');
    expect(body.address.state).toBe('NY');
  });

  it('a service address is optional; one that is given must be whole (its parts listed in missing)', async () => {
    const p = await makeProvider({ billing: false });
    const office = { line1: '5 Elm St', city: 'Albany', state: 'NY', postalCode: '12207-1000' };
    const whole = await json(await put(p, withField('serviceAddress', office)));
    expect(whole.serviceAddress).toEqual({ ...office, line2: null });
    expect(whole.missing).toEqual([]);
    const partial = await json(await put(p, withField('serviceAddress', { line1: '5 Elm St' })));
    expect(partial.missing).toEqual(['serviceAddress.city', 'serviceAddress.state', 'serviceAddress.postalCode']);
    expect((await json(await put(p, withField('serviceAddress', null)))).serviceAddress).toBeNull();
    expect((await json(await put(p, withField('serviceAddress', {})))).serviceAddress).toBeNull();
  });

  it('is the signed-in provider’s own: another provider neither sees nor changes it', async () => {
    const a = await makeProvider({ billing: false });
    const b = await makeProvider({ billing: false });
    await put(a, COMPLETE_PROFILE);
    expect((await get(b)).billingName).toBeNull();
    await put(b, { billingName: 'Other, Person' });
    expect((await get(a)).billingName).toBe(COMPLETE_PROFILE.billingName);
  });

  it('needs a token (401)', async () => {
    expect((await call('GET', '/v1/me/billing-profile')).status).toBe(401);
    expect((await call('PUT', '/v1/me/billing-profile', { body: COMPLETE_PROFILE })).status).toBe(401);
  });

  it('a read takes ≤ 2 round trips, a save ≤ 3 (also when it keeps the stored tax id)', async () => {
    const p = await makeProvider({ billing: false });
    const trips = (res: Response) => Number(res.headers.get('x-d1-round-trips') ?? Number.NaN);
    expect(trips(await put(p, COMPLETE_PROFILE))).toBeLessThanOrEqual(3);
    expect(trips(await put(p, withField('taxId', { type: 'EIN' })))).toBeLessThanOrEqual(3);
    expect(trips(await call('GET', '/v1/me/billing-profile', { token: p.token }))).toBeLessThanOrEqual(2);
  });
});

describe('GET /v1/me', () => {
  it('billingComplete says whether the billing profile has everything a claim needs; calendarFeed is null', async () => {
    const p = await makeProvider({ billing: false });
    const before = await json(await call('GET', '/v1/me', { token: p.token }));
    expect(before.billingComplete).toBe(false);
    expect(before.calendarFeed).toBeNull();
    await put(p, COMPLETE_PROFILE);
    expect((await json(await call('GET', '/v1/me', { token: p.token }))).billingComplete).toBe(true);
    const patched = await json(await call('PATCH', '/v1/me', { token: p.token, body: { name: 'Dr. Renamed' } }));
    expect(patched.billingComplete).toBe(true);
    await put(p, withField('phone', undefined));
    expect((await json(await call('GET', '/v1/me', { token: p.token }))).billingComplete).toBe(false);
  });
});

describe('the demo seed', () => {
  it('gives the demo provider a complete profile (its tax id sealed by npm start under the local key) and fees', async () => {
    const statements = `${env.TEST_SEED_SQL}\n${await demoTaxIdSql(env.NOTES_KEY!)}`
      .split('\n')
      .filter((l) => !l.trim().startsWith('--'))
      .join(' ')
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const s of statements) await env.DB.prepare(s).run();
    const token = await tokenFor(DEMO_PROVIDER_ID);
    const profile = await json(await call('GET', '/v1/me/billing-profile', { token }));
    expect(profile.missing).toEqual([]);
    expect(profile.taxId).toEqual({ type: 'EIN', last4: DEMO_EIN.slice(-4) });
    expect(await openTaxId(env.NOTES_KEY, DEMO_PROVIDER_ID, (await stored(DEMO_PROVIDER_ID))!.tax_id_sealed!)).toBe(
      DEMO_EIN,
    );
    const fees = await json(await call('GET', '/v1/me/fees', { token }));
    const codes = await json(await call('GET', '/v1/codes/cpt', { token }));
    expect(fees.items.map((f: { cptCode: string }) => f.cptCode).sort()).toEqual(
      codes.items.map((c: { code: string }) => c.code).sort(),
    );
    expect((await json(await call('GET', '/v1/me', { token }))).billingComplete).toBe(true);
  });
});
