// The popup's views with Testing Library, talking to the real background handlers over a stubbed API.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { ApiError, type ApiClient } from '../../extension/api';
import { App } from '../../extension/components/App';
import { AppContext, createAppState } from '../../extension/popup/app-state';
// The views loaded on demand, here from the start (as after the popup's idle prefetch): these tests are
// about what the views do; lazy-views.test.tsx is about how they load.
import '../../extension/popup/chunks/confirm';
import '../../extension/popup/chunks/confirm-form';
import '../../extension/popup/chunks/schedule';
import { appointment, client, sendThrough, signInAs, stubApi } from './helpers';

const NOW = new Date('2026-03-05T17:00:00.000Z'); // Thursday noon, New York

function renderPopup(api: ApiClient) {
  let n = 0;
  const app = createAppState({
    send: sendThrough(api, () => NOW),
    now: () => NOW,
    newKey: () => `key-${String(++n).padStart(4, '0')}-test`,
  });
  render(
    <AppContext.Provider value={app}>
      <App />
    </AppContext.Provider>,
  );
  return app;
}

const type = (el: HTMLElement, value: string) => fireEvent.input(el, { target: { value } });
const unreachable = () =>
  new ApiError({
    kind: 'unreachable',
    message:
      "Caseload can't reach its server at 127.0.0.1:8787. Check your connection and try again; nothing you typed was lost.",
  });

beforeEach(() => fakeBrowser.reset());
afterEach(() => cleanup());

describe('sign-in', () => {
  it('checks the email inline, then asks for the code, then signs in', async () => {
    const provider = {
      id: 'prv_1',
      name: 'Dr. Ada Byron',
      email: 'ada@example.com',
      timeZone: 'America/New_York',
      npi: '1',
      telehealthUrl: null,
      carriers: [],
    };
    const api = stubApi({
      requestCode: async () => ({}),
      exchangeCode: async () => ({ token: 't', expiresAt: '2099-01-01T00:00:00.000Z', provider }),
    });
    renderPopup(api);
    const email = await screen.findByLabelText('Email');
    type(email, 'ada@');
    fireEvent.click(screen.getByRole('button', { name: 'Send code' }));
    expect(await screen.findByText('Enter a valid email address')).toBeTruthy();
    expect(api.requestCode).not.toHaveBeenCalled();

    type(email, 'ada@example.com');
    fireEvent.submit(email.closest('form')!);
    const code = await screen.findByLabelText('Code');
    type(code, '123456');
    fireEvent.click(screen.getByLabelText('Keep me signed in on this computer'));
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('tab', { name: 'Add client' })).toBeTruthy();
    expect(api.exchangeCode).toHaveBeenCalledWith('ada@example.com', '123456');
  });

  it('Escape on the code step goes back to the email step', async () => {
    renderPopup(stubApi({ requestCode: async () => ({}) }));
    type(await screen.findByLabelText('Email'), 'ada@example.com');
    fireEvent.click(screen.getByRole('button', { name: 'Send code' }));
    fireEvent.keyDown(await screen.findByLabelText('Code'), { key: 'Escape' });
    expect(await screen.findByRole('button', { name: 'Send code' })).toBeTruthy();
  });
});

describe('Add client', () => {
  beforeEach(() => signInAs());

  it('the footer links to the Claims page, opened in a tab', async () => {
    renderPopup(stubApi());
    const link = await screen.findByRole('link', { name: 'Claims' });
    expect(link.closest('footer')).toBeTruthy();
    expect(link.getAttribute('href')).toBe('/claims.html');
    expect(link.getAttribute('target')).toBe('_blank');
  });

  it('shows each field’s error inline before any request', async () => {
    const api = stubApi();
    renderPopup(api);
    fireEvent.click(await screen.findByRole('button', { name: 'Save and notify' }));
    expect(await screen.findByText('Enter a first name')).toBeTruthy();
    expect(screen.getByText('Enter a last name')).toBeTruthy();
    expect(screen.getByText('Enter an email address')).toBeTruthy();
    expect(screen.getByLabelText('First name').getAttribute('aria-invalid')).toBe('true');
    expect(api.createClient).not.toHaveBeenCalled();
  });

  it('Enter submits "Save and notify"; "Save only" does not notify', async () => {
    const api = stubApi({ createClient: async () => client() });
    renderPopup(api);
    type(await screen.findByLabelText('First name'), 'Jane');
    type(screen.getByLabelText('Last name'), 'Doe');
    type(screen.getByLabelText('Email'), 'jane@example.com');
    fireEvent.submit(screen.getByLabelText('Email').closest('form')!); // what Enter in a field does
    expect(await screen.findByText('Jane Doe added; the welcome email is on its way.')).toBeTruthy();
    expect(api.createClient).toHaveBeenLastCalledWith(
      { firstName: 'Jane', lastName: 'Doe', email: 'jane@example.com', notify: true },
      'key-0001-test',
    );
    expect((screen.getByLabelText('First name') as HTMLInputElement).value).toBe('');

    type(screen.getByLabelText('First name'), 'Sam');
    type(screen.getByLabelText('Last name'), 'Lee');
    type(screen.getByLabelText('Email'), 'sam@example.com');
    fireEvent.click(screen.getByRole('button', { name: 'Save only' }));
    await waitFor(() => expect(api.createClient).toHaveBeenCalledTimes(2));
    expect(api.createClient.mock.calls[1]![0]).toMatchObject({ notify: false });
  });

  it('network down: says so, keeps every field, and the retry reuses the Idempotency-Key', async () => {
    const api = stubApi({
      createClient: async () => {
        throw unreachable();
      },
    });
    renderPopup(api);
    type(await screen.findByLabelText('First name'), 'Jane');
    type(screen.getByLabelText('Last name'), 'Doe');
    type(screen.getByLabelText('Email'), 'jane@example.com');
    fireEvent.click(screen.getByRole('button', { name: 'Save and notify' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/can't reach its server/);
    expect((screen.getByLabelText('First name') as HTMLInputElement).value).toBe('Jane');
    expect((screen.getByLabelText('Email') as HTMLInputElement).value).toBe('jane@example.com');

    api.createClient.mockResolvedValueOnce(client());
    fireEvent.click(screen.getByRole('button', { name: 'Save and notify' }));
    await screen.findByText(/Jane Doe added/);
    expect(api.createClient.mock.calls.map((c) => c[1])).toEqual(['key-0001-test', 'key-0001-test']);
  });

  it('a double click creates one client', async () => {
    let resolve!: (c: unknown) => void;
    const api = stubApi({
      createClient: () =>
        new Promise((r) => {
          resolve = r;
        }),
    });
    renderPopup(api);
    type(await screen.findByLabelText('First name'), 'Jane');
    type(screen.getByLabelText('Last name'), 'Doe');
    type(screen.getByLabelText('Email'), 'jane@example.com');
    const save = screen.getByRole('button', { name: 'Save and notify' });
    fireEvent.click(save);
    fireEvent.click(save);
    await waitFor(() => expect(save.hasAttribute('disabled')).toBe(true));
    expect(save.getAttribute('aria-busy')).toBe('true');
    resolve(client());
    await screen.findByText(/Jane Doe added/);
    expect(api.createClient).toHaveBeenCalledTimes(1);
  });

  it('a duplicate email says so and offers to open that client', async () => {
    const api = stubApi({
      createClient: async () => {
        throw new ApiError({
          kind: 'api',
          status: 409,
          code: 'client_exists',
          message: 'exists',
          existingClientId: 'cli_1',
        });
      },
      searchClients: async () => ({ items: [client()], nextCursor: null }),
    });
    renderPopup(api);
    type(await screen.findByLabelText('First name'), 'Jane');
    type(screen.getByLabelText('Last name'), 'Doe');
    type(screen.getByLabelText('Email'), 'jane@example.com');
    fireEvent.click(screen.getByRole('button', { name: 'Save and notify' }));
    expect(await screen.findByText('A client with this email is already on your roster.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Open client' }));
    expect(await screen.findByRole('tab', { name: 'Schedule', selected: true })).toBeTruthy();
    expect((screen.getByRole('combobox', { name: 'Client' }) as HTMLInputElement).value).toBe('Jane Doe');
  });

  it('an expired token returns to sign-in and the form is still there afterwards', async () => {
    const api = stubApi({
      createClient: async () => {
        throw new ApiError({
          kind: 'signed_out',
          message: 'Your sign-in has ended. Sign in again; what you typed is kept.',
        });
      },
    });
    const app = renderPopup(api);
    type(await screen.findByLabelText('First name'), 'Jane');
    type(screen.getByLabelText('Last name'), 'Doe');
    type(screen.getByLabelText('Email'), 'jane@example.com');
    fireEvent.click(screen.getByRole('button', { name: 'Save only' }));
    expect(await screen.findByText('Your sign-in has ended. Sign in again; what you typed is kept.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Send code' })).toBeTruthy();
    expect(app.addClient.fields.value.firstName).toBe('Jane');
  });
});

describe('Schedule', () => {
  beforeEach(() => signInAs());

  async function pickJane(api: ApiClient & { searchClients: ReturnType<typeof vi.fn> }) {
    fireEvent.click(await screen.findByRole('tab', { name: 'Schedule' }));
    const box = screen.getByRole('combobox', { name: 'Client' });
    type(box, 'ja');
    await screen.findByRole('option', { name: /Jane Doe/ });
    expect(api.searchClients).toHaveBeenCalledWith('ja');
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect((box as HTMLInputElement).value).toBe('Jane Doe'));
  }

  it('asks for a client before any request', async () => {
    const api = stubApi();
    renderPopup(api);
    fireEvent.click(await screen.findByRole('tab', { name: 'Schedule' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect(await screen.findByText('Choose a client')).toBeTruthy();
    expect(api.createAppointment).not.toHaveBeenCalled();
  });

  it('sends the time typed in the provider’s zone, with notify ticked by default', async () => {
    const api = stubApi({
      searchClients: async () => ({ items: [client()], nextCursor: null }),
      createAppointment: async () => appointment({ startsAt: '2026-03-10T19:00:00.000Z' }),
    });
    renderPopup(api);
    await pickJane(api);
    type(screen.getByLabelText('Date'), '2026-03-10');
    type(screen.getByLabelText('Time'), '15:00');
    fireEvent.click(screen.getByLabelText('45 min'));
    expect((screen.getByLabelText('Notify client') as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    await screen.findByText(/Session on Tue, Mar 10, 3:00 PM EDT with Jane Doe added/);
    expect(api.createAppointment).toHaveBeenCalledWith(
      {
        clientId: 'cli_1',
        startsAt: '2026-03-10T19:00:00.000Z',
        durationMinutes: 45,
        location: { type: 'office' },
        notify: true,
      },
      'key-0001-test',
    );
  });

  it('a conflict says which session is in the way and keeps the form', async () => {
    const api = stubApi({
      searchClients: async () => ({ items: [client()], nextCursor: null }),
      createAppointment: async () => {
        throw new ApiError({
          kind: 'api',
          status: 409,
          code: 'schedule_conflict',
          message: 'This time overlaps another session.',
          conflicts: ['apt_9'],
        });
      },
      getAppointment: async () =>
        appointment({
          id: 'apt_9',
          client: { id: 'cli_2', firstName: 'Sam', lastName: 'Lee' },
          startsAt: '2026-03-10T19:30:00.000Z',
        }),
    });
    renderPopup(api);
    await pickJane(api);
    type(screen.getByLabelText('Date'), '2026-03-10');
    type(screen.getByLabelText('Time'), '15:00');
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(
      'That time overlaps your session with Sam Lee on Tue, Mar 10, 3:30 PM EDT (53 min).',
    );
    expect((screen.getByLabelText('Time') as HTMLInputElement).value).toBe('15:00');
  });

  it('a custom length is checked by the shared schema', async () => {
    const api = stubApi({ searchClients: async () => ({ items: [client()], nextCursor: null }) });
    renderPopup(api);
    await pickJane(api);
    fireEvent.click(screen.getByLabelText('Custom'));
    type(screen.getByLabelText('Custom length (minutes)'), '5');
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect(await screen.findByText('A session lasts at least 15 minutes')).toBeTruthy();
    expect(api.createAppointment).not.toHaveBeenCalled();
  });
});

describe('Confirm', () => {
  beforeEach(() => signInAs());

  const session = appointment(); // Tue Mar 3, 3:00 PM EST, 53 min
  const baseApi = (over: Parameters<typeof stubApi>[0] = {}) =>
    stubApi({
      listUnconfirmed: async () => ({ items: [session], nextCursor: null }),
      searchIcd10: async () => ({
        items: [{ code: 'F41.1', description: 'Generalized anxiety disorder', billable: true }],
      }),
      ...over,
    });

  async function openSession() {
    fireEvent.click(await screen.findByRole('tab', { name: 'Confirm' }));
    fireEvent.click(await screen.findByRole('button', { name: /Jane Doe.*Tue, Mar 3, 3:00 PM EST · 53 min/ }));
    const cpt = (await screen.findByLabelText('CPT code')) as HTMLSelectElement;
    await waitFor(() => expect(cpt.value).toBe('90837')); // suggested from 53 minutes
  }

  async function addDiagnosis() {
    const box = screen.getByRole('combobox', { name: 'Diagnosis (ICD-10)' });
    type(box, 'anxiety');
    fireEvent.click(await screen.findByRole('option', { name: /F41\.1/ }));
    expect(await screen.findByRole('button', { name: 'Remove F41.1' })).toBeTruthy();
  }

  it('a session across midnight (11:30 PM to 12:30 AM) is 60 minutes, not negative: 90837 is suggested', async () => {
    const late = appointment({
      id: 'apt_late',
      startsAt: '2026-03-04T04:30:00.000Z', // Tue Mar 3, 11:30 PM EST
      endsAt: '2026-03-04T05:30:00.000Z', // Wed Mar 4, 12:30 AM EST
      durationMinutes: 60,
    });
    renderPopup(baseApi({ listUnconfirmed: async () => ({ items: [late], nextCursor: null }) }));
    fireEvent.click(await screen.findByRole('tab', { name: 'Confirm' }));
    fireEvent.click(await screen.findByRole('button', { name: /Jane Doe.*11:30 PM EST · 60 min/ }));
    const cpt = (await screen.findByLabelText('CPT code')) as HTMLSelectElement;
    await waitFor(() => expect(cpt.value).toBe('90837'));
  });

  it('lists past sessions; a picked one gets the CPT suggested; missing fields are inline', async () => {
    const api = baseApi();
    renderPopup(api);
    await openSession();
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    expect(await screen.findByText('Add at least one diagnosis code')).toBeTruthy();
    expect(screen.getByText('Write a progress note')).toBeTruthy();
    expect(api.confirm).not.toHaveBeenCalled();
  });

  it('explains the rule when the code does not fit the actual length', async () => {
    renderPopup(baseApi());
    await openSession();
    fireEvent.change(screen.getByLabelText('CPT code'), { target: { value: '90837' } });
    type(screen.getByLabelText('Actual end'), '15:40');
    expect(await screen.findByText(/90837 needs at least 53 minutes.*40 minutes \(use 90834\)/)).toBeTruthy();
  });

  it('Ctrl+Enter in the note confirms; the session leaves the list', async () => {
    const api = baseApi({ confirm: async () => ({ appointment: { ...session, status: 'confirmed' }, claim: {} }) });
    renderPopup(api);
    await openSession();
    await addDiagnosis();
    const note = screen.getByLabelText('Progress note');
    type(note, 'Worked on sleep hygiene.');
    fireEvent.keyDown(note, { key: 'Enter', ctrlKey: true });
    expect(await screen.findByText(/confirmed; the claim is ready/)).toBeTruthy();
    expect(api.confirm).toHaveBeenCalledWith(
      'apt_1',
      {
        cptCode: '90837',
        addOnCodes: [],
        diagnosisCodes: ['F41.1'],
        progressNote: 'Worked on sleep hygiene.',
        startedAt: '2026-03-03T20:00:00.000Z',
        endedAt: '2026-03-03T20:53:00.000Z',
        patientLocation: 'home',
        telehealthModality: 'video',
      },
      'key-0001-test',
    );
    expect(await screen.findByText('Nothing to confirm. Every past session is done.')).toBeTruthy();
  });

  it('a crisis session of 110 minutes offers 90840 × 2 and confirms with it', async () => {
    const crisis = appointment({ id: 'apt_crisis', endsAt: '2026-03-03T21:50:00.000Z', durationMinutes: 110 });
    const api = baseApi({
      listUnconfirmed: async () => ({ items: [crisis], nextCursor: null }),
      confirm: async () => ({ appointment: { ...crisis, status: 'confirmed' }, claim: {} }),
    });
    renderPopup(api);
    fireEvent.click(await screen.findByRole('tab', { name: 'Confirm' }));
    fireEvent.click(await screen.findByRole('button', { name: /Jane Doe.*110 min/ }));
    fireEvent.change(await screen.findByLabelText('CPT code'), { target: { value: '90839' } });
    const extra = (await screen.findByLabelText('Crisis, each extra 30 minutes (90840 × 2)')) as HTMLInputElement;
    expect(extra.checked).toBe(true);
    await addDiagnosis();
    type(screen.getByLabelText('Progress note'), 'Safety plan.');
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    await waitFor(() =>
      expect(api.confirm).toHaveBeenCalledWith(
        'apt_crisis',
        expect.objectContaining({ cptCode: '90839', addOnCodes: ['90840'] }),
        expect.any(String),
      ),
    );
  });

  it('a telehealth session can be confirmed as audio only (modifier 93)', async () => {
    const call = appointment({ id: 'apt_tele', location: { type: 'telehealth', url: 'https://video.example.com/r' } });
    const api = baseApi({
      listUnconfirmed: async () => ({ items: [call], nextCursor: null }),
      confirm: async () => ({ appointment: { ...call, status: 'confirmed' }, claim: {} }),
    });
    renderPopup(api);
    fireEvent.click(await screen.findByRole('tab', { name: 'Confirm' }));
    fireEvent.click(await screen.findByRole('button', { name: /Jane Doe/ }));
    const held = (await screen.findByLabelText('Held by')) as HTMLSelectElement;
    expect(held.value).toBe('video');
    fireEvent.change(held, { target: { value: 'audio' } });
    await addDiagnosis();
    type(screen.getByLabelText('Progress note'), 'By phone.');
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    await waitFor(() =>
      expect(api.confirm).toHaveBeenCalledWith(
        'apt_tele',
        expect.objectContaining({ patientLocation: 'home', telehealthModality: 'audio' }),
        expect.any(String),
      ),
    );
  });

  it('billing_incomplete lists exactly what is missing, with "Copy link" and "Email the client"; the note is kept', async () => {
    const api = baseApi({
      confirm: async () => {
        throw new ApiError({
          kind: 'api',
          status: 422,
          code: 'billing_incomplete',
          message: 'Billing incomplete',
          missing: ['insurance.memberId', 'address.postalCode'],
          settingsUrl: 'http://127.0.0.1:8787/c/abc',
        });
      },
      notifyClient: async () => ({}),
    });
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    renderPopup(api);
    await openSession();
    await addDiagnosis();
    type(screen.getByLabelText('Progress note'), 'Session note.');
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    const alert = await screen.findByRole('alert');
    expect(
      within(alert)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['Member ID', 'ZIP code']);
    fireEvent.click(within(alert).getByRole('button', { name: 'Copy link' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith('http://127.0.0.1:8787/c/abc'));
    fireEvent.click(within(alert).getByRole('button', { name: 'Email the client' }));
    await waitFor(() => expect(api.notifyClient).toHaveBeenCalledWith('cli_1', expect.any(String), 'billing_info'));
    expect((screen.getByLabelText('Progress note') as HTMLTextAreaElement).value).toBe('Session note.');
  });

  it('provider_billing_incomplete says in words what the billing profile and fees still lack; the note is kept', async () => {
    const api = baseApi({
      confirm: async () => {
        throw new ApiError({
          kind: 'api',
          status: 422,
          code: 'provider_billing_incomplete',
          message: 'Your billing profile or fee schedule is incomplete.',
          missing: ['billingProfile.taxId', 'billingProfile.address.postalCode', 'fees.90834'],
        });
      },
    });
    renderPopup(api);
    await openSession();
    await addDiagnosis();
    type(screen.getByLabelText('Progress note'), 'Session note.');
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/billing profile.*Missing: tax ID, address postal code, a fee for 90834\./);
    expect((screen.getByLabelText('Progress note') as HTMLTextAreaElement).value).toBe('Session note.');
    // "Open settings" opens the options page at the billing profile (a profile field is missing).
    const create = vi.spyOn(fakeBrowser.tabs, 'create').mockResolvedValue({} as never);
    vi.stubGlobal('browser', fakeBrowser);
    try {
      fireEvent.click(within(alert).getByRole('button', { name: 'Open settings' }));
      expect(create).toHaveBeenCalledWith({ url: fakeBrowser.runtime.getURL('/options.html#billing-profile') });
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('Escape backs out of a session to the list, keeping what was typed', async () => {
    renderPopup(baseApi());
    await openSession();
    type(screen.getByLabelText('Progress note'), 'Half a note');
    fireEvent.keyDown(screen.getByLabelText('Progress note'), { key: 'Escape' });
    const again = await screen.findByRole('button', { name: /Jane Doe/ });
    fireEvent.click(again);
    expect(((await screen.findByLabelText('Progress note')) as HTMLTextAreaElement).value).toBe('Half a note');
  });
});
