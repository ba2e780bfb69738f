// Test helpers: call the real app in the Workers runtime, and make providers with their own data.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import worker from '../../worker/index';
import { randomToken, sha256Hex } from '../../worker/platform/crypto';
import { now } from '../../worker/platform/clock';

export const ADMIN = 'test-admin-token-not-a-secret-0123456789';

export interface CallOptions {
  token?: string;
  body?: unknown;
  rawBody?: BodyInit;
  headers?: Record<string, string>;
}

export async function call(method: string, path: string, opts: CallOptions = {}): Promise<Response> {
  const headers = new Headers(opts.headers);
  if (opts.token) headers.set('authorization', `Bearer ${opts.token}`);
  let body: BodyInit | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers.set('content-type', 'application/json');
  }
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://127.0.0.1:8787${path}`, { method, headers, body }), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

export async function json<T = any>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

let seq = 0;
export function uniqueEmail(tag = 'p'): string {
  seq += 1;
  return `${tag}${seq}.${crypto.randomUUID().slice(0, 8)}@example.com`;
}

export interface TestProvider {
  id: string;
  email: string;
  token: string;
}

/** A billing profile with everything a claim needs (a solo counselor billing under an EIN). */
export const COMPLETE_PROFILE = {
  billingName: 'Test, Provider',
  entity: 'person',
  taxId: { type: 'EIN', value: '12-3456789' },
  taxonomyCode: '101YP2500X',
  address: { line1: '200 Park Ave', line2: 'Suite 1200', city: 'New York', state: 'NY', postalCode: '10166-0005' },
  phone: '212-555-0150',
  edi: {
    submitterId: 'SUB123',
    submitterName: 'Test Provider',
    receiverId: 'OFFALLY',
    receiverName: 'Office Ally',
    usage: 'test',
  },
};

/** A fee for every code a session may be confirmed with. */
export const ALL_FEES = {
  items: ['90791', '90832', '90834', '90837', '90839', '90840', '90846', '90847', '90853', '90785'].map(
    (cptCode, i) => ({ cptCode, amountCents: 10_000 + i * 1_000 }),
  ),
};

/**
 * A provider created through the operations route, approved by Aetna unless told otherwise, with a
 * complete billing profile and a fee for every code (so it can confirm) unless `billing: false`.
 */
export async function makeProvider(
  opts: { approved?: boolean; timeZone?: string; name?: string; billing?: boolean } = {},
): Promise<TestProvider> {
  const email = uniqueEmail('provider');
  const res = await call('POST', '/admin/providers', {
    token: ADMIN,
    body: {
      name: opts.name ?? 'Dr. Test Provider',
      email,
      npi: '1234567893',
      timeZone: opts.timeZone ?? 'America/New_York',
    },
  });
  if (res.status !== 201) throw new Error(`makeProvider: ${res.status} ${await res.text()}`);
  const { id } = await json<{ id: string }>(res);
  if (opts.approved !== false) {
    const ok = await call('PUT', `/admin/providers/${id}/carriers/pay_aetna`, {
      token: ADMIN,
      body: { status: 'approved' },
    });
    if (ok.status !== 200) throw new Error(`approve: ${ok.status}`);
  }
  const token = await tokenFor(id);
  if (opts.billing !== false) {
    for (const [path, body] of [
      ['/v1/me/billing-profile', COMPLETE_PROFILE],
      ['/v1/me/fees', ALL_FEES],
    ] as const) {
      const res = await call('PUT', path, { token, body });
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    }
  }
  return { id, email, token };
}

/** A valid bearer token for a provider without the email round trip (auth tests do the real flow). */
export async function tokenFor(providerId: string, lifetimeMs = 12 * 3600_000): Promise<string> {
  const token = randomToken();
  const at = now().toISOString();
  await env.DB.prepare('INSERT INTO auth_tokens (token_hash, provider_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
    .bind(await sha256Hex(token), providerId, at, new Date(now().getTime() + lifetimeMs).toISOString())
    .run();
  return token;
}

export async function addClient(p: TestProvider, body: Record<string, unknown> = {}) {
  const res = await call('POST', '/v1/clients', {
    token: p.token,
    body: { firstName: 'Ada', lastName: 'Lovelace', email: uniqueEmail('client'), notify: false, ...body },
  });
  if (res.status !== 201) throw new Error(`addClient: ${res.status} ${await res.text()}`);
  return json<import('../../shared/api-types').Client>(res);
}

export const COMPLETE_BILLING = {
  legalFirstName: 'Ada',
  legalLastName: 'Lovelace',
  dateOfBirth: '1985-12-10',
  sex: 'F',
  phone: '(212) 555-0100',
  address: { line1: '1 Main St', city: 'New York', state: 'NY', postalCode: '10001' },
  insurance: { payerId: 'pay_aetna', memberId: 'W123456789', groupNumber: 'G-100', relationship: 'self' },
};

export async function mailTo(address: string) {
  const res = await call('GET', '/dev/mail.json');
  const { items } = await json<{
    items: { to: string[]; subject: string; text: string; html: string; attachments: unknown[] }[];
  }>(res);
  return items.filter((m) => m.to.includes(address));
}
