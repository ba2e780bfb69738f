// GET /v1/codes/cpt and /v1/codes/icd10?q=: the code lists the popup suggests from.
import { describe, expect, it } from 'vitest';
import { testClock } from '../../worker/platform/clock';
import { call, json, makeProvider, tokenFor } from './helpers';

describe('GET /v1/codes/cpt', () => {
  it('lists the billable psychotherapy codes with their rules, never prescriber codes', async () => {
    const p = await makeProvider();
    const res = await call('GET', '/v1/codes/cpt', { token: p.token });
    expect(res.status).toBe(200);
    const { items, nextCursor } = await json(res);
    expect(nextCursor).toBeNull();
    expect(items.map((c: { code: string }) => c.code)).toEqual([
      '90791',
      '90832',
      '90834',
      '90837',
      '90839',
      '90840',
      '90846',
      '90847',
      '90853',
      '90785',
    ]);
    expect(items.find((c: { code: string }) => c.code === '90834')).toMatchObject({
      kind: 'primary',
      minMinutes: 38,
      maxMinutes: 52,
      onePerSession: true,
    });
    expect(items.find((c: { code: string }) => c.code === '90840')).toMatchObject({
      kind: 'add_on',
      addOnTo: ['90839'],
      minMinutes: 75,
    });
    expect(items.find((c: { code: string }) => c.code === '90785')).toMatchObject({
      notWith: ['90839', '90840', '90846', '90847'],
    });
    expect((await call('GET', '/v1/codes/cpt')).status).toBe(401);
  });
});

describe('GET /v1/codes/icd10', () => {
  const search = async (token: string, q: string, extra = '') => {
    const res = await call('GET', `/v1/codes/icd10?q=${encodeURIComponent(q)}${extra}`, { token });
    expect(res.status).toBe(200);
    return (await json(res)).items as { code: string; description: string; billable: boolean }[];
  };

  it('a code-like query matches by prefix (dot optional, any case), billable codes first, then by code', async () => {
    const p = await makeProvider();
    const items = await search(p.token, 'f41');
    expect(items.map((i) => i.code)).toEqual(['F41.0', 'F41.1', 'F41.3', 'F41.8', 'F41.9', 'F41']);
    expect(items.at(-1)).toEqual({ code: 'F41', description: expect.stringMatching(/anxiety/i), billable: false });
    expect((await search(p.token, 'F411')).map((i) => i.code)).toEqual(['F41.1']);
    expect((await search(p.token, 'f41.1')).map((i) => i.code)).toEqual(['F41.1']);
  });

  it('words must all appear in the description: "generalized anxiety" finds F41.1', async () => {
    const p = await makeProvider();
    const items = await search(p.token, 'generalized anxiety');
    expect(items.map((i) => i.code)).toContain('F41.1');
    for (const i of items) expect(i.description.toLowerCase()).toMatch(/generalized.*anxiety|anxiety.*generalized/);
    expect(await search(p.token, 'zzzz nothing')).toEqual([]);
  });

  it('returns at most 20, billable before headers', async () => {
    const p = await makeProvider();
    const items = await search(p.token, 'depress');
    expect(items.length).toBe(20);
    const firstHeader = items.findIndex((i) => !i.billable);
    if (firstHeader >= 0) expect(items.slice(firstHeader).every((i) => !i.billable)).toBe(true);
  });

  it('searches the code set in force on serviceDate (default: today where the provider practises)', async () => {
    const p = await makeProvider();
    expect(await search(p.token, 'F64.A', '&serviceDate=2026-09-30')).toEqual([]);
    expect((await search(p.token, 'F64.A', '&serviceDate=2026-10-01')).map((i) => i.code)).toEqual(['F64.A']);
    testClock.set('2026-10-01T02:00:00.000Z'); // still 30 September in New York
    expect(await search(await tokenFor(p.id), 'F64.A')).toEqual([]);
  });

  it('q is required; a bad serviceDate is 400', async () => {
    const p = await makeProvider();
    expect((await call('GET', '/v1/codes/icd10', { token: p.token })).status).toBe(400);
    expect((await call('GET', '/v1/codes/icd10?q=%20', { token: p.token })).status).toBe(400);
    expect((await call('GET', '/v1/codes/icd10?q=f41&serviceDate=2026-02-30', { token: p.token })).status).toBe(400);
  });

  it('is fast over the ~3,000 codes: 40 word searches through the API well under 2 seconds', async () => {
    const p = await makeProvider();
    const started = Date.now();
    for (let i = 0; i < 40; i++)
      await search(p.token, ['major depressive', 'panic', 'adjustment disorder', 'z63'][i % 4]!);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
