import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { testClock } from '../../worker/platform/clock';
import { sha256Hex } from '../../worker/platform/crypto';
import { ADMIN, call, json, mailTo, makeProvider, uniqueEmail } from './helpers';

async function latestCode(email: string): Promise<string> {
  const mails = await mailTo(email);
  const m = /sign-in code is (\d{6})/.exec(mails[0]?.text ?? '');
  if (!m) throw new Error(`no code mailed to ${email}`);
  return m[1]!;
}

async function ipHeaders() {
  // A distinct client IP per test keeps the per-IP limit out of unrelated tests.
  return {
    'cf-connecting-ip': `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
  };
}

describe('sign-in by emailed code', () => {
  it('mails a 6-digit code, exchanges it for a 12-hour token that works on /v1/me', async () => {
    const p = await makeProvider();
    const headers = await ipHeaders();
    const res = await call('POST', '/v1/auth/code', { body: { email: p.email.toUpperCase() }, headers });
    expect(res.status).toBe(202);
    expect(await json(res)).toEqual({});
    const code = await latestCode(p.email);

    const tok = await call('POST', '/v1/auth/token', { body: { email: p.email, code }, headers });
    expect(tok.status).toBe(200);
    const body = await json(tok);
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits base64url
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(11.9 * 3600_000);
    expect(Date.parse(body.expiresAt) - Date.now()).toBeLessThanOrEqual(12 * 3600_000);
    expect(body.provider).toMatchObject({
      id: p.id,
      email: p.email,
      carriers: [{ payerId: 'pay_aetna', status: 'approved' }],
    });

    const me = await call('GET', '/v1/me', { token: body.token });
    expect(me.status).toBe(200);
    expect((await json(me)).id).toBe(p.id);

    // Stored only as hashes.
    const stored = await env.DB.prepare('SELECT token_hash FROM auth_tokens WHERE token_hash = ?')
      .bind(await sha256Hex(body.token))
      .first();
    expect(stored).not.toBeNull();
    const plain = await env.DB.prepare('SELECT count(*) AS n FROM auth_tokens WHERE token_hash = ?')
      .bind(body.token)
      .first<{ n: number }>();
    expect(plain?.n).toBe(0);
    const codes = await env.DB.prepare('SELECT code_hash FROM sign_in_codes WHERE provider_id = ?')
      .bind(p.id)
      .all<{ code_hash: string }>();
    expect(codes.results.every((r) => r.code_hash !== code && r.code_hash.length === 64)).toBe(true);
  });

  it('answers an unknown email exactly like a known one and sends nothing', async () => {
    const email = uniqueEmail('nobody');
    const res = await call('POST', '/v1/auth/code', { body: { email }, headers: await ipHeaders() });
    expect(res.status).toBe(202);
    expect(await json(res)).toEqual({});
    expect(await mailTo(email)).toHaveLength(0);
    const tok = await call('POST', '/v1/auth/token', { body: { email, code: '123456' }, headers: await ipHeaders() });
    expect(tok.status).toBe(401);
    expect((await json(tok)).error.code).toBe('unauthenticated');
  });

  it('uses a code once', async () => {
    const p = await makeProvider();
    const headers = await ipHeaders();
    await call('POST', '/v1/auth/code', { body: { email: p.email }, headers });
    const code = await latestCode(p.email);
    expect((await call('POST', '/v1/auth/token', { body: { email: p.email, code }, headers })).status).toBe(200);
    expect((await call('POST', '/v1/auth/token', { body: { email: p.email, code }, headers })).status).toBe(401);
  });

  it('kills the code after 5 wrong tries, even for the right code', async () => {
    const p = await makeProvider();
    const headers = await ipHeaders();
    await call('POST', '/v1/auth/code', { body: { email: p.email }, headers });
    const code = await latestCode(p.email);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const r = await call('POST', '/v1/auth/token', { body: { email: p.email, code: wrong }, headers });
      expect(r.status).toBe(401);
    }
    expect((await call('POST', '/v1/auth/token', { body: { email: p.email, code }, headers })).status).toBe(401);
    // A new code works again.
    await call('POST', '/v1/auth/code', { body: { email: p.email }, headers });
    const fresh = await latestCode(p.email);
    expect((await call('POST', '/v1/auth/token', { body: { email: p.email, code: fresh }, headers })).status).toBe(200);
  });

  it('refuses a code after 10 minutes', async () => {
    const p = await makeProvider();
    const headers = await ipHeaders();
    await call('POST', '/v1/auth/code', { body: { email: p.email }, headers });
    const code = await latestCode(p.email);
    testClock.advance(10 * 60_000 + 1000);
    expect((await call('POST', '/v1/auth/token', { body: { email: p.email, code }, headers })).status).toBe(401);
  });

  it('expires tokens after 12 hours', async () => {
    const p = await makeProvider();
    const headers = await ipHeaders();
    await call('POST', '/v1/auth/code', { body: { email: p.email }, headers });
    const { token } = await json(
      await call('POST', '/v1/auth/token', { body: { email: p.email, code: await latestCode(p.email) }, headers }),
    );
    testClock.advance(11 * 3600_000);
    expect((await call('GET', '/v1/me', { token })).status).toBe(200);
    testClock.advance(3600_000 + 1000);
    const res = await call('GET', '/v1/me', { token });
    expect(res.status).toBe(401);
    expect((await json(res)).error.code).toBe('unauthenticated');
  });

  it('revokes the token at logout', async () => {
    const p = await makeProvider();
    expect((await call('POST', '/v1/auth/logout', { token: p.token })).status).toBe(204);
    expect((await call('GET', '/v1/me', { token: p.token })).status).toBe(401);
    expect((await call('POST', '/v1/auth/logout', { token: p.token })).status).toBe(401);
  });

  it('requires a token on every /v1 route but health and sign-in', async () => {
    for (const [method, path] of [
      ['GET', '/v1/me'],
      ['PATCH', '/v1/me'],
      ['GET', '/v1/clients'],
      ['POST', '/v1/clients'],
      ['GET', '/v1/clients/cli_x'],
      ['GET', '/v1/payers'],
      ['POST', '/v1/auth/logout'],
    ] as const) {
      const res = await call(method, path, { headers: { authorization: 'Bearer not-a-real-token-at-all' } });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect((await json(res)).error.code).toBe('unauthenticated');
    }
  });

  it('rate-limits code requests per IP', async () => {
    const headers = await ipHeaders();
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      statuses.push((await call('POST', '/v1/auth/code', { body: { email: uniqueEmail('ip') }, headers })).status);
    }
    expect(statuses.slice(0, 30).every((s) => s === 202)).toBe(true);
    expect(statuses[30]).toBe(429);
  });

  it('validates the sign-in bodies', async () => {
    const bad = await call('POST', '/v1/auth/code', { body: { email: 'not-an-email' }, headers: await ipHeaders() });
    expect(bad.status).toBe(400);
    expect(await json(bad)).toMatchObject({ error: { code: 'validation_failed', issues: [{ path: 'email' }] } });
    const code = await call('POST', '/v1/auth/token', {
      body: { email: 'a@b.co', code: '12' },
      headers: await ipHeaders(),
    });
    expect((await json(code)).error.issues).toEqual([
      { path: 'code', message: 'Enter the 6-digit code from the email' },
    ]);
  });
});

describe('GET/PATCH /v1/me', () => {
  it('changes only the fields sent; telehealthUrl must be https and null clears it', async () => {
    const p = await makeProvider();
    let res = await call('PATCH', '/v1/me', {
      token: p.token,
      body: { telehealthUrl: 'https://video.example.com/room' },
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({
      telehealthUrl: 'https://video.example.com/room',
      timeZone: 'America/New_York',
    });
    res = await call('PATCH', '/v1/me', { token: p.token, body: { telehealthUrl: 'http://insecure.example.com' } });
    expect(res.status).toBe(400);
    expect((await json(res)).error.issues[0].path).toBe('telehealthUrl');
    res = await call('PATCH', '/v1/me', { token: p.token, body: { timeZone: 'Mars/Olympus' } });
    expect((await json(res)).error.issues[0].path).toBe('timeZone');
    res = await call('PATCH', '/v1/me', { token: p.token, body: { telehealthUrl: null, name: 'Dr. Renamed' } });
    expect(await json(res)).toMatchObject({ telehealthUrl: null, name: 'Dr. Renamed' });
  });

  it('ignores an id in the body', async () => {
    const a = await makeProvider();
    const b = await makeProvider();
    await call('PATCH', '/v1/me', { token: a.token, body: { id: b.id, name: 'Hijack' } });
    const bMe = await json(await call('GET', '/v1/me', { token: b.token }));
    expect(bMe.name).not.toBe('Hijack');
  });
});

describe('operations', () => {
  it('creates providers, refuses taken emails and bad NPIs, sets carrier status', async () => {
    const email = uniqueEmail('ops');
    const body = { name: 'Dr. Ops', email, npi: '1234567893', timeZone: 'America/Chicago' };
    const created = await call('POST', '/admin/providers', { token: ADMIN, body });
    expect(created.status).toBe(201);
    const p = await json(created);
    expect(p).toMatchObject({ id: expect.stringMatching(/^prv_/), email, carriers: [] });
    const again = await call('POST', '/admin/providers', {
      token: ADMIN,
      body: { ...body, email: email.toUpperCase() },
    });
    expect(again.status).toBe(409);
    expect((await json(again)).error.code).toBe('provider_exists');
    const badNpi = await call('POST', '/admin/providers', {
      token: ADMIN,
      body: { ...body, email: uniqueEmail(), npi: '1234567890' },
    });
    expect(badNpi.status).toBe(400);
    expect((await json(badNpi)).error.issues[0].path).toBe('npi');
    const set = await call('PUT', `/admin/providers/${p.id}/carriers/pay_cigna`, {
      token: ADMIN,
      body: { status: 'pending' },
    });
    expect((await json(set)).carriers).toEqual([
      { payerId: 'pay_cigna', name: expect.stringContaining('Cigna'), status: 'pending' },
    ]);
    expect(
      (await call('PUT', `/admin/providers/${p.id}/carriers/pay_nope`, { token: ADMIN, body: { status: 'approved' } }))
        .status,
    ).toBe(404);
    expect(
      (
        await call('PUT', `/admin/providers/prv_nope/carriers/pay_cigna`, {
          token: ADMIN,
          body: { status: 'approved' },
        })
      ).status,
    ).toBe(404);
  });

  it('needs the admin token', async () => {
    const res = await call('POST', '/admin/providers', { token: 'wrong-token-wrong-token', body: {} });
    expect(res.status).toBe(401);
    const p = await makeProvider();
    expect((await call('POST', '/admin/providers', { token: p.token, body: {} })).status).toBe(401);
  });
});

describe('sign-in races', () => {
  it('parallel guesses get 5 tries between them, not 5 each', async () => {
    const p = await makeProvider();
    const headers = { 'cf-connecting-ip': '203.0.113.77' };
    await call('POST', '/v1/auth/code', { body: { email: p.email }, headers });
    const code = await latestCode(p.email);
    // 8 wrong guesses: more than the code's 5 tries, fewer than the account's 10 wrong codes an hour.
    const guesses = Array.from({ length: 8 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'));
    await Promise.all(
      guesses.map((g) => call('POST', '/v1/auth/token', { body: { email: p.email, code: g }, headers })),
    );
    const row = await env.DB.prepare('SELECT attempts FROM sign_in_codes WHERE provider_id = ? AND used_at IS NULL')
      .bind(p.id)
      .first<{ attempts: number }>();
    expect(row?.attempts).toBe(5);
    expect((await call('POST', '/v1/auth/token', { body: { email: p.email, code }, headers })).status).toBe(401);
  });

  it('the right code sent twice at once makes one token', async () => {
    const p = await makeProvider();
    const headers = { 'cf-connecting-ip': '203.0.113.78' };
    await call('POST', '/v1/auth/code', { body: { email: p.email }, headers });
    const code = await latestCode(p.email);
    const results = await Promise.all(
      [1, 2, 3].map(() => call('POST', '/v1/auth/token', { body: { email: p.email, code }, headers })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401]);
    const n = await env.DB.prepare('SELECT count(*) AS n FROM auth_tokens WHERE provider_id = ?')
      .bind(p.id)
      .first<{ n: number }>();
    expect(n?.n).toBe(2); // the helper's token plus exactly one from sign-in
  });
});
