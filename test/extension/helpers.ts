// Test helpers: a stub API client, stored sign-in, and the popup's send wired to the real background handlers.
import { fakeBrowser } from 'wxt/testing';
import { vi } from 'vitest';
import type { Appointment, Client } from '../../shared/api-types';
import { ApiError, type ApiClient } from '../../extension/api';
import { createHandlers, handleMessage } from '../../extension/background/handlers';
import type { Send } from '../../extension/messages';
import { setAuth, type StoredAuth } from '../../extension/storage';

export const PROVIDER = { id: 'prv_1', name: 'Dr. Ada Byron', email: 'ada@example.com', timeZone: 'America/New_York' };

export async function signInAs(keep = false, provider = PROVIDER): Promise<StoredAuth> {
  const auth = { token: 'tok_123', expiresAt: '2099-01-01T00:00:00.000Z', provider };
  await setAuth(auth, keep);
  return auth;
}

type Stub = { [K in keyof ApiClient]: ReturnType<typeof vi.fn> };

/** Every API method a vi.fn that fails loudly unless a test gives it an answer. */
export function stubApi(
  overrides: Partial<Record<keyof ApiClient, (...args: never[]) => unknown>> = {},
): ApiClient & Stub {
  const names: (keyof ApiClient)[] = [
    'requestCode',
    'exchangeCode',
    'logout',
    'logoutAll',
    'activity',
    'me',
    'searchClients',
    'listClients',
    'createClient',
    'notifyClient',
    'createAppointment',
    'getAppointment',
    'listUnconfirmed',
    'unconfirmedCount',
    'confirm',
    'cancelAppointment',
    'getNoteDraft',
    'saveNoteDraft',
    'deleteNoteDraft',
    'searchIcd10',
    'createCalendarFeed',
    'deleteCalendarFeed',
    'day',
    'moveAppointment',
    'cancelAppointment',
    'billingProfile',
    'putBillingProfile',
    'fees',
    'putFees',
    'listClaims',
    'listExports',
    'createExport',
    'exportFile',
    'getClaim',
    'claimStatus',
    'replaceClaim',
    'voidClaim',
  ];
  const api = {} as Record<string, ReturnType<typeof vi.fn>>;
  for (const name of names) {
    api[name] = vi.fn(
      overrides[name] ??
        // A session opened for confirmation asks for its note draft: none, unless a test gives one.
        (name === 'getNoteDraft' ? noDraft : undefined) ??
        (async () => {
          throw new Error(`unexpected API call: ${name}`);
        }),
    );
  }
  return api as unknown as ApiClient & Stub;
}

async function noDraft(): Promise<never> {
  throw new ApiError({ kind: 'api', status: 404, code: 'not_found', message: 'No draft.' });
}

export const internalSender = () => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/popup.html') });

/** The popup's send, through the real message gate and handlers, with a JSON round trip like runtime messaging. */
export function sendThrough(api: ApiClient, now = () => new Date()): Send {
  const handlers = createHandlers({ api, refreshBadge: async () => ({ kind: 'count', count: 0 }), now });
  return (async (type, payload) => {
    const message = JSON.parse(JSON.stringify({ type, payload }));
    const reply = await handleMessage(message, internalSender(), handlers);
    return JSON.parse(JSON.stringify(reply));
  }) as Send;
}

export function client(over: Partial<Client> = {}): Client {
  return {
    id: 'cli_1',
    firstName: 'Jane',
    lastName: 'Doe',
    email: 'jane@example.com',
    timeZone: 'America/New_York',
    status: 'active',
    billingComplete: true,
    missing: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

export function appointment(over: Partial<Appointment> = {}): Appointment {
  return {
    id: 'apt_1',
    clientId: 'cli_1',
    client: { id: 'cli_1', firstName: 'Jane', lastName: 'Doe' },
    startsAt: '2026-03-03T20:00:00.000Z',
    endsAt: '2026-03-03T20:53:00.000Z',
    durationMinutes: 53,
    location: { type: 'office' },
    status: 'scheduled',
    notifiedAt: null,
    confirmation: null,
    claimId: null,
    seriesId: null,
    ...over,
  };
}
