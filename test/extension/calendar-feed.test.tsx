// The options page's calendar feed section with Testing Library, talking to the real background
// handlers over a stubbed API: the address is shown once with Copy; a new address and turning off
// are confirmed first; nothing reaches the API before that.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { ApiError, type ApiClient } from '../../extension/api';
import { CalendarFeedSection, FEED_EXPLAINED } from '../../extension/components/CalendarFeedSection';
import { OptionsPage } from '../../extension/components/OptionsPage';
import { sendThrough, signInAs, stubApi } from './helpers';

const URL_1 = `http://127.0.0.1:8787/feed/${'a'.repeat(43)}.ics`;
const URL_2 = `http://127.0.0.1:8787/feed/${'b'.repeat(43)}.ics`;
const ME = {
  id: 'prv_1',
  name: 'Dr. Ada Byron',
  email: 'ada@example.com',
  timeZone: 'America/New_York',
  npi: '1234567893',
  telehealthUrl: null,
  carriers: [],
};

function renderSection(api: ApiClient, copy = vi.fn(async () => true)) {
  render(<CalendarFeedSection send={sendThrough(api)} copy={copy} />);
  return { copy };
}

beforeEach(() => fakeBrowser.reset());
afterEach(() => cleanup());

describe('calendar feed section', () => {
  it('says in one sentence that the feed shows times and initials only', async () => {
    renderSection(stubApi({ me: async () => ({ ...ME, calendarFeed: null }) }));
    expect((await screen.findByText(/initials/)).textContent).toContain(FEED_EXPLAINED);
    expect(FEED_EXPLAINED).toMatch(/only when your sessions are and each client’s initials/);
  });

  it('"Create calendar address" shows the address once, with Copy', async () => {
    const api = stubApi({
      me: async () => ({ ...ME, calendarFeed: null }),
      createCalendarFeed: async () => ({ url: URL_1 }),
    });
    const { copy } = renderSection(api);
    fireEvent.click(await screen.findByRole('button', { name: 'Create calendar address' }));
    const field = (await screen.findByLabelText('Your calendar address')) as HTMLInputElement;
    expect(field.value).toBe(URL_1);
    expect(field.readOnly).toBe(true);
    await waitFor(() => expect(document.activeElement).toBe(field));
    expect(screen.getByText(/Shown only this once/)).toBeTruthy();
    expect(api.createCalendarFeed).toHaveBeenCalledTimes(1);

    fireEvent.click(screen.getByRole('button', { name: 'Copy' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('Copied.'));
    expect(copy).toHaveBeenCalledWith(URL_1);
  });

  it('when the browser refuses the clipboard, the address is selected and the page says how to copy it', async () => {
    const api = stubApi({
      me: async () => ({ ...ME, calendarFeed: null }),
      createCalendarFeed: async () => ({ url: URL_1 }),
    });
    renderSection(
      api,
      vi.fn(async () => false),
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Create calendar address' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Copy' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toContain('press Ctrl+C'));
  });

  it('an existing feed shows since when, never an address', async () => {
    renderSection(stubApi({ me: async () => ({ ...ME, calendarFeed: { createdAt: '2026-03-01T15:00:00.000Z' } }) }));
    expect((await screen.findByText(/The calendar feed is on/)).textContent).toContain('2026');
    expect(screen.queryByLabelText('Your calendar address')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Create calendar address' })).toBeNull();
  });

  it('"Create a new address" asks first: Cancel sends nothing, Yes makes the new one', async () => {
    const api = stubApi({
      me: async () => ({ ...ME, calendarFeed: { createdAt: '2026-03-01T15:00:00.000Z' } }),
      createCalendarFeed: async () => ({ url: URL_2 }),
    });
    renderSection(api);
    fireEvent.click(await screen.findByRole('button', { name: 'Create a new address' }));
    const dialog = screen.getByRole('alertdialog');
    expect(dialog.textContent).toContain('will stop updating');
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Yes, create a new address' })),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(api.createCalendarFeed).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Create a new address' }));
    fireEvent.keyDown(screen.getByRole('alertdialog'), { key: 'Escape' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(api.createCalendarFeed).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Create a new address' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, create a new address' }));
    expect(((await screen.findByLabelText('Your calendar address')) as HTMLInputElement).value).toBe(URL_2);
    expect(api.createCalendarFeed).toHaveBeenCalledTimes(1);
  });

  it('"Turn off" asks first, then turns the feed off and offers to create one again', async () => {
    const api = stubApi({
      me: async () => ({ ...ME, calendarFeed: { createdAt: '2026-03-01T15:00:00.000Z' } }),
      deleteCalendarFeed: async () => undefined,
    });
    renderSection(api);
    fireEvent.click(await screen.findByRole('button', { name: 'Turn off' }));
    expect(api.deleteCalendarFeed).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Yes, turn it off' }));
    expect(await screen.findByRole('button', { name: 'Create calendar address' })).toBeTruthy();
    expect(api.deleteCalendarFeed).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('status').textContent).toContain('The calendar feed is off');
  });

  it('a failure is shown and nothing else changes', async () => {
    const api = stubApi({
      me: async () => ({ ...ME, calendarFeed: null }),
      createCalendarFeed: async () => {
        throw new ApiError({ kind: 'unreachable', message: "Caseload can't reach its server." });
      },
    });
    renderSection(api);
    fireEvent.click(await screen.findByRole('button', { name: 'Create calendar address' }));
    expect((await screen.findByRole('alert')).textContent).toContain("can't reach its server");
    expect(screen.getByRole('button', { name: 'Create calendar address' })).toBeTruthy();
    expect(screen.queryByLabelText('Your calendar address')).toBeNull();
  });

  it('signed out: asks to sign in and offers no button', async () => {
    const api = stubApi({
      me: async () => {
        throw new ApiError({ kind: 'signed_out', message: 'Sign in to Caseload first.' });
      },
    });
    renderSection(api);
    expect(await screen.findByText(/Sign in from the Caseload toolbar button/)).toBeTruthy();
    expect(screen.queryAllByRole('button')).toEqual([]);
  });

  it('is on the options page when signed in, and not when signed out', async () => {
    const api = stubApi({ me: async () => ({ ...ME, calendarFeed: null }) });
    render(<OptionsPage send={sendThrough(api)} />);
    await screen.findByLabelText('API address');
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByRole('heading', { name: 'Calendar feed' })).toBeNull();
    cleanup();

    await signInAs(true);
    render(<OptionsPage send={sendThrough(api)} />);
    expect(await screen.findByRole('heading', { name: 'Calendar feed' })).toBeTruthy();
    expect(await screen.findByRole('button', { name: 'Create calendar address' })).toBeTruthy();
  });
});
