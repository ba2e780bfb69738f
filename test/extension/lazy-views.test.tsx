// How the popup's views after the first load: on demand, prefetched when idle, without a flash of another
// view and without losing what was typed. The chunks are not imported here (unlike popup.test.tsx), so
// every view comes through import(); the Schedule chunk is held back until a test lets it through.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { ApiError, type ApiClient } from '../../extension/api';
import { App } from '../../extension/components/App';
import { AppContext, createAppState, type Drafts, type PopupStore } from '../../extension/popup/app-state';
import { clearAuth } from '../../extension/storage';
import { appointment, sendThrough, signInAs, stubApi } from './helpers';

const NOW = new Date('2026-03-05T17:00:00.000Z');

const held = vi.hoisted(() => {
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  return { gate, release, requested: false };
});

vi.mock('../../extension/popup/chunks/schedule', async (importOriginal) => {
  held.requested = true;
  await held.gate;
  return importOriginal();
});

vi.mock('../../extension/popup/chunks/confirm-form', async () => {
  throw new Error('chunk missing (the extension was updated while the popup was open)');
});

function memoryStore(drafts: Drafts | null) {
  return {
    takePrefill: async () => null,
    watchPrefill: () => () => undefined,
    loadDrafts: async () => drafts,
    saveDrafts: vi.fn<PopupStore['saveDrafts']>(),
  } satisfies PopupStore;
}

function renderPopup(api: ApiClient, store?: PopupStore) {
  const app = createAppState({ send: sendThrough(api, () => NOW), now: () => NOW, store });
  render(
    <AppContext.Provider value={app}>
      <App />
    </AppContext.Provider>,
  );
  return app;
}

// A chunk's first import() transforms its modules, which takes a while on a busy machine.
const CHUNK = { timeout: 5000 };
const type = (el: HTMLElement, value: string) => fireEvent.input(el, { target: { value } });
const listApi = () => stubApi({ listUnconfirmed: async () => ({ items: [appointment()], nextCursor: null }) });

beforeEach(async () => {
  fakeBrowser.reset();
  await signInAs();
});
afterEach(() => cleanup());

describe('views loaded on demand', { timeout: 20_000 }, () => {
  it('Add client needs no chunk; Schedule is prefetched, and while it loads Add client stays with what was typed', async () => {
    renderPopup(stubApi());
    const first = await screen.findByLabelText('First name');
    type(first, 'Jane');
    // Fetched once the popup is idle, before anyone asks for it.
    await waitFor(() => expect(held.requested).toBe(true), CHUNK);

    const tab = screen.getByRole('tab', { name: 'Schedule' });
    fireEvent.click(tab);
    expect(tab.getAttribute('aria-busy')).toBe('true');
    expect(tab.getAttribute('aria-selected')).toBe('false');
    expect(screen.getByRole('tab', { name: 'Add client' }).getAttribute('aria-selected')).toBe('true');
    expect((screen.getByLabelText('First name') as HTMLInputElement).value).toBe('Jane');
    expect(screen.getByRole('tabpanel').getAttribute('aria-busy')).toBe('true');

    held.release();
    expect(await screen.findByRole('combobox', { name: 'Client' }, CHUNK)).toBeTruthy();
    expect(tab.getAttribute('aria-selected')).toBe('true');
    expect(tab.hasAttribute('aria-busy')).toBe(false);
    expect(screen.getByRole('tabpanel').hasAttribute('aria-busy')).toBe(false);

    fireEvent.click(screen.getByRole('tab', { name: 'Add client' }));
    expect((screen.getByLabelText('First name') as HTMLInputElement).value).toBe('Jane');
  });

  it('opens on the remembered view: the tabs first appear on Confirm, never on Add client', async () => {
    const api = listApi();
    renderPopup(api, memoryStore({ view: 'confirm' }));
    const tab = await screen.findByRole('tab', { name: 'Confirm' }, CHUNK);
    expect(tab.getAttribute('aria-selected')).toBe('true');
    expect(screen.queryByLabelText('First name')).toBeNull();
    expect(await screen.findByRole('button', { name: /Jane Doe/ }, CHUNK)).toBeTruthy();
    // Asked for once, while the background was still answering auth.status.
    expect(api.listUnconfirmed).toHaveBeenCalledTimes(1);
  });

  it('signed out with Confirm remembered: the list asked for early is dropped, sign-in shows no failure', async () => {
    await clearAuth();
    // As the real API client answers without a token.
    const api = stubApi({
      listUnconfirmed: async () => {
        throw new ApiError({ kind: 'signed_out', message: 'Sign in to Caseload first.' });
      },
    });
    renderPopup(api, memoryStore({ view: 'confirm' }));
    expect(await screen.findByRole('heading', { name: 'Sign in to Caseload' }, CHUNK)).toBeTruthy();
    await waitFor(() => expect(api.listUnconfirmed).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('arrow keys still move between tabs, focus following, when the next view comes on demand', async () => {
    renderPopup(listApi());
    const add = await screen.findByRole('tab', { name: 'Add client' });
    add.focus();
    fireEvent.keyDown(add, { key: 'ArrowLeft' }); // wraps round to Today (the last tab)…
    fireEvent.keyDown(add, { key: 'ArrowLeft' }); // …and on to Confirm, while Today is still on its way
    const confirm = screen.getByRole('tab', { name: 'Confirm' });
    await waitFor(() => expect(confirm.getAttribute('aria-selected')).toBe('true'), CHUNK);
    await waitFor(() => expect(document.activeElement).toBe(confirm));
    expect(confirm.getAttribute('tabindex')).toBe('0');
    expect(await screen.findByRole('button', { name: /Jane Doe/ }, CHUNK)).toBeTruthy();
  });

  it('keeps the drafts of views not loaded yet when saving the drafts', async () => {
    const schedule = {
      clientQuery: 'Ja',
      client: null,
      date: '2026-03-10',
      time: '15:00',
      length: '53' as const,
      customLength: '',
      location: 'office' as const,
      repeat: 'none' as const,
      count: '4',
      notify: true,
    };
    const confirm = {
      apt_1: {
        startTime: '15:00',
        endTime: '15:53',
        cptCode: '',
        cptChosen: false,
        interactiveComplexity: false,
        diagnoses: [],
        icdQuery: '',
        patientLocation: 'home' as const,
        note: 'Half a note',
      },
    };
    const store = memoryStore({ view: 'add', add: { firstName: 'Sam', lastName: '', email: '' }, schedule, confirm });
    renderPopup(stubApi(), store);
    expect(((await screen.findByLabelText('First name')) as HTMLInputElement).value).toBe('Sam');
    type(screen.getByLabelText('Last name'), 'Lee');
    await waitFor(() =>
      expect(store.saveDrafts).toHaveBeenLastCalledWith({
        view: 'add',
        add: { firstName: 'Sam', lastName: 'Lee', email: '' },
        schedule,
        // An older version's note is not written back: notes are drafts on the server only.
        confirm: { apt_1: { ...confirm.apt_1, note: undefined } },
      }),
    );
  });

  it('a chunk that cannot be fetched: says so, and the list stays', async () => {
    renderPopup(listApi());
    fireEvent.click(await screen.findByRole('tab', { name: 'Confirm' }));
    fireEvent.click(await screen.findByRole('button', { name: /Jane Doe/ }, CHUNK));
    expect(await screen.findByText(/could not open that session/, {}, CHUNK)).toBeTruthy();
    expect(screen.getByRole('button', { name: /Jane Doe/ }).hasAttribute('aria-busy')).toBe(false);
    expect(screen.queryByLabelText('Progress note')).toBeNull();
  });
});
