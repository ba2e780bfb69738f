import { describe, expect, it } from 'vitest';
import { call, json } from './helpers';

describe('health', () => {
  it('answers with the db state and no-store', async () => {
    const res = await call('GET', '/v1/health');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await json(res)).toMatchObject({ ok: true, db: 'ok' });
  });
});
