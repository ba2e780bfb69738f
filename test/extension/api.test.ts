// The API client against a stubbed fetch: auth, failures as typed errors, idempotent retries.
import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApiClient, type ApiClientOptions } from '../../extension/api';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function client(fetchImpl: ApiClientOptions['fetch'], over: Partial<ApiClientOptions> = {}) {
  const onUnauthorized = vi.fn(async () => {});
  const api = createApiClient({
    baseUrl: async () => 'http://127.0.0.1:8787',
    token: async () => 'tok_123',
    onUnauthorized,
    fetch: fetchImpl,
    retryDelayMs: 1,
    ...over,
  });
  return { api, onUnauthorized };
}

async function failureOf(p: Promise<unknown>) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return (err as ApiError).failure;
}

describe('API client', () => {
  it('claims: an export POSTs with its Idempotency-Key, and its file is read as text with its own filename', async () => {
    const made = {
      id: 'exp_1',
      claimIds: ['clm_1'],
      claimCount: 1,
      totalCents: 100,
      interchangeControlNumber: '000000007',
      createdAt: '2026-12-01T00:00:00.000Z',
    };
    const fetchImpl = vi.fn(async (url: string) =>
      url.endsWith('/file')
        ? new Response('ISA*00*~GS*HC~', {
            status: 200,
            headers: {
              'content-type': 'application/edi-x12',
              'content-disposition': 'attachment; filename="caseload-837p-000000007.txt"',
            },
          })
        : json(201, made),
    );
    const { api } = client(fetchImpl as ApiClientOptions['fetch']);
    await expect(api.createExport('key-12345678')).resolves.toEqual(made);
    await expect(api.exportFile('exp_1')).resolves.toEqual({
      text: 'ISA*00*~GS*HC~',
      filename: 'caseload-837p-000000007.txt',
    });
    const calls = fetchImpl.mock.calls as unknown as [string, RequestInit][];
    expect(calls.map(([u, init]) => `${init.method} ${u}`)).toEqual([
      'POST http://127.0.0.1:8787/v1/claims/exports',
      'GET http://127.0.0.1:8787/v1/claims/exports/exp_1/file',
    ]);
    const [, post] = calls[0]!;
    expect((post.headers as Record<string, string>)['idempotency-key']).toBe('key-12345678');
    expect(post.body).toBe('{}');
  });

  it('claims: a file route’s error is the API’s error, like any other route', async () => {
    const { api } = client(async () => json(404, { error: { code: 'not_found', message: 'Export not found' } }));
    expect(await failureOf(api.exportFile('exp_x'))).toMatchObject({ kind: 'api', status: 404, code: 'not_found' });
  });

  it('sends the bearer token and parses JSON', async () => {
    const fetchImpl = vi.fn(async () => json(200, { count: 3, oldestStartsAt: null }));
    const { api } = client(fetchImpl);
    await expect(api.unconfirmedCount()).resolves.toEqual({ count: 3, oldestStartsAt: null });
    const [url, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('http://127.0.0.1:8787/v1/appointments/unconfirmed/count');
    expect((init.headers as Record<string, string>).authorization).toBe('Bearer tok_123');
  });

  it('the calendar feed: POST and DELETE /v1/me/calendar-feed with the token, no body and no Idempotency-Key', async () => {
    const url = `http://127.0.0.1:8787/feed/${'a'.repeat(43)}.ics`;
    const fetchImpl = vi.fn(async (_url: string, init?: RequestInit) =>
      init?.method === 'POST' ? json(201, { url }) : new Response(null, { status: 204 }),
    );
    const { api } = client(fetchImpl as ApiClientOptions['fetch']);
    await expect(api.createCalendarFeed()).resolves.toEqual({ url });
    await expect(api.deleteCalendarFeed()).resolves.toBeUndefined();
    const calls = fetchImpl.mock.calls as unknown as [string, RequestInit][];
    expect(calls.map(([u, init]) => `${init.method} ${u}`)).toEqual([
      'POST http://127.0.0.1:8787/v1/me/calendar-feed',
      'DELETE http://127.0.0.1:8787/v1/me/calendar-feed',
    ]);
    for (const [, init] of calls) {
      const headers = init.headers as Record<string, string>;
      expect(headers.authorization).toBe('Bearer tok_123');
      expect(headers['idempotency-key']).toBeUndefined();
      expect(init.body ?? null).toBeNull();
    }
  });

  it('a 401 on a signed-in route signs out and says so', async () => {
    const { api, onUnauthorized } = client(async () =>
      json(401, { error: { code: 'unauthenticated', message: 'Token expired' } }),
    );
    const failure = await failureOf(api.me());
    expect(failure.kind).toBe('signed_out');
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it('a wrong sign-in code (401 on /v1/auth/token) is an API error, not a sign-out', async () => {
    const { api, onUnauthorized } = client(async () =>
      json(401, { error: { code: 'unauthenticated', message: 'Wrong code' } }),
    );
    const failure = await failureOf(api.exchangeCode('a@b.co', '123456'));
    expect(failure).toMatchObject({ kind: 'api', status: 401, code: 'unauthenticated' });
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('no stored token: signed out without a request', async () => {
    const fetchImpl = vi.fn();
    const { api } = client(fetchImpl, { token: async () => null });
    expect((await failureOf(api.me())).kind).toBe('signed_out');
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it('a network error is a typed "unreachable" failure with a sentence', async () => {
    const { api } = client(async () => {
      throw new TypeError('Failed to fetch');
    });
    const failure = await failureOf(api.searchClients('ja'));
    expect(failure.kind).toBe('unreachable');
    expect(failure.message).toMatch(/can't reach .*127\.0\.0\.1:8787/);
  });

  it('re-sends a creating POST with the same Idempotency-Key after a network drop', async () => {
    const fetchImpl = vi
      .fn()
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValueOnce(json(201, { id: 'cli_1' }));
    const { api } = client(fetchImpl);
    await expect(api.createClient({ firstName: 'A' } as never, 'key-aaaa-1111')).resolves.toEqual({ id: 'cli_1' });
    expect(fetchImpl).toHaveBeenCalledTimes(2);
    const keys = fetchImpl.mock.calls.map(
      ([, init]) => (init as RequestInit & { headers: Record<string, string> }).headers['idempotency-key'],
    );
    expect(keys).toEqual(['key-aaaa-1111', 'key-aaaa-1111']);
  });

  it('waits out 409 request_in_progress with the same key', async () => {
    const fetchImpl = vi
      .fn()
      .mockResolvedValueOnce(json(409, { error: { code: 'request_in_progress', message: 'busy' } }))
      .mockResolvedValueOnce(json(201, { id: 'apt_1' }));
    const { api } = client(fetchImpl);
    await expect(api.createAppointment({} as never, 'key-bbbb-2222')).resolves.toEqual({ id: 'apt_1' });
    expect(fetchImpl).toHaveBeenCalledTimes(2);
  });

  it('gives up after three attempts and reports unreachable', async () => {
    const fetchImpl = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const { api } = client(fetchImpl);
    expect((await failureOf(api.createClient({} as never, 'key-cccc-3333'))).kind).toBe('unreachable');
    expect(fetchImpl).toHaveBeenCalledTimes(3);
  });

  it('never retries a GET or sends a key on it', async () => {
    const fetchImpl = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const { api } = client(fetchImpl);
    await failureOf(api.listClients());
    expect(fetchImpl).toHaveBeenCalledTimes(1);
  });

  it('keeps the error body fields (client_exists → existingClientId)', async () => {
    const { api } = client(async () =>
      json(409, { error: { code: 'client_exists', message: 'Exists', existingClientId: 'cli_9' } }),
    );
    expect(await failureOf(api.createClient({} as never, 'key-dddd-4444'))).toMatchObject({
      kind: 'api',
      status: 409,
      code: 'client_exists',
      existingClientId: 'cli_9',
    });
  });

  it('a 5xx without a JSON body becomes a sentence', async () => {
    const { api } = client(async () => new Response('<html>Bad gateway</html>', { status: 502 }));
    const failure = await failureOf(api.me());
    expect(failure).toMatchObject({ kind: 'api', status: 502, code: 'internal_error' });
    expect(failure.message).toMatch(/HTTP 502/);
  });
});
