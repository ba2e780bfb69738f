// Resolving past sessions from the Confirm list (No-show, Late cancel, Canceled, each asked first) and the
// confirm form's note kept as a draft on the server, never in extension storage.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { ApiError, type ApiClient } from '../../extension/api';
import { createHandlers, handleMessage } from '../../extension/background/handlers';
import { watchDraftPort } from '../../extension/background/note-draft-port';
import { App } from '../../extension/components/App';
import type { Send } from '../../extension/messages';
import { AppContext, createAppState } from '../../extension/popup/app-state';
import { DRAFT_DEBOUNCE_MS } from '../../extension/popup/note-drafts';
import { createPopupStore } from '../../extension/popup/store';
import '../../extension/popup/chunks/confirm';
import '../../extension/popup/chunks/confirm-form';
import { appointment, internalSender, signInAs, stubApi } from './helpers';

const NOW = new Date('2026-03-05T17:00:00.000Z'); // Thursday noon, New York
const first = appointment(); // Tue Mar 3, 3:00 PM EST
const second = appointment({
  id: 'apt_2',
  clientId: 'cli_2',
  client: { id: 'cli_2', firstName: 'Maria', lastName: 'Alvarez' },
  startsAt: '2026-03-04T15:00:00.000Z',
  endsAt: '2026-03-04T15:53:00.000Z',
});
/** Ended 40 days before NOW: past the 30-day window. */
const old = appointment({
  id: 'apt_old',
  startsAt: '2026-01-24T15:00:00.000Z',
  endsAt: '2026-01-24T15:53:00.000Z',
});

const unreachable = () =>
  new ApiError({ kind: 'unreachable', message: "Caseload can't reach its server at 127.0.0.1:8787." });

function renderPopup(api: ApiClient, opts: { store?: boolean } = {}) {
  const refreshBadge = vi.fn(async () => ({ kind: 'count' as const, count: 0 }));
  const handlers = createHandlers({ api, refreshBadge, now: () => NOW });
  const send = (async (type, payload) => {
    const reply = await handleMessage(JSON.parse(JSON.stringify({ type, payload })), internalSender(), handlers);
    return JSON.parse(JSON.stringify(reply));
  }) as Send;
  const app = createAppState({ send, now: () => NOW, store: opts.store ? createPopupStore() : undefined });
  const view = render(
    <AppContext.Provider value={app}>
      <App />
    </AppContext.Provider>,
  );
  return { app, refreshBadge, view };
}

const listApi = (items = [first, second], over: Parameters<typeof stubApi>[0] = {}) =>
  stubApi({ listUnconfirmed: async () => ({ items, nextCursor: null }), ...over });

async function openList() {
  fireEvent.click(await screen.findByRole('tab', { name: 'Confirm' }));
  return screen.findByRole('list', { name: /waiting for confirmation/ });
}

const itemOf = (name: RegExp) => screen.getAllByRole('listitem').find((li) => name.test(li.textContent ?? ''))!;

beforeEach(async () => {
  fakeBrowser.reset();
  await signInAs();
});
afterEach(() => cleanup());

describe('resolving past sessions', () => {
  it('No-show asks first; Keep sends nothing; "Mark no-show" does, the badge is refreshed and focus moves to the next session', async () => {
    const api = listApi([first, second], { cancelAppointment: async () => ({ ...first, status: 'no_show' }) });
    const { refreshBadge } = renderPopup(api);
    await openList();
    const item = itemOf(/Jane Doe/);
    const noShow = within(item).getByRole('button', { name: 'No-show' });
    fireEvent.click(noShow);
    expect(await within(item).findByText('Mark Jane Doe’s Tue, Mar 3 session as a no-show?')).toBeTruthy();
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Mark no-show'));
    fireEvent.click(within(item).getByRole('button', { name: 'Keep' }));
    await waitFor(() => expect(document.activeElement?.textContent).toBe('No-show'));
    expect(api.cancelAppointment).not.toHaveBeenCalled();

    fireEvent.click(within(item).getByRole('button', { name: 'No-show' }));
    fireEvent.click(await within(item).findByRole('button', { name: 'Mark no-show' }));
    expect(await screen.findByText('Jane Doe’s Tue, Mar 3 session marked as a no-show.')).toBeTruthy();
    expect(api.cancelAppointment).toHaveBeenCalledExactlyOnceWith('apt_1', 'no_show');
    expect(refreshBadge).toHaveBeenCalled();
    expect(screen.queryByRole('button', { name: /Jane Doe/ })).toBeNull();
    await waitFor(() => expect(document.activeElement?.textContent).toMatch(/^Maria Alvarez/));
  });

  it('the second click of a double click sends nothing; a press of its own does', async () => {
    const api = listApi([first], { cancelAppointment: async () => ({ ...first, status: 'late_canceled' }) });
    renderPopup(api);
    await openList();
    fireEvent.click(screen.getByRole('button', { name: 'Late cancel' }), { detail: 1 });
    fireEvent.click(await screen.findByRole('button', { name: 'Mark late cancel' }), { detail: 2 });
    expect(api.cancelAppointment).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Mark late cancel' }), { detail: 1 });
    await waitFor(() => expect(api.cancelAppointment).toHaveBeenCalledWith('apt_1', 'late_cancel'));
    expect(await screen.findByText('Nothing to confirm. Every past session is done.')).toBeTruthy();
    await waitFor(() => expect(document.activeElement?.id).toBe('confirm-empty'));
  });

  it('by keyboard: N on a session asks, Escape keeps, C asks who canceled, Enter on "Client canceled" sends', async () => {
    const api = listApi([first], { cancelAppointment: async () => ({ ...first, status: 'canceled' }) });
    renderPopup(api);
    await openList();
    const session = screen.getByRole('button', { name: /Jane Doe/ });
    fireEvent.keyDown(session, { key: 'n' });
    expect(await screen.findByText(/as a no-show\?/)).toBeTruthy();
    fireEvent.keyDown(screen.getByRole('button', { name: 'Mark no-show' }), { key: 'Escape' });
    await waitFor(() => expect(screen.queryByText(/as a no-show\?/)).toBeNull());
    fireEvent.keyDown(session, { key: 'c' });
    expect(await screen.findByText('Mark Jane Doe’s Tue, Mar 3 session as canceled?')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'I canceled' })).toBeTruthy();
    // A keyboard press is a click with detail 0.
    fireEvent.click(screen.getByRole('button', { name: 'Client canceled' }), { detail: 0 });
    await waitFor(() => expect(api.cancelAppointment).toHaveBeenCalledWith('apt_1', 'client'));
    expect(screen.getByText(/N: no-show, L: late cancel, C: canceled/)).toBeTruthy();
  });

  it('a session past the 30-day window can no longer be confirmed: no Confirm, only the other outcomes', async () => {
    const api = listApi([old, first], { cancelAppointment: async () => ({ ...old, status: 'canceled' }) });
    renderPopup(api);
    await openList();
    const item = itemOf(/Jan 24/);
    expect(within(item).getByText('Past 30 days: can no longer be confirmed')).toBeTruthy();
    expect(
      within(item)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['No-show', 'Late cancel', 'Canceled']);
    // The one still in the window opens its form as before.
    expect(screen.getByRole('button', { name: /Jane Doe.*Mar 3/ })).toBeTruthy();
    fireEvent.click(within(item).getByRole('button', { name: 'Canceled' }));
    fireEvent.click(await within(item).findByRole('button', { name: 'I canceled' }));
    await waitFor(() => expect(api.cancelAppointment).toHaveBeenCalledWith('apt_old', 'provider'));
    await waitFor(() => expect(screen.queryByText(/can no longer be confirmed/)).toBeNull());
  });

  it('offline: the question stays with the reason and the session stays in the list', async () => {
    const api = listApi([first], {
      cancelAppointment: async () => {
        throw unreachable();
      },
    });
    renderPopup(api);
    await openList();
    fireEvent.click(screen.getByRole('button', { name: 'No-show' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Mark no-show' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/can't reach its server/);
    expect(screen.getByText(/as a no-show\?/)).toBeTruthy();
    expect(screen.getByRole('button', { name: /Jane Doe/ })).toBeTruthy();
  });

  it('resolved elsewhere meanwhile (409 invalid_state): it leaves the list and says so', async () => {
    const api = listApi([first], {
      cancelAppointment: async () => {
        throw new ApiError({ kind: 'api', status: 409, code: 'invalid_state', message: 'Only a scheduled session…' });
      },
    });
    renderPopup(api);
    await openList();
    fireEvent.click(screen.getByRole('button', { name: 'Late cancel' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Mark late cancel' }));
    expect(await screen.findByText(/already resolved elsewhere/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Jane Doe/ })).toBeNull();
  });
});

describe('note drafts', () => {
  async function openForm() {
    await openList();
    fireEvent.click(screen.getByRole('button', { name: /Jane Doe/ }));
    return (await screen.findByLabelText('Progress note')) as HTMLTextAreaElement;
  }
  const type = (el: HTMLElement, value: string) => fireEvent.input(el, { target: { value } });

  async function sessionStorageText(): Promise<string> {
    return JSON.stringify(await fakeBrowser.storage.session.get(null));
  }

  it('saved once typing stops (not per keystroke), announced once, and never written to extension storage', async () => {
    const api = listApi([first], { saveNoteDraft: async () => undefined });
    renderPopup(api, { store: true });
    const note = await openForm();
    await waitFor(() => expect(api.getNoteDraft).toHaveBeenCalledWith('apt_1'));
    for (const text of ['Client', 'Client repor', 'Client reported better sleep.']) type(note, text);
    const status = document.getElementById('cf-note-draft')!;
    expect(status.getAttribute('aria-live')).toBe('polite');
    expect(status.textContent).toBe('');
    await waitFor(() => expect(status.textContent).toBe('Draft saved'), { timeout: DRAFT_DEBOUNCE_MS + 1500 });
    expect(api.saveNoteDraft).toHaveBeenCalledExactlyOnceWith('apt_1', 'Client reported better sleep.');
    // The rest of the form is kept in session storage; the note never is.
    type(screen.getByLabelText('Actual end'), '15:50');
    await waitFor(async () => expect(await sessionStorageText()).toContain('15:50'));
    expect(await sessionStorageText()).not.toContain('better sleep');
  });

  it('restored when the session is opened again in a new popup', async () => {
    const api = listApi([first], {
      getNoteDraft: async () => ({ text: 'Half a note from before', savedAt: '2026-03-05T16:00:00.000Z' }),
    });
    renderPopup(api, { store: true });
    const note = await openForm();
    await waitFor(() => expect(note.value).toBe('Half a note from before'));
    expect(document.getElementById('cf-note-draft')?.textContent).toBe('Draft restored from your last visit');
    expect(api.saveNoteDraft).not.toHaveBeenCalled();
  });

  it('the popup closing (pagehide) sends the last change at once; leaving the form does too', async () => {
    const api = listApi([first], { saveNoteDraft: async () => undefined });
    renderPopup(api);
    const note = await openForm();
    type(note, 'Typed just before closing');
    dispatchEvent(new Event('pagehide'));
    await waitFor(() => expect(api.saveNoteDraft).toHaveBeenCalledWith('apt_1', 'Typed just before closing'));
    type(note, 'And a little more');
    fireEvent.click(screen.getByRole('button', { name: 'Back to list' }));
    await waitFor(() => expect(api.saveNoteDraft).toHaveBeenLastCalledWith('apt_1', 'And a little more'));
    expect(api.saveNoteDraft).toHaveBeenCalledTimes(2);
  });

  it('offline, the draft says honestly that it was not saved', async () => {
    const api = listApi([first], {
      saveNoteDraft: async () => {
        throw unreachable();
      },
    });
    renderPopup(api);
    const note = await openForm();
    type(note, 'Written on a train');
    dispatchEvent(new Event('pagehide'));
    await waitFor(() =>
      expect(document.getElementById('cf-note-draft')?.textContent).toMatch(/^Draft not saved — offline/),
    );
    expect(note.value).toBe('Written on a train');
  });

  it('a note emptied again deletes the draft; confirming sends no further save', async () => {
    const api = listApi([first], {
      saveNoteDraft: async () => undefined,
      deleteNoteDraft: async () => undefined,
    });
    renderPopup(api);
    const note = await openForm();
    type(note, 'Oops');
    dispatchEvent(new Event('pagehide'));
    await waitFor(() => expect(api.saveNoteDraft).toHaveBeenCalledWith('apt_1', 'Oops'));
    type(note, '');
    dispatchEvent(new Event('pagehide'));
    await waitFor(() => expect(api.deleteNoteDraft).toHaveBeenCalledWith('apt_1'));
  });
});

describe('background: cancel and note-draft messages', () => {
  function setup(api: ApiClient) {
    const refreshBadge = vi.fn(async () => ({ kind: 'count' as const, count: 0 }));
    const handlers = createHandlers({ api, refreshBadge, now: () => NOW });
    return {
      refreshBadge,
      ask: (type: string, payload: unknown) => handleMessage({ type, payload }, internalSender(), handlers),
    };
  }

  it('cancel checks the reason before any request, then refreshes the badge', async () => {
    const api = stubApi({ cancelAppointment: async () => ({ ...first, status: 'no_show' }) });
    const { ask, refreshBadge } = setup(api);
    expect(await ask('appointments.cancel', { id: 'apt_1', reason: 'forgot' })).toMatchObject({
      ok: false,
      error: { code: 'validation_failed', issues: [{ path: 'reason' }] },
    });
    expect(api.cancelAppointment).not.toHaveBeenCalled();
    expect(await ask('appointments.cancel', { id: 'apt_1', reason: 'no_show' })).toMatchObject({
      ok: true,
      data: { status: 'no_show' },
    });
    expect(refreshBadge).toHaveBeenCalledOnce();
  });

  it('a missing draft (404) is null; other failures pass through; a draft over 20,000 characters is refused here', async () => {
    const api = stubApi({
      getNoteDraft: vi
        .fn()
        .mockRejectedValueOnce(new ApiError({ kind: 'api', status: 404, code: 'not_found', message: 'No draft.' }))
        .mockRejectedValueOnce(unreachable()),
      saveNoteDraft: async () => undefined,
    });
    const { ask } = setup(api);
    expect(await ask('noteDraft.get', { id: 'apt_1' })).toEqual({ ok: true, data: null });
    expect(await ask('noteDraft.get', { id: 'apt_1' })).toMatchObject({ ok: false, error: { kind: 'unreachable' } });
    expect(await ask('noteDraft.save', { id: 'apt_1', text: 'x'.repeat(20_001) })).toMatchObject({
      ok: false,
      error: { issues: [{ path: 'text' }] },
    });
    expect(api.saveNoteDraft).not.toHaveBeenCalled();
    expect(await ask('noteDraft.save', { id: 'apt_1', text: '  kept exactly  ' })).toEqual({
      ok: true,
      data: { saved: true },
    });
    expect(api.saveNoteDraft).toHaveBeenCalledWith('apt_1', '  kept exactly  ');
  });
});

describe('background: the note-draft port', () => {
  function fakePort() {
    let onMessage: (m: unknown) => void = () => undefined;
    let onDisconnect: () => void = () => undefined;
    return {
      port: {
        onMessage: {
          addListener: (cb: (m: unknown) => void) => {
            onMessage = cb;
          },
        },
        onDisconnect: {
          addListener: (cb: () => void) => {
            onDisconnect = cb;
          },
        },
      },
      post: (m: unknown) => onMessage(m),
      close: () => onDisconnect(),
    };
  }

  it('sends on disconnect only what the popup had not saved itself (the last text per session; empty deletes)', async () => {
    const api = stubApi({ saveNoteDraft: async () => undefined, deleteNoteDraft: async () => undefined });
    const p = fakePort();
    const done = watchDraftPort(p.port, api);
    p.post({ type: 'pending', id: 'apt_1', text: 'First' });
    p.post({ type: 'pending', id: 'apt_1', text: 'First words' });
    p.post({ type: 'pending', id: 'apt_2', text: 'Saved by the popup' });
    p.post({ type: 'settled', id: 'apt_2', text: 'Saved by the popup' });
    p.post({ type: 'pending', id: 'apt_3', text: '' });
    p.post({ type: 'pending', id: 'x'.repeat(65), text: 'refused: id too long' });
    expect(api.saveNoteDraft).not.toHaveBeenCalled();
    p.close();
    await done;
    expect(api.saveNoteDraft).toHaveBeenCalledExactlyOnceWith('apt_1', 'First words');
    expect(api.deleteNoteDraft).toHaveBeenCalledExactlyOnceWith('apt_3');
  });
});
