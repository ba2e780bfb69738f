// The API side of the e2e suite. Once per run: a throwaway `wrangler dev` on a fresh local D1, owned by
// global-setup.ts. Per journey: a provider of its own with a token, its clients and sessions, the mailbox.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import type { StoredAuth } from '../../../extension/storage-keys';
import type { Appointment, Client } from '../../../shared/api-types';
import { OFFLINE_ENV, ROOT, startApi } from '../../../scripts/lib/local-api.mjs';
import { sleep } from './wait';

export const API_PORT = 8787; // the extension's default API origin
export const API = `http://127.0.0.1:${API_PORT}`;
/**
 * The operations token this run's API starts with (a `--var`, over whatever .dev.vars says). A bearer token
 * of 16 characters at least: the auth middleware's bearerToken() refuses shorter ones.
 */
export const ADMIN_TOKEN = 'e2e-operations-token-not-a-secret';
/** Every journey's provider works in this zone, and Chromium runs in it: the popup reads and shows times in it. */
export const TIME_ZONE = 'America/New_York';

declare module 'vitest' {
  export interface ProvidedContext {
    /** global-setup.ts's control server: POST /start and /stop for the run's one API. */
    e2eApiControl: string;
  }
}

// ── the process (global-setup.ts) ───────────────────────────────────────────────────────────────

export interface ApiHandle {
  url: string;
  stop: () => Promise<void>;
}

/** Process groups of every wrangler this process started: killed on exit, whatever happened. */
const livePgids = new Set<number>();
process.on('exit', () => {
  for (const pgid of livePgids) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

/**
 * A fresh local D1 for this run, migrated and empty: every journey makes its own provider. The migrations
 * run as local-api.mjs's applyMigrations runs them, but without blocking this process (that one waits with
 * spawnSync), so Vitest loads the first file and it launches Chromium meanwhile.
 */
export async function freshDatabase(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'caseload-e2e-'));
  const args = ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', dir];
  try {
    await promisify(execFile)(path.join(ROOT, 'node_modules/.bin/wrangler'), args, { cwd: ROOT, env: OFFLINE_ENV });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    throw new Error(`Applying migrations failed (wrangler ${args.join(' ')}):\n${stdout}${stderr}`);
  }
  return dir;
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

/** `wrangler dev` on 127.0.0.1:8787 with the given local D1; refuses when something else holds the port. */
export async function startLocalApi(persistTo: string): Promise<ApiHandle> {
  if (await answers(`${API}/v1/health`)) {
    throw new Error(
      `Something is already listening on ${API} (another \`npm start\`?). Stop it first: the suite needs its own throwaway API there.`,
    );
  }
  const api = await startApi({
    port: API_PORT,
    persistTo,
    vars: {
      ENVIRONMENT: 'development',
      EMAIL_TRANSPORT: 'mailbox',
      PUBLIC_URL: API,
      EMAIL_FROM: 'Caseload <no-reply@caseload.local>',
      ADMIN_TOKEN,
      NOTES_KEY: Buffer.alloc(32, 7).toString('base64'),
    },
  });
  const pgid = api.child.pid;
  if (pgid) livePgids.add(pgid);
  return {
    url: api.url,
    stop: async () => {
      await api.stop();
      if (pgid) livePgids.delete(pgid);
      // The port is free once nothing answers there any more.
      const deadline = Date.now() + 10_000;
      while ((await answers(`${API}/v1/health`)) && Date.now() < deadline) await sleep(100);
    },
  };
}

// ── the run's API, from a test file ─────────────────────────────────────────────────────────────

async function control(action: 'start' | 'stop'): Promise<void> {
  const res = await fetch(`${inject('e2eApiControl')}/${action}`, { method: 'POST' });
  if (!res.ok) throw new Error(await res.text());
}

/**
 * The run's API up: started by the first file that asks, on the run's fresh D1. Otherwise throws why not
 * (a taken port, a failed migration), so that is a failed test, counted in the closing line.
 */
export const ensureApi = () => control('start');
/** Stops the run's API (the offline journey); the next ensureApi() starts it again on the same D1. */
export const stopApi = () => control('stop');

// ── a journey's own data, through the HTTP API ──────────────────────────────────────────────────

async function call<T>(method: string, route: string, opts: { token?: string; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${API}${route}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
  const text = await res.text();
  return (text ? JSON.parse(text) : {}) as T;
}

export const apiGet = <T>(token: string, route: string) => call<T>('GET', route, { token });

export interface NewProvider {
  id: string;
  name: string;
  email: string;
}

/**
 * A provider of the journey's own, made as staff make one: the operations route, then approved by Aetna
 * (a provider no carrier has approved cannot schedule). The email names the journey, so its mail is its own.
 */
export async function makeProvider(journey: string, name = 'Dr. Dana Demo'): Promise<NewProvider> {
  const email = `dana.${journey}@caseload.local`;
  const { id } = await call<{ id: string }>('POST', '/admin/providers', {
    token: ADMIN_TOKEN,
    body: { name, email, npi: '1234567893', timeZone: TIME_ZONE },
  });
  await call('PUT', `/admin/providers/${id}/carriers/pay_aetna`, { token: ADMIN_TOKEN, body: { status: 'approved' } });
  return { id, name, email };
}

/**
 * Signs the provider in through the API's own flow (code by email, read from the mailbox, exchanged for a
 * token), and returns what the popup would store for it. The popup's side of this is sign-in.e2e.ts.
 */
export async function signInByApi(provider: NewProvider): Promise<StoredAuth> {
  const before = new Set((await mailbox()).map((m) => m.id));
  await call('POST', '/v1/auth/code', { body: { email: provider.email } });
  const mail = await waitForMail(provider.email, (m) => !before.has(m.id) && /sign-in code/i.test(m.subject));
  // The code is in the body only (API.md: never in the subject).
  const code = /sign-in code is (\d{6})/.exec(mail.text)?.[1];
  if (!code) throw new Error(`No code in the email "${mail.subject}"`);
  const {
    token,
    expiresAt,
    provider: p,
  } = await call<{ token: string; expiresAt: string; provider: StoredAuth['provider'] }>('POST', '/v1/auth/token', {
    body: { email: provider.email, code },
  });
  // What the background stores after the popup's sign-in (handlers.ts 'auth.signIn'): the summary only.
  return { token, expiresAt, provider: { id: p.id, name: p.name, email: p.email, timeZone: p.timeZone } };
}

/** A client's address of this journey's own (`jordan.rivera+confirm@example.com`): no other journey mails it. */
export const clientEmail = (first: string, last: string, journey: string) =>
  `${first}.${last}+${journey}@example.com`.toLowerCase();

export function addClient(
  token: string,
  client: { first: string; last: string; email: string },
  opts: { notify?: boolean } = {},
): Promise<Client> {
  return call<Client>('POST', '/v1/clients', {
    token,
    body: { firstName: client.first, lastName: client.last, email: client.email, notify: opts.notify ?? false },
  });
}

/** A session at the office; one in the past is recorded as already held (and never announced). */
export function addSession(
  token: string,
  clientId: string,
  startsAt: Date,
  durationMinutes: number,
): Promise<Appointment> {
  return call<Appointment>('POST', '/v1/appointments', {
    token,
    body: { clientId, startsAt: startsAt.toISOString(), durationMinutes, location: { type: 'office' } },
  });
}

/** Complete billing and insurance details, entered by the provider (PUT /v1/clients/:id/billing). */
export function completeBilling(token: string, client: { id: string; first: string; last: string }): Promise<Client> {
  return call<Client>('PUT', `/v1/clients/${client.id}/billing`, {
    token,
    body: {
      legalFirstName: client.first,
      legalLastName: client.last,
      dateOfBirth: '1988-04-12',
      sex: 'F',
      phone: '212-555-0142',
      address: { line1: '120 W 86th St', city: 'New York', state: 'NY', postalCode: '10024' },
      insurance: { payerId: 'pay_aetna', memberId: 'W283746519', relationship: 'self' },
    },
  });
}

/**
 * The provider's billing profile and a fee for every code, as the demo seed has them (PUT /v1/me/billing-profile
 * and /v1/me/fees): without them confirming answers provider_billing_incomplete.
 */
export async function completeProviderBilling(token: string): Promise<void> {
  await call('PUT', '/v1/me/billing-profile', {
    token,
    body: {
      billingName: 'Demo, Dana',
      entity: 'person',
      taxId: { type: 'EIN', value: '27-1234567' },
      taxonomyCode: '101YP2500X',
      address: { line1: '250 W 57th St', line2: 'Suite 1507', city: 'New York', state: 'NY', postalCode: '10107-1507' },
      phone: '212-555-0123',
      edi: {
        submitterId: 'DEMO001',
        submitterName: 'Dana Demo',
        receiverId: 'OFFALLY',
        receiverName: 'Office Ally',
        usage: 'test',
      },
    },
  });
  const { items } = await call<{ items: { code: string }[] }>('GET', '/v1/codes/cpt', { token });
  await call('PUT', '/v1/me/fees', {
    token,
    body: { items: items.map((c) => ({ cptCode: c.code, amountCents: 15000 })) },
  });
}

/** Emails the client a fresh link: the welcome again, or the request to complete their billing info. */
export function notifyClient(token: string, clientId: string, reason: 'welcome' | 'billing_info'): Promise<void> {
  return call('POST', `/v1/clients/${clientId}/notify`, { token, body: { reason } });
}

/**
 * Two past sessions waiting for confirmation, as the demo seed has: Maria Alvarez (billing complete) two
 * days ago and Tom Becker (invited, no billing info) yesterday. The badge then shows 2.
 */
export async function addWaitingSessions(token: string, journey: string): Promise<void> {
  const maria = await addClient(token, {
    first: 'Maria',
    last: 'Alvarez',
    email: clientEmail('maria', 'alvarez', journey),
  });
  await completeBilling(token, { id: maria.id, first: 'Maria', last: 'Alvarez' });
  const tom = await addClient(token, { first: 'Tom', last: 'Becker', email: clientEmail('tom', 'becker', journey) });
  const midnight = new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`).getTime();
  const hour = 3600_000;
  await addSession(token, maria.id, new Date(midnight - 48 * hour + 14 * hour), 53);
  await addSession(token, tom.id, new Date(midnight - 24 * hour + 16 * hour), 45);
}

// ── the local mailbox ───────────────────────────────────────────────────────────────────────────

export interface Mail {
  id: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  attachments: { filename: string; contentType: string; content: string }[];
  sentAt: string;
}

export async function mailbox(): Promise<Mail[]> {
  const res = await fetch(`${API}/dev/mail.json`);
  if (!res.ok) throw new Error(`/dev/mail.json answered ${res.status}`);
  return ((await res.json()) as { items: Mail[] }).items;
}

/** Waits for an email to `to` matching `pred` in the local mailbox (newest first). */
export async function waitForMail(
  to: string,
  pred: (m: Mail) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<Mail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await mailbox()).find((m) => m.to.includes(to) && pred(m));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`No matching email to ${to} within ${timeoutMs} ms`);
    await sleep(150);
  }
}
