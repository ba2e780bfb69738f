// The Today view with the fake browser, through the real message gate and background handlers: the
// day in order with its states, the next session highlighted and announced, Join, the empty day and
// the end of the day, day navigation by buttons and keys, moving (with a conflict) and canceling.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { AppointmentDay } from '../../shared/api-types';
import { ApiError, type ApiClient } from '../../extension/api';
import { App } from '../../extension/components/App';
import { AppContext, createAppState, type Drafts, type PopupStore } from '../../extension/popup/app-state';
import { appointment, sendThrough, signInAs, stubApi } from './helpers';

const NOW = new Date('2026-03-05T17:00:00.000Z'); // Thursday 5 March, 12:00 EST
const URL_ROOM = 'https://video.example.com/room-1';
const CHUNK = { timeout: 5000 };

const jane = { id: 'cli_1', firstName: 'Jane', lastName: 'Doe' };
const sam = { id: 'cli_2', firstName: 'Sam', lastName: 'Lee' };
const kim = { id: 'cli_3', firstName: 'Kim', lastName: 'Park' };
const at = (iso: string, minutes = 50) => ({
  startsAt: iso,
  endsAt: new Date(Date.parse(iso) + minutes * 60_000).toISOString(),
  durationMinutes: minutes,
});

const DAY: AppointmentDay = {
  date: '2026-03-05',
  timeZone: 'America/New_York',
  items: [
    appointment({ id: 'a1', client: jane, ...at('2026-03-05T14:00:00.000Z'), status: 'confirmed' }),
    appointment({ id: 'a2', client: sam, ...at('2026-03-05T15:00:00.000Z') }),
    appointment({ id: 'a3', client: kim, ...at('2026-03-05T16:00:00.000Z'), status: 'no_show' }),
    appointment({
      id: 'a4',
      client: sam,
      ...at('2026-03-05T18:00:00.000Z', 45),
      location: { type: 'telehealth', url: URL_ROOM },
    }),
    appointment({ id: 'a5', client: kim, ...at('2026-03-05T20:00:00.000Z'), notifiedAt: '2026-03-01T10:00:00.000Z' }),
    appointment({ id: 'a6', client: jane, ...at('2026-03-05T21:00:00.000Z'), status: 'canceled' }),
  ],
  next: appointment({ id: 'a7', client: jane, ...at('2026-03-06T14:00:00.000Z') }),
};

function memoryStore(drafts: Drafts | null) {
  return {
    takePrefill: async () => null,
    watchPrefill: () => () => undefined,
    loadDrafts: async () => drafts,
    saveDrafts: vi.fn<PopupStore['saveDrafts']>(),
  } satisfies PopupStore;
}

function renderPopup(api: ApiClient, drafts: Drafts | null = { view: 'today' }) {
  const app = createAppState({ send: sendThrough(api, () => NOW), now: () => NOW, store: memoryStore(drafts) });
  render(
    <AppContext.Provider value={app}>
      <App />
    </AppContext.Provider>,
  );
  return app;
}

const dayApi = (over: Parameters<typeof stubApi>[0] = {}) =>
  stubApi({ day: async (date?: string) => (date ? { ...DAY, date, items: [], next: DAY.next } : DAY), ...over });
const rows = () => screen.getAllByRole('listitem');
const status = () => document.querySelector('.notice')?.textContent ?? '';

beforeEach(async () => {
  fakeBrowser.reset();
  await signInAs();
});
afterEach(cleanup);

describe('Today', () => {
  it('shows the day in order with time, client, length, place and state, in ONE API call', async () => {
    const api = dayApi();
    renderPopup(api);
    await screen.findByRole('heading', { name: 'Today, Thursday, March 5' }, CHUNK);
    await waitFor(() => expect(rows()).toHaveLength(6));
    expect(rows().map((r) => r.querySelector('.slot-line')?.textContent)).toEqual([
      '9:00 AMJane Doe50 min · OfficeConfirmed',
      '10:00 AMSam Lee50 min · OfficeTo confirm',
      '11:00 AMKim Park50 min · OfficeNo-show',
      '1:00 PMSam Lee45 min · TelehealthNext',
      '3:00 PMKim Park50 min · Office',
      '4:00 PMJane Doe50 min · OfficeCanceled',
    ]);
    expect(api.day).toHaveBeenCalledTimes(1);
    expect(api.day).toHaveBeenCalledWith(undefined);
    expect(api.listUnconfirmed).not.toHaveBeenCalled();
  });

  it('highlights and announces the next session; Join opens the video room in a new tab', async () => {
    renderPopup(dayApi());
    await waitFor(() => expect(rows()).toHaveLength(6), CHUNK);
    const next = rows()[3]!;
    expect(next.getAttribute('aria-current')).toBe('true');
    expect(rows().filter((r) => r.getAttribute('aria-current'))).toHaveLength(1);
    await waitFor(() => expect(status()).toBe('Next: 1:00 PM with Sam Lee (45 min, telehealth).'));
    const join = within(next).getByRole('link', { name: 'Join the video session with Sam Lee' });
    expect(join.getAttribute('href')).toBe(URL_ROOM);
    expect(join.getAttribute('target')).toBe('_blank');
    expect(join.getAttribute('rel')).toContain('noopener');
    // Only future scheduled sessions can be moved or canceled; settled and past ones cannot.
    expect(within(rows()[1]!).queryByRole('button', { name: /Move/ })).toBeNull();
    expect(within(rows()[5]!).queryByRole('button', { name: /Cancel/ })).toBeNull();
    expect(within(rows()[4]!).getByRole('button', { name: 'Move the session with Kim Park' })).toBeTruthy();
  });

  it('an empty day says so and shows the next session; the end of the day shows tomorrow’s first', async () => {
    renderPopup(dayApi({ day: async () => ({ ...DAY, items: [] }) }));
    expect(await screen.findByText('No sessions today.', {}, CHUNK)).toBeTruthy();
    expect(document.querySelector('.next-up')?.textContent).toBe(
      'Next session: Jane Doe, Fri, Mar 6, 9:00 AM EST · 50 min · Office',
    );
    cleanup();
    const over = DAY.items.filter((a) => a.startsAt < '2026-03-05T17:00:00.000Z');
    renderPopup(dayApi({ day: async () => ({ ...DAY, items: over }) }));
    await waitFor(
      () => expect(document.querySelector('.next-up')?.textContent).toContain('Done for today. Next: '),
      CHUNK,
    );
    expect(screen.getAllByRole('listitem').filter((r) => r.getAttribute('aria-current'))).toHaveLength(0);
  });

  it('moves between days with the buttons and the [ ] T keys; Alt+T opens Today from another view', {
    timeout: 15_000,
  }, async () => {
    const api = dayApi();
    renderPopup(api, null);
    const add = await screen.findByRole('tab', { name: 'Add client' });
    expect(add.getAttribute('aria-selected')).toBe('true');
    await new Promise((r) => setTimeout(r, 50)); // Preact runs effects (the key listener) after the paint
    fireEvent.keyDown(document.body, { key: 't', code: 'KeyT', altKey: true });
    await screen.findByRole('heading', { name: 'Today, Thursday, March 5' }, CHUNK);
    expect(screen.getByRole('tab', { name: 'Today' }).getAttribute('aria-selected')).toBe('true');

    fireEvent.click(screen.getByRole('button', { name: 'Next day' }));
    await screen.findByRole('heading', { name: 'Friday, March 6' });
    expect(api.day).toHaveBeenLastCalledWith('2026-03-06');
    expect(screen.getByText('No sessions on this day.')).toBeTruthy();
    fireEvent.keyDown(document.body, { key: ']' });
    await screen.findByRole('heading', { name: 'Saturday, March 7' });
    fireEvent.keyDown(document.body, { key: '[' });
    fireEvent.keyDown(document.body, { key: '[' });
    await waitFor(() => expect(api.day).toHaveBeenLastCalledWith('2026-03-05'));
    fireEvent.keyDown(document.body, { key: '[' });
    await screen.findByRole('heading', { name: 'Wednesday, March 4' });
    fireEvent.click(screen.getByRole('button', { name: 'Back to today' }));
    await screen.findByRole('heading', { name: 'Today, Thursday, March 5' });
    expect(api.day).toHaveBeenLastCalledWith(undefined);
    fireEvent.keyDown(document.body, { key: ']' });
    await screen.findByRole('heading', { name: 'Friday, March 6' });
    fireEvent.keyDown(document.body, { key: 'T' });
    fireEvent.keyDown(document.body, { key: ']' }); // before today's answer: counted from today, not the 6th
    await waitFor(() => expect(api.day).toHaveBeenLastCalledWith('2026-03-06'));
    fireEvent.keyDown(document.body, { key: 'T' });
    await screen.findByRole('heading', { name: 'Today, Thursday, March 5' });
    // Typed into a field, the same keys are text.
    fireEvent.click(within(rows()[4]!).getByRole('button', { name: /Move/ }));
    const calls = api.day.mock.calls.length;
    fireEvent.keyDown(screen.getByLabelText('Minutes'), { key: ']' });
    expect(api.day.mock.calls.length).toBe(calls);
  });

  it('moves a session: a conflict names the other session as the API reports it; then the day is read again', async () => {
    let moved = false;
    const api = dayApi({
      day: async () => (moved ? { ...DAY, items: DAY.items.filter((a) => a.id !== 'a5') } : DAY),
      moveAppointment: async (_id: string, input: { startsAt: string; durationMinutes: number }) => {
        if (input.startsAt === '2026-03-05T18:00:00.000Z') {
          throw new ApiError({
            kind: 'api',
            status: 409,
            code: 'schedule_conflict',
            message: 'This time overlaps another session on your calendar.',
            conflicts: ['a4'],
          });
        }
        moved = true;
        return {
          ...DAY.items[4]!,
          ...at(input.startsAt, input.durationMinutes),
          notifiedAt: '2026-03-05T17:00:00.000Z',
        };
      },
      getAppointment: async () => DAY.items[3],
    });
    renderPopup(api);
    await waitFor(() => expect(rows()).toHaveLength(6), CHUNK);
    fireEvent.click(within(rows()[4]!).getByRole('button', { name: 'Move the session with Kim Park' }));
    const date = screen.getByLabelText('Date') as HTMLInputElement;
    expect(date.value).toBe('2026-03-05');
    expect((screen.getByLabelText('Time') as HTMLInputElement).value).toBe('15:00');
    expect((screen.getByLabelText('Minutes') as HTMLInputElement).value).toBe('50');
    await waitFor(() => expect(document.activeElement).toBe(date));
    expect(screen.getByText(/The client is emailed the new time/)).toBeTruthy();

    fireEvent.input(screen.getByLabelText('Time'), { target: { value: '13:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Move session' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(
      'That time overlaps your session with Sam Lee on Thu, Mar 5, 1:00 PM EST (45 min).',
    );
    expect(api.moveAppointment).toHaveBeenCalledWith('a5', {
      startsAt: '2026-03-05T18:00:00.000Z',
      durationMinutes: 50,
    });

    fireEvent.input(screen.getByLabelText('Date'), { target: { value: '2026-03-12' } });
    fireEvent.input(screen.getByLabelText('Time'), { target: { value: '10:00' } });
    fireEvent.input(screen.getByLabelText('Minutes'), { target: { value: '45' } });
    fireEvent.click(screen.getByRole('button', { name: 'Move session' }));
    await waitFor(() => expect(rows()).toHaveLength(5));
    // 10:00 on 12 March is EDT (the change is on the 8th): 14:00Z.
    expect(api.moveAppointment).toHaveBeenLastCalledWith('a5', {
      startsAt: '2026-03-12T14:00:00.000Z',
      durationMinutes: 45,
    });
    expect(status()).toContain('Moved: Kim Park is now Thu, Mar 12, 10:00 AM EDT, 45 min. The client is emailed');
    await waitFor(() => expect(document.activeElement?.id).toBe('today-title'));
  });

  it('cancels only after a confirmation step; Escape backs out and sends nothing; the row then says Canceled', async () => {
    const api = dayApi({
      cancelAppointment: async (id: string, reason: string) => ({
        ...DAY.items.find((a) => a.id === id)!,
        status: 'canceled',
        reason,
      }),
    });
    renderPopup(api);
    await waitFor(() => expect(rows()).toHaveLength(6), CHUNK);
    const cancel = within(rows()[4]!).getByRole('button', { name: 'Cancel the session with Kim Park' });
    fireEvent.click(cancel);
    const form = screen.getByRole('form', { name: 'Cancel the session with Kim Park' });
    expect(within(form).getByText(/The client is emailed the cancellation/)).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(within(form).getByLabelText('The client')));
    fireEvent.keyDown(within(form).getByLabelText('The client'), { key: 'Escape' });
    expect(screen.queryByRole('form')).toBeNull();
    await waitFor(() => expect(document.activeElement?.id).toBe('cancel-a5'));
    expect(api.cancelAppointment).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Cancel the session with Kim Park' }));
    fireEvent.click(screen.getByLabelText('I did'));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel session' }));
    await waitFor(() => expect(rows()[4]!.textContent).toContain('Canceled'));
    expect(api.cancelAppointment).toHaveBeenCalledWith('a5', 'provider');
    expect(status()).toBe(
      'Canceled the session 3:00 PM with Kim Park (50 min, office). The client is emailed the cancellation.',
    );
    expect(within(rows()[4]!).queryByRole('button', { name: /Move|Cancel/ })).toBeNull();
    await waitFor(() => expect(document.activeElement?.id).toBe('session-a5'));
  });

  it('a failed day load says why and offers Try again', async () => {
    let fail = true;
    const api = dayApi({
      day: async () => {
        if (fail) throw new ApiError({ kind: 'unreachable', message: 'Caseload can’t reach its server.' });
        return DAY;
      },
    });
    renderPopup(api);
    expect((await screen.findByRole('alert', {}, CHUNK)).textContent).toContain('Caseload can’t reach its server.');
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(rows()).toHaveLength(6));
  });

  it('opening on the view used last: its day is asked for before the drafts are read; the drafts’ view wins', async () => {
    // The drafts' read is held back: the day request must not wait for it.
    let releaseDrafts: (d: Drafts | null) => void = () => undefined;
    const api = dayApi();
    const store = {
      ...memoryStore(null),
      loadDrafts: () => new Promise<Drafts | null>((resolve) => (releaseDrafts = resolve)),
      lastView: () => 'today' as const,
    } satisfies PopupStore;
    const app = createAppState({ send: sendThrough(api, () => NOW), now: () => NOW, store });
    render(
      <AppContext.Provider value={app}>
        <App />
      </AppContext.Provider>,
    );
    await waitFor(() => expect(api.day).toHaveBeenCalledTimes(1));
    releaseDrafts({ view: 'today' });
    await waitFor(() => expect(rows()).toHaveLength(6), CHUNK);
    expect(api.day).toHaveBeenCalledTimes(1);
    cleanup();

    // This session's drafts say Confirm: Confirm opens (its list asked for), whatever the last view was.
    const api2 = dayApi();
    const app2 = createAppState({
      send: sendThrough(api2, () => NOW),
      now: () => NOW,
      store: { ...memoryStore({ view: 'confirm' }), lastView: () => 'today' },
    });
    render(
      <AppContext.Provider value={app2}>
        <App />
      </AppContext.Provider>,
    );
    await waitFor(() => expect(app2.view.value).toBe('confirm'), CHUNK);
    expect(api2.listUnconfirmed).toHaveBeenCalled();
    cleanup();

    // After a browser restart (no drafts), the popup still opens on the view used last.
    const api3 = dayApi();
    const app3 = createAppState({
      send: sendThrough(api3, () => NOW),
      now: () => NOW,
      store: { ...memoryStore(null), lastView: () => 'today' },
    });
    render(
      <AppContext.Provider value={app3}>
        <App />
      </AppContext.Provider>,
    );
    await waitFor(() => expect(rows()).toHaveLength(6), CHUNK);
    expect(app3.view.value).toBe('today');
  });
});
