// API.md's input rules, through the real app: JSON bodies only, arrays are never objects, one-line text,
// real dates in range; and a probe that sends every /v1 body route bad bodies built from the OpenAPI document.
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { testClock } from '../../worker/platform/clock';
import { DAY, schedule, setup } from './appointments-helpers';
import { call, COMPLETE_BILLING, json, makeProvider, tokenFor } from './helpers';

afterEach(() => testClock.reset());

const billingOf = async (token: string, id: string) => json(await call('GET', `/v1/clients/${id}/billing`, { token }));

async function expectInvalid(res: Response, path: string) {
  expect(res.status, path).toBe(400);
  const body = await json(res);
  expect(body.error.code).toBe('validation_failed');
  const paths: string[] = body.error.issues.map((i: { path: string }) => i.path);
  expect(
    paths.some((p) => p === path || p.startsWith(`${path}.`)),
    `${path} in ${paths}`,
  ).toBe(true);
}

describe('an array is never an object', () => {
  it('PUT billing with an array for address, insurance or insurance.subscriber is 400 and changes nothing', async () => {
    const s = await setup();
    await call('PUT', `/v1/clients/${s.clientId}/billing`, {
      token: s.p.token,
      body: {
        ...COMPLETE_BILLING,
        insurance: { ...COMPLETE_BILLING.insurance, relationship: 'spouse' },
      },
    });
    const before = await billingOf(s.p.token, s.clientId);
    const bad: [string, unknown][] = [
      ['address', { ...COMPLETE_BILLING, address: [] }],
      ['insurance', { ...COMPLETE_BILLING, insurance: [] }],
      ['insurance.subscriber', { ...COMPLETE_BILLING, insurance: { ...COMPLETE_BILLING.insurance, subscriber: [] } }],
      ['address', { ...COMPLETE_BILLING, address: [{ line1: '1 Main St' }] }],
      ['', []],
    ];
    for (const [path, body] of bad) {
      await expectInvalid(await call('PUT', `/v1/clients/${s.clientId}/billing`, { token: s.p.token, body }), path);
    }
    expect(await billingOf(s.p.token, s.clientId)).toEqual(before);
  });

  it('every nested object of a body refuses an array, and null where null is not allowed', async () => {
    const s = await setup();
    const cases: [string, string, Record<string, unknown>, string][] = [
      [
        'POST',
        '/v1/appointments',
        { clientId: s.clientId, startsAt: new Date(Date.now() + DAY).toISOString(), durationMinutes: 50, location: [] },
        'location',
      ],
      [
        'POST',
        '/v1/appointments',
        {
          clientId: s.clientId,
          startsAt: new Date(Date.now() + DAY).toISOString(),
          durationMinutes: 50,
          location: null,
        },
        'location',
      ],
      [
        'POST',
        '/v1/appointments',
        {
          clientId: s.clientId,
          startsAt: new Date(Date.now() + DAY).toISOString(),
          durationMinutes: 50,
          location: { type: 'office' },
          repeat: [],
        },
        'repeat',
      ],
      [
        'POST',
        '/v1/appointments',
        {
          clientId: s.clientId,
          startsAt: new Date(Date.now() + DAY).toISOString(),
          durationMinutes: 50,
          location: { type: 'office' },
          repeat: null,
        },
        'repeat',
      ],
    ];
    for (const [method, path, body, issue] of cases) {
      await expectInvalid(await call(method, path, { token: s.p.token, body }), issue);
    }
    const list = await json(await call('GET', '/v1/appointments', { token: s.p.token }));
    expect(list.items).toEqual([]);
  });
});

describe('one-line text fields', () => {
  const BAD = ['\n', '\r', '\t', '\u0000', '\u001b', '\u007f', '\u0085', '\u009f', '\u2028', '\u2029'];

  it('refuse control characters and line or paragraph separators anywhere, before trimming', async () => {
    const p = await makeProvider();
    for (const ch of BAD) {
      for (const name of [`Ada${ch}`, `${ch}Ada`, `A${ch}da`]) {
        const res = await call('POST', '/v1/clients', {
          token: p.token,
          body: { firstName: name, lastName: 'Lovelace', email: 'ada@example.com', notify: false },
        });
        await expectInvalid(res, 'firstName');
      }
      await expectInvalid(
        await call('POST', '/v1/clients', {
          token: p.token,
          body: { firstName: 'Ada', lastName: 'Lovelace', email: `ada@example.com${ch}`, notify: false },
        }),
        'email',
      );
    }
    expect((await json(await call('GET', '/v1/clients', { token: p.token }))).items).toEqual([]);
  });

  it('billing lines, city, member id and group number refuse them too; the stored info is unchanged', async () => {
    const s = await setup();
    const before = await billingOf(s.p.token, s.clientId);
    const b = COMPLETE_BILLING;
    const cases: [string, unknown][] = [
      ['legalFirstName', { ...b, legalFirstName: 'Ada\u2028' }],
      ['address.line1', { ...b, address: { ...b.address, line1: '1 Main St\n' } }],
      ['address.line2', { ...b, address: { ...b.address, line2: '\tApt 2' } }],
      ['address.city', { ...b, address: { ...b.address, city: 'New\u0085York' } }],
      ['insurance.memberId', { ...b, insurance: { ...b.insurance, memberId: 'W123\n' } }],
      ['insurance.groupNumber', { ...b, insurance: { ...b.insurance, groupNumber: '\rG-100' } }],
      ['phone', { ...b, phone: '212-555-0100\n' }],
    ];
    for (const [path, body] of cases) {
      await expectInvalid(await call('PUT', `/v1/clients/${s.clientId}/billing`, { token: s.p.token, body }), path);
    }
    expect(await billingOf(s.p.token, s.clientId)).toEqual(before);
  });

  it('are trimmed once accepted; names are at most 100 characters and emails 254', async () => {
    const p = await makeProvider();
    const ok = await call('POST', '/v1/clients', {
      token: p.token,
      body: { firstName: '  Ada ', lastName: 'L'.repeat(100), email: ' ada@example.com ', notify: false },
    });
    expect(ok.status).toBe(201);
    const client = await json(ok);
    expect(client.firstName).toBe('Ada');
    expect(client.email).toBe('ada@example.com');
    await expectInvalid(
      await call('POST', '/v1/clients', {
        token: p.token,
        body: { firstName: 'A'.repeat(101), lastName: 'L', email: 'b@example.com', notify: false },
      }),
      'firstName',
    );
    await expectInvalid(
      await call('POST', '/v1/clients', {
        token: p.token,
        body: { firstName: 'A', lastName: 'L', email: `${'a'.repeat(64)}@${'b'.repeat(186)}.com`, notify: false },
      }),
      'email',
    );
  });

  it('a progress note keeps its newlines and tabs', async () => {
    const s = await setup();
    testClock.set('2026-03-02T15:00:00Z');
    const apt = await schedule(s, '2026-03-02T16:00:00Z');
    testClock.set('2026-03-02T17:00:00Z');
    const note = 'Line one\n\tindented\r\nline three';
    const res = await call('POST', `/v1/appointments/${apt.id}/confirm`, {
      token: await tokenFor(s.p.id),
      body: { cptCode: '90834', diagnosisCodes: ['F41.1'], progressNote: note },
    });
    expect(res.status, await res.clone().text()).toBe(200);
  });
});

describe('dates', () => {
  it('a date is a real calendar date between 1900-01-01 and 2100-12-31, never rolled over', async () => {
    const s = await setup();
    const before = await billingOf(s.p.token, s.clientId);
    for (const date of [
      '2027-02-30',
      '2023-02-29',
      '1899-12-31',
      '9999-01-01',
      '+010000-01-01',
      '2024-13-01',
      '2024-1-01',
    ]) {
      const res = await call('PUT', `/v1/clients/${s.clientId}/billing`, {
        token: s.p.token,
        body: { ...COMPLETE_BILLING, dateOfBirth: date },
      });
      await expectInvalid(res, 'dateOfBirth');
    }
    expect(await billingOf(s.p.token, s.clientId)).toEqual(before);
    const leap = await call('PUT', `/v1/clients/${s.clientId}/billing`, {
      token: s.p.token,
      body: { ...COMPLETE_BILLING, dateOfBirth: '2024-02-29' },
    });
    expect(leap.status).toBe(200);
    expect((await billingOf(s.p.token, s.clientId)).dateOfBirth).toBe('2024-02-29');
  });

  it('a date of birth is not in the future', async () => {
    const s = await setup();
    const future = new Date(Date.now() + 3 * DAY).toISOString().slice(0, 10);
    const res = await call('PUT', `/v1/clients/${s.clientId}/billing`, {
      token: s.p.token,
      body: {
        ...COMPLETE_BILLING,
        insurance: {
          ...COMPLETE_BILLING.insurance,
          relationship: 'child',
          subscriber: { firstName: 'A', lastName: 'B', dateOfBirth: future },
        },
      },
    });
    await expectInvalid(res, 'insurance.subscriber.dateOfBirth');
    const today = new Date().toISOString().slice(0, 10);
    const ok = await call('PUT', `/v1/clients/${s.clientId}/billing`, {
      token: s.p.token,
      body: { ...COMPLETE_BILLING, dateOfBirth: today },
    });
    expect(ok.status).toBe(200);
  });

  it('an instant is a real date and time: 2027-02-30, year 9999 and +010000 are refused', async () => {
    const s = await setup();
    for (const startsAt of [
      '2027-02-30T15:00:00Z',
      '9999-01-01T15:00:00Z',
      '+010000-01-01T15:00:00Z',
      '2027-01-01T25:00:00Z',
    ]) {
      const res = await call('POST', '/v1/appointments', {
        token: s.p.token,
        body: { clientId: s.clientId, startsAt, durationMinutes: 50, location: { type: 'office' } },
      });
      await expectInvalid(res, 'startsAt');
    }
    expect((await json(await call('GET', '/v1/appointments', { token: s.p.token }))).items).toEqual([]);
  });

  it('an appointment starts at most 2 years before or after now, on create and on move', async () => {
    const s = await setup();
    testClock.set('2026-06-01T12:00:00Z');
    s.p.token = await tokenFor(s.p.id);
    const body = (startsAt: string) => ({
      clientId: s.clientId,
      startsAt,
      durationMinutes: 50,
      location: { type: 'office' },
    });
    for (const startsAt of ['2028-06-01T12:01:00Z', '2024-06-01T11:59:00Z', '2090-01-01T00:00:00Z']) {
      await expectInvalid(
        await call('POST', '/v1/appointments', { token: s.p.token, body: body(startsAt) }),
        'startsAt',
      );
    }
    const near = await call('POST', '/v1/appointments', { token: s.p.token, body: body('2028-05-31T12:00:00Z') });
    expect(near.status).toBe(201);
    const apt = await json(near);
    await expectInvalid(
      await call('PATCH', `/v1/appointments/${apt.id}`, {
        token: s.p.token,
        body: { startsAt: '2028-06-02T12:00:00Z' },
      }),
      'startsAt',
    );
    const still = await json(await call('GET', `/v1/appointments/${apt.id}`, { token: s.p.token }));
    expect(still.startsAt).toBe('2028-05-31T12:00:00.000Z');
  });
});

// The probe: every /v1 operation with a request body gets bad bodies built from its own schema, and
// must answer a 4xx in API.md's error shape, changing nothing.
interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  maxLength?: number;
}

const typesOf = (s: JsonSchema): string[] =>
  s.anyOf || s.oneOf ? [...(s.anyOf ?? []), ...(s.oneOf ?? [])].flatMap(typesOf) : s.type ? [s.type] : [];

/** Values of the wrong type for a property: an array where an object is, an object where an array is, and so on. */
function wrongValues(s: JsonSchema): unknown[] {
  const types = typesOf(s);
  const out: unknown[] = [];
  if (!types.includes('string')) out.push('text');
  if (!types.includes('number') && !types.includes('integer')) out.push(12345);
  if (!types.includes('boolean')) out.push(true);
  if (!types.includes('array')) out.push([], ['x']);
  if (!types.includes('object')) out.push({ a: 1 });
  if (!types.includes('null')) out.push(null);
  return out;
}

/** Every bad body for one schema: whole-body non-objects, each property wrong, nested objects as arrays, long text. */
function badBodies(schema: JsonSchema): { label: string; body: string; status?: number }[] {
  const out: { label: string; body: string; status?: number }[] = [];
  for (const raw of ['[]', 'null', '"text"', '42', '[{}]']) out.push({ label: `body ${raw}`, body: raw });
  const walk = (s: JsonSchema, wrap: (v: unknown) => unknown, path: string) => {
    for (const [key, prop] of Object.entries(s.properties ?? {})) {
      const at = (v: unknown) => wrap({ [key]: v });
      for (const value of wrongValues(prop)) {
        out.push({ label: `${path}${key} = ${JSON.stringify(value)}`, body: JSON.stringify(at(value)) });
      }
      if (typesOf(prop).includes('string') && (prop.maxLength ?? Number.POSITIVE_INFINITY) < 10_000) {
        out.push({
          label: `${path}${key}: 10,000 characters`,
          body: JSON.stringify(at('x'.repeat(10_000))),
          status: 400,
        });
      }
      for (const nested of [prop, ...(prop.anyOf ?? [])]) {
        if (nested.type === 'object' && nested.properties) walk(nested, at, `${path}${key}.`);
      }
    }
  };
  walk(schema, (v) => v, '');
  const first = Object.keys(schema.properties ?? {})[0] ?? 'x';
  out.push({ label: 'over 64 KiB', body: JSON.stringify({ [first]: 'x'.repeat(65 * 1024) }), status: 413 });
  return out;
}

/**
 * Every table's rows, in order: the whole database, to compare before and after — but the ICD-10-CM
 * code set (icd10cm and its FTS5 tables: reference data no request writes, 98k rows).
 */
async function snapshot(): Promise<string> {
  const tables = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'icd10cm%' ORDER BY name",
  ).all<{ name: string }>();
  const parts: string[] = [];
  for (const { name } of tables.results) {
    const rows = await env.DB.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all();
    parts.push(`${name}: ${JSON.stringify(rows.results)}`);
  }
  return parts.join('\n');
}

it('every /v1 operation with a body refuses bad bodies built from its OpenAPI schema with a 4xx and changes nothing', async () => {
  const s = await setup();
  const apt = await schedule(s, new Date(Date.now() + 2 * DAY));
  const doc = await json(await call('GET', '/v1/openapi.json', { token: s.p.token }));
  const ops: { method: string; path: string; schema: JsonSchema }[] = [];
  for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
    if (!path.startsWith('/v1/')) continue;
    for (const [method, op] of Object.entries<any>(item)) {
      const schema = op?.requestBody?.content?.['application/json']?.schema;
      if (schema) ops.push({ method: method.toUpperCase(), path, schema });
    }
  }
  expect(ops.length).toBeGreaterThanOrEqual(12);

  const before = await snapshot();
  let sent = 0;
  for (const op of ops) {
    const id = op.path.startsWith('/v1/clients/') ? s.clientId : apt.id;
    const url = op.path.replace('{id}', id);
    for (const bad of badBodies(op.schema)) {
      const res = await call(op.method, url, {
        token: s.p.token,
        rawBody: bad.body,
        headers: { 'content-type': 'application/json' },
      });
      const where = `${op.method} ${op.path} ${bad.label}`;
      if (bad.status) expect(res.status, where).toBe(bad.status);
      expect(res.status, where).toBeGreaterThanOrEqual(400);
      expect(res.status, where).toBeLessThan(500);
      const body = await json(res);
      expect(typeof body.error?.code, where).toBe('string');
      expect(typeof body.error?.message, where).toBe('string');
      if (body.error.code === 'validation_failed') expect(Array.isArray(body.error.issues), where).toBe(true);
      sent += 1;
    }
  }
  expect(sent).toBeGreaterThan(100);
  expect(await snapshot()).toBe(before);
}, 20_000);
