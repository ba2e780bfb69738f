// Conventions of docs/API.md that hold on every route: errors, limits, CORS, idempotency, tenancy, audit.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../worker/index';
import { testClock } from '../../worker/platform/clock';
import { ADMIN, addClient, call, COMPLETE_BILLING, json, makeProvider, tokenFor, uniqueEmail } from './helpers';

describe('errors', () => {
  it('an unknown route is a JSON 404', async () => {
    const res = await call('GET', '/v1/nope');
    expect(res.status).toBe(404);
    expect(await json(res)).toEqual({ error: { code: 'not_found', message: 'No route for GET /v1/nope.' } });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('bad JSON is 400 bad_json', async () => {
    const p = await makeProvider();
    const res = await call('POST', '/v1/clients', {
      token: p.token,
      rawBody: '{"firstName": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect((await json(res)).error.code).toBe('bad_json');
  });

  it('a body that is not an object is a validation error', async () => {
    const p = await makeProvider();
    for (const raw of ['[]', '"text"', '42', 'null']) {
      const res = await call('POST', '/v1/clients', {
        token: p.token,
        rawBody: raw,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status, raw).toBe(400);
      expect((await json(res)).error.code).toBe('validation_failed');
    }
  });

  it('a POST whose route reads no body still refuses a non-JSON body with 415 (an empty one needs no content-type)', async () => {
    const p = await makeProvider();
    const c = await addClient(p);
    const res = await call('POST', '/v1/auth/logout', {
      token: p.token,
      rawBody: 'x=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
    expect((await call('GET', '/v1/me', { token: p.token })).status).toBe(200); // not logged out
    const admin = await call('POST', '/admin/outbox/eml_unknown/retry', {
      token: ADMIN,
      rawBody: 'hello',
      headers: { 'content-type': 'text/plain' },
    });
    expect(admin.status).toBe(415);
    expect((await call('POST', `/v1/clients/${c.id}/notify`, { token: p.token })).status).toBe(202);
    expect((await call('POST', '/admin/outbox/eml_unknown/retry', { token: ADMIN })).status).toBe(404);
  });

  it('a body without content-type application/json is 415 unsupported_media_type', async () => {
    const p = await makeProvider();
    const body = JSON.stringify({ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' });
    for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']) {
      const res = await call('POST', '/v1/clients', {
        token: p.token,
        rawBody: body,
        headers: type ? { 'content-type': type } : {},
      });
      expect(res.status, type).toBe(415);
      expect((await json(res)).error.code).toBe('unsupported_media_type');
    }
    const list = await json(await call('GET', '/v1/clients', { token: p.token }));
    expect(list.items).toEqual([]);
    const ok = await call('POST', '/v1/clients', {
      token: p.token,
      rawBody: body,
      headers: { 'content-type': 'Application/JSON; charset=utf-8' },
    });
    expect(ok.status).toBe(201);
  });

  it('a body over 64 KiB is 413, declared or not', async () => {
    const p = await makeProvider();
    const big = JSON.stringify({ firstName: 'x'.repeat(70 * 1024), lastName: 'y', email: 'a@b.co' });
    const res = await call('POST', '/v1/clients', { token: p.token, rawBody: big });
    expect(res.status).toBe(413);
    expect((await json(res)).error.code).toBe('payload_too_large');
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const streamed = await call('POST', '/v1/clients', {
      token: p.token,
      rawBody: stream,
      headers: { 'content-type': 'application/json' },
    });
    expect(streamed.status).toBe(413);
  });

  it('an exception becomes a 500 with no stack or SQL', async () => {
    const p = await makeProvider();
    const broken = {
      ...env,
      DB: new Proxy(env.DB, {
        get(target, prop) {
          if (prop === 'batch')
            return () =>
              Promise.reject(new Error("D1_ERROR: no such table: clients_x: SQLITE_ERROR near 'SELECT * FROM secret'"));
          const v = Reflect.get(target, prop);
          return typeof v === 'function' ? v.bind(target) : v;
        },
      }),
    };
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request('http://127.0.0.1:8787/v1/clients', {
        method: 'POST',
        headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ firstName: 'A', lastName: 'B', email: uniqueEmail() }),
      }),
      broken,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal_error', message: expect.any(String) } });
    expect(text).not.toMatch(/SQL|D1_ERROR|SELECT|at .*\.ts/);
  });
});

describe('fuzzing request bodies', () => {
  const weird = [
    null,
    true,
    0,
    -1,
    1e308,
    '',
    ' ',
    'x'.repeat(5000),
    '\u0000',
    '\u202e\u0041',
    '😀'.repeat(50),
    [],
    {},
    [1, 2],
    { a: 1 },
    '<script>alert(1)</script>',
    "'; DROP TABLE clients; --",
  ];
  const routes: { method: string; path: (ids: { client: string }) => string; fields: string[] }[] = [
    { method: 'POST', path: () => '/v1/clients', fields: ['firstName', 'lastName', 'email', 'timeZone', 'notify'] },
    { method: 'PATCH', path: (i) => `/v1/clients/${i.client}`, fields: ['firstName', 'lastName', 'email', 'timeZone'] },
    {
      method: 'PUT',
      path: (i) => `/v1/clients/${i.client}/billing`,
      fields: ['legalFirstName', 'dateOfBirth', 'sex', 'phone', 'address', 'insurance'],
    },
    { method: 'PATCH', path: () => '/v1/me', fields: ['name', 'timeZone', 'telehealthUrl'] },
    { method: 'POST', path: () => '/v1/auth/code', fields: ['email'] },
    { method: 'POST', path: () => '/v1/auth/token', fields: ['email', 'code'] },
  ];

  it('answers every odd value with a 4xx in the error shape, never a 5xx, and writes nothing', async () => {
    const p = await makeProvider();
    const c = await addClient(p);
    await call('PUT', `/v1/clients/${c.id}/billing`, { token: p.token, body: COMPLETE_BILLING });
    const before = await env.DB.prepare('SELECT count(*) AS n FROM clients').first<{ n: number }>();
    for (const route of routes) {
      for (const field of route.fields) {
        for (const value of weird) {
          const res = await call(route.method, route.path({ client: c.id }), {
            token: p.token,
            body: { [field]: value },
            headers: {
              'cf-connecting-ip': `198.51.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}`,
            },
          });
          const label = `${route.method} ${route.path({ client: c.id })} ${field}=${JSON.stringify(value)?.slice(0, 30)}`;
          expect(res.status, label).toBeLessThan(500);
          if (res.status >= 400) {
            const body = await json(res);
            expect(body.error?.code, label).toEqual(expect.any(String));
            expect(body.error?.message, label).toEqual(expect.any(String));
          } else {
            await res.body?.cancel();
          }
        }
      }
    }
    const after = await env.DB.prepare('SELECT count(*) AS n FROM clients').first<{ n: number }>();
    expect(after?.n).toBe(before?.n);
    // The client's names were never set to garbage that passed validation.
    const row = await json(await call('GET', `/v1/clients/${c.id}`, { token: p.token }));
    expect(row.firstName).toMatch(/^[^\u0000]*$/);
  }, 60_000);
});

describe('CORS', () => {
  it('allows extension origins and local development, not websites', async () => {
    const pre = (origin: string) =>
      call('OPTIONS', '/v1/clients', {
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,idempotency-key',
        },
      });
    for (const ok of [
      'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
      'moz-extension://6a1d7c3e-1f2b-4c5d-9e8f-001122334455',
      'http://127.0.0.1:5173',
      'http://localhost:3000',
    ]) {
      const res = await pre(ok);
      expect(res.headers.get('access-control-allow-origin'), ok).toBe(ok);
      expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('idempotency-key');
    }
    for (const bad of ['https://evil.example', 'http://127.0.0.1.evil.example', 'null']) {
      const res = await pre(bad);
      expect(res.headers.get('access-control-allow-origin'), bad).toBeNull();
    }
  });
});

describe('Idempotency-Key', () => {
  it('replays the first response for the same key and body, creating nothing new', async () => {
    const p = await makeProvider();
    const body = { firstName: 'Idem', lastName: 'Potent', email: uniqueEmail('idem'), notify: false };
    const headers = { 'idempotency-key': crypto.randomUUID() };
    const first = await call('POST', '/v1/clients', { token: p.token, body, headers });
    const second = await call('POST', '/v1/clients', { token: p.token, body, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(await second.text()).toBe(await first.text());
    const n = await env.DB.prepare('SELECT count(*) AS n FROM clients WHERE provider_id = ?')
      .bind(p.id)
      .first<{ n: number }>();
    expect(n?.n).toBe(1);
  });

  it('is 422 idempotency_key_reused for the same key with a different body', async () => {
    const p = await makeProvider();
    const headers = { 'idempotency-key': crypto.randomUUID() };
    await call('POST', '/v1/clients', {
      token: p.token,
      body: { firstName: 'A', lastName: 'B', email: uniqueEmail(), notify: false },
      headers,
    });
    const res = await call('POST', '/v1/clients', {
      token: p.token,
      body: { firstName: 'C', lastName: 'D', email: uniqueEmail(), notify: false },
      headers,
    });
    expect(res.status).toBe(422);
    expect((await json(res)).error.code).toBe('idempotency_key_reused');
  });

  it('keys are per provider and forgotten after 24 hours', async () => {
    const a = await makeProvider();
    const b = await makeProvider();
    const key = crypto.randomUUID();
    const body = { firstName: 'K', lastName: 'Ey', email: uniqueEmail(), notify: false };
    expect(
      (await call('POST', '/v1/clients', { token: a.token, body, headers: { 'idempotency-key': key } })).status,
    ).toBe(201);
    expect(
      (await call('POST', '/v1/clients', { token: b.token, body, headers: { 'idempotency-key': key } })).status,
    ).toBe(201);
    testClock.advance(24 * 3600_000 + 1000);
    const late = await call('POST', '/v1/clients', {
      token: await tokenFor(a.id),
      body,
      headers: { 'idempotency-key': key },
    });
    expect(late.status).toBe(409); // a real second attempt now: the email is taken
    expect((await json(late)).error.code).toBe('client_exists');
  });

  it('10 concurrent requests with one key create one row and all see the same result', async () => {
    const p = await makeProvider();
    const body = { firstName: 'Con', lastName: 'Current', email: uniqueEmail('conc'), notify: true };
    const headers = { 'idempotency-key': crypto.randomUUID() };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => call('POST', '/v1/clients', { token: p.token, body, headers })),
    );
    const n = await env.DB.prepare('SELECT count(*) AS n FROM clients WHERE provider_id = ?')
      .bind(p.id)
      .first<{ n: number }>();
    expect(n?.n).toBe(1);
    const outbox = await env.DB.prepare("SELECT count(*) AS n FROM outbox WHERE provider_id = ? AND kind = 'welcome'")
      .bind(p.id)
      .first<{ n: number }>();
    expect(outbox?.n).toBe(1);
    for (const r of results) expect([201, 409]).toContain(r.status);
    const bodies = await Promise.all(results.filter((r) => r.status === 201).map((r) => r.json()));
    expect(new Set(bodies.map((b) => (b as { id: string }).id)).size).toBe(1);
    for (const r of results.filter((r) => r.status === 409))
      expect((await json(r)).error.code).toBe('request_in_progress');
  });

  it('a key whose request died is released: the same key then runs afresh, and a leftover running record never holds it', async () => {
    const p = await makeProvider();
    const key = crypto.randomUUID();
    const body = { firstName: 'Died', lastName: 'Midway', email: uniqueEmail('died'), notify: true };
    // The write batch fails (the Worker "dies" mid-request): the first D1 batch is the token and key
    // lookup, the second is the change with its saved answer.
    let batches = 0;
    const dying = {
      ...env,
      DB: new Proxy(env.DB, {
        get(target, prop) {
          if (prop === 'batch')
            return (statements: D1PreparedStatement[]) =>
              ++batches === 2 ? Promise.reject(new Error('D1_ERROR: the isolate went away')) : target.batch(statements);
          const v = Reflect.get(target, prop);
          return typeof v === 'function' ? v.bind(target) : v;
        },
      }),
    };
    const ctx = createExecutionContext();
    const died = await worker.fetch(
      new Request('http://127.0.0.1:8787/v1/clients', {
        method: 'POST',
        headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
      }),
      dying,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(died.status).toBe(500);
    const keys = () =>
      env.DB.prepare('SELECT count(*) AS n FROM idempotency_keys WHERE provider_id = ? AND key = ?')
        .bind(p.id, key)
        .first<{ n: number }>();
    expect((await keys())?.n).toBe(0);
    const retry = await call('POST', '/v1/clients', { token: p.token, body, headers: { 'idempotency-key': key } });
    expect(retry.status).toBe(201);
    const created = await json(retry);
    // A `running` record (the earlier scheme's, or a request that died holding one) does not hold a key either.
    const other = crypto.randomUUID();
    await env.DB.prepare(
      "INSERT INTO idempotency_keys (provider_id, key, request_hash, state, created_at) VALUES (?, ?, 'x', 'running', ?)",
    )
      .bind(p.id, other, new Date(Date.now() - 61_000).toISOString())
      .run();
    const fresh = await call('POST', '/v1/clients', {
      token: p.token,
      body: { ...body, email: uniqueEmail('died') },
      headers: { 'idempotency-key': other },
    });
    expect(fresh.status).toBe(201);
    const n = await env.DB.prepare('SELECT count(*) AS n FROM clients WHERE provider_id = ?')
      .bind(p.id)
      .first<{ n: number }>();
    expect(n?.n).toBe(2);
    const replay = await call('POST', '/v1/clients', { token: p.token, body, headers: { 'idempotency-key': key } });
    expect((await json(replay)).id).toBe(created.id);
  });

  it('rejects a malformed key', async () => {
    const p = await makeProvider();
    const res = await call('POST', '/v1/clients', {
      token: p.token,
      body: { firstName: 'A', lastName: 'B', email: uniqueEmail() },
      headers: { 'idempotency-key': 'x'.repeat(300) },
    });
    expect(res.status).toBe(400);
  });
});

describe('tenant isolation (BOLA)', () => {
  it("another provider's client id is 404 on every id-taking route, exactly like an unknown id", async () => {
    const owner = await makeProvider();
    const intruder = await makeProvider();
    const c = await addClient(owner);
    await call('PUT', `/v1/clients/${c.id}/billing`, { token: owner.token, body: COMPLETE_BILLING });
    const attempts: [string, string, unknown?][] = [
      ['GET', `/v1/clients/${c.id}`],
      ['PATCH', `/v1/clients/${c.id}`, { firstName: 'Hacked' }],
      ['POST', `/v1/clients/${c.id}/notify`],
      ['GET', `/v1/clients/${c.id}/billing`],
      ['PUT', `/v1/clients/${c.id}/billing`, { legalFirstName: 'Hacked' }],
    ];
    for (const [method, path, body] of attempts) {
      const theirs = await call(method, path, { token: intruder.token, body });
      const unknown = await call(method, path.replace(c.id, 'cli_doesnotexist0000000'), {
        token: intruder.token,
        body,
      });
      expect(theirs.status, `${method} ${path}`).toBe(404);
      expect(await json(theirs)).toEqual(await json(unknown));
    }
    const mine = await json(await call('GET', `/v1/clients/${c.id}/billing`, { token: owner.token }));
    expect(mine.legalFirstName).toBe('Ada');
    expect((await json(await call('GET', `/v1/clients/${c.id}`, { token: owner.token }))).firstName).toBe('Ada');
  });
});

describe('audit log', () => {
  it('records reads and writes of client data without the values, and cannot be changed', async () => {
    const p = await makeProvider();
    const c = await addClient(p, { firstName: 'Secretname' });
    await call('GET', `/v1/clients/${c.id}`, { token: p.token });
    await call('PUT', `/v1/clients/${c.id}/billing`, { token: p.token, body: COMPLETE_BILLING });
    await call('GET', `/v1/clients/${c.id}/billing`, { token: p.token });
    await call('GET', '/v1/clients?q=sec', { token: p.token });
    const { results } = await env.DB.prepare('SELECT * FROM audit_log WHERE provider_id = ? ORDER BY id')
      .bind(p.id)
      .all<Record<string, unknown>>();
    const actions = results.map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining(['client.create', 'client.read', 'billing.update', 'billing.read', 'client.list']),
    );
    for (const r of results.filter((r) => r.entity_type === 'client' && r.entity_id)) {
      expect(r).toMatchObject({ actor_type: 'provider', actor_id: p.id, entity_id: c.id });
    }
    const dump = JSON.stringify(results);
    for (const phi of ['Secretname', c.email, 'W123456789', '1985-12-10', '212-555-0100'])
      expect(dump).not.toContain(phi);
    await expect(
      env.DB.prepare('UPDATE audit_log SET action = ? WHERE provider_id = ?').bind('x', p.id).run(),
    ).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare('DELETE FROM audit_log WHERE provider_id = ?').bind(p.id).run()).rejects.toThrow(
      /append-only/,
    );
  });
});

describe('environment-dependent routes', () => {
  async function fetchWith(overrides: Partial<typeof env>, path: string, init: RequestInit = {}) {
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request(`http://127.0.0.1:8787${path}`, init), { ...env, ...overrides }, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  }

  it('/dev/mail exists only in development and test', async () => {
    expect((await fetchWith({}, '/dev/mail')).status).toBe(200);
    expect((await fetchWith({ ENVIRONMENT: 'development' }, '/dev/mail.json')).status).toBe(200);
    const prod = await fetchWith({ ENVIRONMENT: 'production' }, '/dev/mail.json');
    expect(prod.status).toBe(404);
    expect(((await prod.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('operations routes are 404 without a configured ADMIN_TOKEN', async () => {
    const res = await fetchWith({ ADMIN_TOKEN: undefined }, '/admin/providers', {
      method: 'POST',
      headers: { authorization: 'Bearer anything-at-all-here', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(404);
  });

  it('production allows only the extension origins listed in EXTENSION_ORIGINS, and none when it is unset', async () => {
    const listed = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
    const firefox = 'moz-extension://6a1d7c3e-1f2b-4c5d-9e8f-001122334455';
    const preflight = (origin: string, EXTENSION_ORIGINS: string) =>
      fetchWith({ ENVIRONMENT: 'production', EXTENSION_ORIGINS }, '/v1/clients', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    const allowed = async (origin: string, list: string) =>
      (await preflight(origin, list)).headers.get('access-control-allow-origin');
    const list = ` ${listed} , ${firefox}/`;
    expect(await allowed(listed, list)).toBe(listed);
    expect(await allowed(firefox, list)).toBe(firefox);
    for (const other of [
      'chrome-extension://zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz',
      'http://localhost:3000',
      'http://127.0.0.1:8787',
      'https://evil.example',
      `${listed}.evil.example`,
    ]) {
      expect(await allowed(other, list), other).toBeNull();
    }
    for (const origin of [listed, firefox, 'http://localhost:3000']) expect(await allowed(origin, '')).toBeNull();
  });

  it('development allows any extension origin and localhost / 127.0.0.1 on any port', async () => {
    for (const ENVIRONMENT of ['development', 'test']) {
      for (const origin of [
        'chrome-extension://anyid',
        'moz-extension://any-uuid',
        'http://localhost:5173',
        'http://127.0.0.1:9',
      ]) {
        const res = await fetchWith({ ENVIRONMENT, EXTENSION_ORIGINS: '' }, '/v1/health', { headers: { origin } });
        expect(res.headers.get('access-control-allow-origin'), `${ENVIRONMENT} ${origin}`).toBe(origin);
      }
      const res = await fetchWith({ ENVIRONMENT }, '/v1/health', {
        headers: { origin: 'https://localhost.evil.example' },
      });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('production refuses local-development CORS origins', async () => {
    const res = await fetchWith({ ENVIRONMENT: 'production' }, '/v1/health', {
      headers: { origin: 'http://localhost:3000' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
