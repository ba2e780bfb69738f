import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../worker/index';
import { ADMIN, call, json } from './helpers';

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

describe('misconfiguration (API.md, Operations)', () => {
  async function withSettings(overrides: Partial<typeof env>, path: string, init: RequestInit = {}) {
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request(`http://127.0.0.1:8787${path}`, init), { ...env, ...overrides }, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  }
  const SHORT = 'short-admin-token-31-characters';
  const providerBody = { name: 'Dr. A', email: 'a@example.com', npi: '1234567893', timeZone: 'America/New_York' };

  it('an ADMIN_TOKEN shorter than 32 characters is 503 misconfigured, naming the setting never its value, and closes the admin routes (404)', async () => {
    expect(SHORT).toHaveLength(31);
    for (const path of ['/v1/health', '/v1/health?db=0']) {
      const res = await withSettings({ ADMIN_TOKEN: SHORT }, path);
      expect(res.status, path).toBe(503);
      const text = await res.text();
      expect(text).not.toContain(SHORT);
      expect(JSON.parse(text)).toMatchObject({
        ok: false,
        error: {
          code: 'misconfigured',
          message: expect.any(String),
          problems: ['ADMIN_TOKEN is shorter than 32 characters'],
        },
      });
    }
    const admin = await withSettings({ ADMIN_TOKEN: SHORT }, '/admin/providers', {
      method: 'POST',
      headers: { authorization: `Bearer ${SHORT}`, 'content-type': 'application/json' },
      body: JSON.stringify(providerBody),
    });
    expect(admin.status).toBe(404);
    expect(((await admin.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('a NOTES_KEY that is not 32 bytes of base64 is misconfigured too, and closes the admin routes', async () => {
    const cases: [string | undefined, string][] = [
      [btoa('sixteen-byte-key'), 'NOTES_KEY is not 32 bytes (base64 of 32 random bytes)'],
      ['not base64 at all!', 'NOTES_KEY is not valid base64'],
      [`${env.NOTES_KEY},${btoa('short')}`, 'NOTES_KEY is not 32 bytes (base64 of 32 random bytes)'],
      [undefined, 'NOTES_KEY is not set'],
    ];
    for (const [key, problem] of cases) {
      const res = await withSettings({ NOTES_KEY: key }, '/v1/health');
      expect(res.status, String(key)).toBe(503);
      const body = (await res.json()) as { error: { problems: string[] } };
      expect(body.error.problems).toEqual([problem]);
      if (key) expect(JSON.stringify(body)).not.toContain(key);
      const admin = await withSettings({ NOTES_KEY: key }, '/admin/outbox', {
        headers: { authorization: `Bearer ${ADMIN}` },
      });
      expect(admin.status).toBe(404);
    }
    const both = await withSettings({ NOTES_KEY: btoa('short'), ADMIN_TOKEN: SHORT }, '/v1/health');
    expect(((await both.json()) as { error: { problems: string[] } }).error.problems).toHaveLength(2);
  });

  it('an unset ADMIN_TOKEN is a valid set-up: health is 200 and the admin routes are 404', async () => {
    const res = await withSettings({ ADMIN_TOKEN: undefined }, '/v1/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, db: 'ok' });
    const admin = await withSettings({ ADMIN_TOKEN: undefined }, '/admin/outbox', {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(admin.status).toBe(404);
  });

  it('the test set-up itself is well configured: a 32+ character ADMIN_TOKEN opens the admin routes', async () => {
    expect(ADMIN.length).toBeGreaterThanOrEqual(32);
    expect((await call('GET', '/v1/health')).status).toBe(200);
    expect((await call('GET', '/admin/outbox', { token: ADMIN })).status).toBe(200);
  });
});
