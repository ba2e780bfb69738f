// Badge states and titles, recomputed from storage and the API; the refresh alarm.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { ApiError } from '../../extension/api';
import { BADGE_ALARM, ensureBadgeAlarm } from '../../extension/background/alarm';
import { BADGE_COLORS, badgeView, refreshBadge } from '../../extension/background/badge';
import { getAuth } from '../../extension/storage';
import { signInAs, stubApi } from './helpers';

async function badge() {
  const [text, title, color] = await Promise.all([
    fakeBrowser.action.getBadgeText({}),
    fakeBrowser.action.getTitle({}),
    fakeBrowser.action.getBadgeBackgroundColor({}),
  ]);
  return { text, title, color };
}

const rgba = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).concat(255);

describe('badge', () => {
  beforeEach(() => fakeBrowser.reset());

  it('signed out: grey "!" and a sign-in title, without asking the API', async () => {
    const api = stubApi();
    await refreshBadge(api);
    expect(await badge()).toEqual({
      text: '!',
      title: 'Caseload: signed out. Open Caseload to sign in.',
      color: rgba(BADGE_COLORS.signed_out),
    });
    expect(api.unconfirmedCount).not.toHaveBeenCalled();
  });

  it('a count above zero: red number and "3 sessions to confirm"', async () => {
    await signInAs();
    await refreshBadge(stubApi({ unconfirmedCount: async () => ({ count: 3, oldestStartsAt: null }) }));
    expect(await badge()).toEqual({ text: '3', title: '3 sessions to confirm', color: rgba(BADGE_COLORS.count) });
  });

  it('one session is singular', async () => {
    await signInAs(true);
    await refreshBadge(stubApi({ unconfirmedCount: async () => ({ count: 1, oldestStartsAt: null }) }));
    expect((await badge()).title).toBe('1 session to confirm');
  });

  it('zero: empty badge', async () => {
    await signInAs();
    await refreshBadge(stubApi({ unconfirmedCount: async () => ({ count: 0, oldestStartsAt: null }) }));
    expect(await badge()).toMatchObject({ text: '', title: 'Caseload: no sessions to confirm' });
  });

  it('more than 99 shows 99+', () => {
    expect(badgeView({ kind: 'count', count: 250 }).text).toBe('99+');
  });

  it('API unreachable: amber "?" naming the server', async () => {
    await signInAs();
    await refreshBadge(
      stubApi({
        unconfirmedCount: async () => {
          throw new ApiError({ kind: 'unreachable', message: 'down' });
        },
      }),
    );
    expect(await badge()).toEqual({
      text: '?',
      title: "Caseload can't reach its server at 127.0.0.1:8787",
      color: rgba(BADGE_COLORS.unreachable),
    });
  });

  it('an expired token (401 → signed_out) shows the signed-out badge', async () => {
    await signInAs();
    await refreshBadge(
      stubApi({
        unconfirmedCount: async () => {
          throw new ApiError({ kind: 'signed_out', message: 'ended' });
        },
      }),
    );
    expect((await badge()).text).toBe('!');
  });

  it('is recomputed from storage each time (a new worker instance knows the state)', async () => {
    await signInAs();
    const api = stubApi({ unconfirmedCount: async () => ({ count: 2, oldestStartsAt: null }) });
    await refreshBadge(api);
    await fakeBrowser.action.setBadgeText({ text: '' }); // a restarted browser forgets the badge
    await refreshBadge(api);
    expect((await badge()).text).toBe('2');
    expect(await getAuth()).not.toBeNull();
  });
});

describe('refresh alarm', () => {
  beforeEach(() => fakeBrowser.reset());

  it('is registered every 5 minutes', async () => {
    await ensureBadgeAlarm();
    expect(await fakeBrowser.alarms.get(BADGE_ALARM)).toMatchObject({ name: BADGE_ALARM, periodInMinutes: 5 });
  });

  it('is not re-created (and so not postponed) when it already exists', async () => {
    await ensureBadgeAlarm();
    const create = vi.spyOn(fakeBrowser.alarms, 'create');
    await ensureBadgeAlarm();
    expect(create).not.toHaveBeenCalled();
  });
});
