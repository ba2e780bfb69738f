// GET/PUT /v1/me/fees: the provider's fee schedule. PUT replaces it; every CPT code of GET /v1/codes/cpt
// (add-ons included) may have a fee, nothing else; amountCents 1–10,000,000.
import { describe, expect, it } from 'vitest';
import { call, json, makeProvider, type TestProvider } from './helpers';

const put = (p: TestProvider, items: unknown) => call('PUT', '/v1/me/fees', { token: p.token, body: { items } });
const get = async (p: TestProvider) => json(await call('GET', '/v1/me/fees', { token: p.token }));

describe('the fee schedule', () => {
  it('is empty until set', async () => {
    const p = await makeProvider({ billing: false });
    expect(await get(p)).toEqual({ items: [] });
  });

  it('PUT replaces the whole schedule and answers it, by code', async () => {
    const p = await makeProvider({ billing: false });
    const first = await put(p, [
      { cptCode: '90837', amountCents: 18000 },
      { cptCode: '90834', amountCents: 14000 },
    ]);
    expect(first.status).toBe(200);
    expect(await json(first)).toEqual({
      items: [
        { cptCode: '90834', amountCents: 14000 },
        { cptCode: '90837', amountCents: 18000 },
      ],
    });
    const second = await json(await put(p, [{ cptCode: '90791', amountCents: 25000 }]));
    expect(second).toEqual({ items: [{ cptCode: '90791', amountCents: 25000 }] });
    expect(await get(p)).toEqual(second);
    expect(await json(await put(p, []))).toEqual({ items: [] });
    expect(await get(p)).toEqual({ items: [] });
  });

  it('every CPT code of GET /v1/codes/cpt may have a fee, add-ons included', async () => {
    const p = await makeProvider({ billing: false });
    const codes = (await json(await call('GET', '/v1/codes/cpt', { token: p.token }))).items.map(
      (c: { code: string }) => c.code,
    ) as string[];
    expect(codes).toEqual(expect.arrayContaining(['90785', '90840']));
    const res = await put(
      p,
      codes.map((cptCode) => ({ cptCode, amountCents: 5000 })),
    );
    expect(res.status).toBe(200);
    expect((await json(res)).items.map((i: { cptCode: string }) => i.cptCode)).toEqual([...codes].sort());
  });

  // [label, items, the issue's path]
  const REFUSED: [string, unknown, string][] = [
    ['an unknown code', [{ cptCode: '99213', amountCents: 100 }], 'items.0.cptCode'],
    ['a prescriber-only code', [{ cptCode: '90833', amountCents: 100 }], 'items.0.cptCode'],
    ['a fee of 0', [{ cptCode: '90834', amountCents: 0 }], 'items.0.amountCents'],
    ['a negative fee', [{ cptCode: '90834', amountCents: -5 }], 'items.0.amountCents'],
    ['a fee over 10,000,000 cents', [{ cptCode: '90834', amountCents: 10_000_001 }], 'items.0.amountCents'],
    ['a fraction of a cent', [{ cptCode: '90834', amountCents: 100.5 }], 'items.0.amountCents'],
    ['cents as text', [{ cptCode: '90834', amountCents: '100' }], 'items.0.amountCents'],
    ['a missing amount', [{ cptCode: '90834' }], 'items.0.amountCents'],
    [
      'the same code twice',
      [
        { cptCode: '90834', amountCents: 100 },
        { cptCode: '90834', amountCents: 200 },
      ],
      'items',
    ],
    ['items not a list', { cptCode: '90834', amountCents: 100 }, 'items'],
  ];

  it.each(REFUSED)('%s → 400, and the schedule is unchanged', async (_label, items, path) => {
    const p = await makeProvider({ billing: false });
    await put(p, [{ cptCode: '90834', amountCents: 14000 }]);
    const res = await put(p, items);
    expect(res.status).toBe(400);
    const err = (await json(res)).error;
    expect(err.code).toBe('validation_failed');
    expect(err.issues.map((i: { path: string }) => i.path)).toContain(path);
    expect(await get(p)).toEqual({ items: [{ cptCode: '90834', amountCents: 14000 }] });
  });

  it('accepts the edges: 1 cent and 10,000,000 cents', async () => {
    const p = await makeProvider({ billing: false });
    const res = await put(p, [
      { cptCode: '90785', amountCents: 1 },
      { cptCode: '90853', amountCents: 10_000_000 },
    ]);
    expect(res.status).toBe(200);
    expect((await json(res)).items).toEqual([
      { cptCode: '90785', amountCents: 1 },
      { cptCode: '90853', amountCents: 10_000_000 },
    ]);
  });

  it('is the signed-in provider’s own', async () => {
    const a = await makeProvider({ billing: false });
    const b = await makeProvider({ billing: false });
    await put(a, [{ cptCode: '90834', amountCents: 14000 }]);
    expect(await get(b)).toEqual({ items: [] });
    await put(b, []);
    expect((await get(a)).items).toHaveLength(1);
  });

  it('a read takes ≤ 2 round trips, a replacement ≤ 3', async () => {
    const p = await makeProvider({ billing: false });
    const trips = (res: Response) => Number(res.headers.get('x-d1-round-trips') ?? Number.NaN);
    expect(trips(await put(p, [{ cptCode: '90834', amountCents: 14000 }]))).toBeLessThanOrEqual(3);
    expect(trips(await call('GET', '/v1/me/fees', { token: p.token }))).toBeLessThanOrEqual(2);
  });
});
