import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { addClient, call, COMPLETE_BILLING, json, mailTo, makeProvider, uniqueEmail } from './helpers';

describe('POST /v1/clients', () => {
  it('adds a client, defaults the zone to the provider, and with notify mails the welcome link', async () => {
    const p = await makeProvider({ timeZone: 'America/Denver' });
    const email = uniqueEmail('ada');
    const res = await call('POST', '/v1/clients', {
      token: p.token,
      body: { firstName: ' Ada ', lastName: 'Lovelace', email },
    });
    expect(res.status).toBe(201);
    const client = await json(res);
    expect(client).toEqual({
      id: expect.stringMatching(/^cli_[a-z2-7]{20}$/),
      firstName: 'Ada',
      lastName: 'Lovelace',
      email,
      timeZone: 'America/Denver',
      status: 'invited',
      billingComplete: false,
      missing: expect.arrayContaining(['legalFirstName', 'insurance.memberId', 'address.postalCode']),
      createdAt: expect.stringMatching(/Z$/),
    });
    const mails = await mailTo(email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('set up your account');
    expect(mails[0]!.text).toMatch(/http:\/\/127\.0\.0\.1:8787\/c\/[A-Za-z0-9_-]{43}/);
  });

  it('"Save only" sends nothing', async () => {
    const p = await makeProvider();
    const c = await addClient(p, { notify: false });
    expect(await mailTo(c.email)).toHaveLength(0);
  });

  it('refuses the same email (any case) with 409 client_exists naming the client', async () => {
    const p = await makeProvider();
    const first = await addClient(p);
    const res = await call('POST', '/v1/clients', {
      token: p.token,
      body: { firstName: 'B', lastName: 'C', email: first.email.toUpperCase(), notify: false },
    });
    expect(res.status).toBe(409);
    expect(await json(res)).toEqual({
      error: { code: 'client_exists', message: expect.any(String), existingClientId: first.id },
    });
    // Another provider may have the same person.
    const other = await makeProvider();
    expect(
      (
        await call('POST', '/v1/clients', {
          token: other.token,
          body: { firstName: 'B', lastName: 'C', email: first.email, notify: false },
        })
      ).status,
    ).toBe(201);
  });

  it('validates every field with a dot path, one issue per field, and saves nothing', async () => {
    const p = await makeProvider();
    const res = await call('POST', '/v1/clients', {
      token: p.token,
      body: { firstName: '', lastName: 42, email: 'nope', timeZone: 'Nowhere/City' },
    });
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'email',
      'firstName',
      'lastName',
      'timeZone',
    ]);
    const n = await env.DB.prepare('SELECT count(*) AS n FROM clients WHERE provider_id = ?')
      .bind(p.id)
      .first<{ n: number }>();
    expect(n?.n).toBe(0);
  });

  it('never lets a providerId in the body move the client to another provider', async () => {
    const a = await makeProvider();
    const b = await makeProvider();
    const c = await addClient(a, { providerId: b.id, provider_id: b.id });
    expect((await call('GET', `/v1/clients/${c.id}`, { token: a.token })).status).toBe(200);
    expect((await call('GET', `/v1/clients/${c.id}`, { token: b.token })).status).toBe(404);
  });

  it('creates one client when the same email is added 10 times at once', async () => {
    const p = await makeProvider();
    const email = uniqueEmail('race');
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        call('POST', '/v1/clients', {
          token: p.token,
          body: { firstName: 'R', lastName: 'Ace', email, notify: false },
        }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(9);
  });
});

describe('GET /v1/clients', () => {
  it('orders by last then first name, pages with a cursor, and searches by name or email prefix', async () => {
    const p = await makeProvider();
    const people = [
      ['Zoe', 'Adams', 'zoe@x.example'],
      ['amy', 'baker', 'amy@x.example'],
      ['Carl', 'Baker', 'carl@y.example'],
      ['Dina', 'Cole', 'dina@x.example'],
      ['Eve', 'de Vries', 'eve@z.example'],
    ];
    for (const [firstName, lastName, email] of people) await addClient(p, { firstName, lastName, email });
    const page1 = await json(await call('GET', '/v1/clients?limit=2', { token: p.token }));
    expect(page1.items.map((c: { firstName: string }) => c.firstName)).toEqual(['Zoe', 'amy']);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = await json(await call('GET', `/v1/clients?limit=2&cursor=${page1.nextCursor}`, { token: p.token }));
    expect(page2.items.map((c: { firstName: string }) => c.firstName)).toEqual(['Carl', 'Dina']);
    const page3 = await json(await call('GET', `/v1/clients?limit=2&cursor=${page2.nextCursor}`, { token: p.token }));
    expect(page3.items.map((c: { firstName: string }) => c.firstName)).toEqual(['Eve']);
    expect(page3.nextCursor).toBeNull();

    const byLast = await json(await call('GET', '/v1/clients?q=BAK', { token: p.token }));
    expect(byLast.items.map((c: { firstName: string }) => c.firstName)).toEqual(['amy', 'Carl']);
    const byEmail = await json(await call('GET', '/v1/clients?q=eve%40z', { token: p.token }));
    expect(byEmail.items.map((c: { firstName: string }) => c.firstName)).toEqual(['Eve']);
    const byFirst = await json(await call('GET', '/v1/clients?q=di', { token: p.token }));
    expect(byFirst.items.map((c: { firstName: string }) => c.firstName)).toEqual(['Dina']);
    const wildcard = await json(await call('GET', '/v1/clients?q=%25', { token: p.token }));
    expect(wildcard.items).toEqual([]);
    // Only this provider's clients.
    const other = await makeProvider();
    expect((await json(await call('GET', '/v1/clients', { token: other.token }))).items).toEqual([]);
  });

  it('validates limit and cursor', async () => {
    const p = await makeProvider();
    for (const qs of ['limit=0', 'limit=201', 'limit=abc', 'cursor=%%%']) {
      const res = await call('GET', `/v1/clients?${qs}`, { token: p.token });
      expect(res.status, qs).toBe(400);
      expect((await json(res)).error.code).toBe('validation_failed');
    }
  });
});

describe('one client', () => {
  it('PATCH changes only the fields sent and refuses an email already on the roster', async () => {
    const p = await makeProvider();
    const a = await addClient(p);
    const b = await addClient(p);
    const res = await call('PATCH', `/v1/clients/${a.id}`, { token: p.token, body: { firstName: 'Augusta' } });
    expect(await json(res)).toMatchObject({ firstName: 'Augusta', lastName: 'Lovelace', email: a.email });
    const dup = await call('PATCH', `/v1/clients/${a.id}`, { token: p.token, body: { email: b.email } });
    expect(dup.status).toBe(409);
    expect((await json(dup)).error.existingClientId).toBe(b.id);
  });

  it('notify re-sends the welcome email with a fresh link', async () => {
    const p = await makeProvider();
    const c = await addClient(p);
    expect((await call('POST', `/v1/clients/${c.id}/notify`, { token: p.token })).status).toBe(202);
    expect((await call('POST', `/v1/clients/${c.id}/notify`, { token: p.token })).status).toBe(202);
    const mails = await mailTo(c.email);
    expect(mails).toHaveLength(2);
    const links = mails.map((m) => /\/c\/([\w-]+)/.exec(m.text)![1]);
    expect(links[0]).not.toBe(links[1]);
  });
});

describe('billing info', () => {
  it('starts all null, PUT saves what is given, missing says what a claim still needs', async () => {
    const p = await makeProvider();
    const c = await addClient(p);
    const empty = await json(await call('GET', `/v1/clients/${c.id}/billing`, { token: p.token }));
    expect(empty.legalFirstName).toBeNull();
    expect(empty.address).toEqual({ line1: null, line2: null, city: null, state: null, postalCode: null });

    const partial = await call('PUT', `/v1/clients/${c.id}/billing`, {
      token: p.token,
      body: { legalFirstName: 'Ada', insurance: { relationship: 'child' } },
    });
    expect(partial.status).toBe(200);
    const pc = await json(partial);
    expect(pc.billingComplete).toBe(false);
    expect(pc.missing).toEqual([
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
      'insurance.subscriber.firstName',
      'insurance.subscriber.lastName',
      'insurance.subscriber.dateOfBirth',
    ]);

    const full = await json(
      await call('PUT', `/v1/clients/${c.id}/billing`, { token: p.token, body: COMPLETE_BILLING }),
    );
    expect(full).toMatchObject({ billingComplete: true, missing: [] });
    const back = await json(await call('GET', `/v1/clients/${c.id}/billing`, { token: p.token }));
    expect(back).toMatchObject({
      phone: '212-555-0100',
      address: { state: 'NY', postalCode: '10001', line2: null },
      insurance: { memberId: 'W123456789', subscriber: null },
    });

    // PUT replaces: what is left out becomes null again.
    const replaced = await json(
      await call('PUT', `/v1/clients/${c.id}/billing`, { token: p.token, body: { legalFirstName: 'Ada' } }),
    );
    expect(replaced.missing).toContain('insurance.memberId');
  });

  it('rejects each invalid field by dot path and saves nothing', async () => {
    const p = await makeProvider();
    const c = await addClient(p);
    await call('PUT', `/v1/clients/${c.id}/billing`, { token: p.token, body: COMPLETE_BILLING });
    const res = await call('PUT', `/v1/clients/${c.id}/billing`, {
      token: p.token,
      body: {
        ...COMPLETE_BILLING,
        dateOfBirth: '2023-02-30',
        sex: 'Q',
        phone: '555-0100',
        address: { line1: '1 Main', city: 'NYC', state: 'XX', postalCode: '1234' },
        insurance: {
          payerId: 'pay_aetna',
          memberId: 'W1',
          relationship: 'spouse',
          subscriber: { firstName: 'S', lastName: 'T', dateOfBirth: '2999-01-01' },
        },
      },
    });
    expect(res.status).toBe(400);
    const paths = (await json(res)).error.issues.map((i: { path: string }) => i.path).sort();
    expect(paths).toEqual([
      'address.postalCode',
      'address.state',
      'dateOfBirth',
      'insurance.subscriber.dateOfBirth',
      'phone',
      'sex',
    ]);
    const still = await json(await call('GET', `/v1/clients/${c.id}/billing`, { token: p.token }));
    expect(still.dateOfBirth).toBe('1985-12-10');
  });

  it('refuses an unknown carrier', async () => {
    const p = await makeProvider();
    const c = await addClient(p);
    const res = await call('PUT', `/v1/clients/${c.id}/billing`, {
      token: p.token,
      body: { insurance: { payerId: 'pay_made_up' } },
    });
    expect(res.status).toBe(400);
    expect((await json(res)).error.issues).toEqual([
      { path: 'insurance.payerId', message: 'Choose a carrier from the list' },
    ]);
  });

  it('accepts phone numbers in common punctuation and ZIP+4', async () => {
    const p = await makeProvider();
    const c = await addClient(p);
    for (const phone of ['212-555-0100', '(212) 555 0100', '212.555.0100', '2125550100', '+1 212 555 0100']) {
      const res = await call('PUT', `/v1/clients/${c.id}/billing`, {
        token: p.token,
        body: { phone, address: { postalCode: '10001-1234' } },
      });
      expect(res.status, phone).toBe(200);
    }
  });
});

describe('payers', () => {
  it('lists the seeded carriers with their electronic payer ids', async () => {
    const p = await makeProvider();
    const { items } = await json(await call('GET', '/v1/payers', { token: p.token }));
    expect(items.length).toBe(15);
    expect(items).toContainEqual({ id: 'pay_aetna', name: 'Aetna', payerCode: '60054' });
    expect(items).toContainEqual({ id: 'pay_unitedhealthcare', name: 'UnitedHealthcare', payerCode: '87726' });
  });
});
