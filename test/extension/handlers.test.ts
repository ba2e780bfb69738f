// The message gate and the background's handlers.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { ApiError } from '../../extension/api';
import { createHandlers, handleMessage } from '../../extension/background/handlers';
import { getAuth, localAuthItem, sessionAuthItem } from '../../extension/storage';
import { appointment, client, internalSender, PROVIDER, signInAs, stubApi } from './helpers';

const KEY = '6c1e7f0a-1111-4222-8333-444455556666';
const validClient = { firstName: 'Jane', lastName: 'Doe', email: 'jane@example.com', notify: true };

function setup(api = stubApi()) {
  const refreshBadge = vi.fn(async () => ({ kind: 'count' as const, count: 0 }));
  const handlers = createHandlers({ api, refreshBadge, now: () => new Date('2026-03-05T17:00:00.000Z') });
  const ask = (type: string, payload: unknown, sender: { id?: string; url?: string } = internalSender()) =>
    handleMessage({ type, payload }, sender, handlers);
  return { api, refreshBadge, ask };
}

describe('message gate', () => {
  beforeEach(() => fakeBrowser.reset());

  it('ignores another extension', async () => {
    const { api, ask } = setup(stubApi({ createClient: async () => client() }));
    const reply = await ask(
      'clients.create',
      { input: validClient, idempotencyKey: KEY },
      { id: 'evil-extension', url: 'chrome-extension://evil-extension/x.html' },
    );
    expect(reply).toBeUndefined();
    expect(api.createClient).not.toHaveBeenCalled();
  });

  it('ignores a web page (content-script-like sender with our id but a web URL)', async () => {
    const { api, ask } = setup(stubApi({ createClient: async () => client() }));
    expect(
      await ask(
        'clients.create',
        { input: validClient, idempotencyKey: KEY },
        { id: fakeBrowser.runtime.id, url: 'https://evil.example/' },
      ),
    ).toBeUndefined();
    expect(api.createClient).not.toHaveBeenCalled();
  });

  it('ignores unknown message types', async () => {
    const { ask } = setup();
    expect(await ask('nuke.everything', {})).toBeUndefined();
  });

  it('checks a form against the shared schema before any request, reporting field names', async () => {
    const { api, ask } = setup();
    const reply = await ask('clients.create', {
      input: { firstName: ' ', lastName: 'Doe', email: 'nope', notify: true },
      idempotencyKey: KEY,
    });
    expect(reply).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'validation_failed',
        issues: [
          { path: 'firstName', message: 'Enter a first name' },
          { path: 'email', message: 'Enter a valid email address' },
        ],
      }),
    });
    expect(api.createClient).not.toHaveBeenCalled();
  });

  it('passes the idempotency key through and answers ok', async () => {
    const { api, ask } = setup(stubApi({ createClient: async () => client() }));
    const reply = await ask('clients.create', { input: validClient, idempotencyKey: KEY });
    expect(reply).toMatchObject({ ok: true, data: { id: 'cli_1' } });
    expect(api.createClient).toHaveBeenCalledWith(validClient, KEY);
  });

  it('an API failure comes back as data, never a thrown error', async () => {
    const { ask } = setup(
      stubApi({
        createClient: async () => {
          throw new ApiError({ kind: 'unreachable', message: 'down' });
        },
      }),
    );
    expect(await ask('clients.create', { input: validClient, idempotencyKey: KEY })).toEqual({
      ok: false,
      error: { kind: 'unreachable', message: 'down' },
    });
  });
});

describe('handlers', () => {
  beforeEach(() => fakeBrowser.reset());

  it('sign-in keeps the token in session storage unless "keep me signed in"', async () => {
    const provider = { ...PROVIDER, npi: '1234567893', telehealthUrl: null, carriers: [] };
    const api = stubApi({
      exchangeCode: async () => ({ token: 'tok_new', expiresAt: '2099-01-01T00:00:00.000Z', provider }),
    });
    const { ask, refreshBadge } = setup(api);
    await ask('auth.signIn', { email: 'ada@example.com', code: '123456', keepSignedIn: false });
    expect((await sessionAuthItem.getValue())?.token).toBe('tok_new');
    expect(await localAuthItem.getValue()).toBeNull();
    await ask('auth.signIn', { email: 'ada@example.com', code: '123456', keepSignedIn: true });
    expect((await localAuthItem.getValue())?.token).toBe('tok_new');
    expect(await sessionAuthItem.getValue()).toBeNull();
    expect(refreshBadge).toHaveBeenCalled();
  });

  it('a malformed sign-in code is refused before any request', async () => {
    const { api, ask } = setup();
    const reply = await ask('auth.signIn', { email: 'ada@example.com', code: '12', keepSignedIn: false });
    expect(reply).toMatchObject({
      ok: false,
      error: { issues: [{ path: 'code', message: 'Enter the 6-digit code from the email' }] },
    });
    expect(api.exchangeCode).not.toHaveBeenCalled();
  });

  it('sign-out revokes the token and forgets it even when offline', async () => {
    await signInAs(true);
    const api = stubApi({
      logout: async () => {
        throw new ApiError({ kind: 'unreachable', message: 'down' });
      },
    });
    const { ask } = setup(api);
    expect(await ask('auth.signOut', {})).toMatchObject({ ok: true });
    expect(api.logout).toHaveBeenCalled();
    expect(await getAuth()).toBeNull();
  });

  it('a schedule conflict names the session in the way', async () => {
    const other = appointment({ id: 'apt_9', client: { id: 'cli_2', firstName: 'Sam', lastName: 'Lee' } });
    const api = stubApi({
      createAppointment: async () => {
        throw new ApiError({
          kind: 'api',
          status: 409,
          code: 'schedule_conflict',
          message: 'Overlaps',
          conflicts: ['apt_9'],
        });
      },
      getAppointment: async () => other,
    });
    const { ask } = setup(api);
    const reply = await ask('appointments.create', {
      input: {
        clientId: 'cli_1',
        startsAt: '2026-03-10T19:00:00.000Z',
        durationMinutes: 53,
        location: { type: 'office' },
        notify: true,
      },
      idempotencyKey: KEY,
    });
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'schedule_conflict', conflictSessions: [{ id: 'apt_9' }] },
    });
  });

  it('creating a session refreshes the badge at once', async () => {
    const api = stubApi({ createAppointment: async () => ({ items: [appointment(), appointment({ id: 'apt_2' })] }) });
    const { ask, refreshBadge } = setup(api);
    const reply = await ask('appointments.create', {
      input: {
        clientId: 'cli_1',
        startsAt: '2026-03-10T19:00:00.000Z',
        durationMinutes: 53,
        location: { type: 'office' },
        repeat: { every: 'week', count: 2 },
      },
      idempotencyKey: KEY,
    });
    expect(reply).toMatchObject({ ok: true, data: [{ id: 'apt_1' }, { id: 'apt_2' }] });
    expect(refreshBadge).toHaveBeenCalledOnce();
  });

  it('a CPT code that does not fit the actual length is a field error, with the rule, before any request', async () => {
    const { api, ask } = setup();
    const reply = await ask('appointments.confirm', {
      id: 'apt_1',
      input: {
        cptCode: '90837',
        diagnosisCodes: ['F41.1'],
        progressNote: 'Note',
        startedAt: '2026-03-03T20:00:00.000Z',
        endedAt: '2026-03-03T20:45:00.000Z',
      },
      idempotencyKey: KEY,
    });
    expect(reply).toMatchObject({
      ok: false,
      error: {
        code: 'validation_failed',
        issues: [{ path: 'cptCode', message: expect.stringContaining('use 90834') }],
      },
    });
    expect(api.confirm).not.toHaveBeenCalled();
  });

  it('billing_incomplete carries the missing fields in words', async () => {
    const api = stubApi({
      confirm: async () => {
        throw new ApiError({
          kind: 'api',
          status: 422,
          code: 'billing_incomplete',
          message: 'Billing incomplete',
          missing: ['insurance.memberId', 'address.postalCode'],
          settingsUrl: 'http://127.0.0.1:8787/c/tok',
        });
      },
    });
    const { ask } = setup(api);
    const reply = await ask('appointments.confirm', {
      id: 'apt_1',
      input: {
        cptCode: '90837',
        diagnosisCodes: ['F41.1'],
        progressNote: 'Note',
        startedAt: '2026-03-03T20:00:00.000Z',
        endedAt: '2026-03-03T20:53:00.000Z',
      },
      idempotencyKey: KEY,
    });
    expect(reply).toMatchObject({
      ok: false,
      error: { missingLabels: ['Member ID', 'ZIP code'], settingsUrl: 'http://127.0.0.1:8787/c/tok' },
    });
  });

  it('the to-confirm list leaves out a session still running', async () => {
    const ended = appointment({
      id: 'apt_done',
      startsAt: '2026-03-05T15:00:00.000Z',
      endsAt: '2026-03-05T15:53:00.000Z',
    });
    const running = appointment({
      id: 'apt_now',
      startsAt: '2026-03-05T16:30:00.000Z',
      endsAt: '2026-03-05T17:23:00.000Z',
    });
    const { ask } = setup(stubApi({ listUnconfirmed: async () => ({ items: [ended, running], nextCursor: null }) }));
    expect(await ask('appointments.unconfirmed', {})).toMatchObject({ ok: true, data: [{ id: 'apt_done' }] });
  });

  it('advises the CPT code from the length (shared rules)', async () => {
    const { ask } = setup();
    expect(await ask('cpt.advise', { minutes: 45, cptCode: '90837', addOnCodes: [] })).toMatchObject({
      ok: true,
      data: { suggested: '90834', problems: [expect.stringContaining('90837 needs at least 53 minutes')] },
    });
  });

  it('offers 90840 with its units once a 90839 session reaches 75 minutes, and checks the codes with it', async () => {
    const { ask } = setup();
    expect(await ask('cpt.advise', { minutes: 74, cptCode: '90839', addOnCodes: [] })).toMatchObject({
      ok: true,
      data: { crisisAddOn: null, problems: [] },
    });
    expect(await ask('cpt.advise', { minutes: 110, cptCode: '90839', addOnCodes: [] })).toMatchObject({
      ok: true,
      data: { crisisAddOn: { code: '90840', units: 2 }, problems: [] },
    });
    // Unticked: 90839 alone no longer fits 110 minutes, and the rule says so.
    const alone = await ask('cpt.advise', { minutes: 110, cptCode: '90839', addOnCodes: [], crisisAddOn: false });
    expect(alone).toMatchObject({ ok: true, data: { problems: [expect.stringContaining('add 90840')] } });
  });

  it('a new API address is stored as an origin and signs out; a bad one is a field error', async () => {
    await signInAs(true);
    const { ask } = setup();
    expect(await ask('settings.setApiBase', { apiBase: 'ftp://x' })).toMatchObject({
      ok: false,
      error: { issues: [{ path: 'apiBase' }] },
    });
    expect(await getAuth()).not.toBeNull();
    expect(await ask('settings.setApiBase', { apiBase: 'https://api.caseload.example/some/path' })).toEqual({
      ok: true,
      data: { apiBase: 'https://api.caseload.example', changed: true },
    });
    expect(await getAuth()).toBeNull();
  });

  it('an expired stored token counts as signed out', async () => {
    await sessionAuthItem.setValue({ token: 't', expiresAt: '2026-03-05T00:00:00.000Z', provider: PROVIDER });
    const { ask } = setup();
    expect(await ask('auth.status', {})).toMatchObject({ ok: true, data: { provider: null } });
    expect(await getAuth()).toBeNull();
  });
});
