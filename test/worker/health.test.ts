import { describe, expect, it } from 'vitest';
import { call, json } from './helpers';

describe('health', () => {
  it('checks D1 by default', async () => {
    const res = await call('GET', '/v1/health');
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ ok: true, db: 'ok' });
  });

  it("?db=0 answers without D1 (the benchmarks' bare baseline route)", async () => {
    const res = await call('GET', '/v1/health?db=0');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await json(res);
    expect(body).toEqual({ ok: true, db: 'skipped', email: expect.any(String) });
  });

  it('any other db value still checks D1', async () => {
    expect(await json(await call('GET', '/v1/health?db=1'))).toMatchObject({ ok: true, db: 'ok' });
  });
});
