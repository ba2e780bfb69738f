// The options page's account section: "Sign out everywhere" and the recent activity, through the
// real background handlers over a stubbed API, on WXT's fake browser.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { ActivityItem } from '../../shared/api-types';
import { ApiError } from '../../extension/api';
import { OptionsPage } from '../../extension/components/OptionsPage';
import { describeActivity } from '../../extension/options/activity';
import { getAuth } from '../../extension/storage';
import { sendThrough, signInAs, stubApi } from './helpers';

const item = (over: Partial<ActivityItem>): ActivityItem => ({
  id: 'act_1',
  at: '2026-03-05T16:00:00.000Z',
  action: 'signin.succeeded',
  actor: 'provider',
  targetType: 'provider',
  targetId: 'prv_1',
  network: '203.0.113.0/24',
  ...over,
});

const ACTIVITY = [
  item({ id: 'act_3', action: 'signin.failed', network: '198.51.100.0/24', at: '2026-03-05T16:30:00.000Z' }),
  item({ id: 'act_2', action: 'admin.carrier_changed', actor: 'admin', network: null }),
  item({ id: 'act_1', action: 'client_billing.read', actor: 'client', targetType: 'client' }),
];

beforeEach(() => fakeBrowser.reset());
afterEach(cleanup);

describe('options: the account', () => {
  it('lists the recent activity in plain words with the network', async () => {
    await signInAs(true);
    const api = stubApi({ activity: async () => ({ items: ACTIVITY, nextCursor: null }) });
    render(<OptionsPage send={sendThrough(api)} />);
    const list = await screen.findByRole('list', { name: 'Recent activity' });
    const rows = list.querySelectorAll('li');
    expect([...rows].map((r) => r.textContent)).toEqual([
      expect.stringMatching(/Wrong sign-in code entered, from 198\.51\.100\.0\/24$/),
      expect.stringMatching(/Caseload staff changed an insurance carrier’s status, from an unknown network$/),
      expect.stringMatching(/Client billing details viewed \(by the client\), from 203\.0\.113\.0\/24$/),
    ]);
    expect(rows[0]!.querySelector('time')!.getAttribute('datetime')).toBe('2026-03-05T16:30:00.000Z');
    expect(api.activity).toHaveBeenCalledTimes(1);
  });

  it('“Sign out everywhere” revokes every sign-in through the API, then signs this one out', async () => {
    await signInAs(true);
    const api = stubApi({
      activity: async () => ({ items: [], nextCursor: null }),
      logoutAll: async () => undefined,
    });
    render(<OptionsPage send={sendThrough(api)} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Sign out everywhere' }));
    await screen.findByText('Signed out everywhere. Sign in again from the toolbar button.');
    expect(api.logoutAll).toHaveBeenCalledTimes(1);
    expect(await getAuth()).toBeNull();
    expect(screen.queryByRole('button', { name: 'Sign out everywhere' })).toBeNull();
  });

  it('stays signed in and says so when the API could not be reached', async () => {
    await signInAs(true);
    const api = stubApi({
      activity: async () => ({ items: [], nextCursor: null }),
      logoutAll: async () => {
        throw new ApiError({ kind: 'unreachable', message: 'Caseload can’t reach its server.' });
      },
    });
    render(<OptionsPage send={sendThrough(api)} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Sign out everywhere' }));
    expect((await screen.findByRole('alert')).textContent).toContain('You are still signed in everywhere');
    expect(await getAuth()).not.toBeNull();
  });

  it('shows no account section when signed out', async () => {
    const api = stubApi();
    render(<OptionsPage send={sendThrough(api)} />);
    await waitFor(() => expect(screen.getByLabelText('API address')).toBeTruthy());
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByRole('button', { name: 'Sign out everywhere' })).toBeNull();
    expect(api.activity).not.toHaveBeenCalled();
  });

  it('names an action it does not know as the API does', () => {
    expect(describeActivity({ action: 'something.new' as ActivityItem['action'], actor: 'system' })).toBe(
      'something.new',
    );
  });
});
